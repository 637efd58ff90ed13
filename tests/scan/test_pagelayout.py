"""The pure layout core (app/domain/pagelayout.py) and the issuer / title rules of extraction, on
hand-made word boxes in the real shape (300-dpi page coordinates)."""
import pytest

from app.domain import pagelayout as pl
from app.scan import extract
from app.scan.ocr import Word

W, H = 2480, 3508


def _page(lines, n=0):
    words = []
    for i, (text, x, y) in enumerate(lines):
        for t in text.split():
            words.append(Word(t, 95.0, x, y, x + 30 * len(t), y + 50, i, 1, 0))
            x += 30 * len(t) + 18
    return pl.build(n, W, H, words)


HEADER = [("UBND TỈNH ĐỒNG THÁP", 470, 240), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1250, 240),
          ("SỞ Y TẾ", 600, 300), ("Độc lập - Tự do - Hạnh phúc", 1400, 300),
          ("Số: 12/QĐ-SYT", 520, 400), ("Đồng Tháp, ngày 05 tháng 4 năm 2024", 1350, 420),
          ("QUYẾT ĐỊNH", 1100, 700)]


def test_summary_over_three_lines_ends_at_the_authority_line():
    lines = HEADER + [("Ban hành Quy chế tổ chức và hoạt động của Ban Chỉ đạo", 600, 770),
                      ("chuyển đổi số và cải cách hành chính trên địa bàn", 640, 830),
                      ("tỉnh Đồng Tháp", 1000, 890),
                      ("GIÁM ĐỐC SỞ Y TẾ TỈNH ĐỒNG THÁP", 800, 1000),
                      ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;", 450, 1100)]
    f = extract.extract_fields([_page(lines)], pages=1)
    assert f["summary"] == ("Ban hành Quy chế tổ chức và hoạt động của Ban Chỉ đạo chuyển đổi số và cải cách "
                            "hành chính trên địa bàn tỉnh Đồng Tháp")
    assert f["issuer"] == "Sở Y tế tỉnh Đồng Tháp"
    assert f["boxes"]["summary"]["page"] == 1
    x0, y0, x1, y1 = f["boxes"]["summary"]["box"]
    assert y0 == pytest.approx(770 / H, abs=1e-3) and y1 == pytest.approx(940 / H, abs=1e-3)


@pytest.mark.parametrize("rule", ["-----------------", "________________", "—————————"])
def test_summary_ends_at_a_typed_rule(rule):
    lines = HEADER + [("Về việc phân bổ kinh phí năm 2024", 800, 770), (rule, 1050, 830),
                      ("Các đơn vị thực hiện", 1000, 870)]
    f = extract.extract_fields([_page(lines)], pages=1)
    assert f["summary"] == "Về việc phân bổ kinh phí năm 2024"


def test_signing_block_split_by_a_page_break():
    p1 = _page([("Điều 3. Các cơ quan, đơn vị chịu trách nhiệm thi hành Quyết định này", 450, 2600),
                ("Nơi nhận:", 354, 3200), ("KT. GIÁM ĐỐC", 1550, 3200), ("- Như Điều 3;", 354, 3260),
                ("PHÓ GIÁM ĐỐC", 1530, 3260)], 0)
    p2 = _page([("Trần Văn Bình", 1560, 300), ("QUY CHẾ", 1100, 600)], 1)
    block = pl.leader_block([p1, p2])
    assert block.page == 0 and block.name_page == 1 and block.name.text == "Trần Văn Bình"
    assert block.area[3] <= 300
    f = extract.extract_fields([p1, p2], pages=2)
    assert (f["signer"], f["signer_title"]) == ("Trần Văn Bình", "Phó Giám đốc")
    assert f["boxes"]["signer"]["page"] == 2 and f["boxes"]["signer_title"]["page"] == 1


def test_annex_heading_is_not_a_signing_block():
    main = _page([("Nơi nhận:", 354, 2400), ("TM. ỦY BAN NHÂN DÂN", 1450, 2400), ("CHỦ TỊCH", 1600, 2460),
                  ("Lê Văn Tâm", 1600, 2800)], 0)
    annex = _page([("KẾ HOẠCH", 1100, 300), ("TỔ CHỨC THỰC HIỆN", 1000, 1200),
                   ("GIÁM ĐỐC SỞ NỘI VỤ CHỦ TRÌ THỰC HIỆN KẾ HOẠCH NÀY TRONG NĂM", 400, 1400)], 1)
    blocks = [b for p in (main, annex) for b in pl.signature_blocks(p)]
    assert len(blocks) == 1 and blocks[0].page == 0 and blocks[0].name.text == "Lê Văn Tâm"
    assert [ln.text for ln in blocks[0].title_lines] == ["CHỦ TỊCH"] and blocks[0].authority == ["TM. ỦY BAN NHÂN DÂN"]


def test_acting_and_authorized_titles():
    p = _page([("Nơi nhận:", 354, 2400), ("Q. GIÁM ĐỐC", 1550, 2400), ("Đỗ Thị Hạnh", 1560, 2800)])
    f = extract.extract_fields([p], pages=1)
    assert (f["signer_title"], f["signer"]) == ("Quyền Giám đốc", "Đỗ Thị Hạnh")
    p = _page([("TUQ. CHỦ TỊCH", 1550, 2400), ("GIÁM ĐỐC SỞ NỘI VỤ", 1480, 2460), ("Phan Văn Sơn", 1560, 2800)])
    f = extract.extract_fields([p], pages=1)
    assert (f["signer_title"], f["signer"]) == ("Giám đốc Sở Nội vụ", "Phan Văn Sơn")


@pytest.mark.parametrize("parent,body,expected", [
    ("UBND TỈNH SÓC TRĂNG", "SỞ TÀI CHÍNH", "Sở Tài chính tỉnh Sóc Trăng"),
    ("ỦY BAN NHÂN DÂN TỈNH HẬU GIANG", "VĂN PHÒNG", "Văn phòng Ủy ban nhân dân tỉnh Hậu Giang"),
    ("UBND HUYỆN CHÂU THÀNH", "ỦY BAN NHÂN DÂN XÃ AN HIỆP", "Ủy ban nhân dân xã An Hiệp"),
    ("UBND HUYỆN CAO LÃNH", "PHÒNG TÀI CHÍNH - KẾ HOẠCH", "Phòng Tài chính - Kế hoạch huyện Cao Lãnh"),
    ("UBND THÀNH PHỐ CẦN THƠ", "SỞ NỘI VỤ", "Sở Nội vụ thành phố Cần Thơ"),
    ("", "ỦY BAN NHÂN DÂN TỈNH CÀ MAU", "Ủy ban nhân dân tỉnh Cà Mau"),
    ("BỘ TÀI CHÍNH", "TỔNG CỤC THUẾ", "Tổng cục Thuế"),
])
def test_issuer_in_full_from_both_header_lines(parent, body, expected):
    assert extract.full_issuer(parent, body) == expected


def test_wrapped_parent_line_completed_from_the_place():
    assert extract._complete_locality("Sở Tài chính tỉnh Kiên", "Kiên Giang") == "Sở Tài chính tỉnh Kiên Giang"
    assert extract._complete_locality("Sơ Tài chính tỉnh Kiên Giang", "Kiên Giang") == "Sở Tài chính tỉnh Kiên Giang"


def test_rule_lines():
    assert pl.is_rule(pl.Line("-------------", 0, 0, 1, 1, 90))
    assert pl.is_rule(pl.Line("___ ____ ___", 0, 0, 1, 1, 90))
    assert not pl.is_rule(pl.Line("Số: 12/QĐ", 0, 0, 1, 1, 90))
