"""A second, independent corpus made the way offices make documents: ND30 templates filled as
DOCX with python-docx (header table, fonts, spacing, line breaks, rules, annexes, letters with
V/v, two-level and commune headers), converted to PDF by LibreOffice headless, then degraded
into scans by the scan simulator of tests/corpus/generate.py.

    from tests.corpus import office
    docs = office.build("held", 12)     # list of OfficeDoc: .truth, .pdf (born digital), .scan (TIFF)

Two disjoint halves: "tune" (seeds 0.., templates and fonts of one set) is the one the extractor
may be tuned on; "held" (seeds 5000.., other fonts, rules, spacing, names, places) is only
measured (bench/intake.py, tests marked for it). Generated once per GENERATOR_VERSION and cached
on disk (VANTHU_CORPUS_CACHE, default ~/.cache/vanthu-corpus)."""
from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

GENERATOR_VERSION = 4
# the held-out half has variants of its own (HELD_VARIANTS); its cache is versioned apart
SPLIT_VERSION = {"tune": GENERATOR_VERSION, "held": 5}
SPLITS = ("tune", "held")
FIRST_SEED = {"tune": 0, "held": 5000}

# --- material: the held-out half draws from its own lists where it can -----------------------

PROVINCES = {"tune": ["Sóc Trăng", "Hậu Giang", "Cà Mau", "Bạc Liêu", "Kiên Giang"],
             "held": ["Đồng Tháp", "Vĩnh Long", "Trà Vinh", "An Giang", "Bến Tre", "Long An"]}
DISTRICTS = {"tune": ["Châu Thành", "Mỹ Xuyên", "Long Phú", "Phước Long"],
             "held": ["Cao Lãnh", "Tam Bình", "Cầu Ngang", "Thoại Sơn", "Giồng Trôm"]}
COMMUNES = {"tune": [("xã", "An Hiệp"), ("xã", "Phú Tân"), ("thị trấn", "Mỹ Xuyên")],
            "held": [("xã", "Tân Hòa"), ("phường", "Mỹ Phú"), ("xã", "Long Hựu Đông"), ("thị trấn", "Cái Nhum")]}
DEPARTMENTS = {"tune": [("SỞ TÀI CHÍNH", "Sở Tài chính", "STC"), ("SỞ NỘI VỤ", "Sở Nội vụ", "SNV"),
                        ("SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "Sở Tài nguyên và Môi trường", "STNMT")],
               "held": [("SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "Sở Kế hoạch và Đầu tư", "SKHĐT"),
                        ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Sở Giáo dục và Đào tạo", "SGDĐT"),
                        ("SỞ Y TẾ", "Sở Y tế", "SYT"), ("SỞ XÂY DỰNG", "Sở Xây dựng", "SXD")]}
DIST_OFFICES = {"tune": [("PHÒNG NỘI VỤ", "Phòng Nội vụ", "PNV")],
                "held": [("PHÒNG TÀI CHÍNH - KẾ HOẠCH", "Phòng Tài chính - Kế hoạch", "TCKH"),
                         ("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "Phòng Giáo dục và Đào tạo", "PGDĐT")]}
SURNAMES = {"tune": ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ"],
            "held": ["Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lâm", "Trương", "Phan"]}
MIDDLE = {"tune": ["Văn", "Thị", "Hoàng", "Minh"], "held": ["Thanh", "Quốc", "Ngọc", "Hữu", "Thành", "Kim"]}
GIVEN = {"tune": ["An", "Bình", "Cường", "Dũng", "Hùng", "Hạnh", "Khoa"],
         "held": ["Lộc", "Nghĩa", "Phúc", "Quang", "Sơn", "Tâm", "Thảo", "Trí", "Tuấn", "Việt", "Đức"]}
SUBJECTS = {"tune": [
    "tăng cường công tác phòng, chống thiên tai, tìm kiếm cứu nạn năm {y}",
    "triển khai thực hiện chuyển đổi số trong cơ quan nhà nước trên địa bàn giai đoạn {y}-{y1}",
    "kiện toàn Ban Chỉ đạo cải cách hành chính",
    "quản lý, sử dụng tài sản công tại các cơ quan, đơn vị thuộc phạm vi quản lý",
    "thực hiện chế độ báo cáo thống kê định kỳ về công tác văn thư, lưu trữ",
    "công tác bảo vệ rừng và phòng cháy, chữa cháy rừng mùa khô năm {y}"],
    "held": [
    "tổ chức tiếp nhận, giải quyết thủ tục hành chính theo cơ chế một cửa, một cửa liên thông",
    "phân bổ dự toán kinh phí thực hiện chương trình mục tiêu quốc gia xây dựng nông thôn mới năm {y}",
    "đẩy mạnh thanh toán không dùng tiền mặt trong thu phí, lệ phí và dịch vụ công",
    "tổ chức các hoạt động kỷ niệm ngày thành lập ngành và phát động phong trào thi đua năm {y}",
    "rà soát, cập nhật cơ sở dữ liệu cán bộ, công chức, viên chức",
    "phòng, chống dịch bệnh truyền nhiễm mùa mưa bão"]}
ANNEX_KINDS = {"tune": [("QUY CHẾ", "Quy chế", "tổ chức và hoạt động của Ban Chỉ đạo chuyển đổi số"),
                        ("KẾ HOẠCH", "Kế hoạch", "thực hiện công tác cải cách hành chính năm {y}")],
               "held": [("QUY ĐỊNH", "Quy định", "quản lý, vận hành hệ thống quản lý văn bản và điều hành"),
                        ("KẾ HOẠCH", "Kế hoạch", "triển khai phong trào thi đua yêu nước giai đoạn {y}-{y1}"),
                        ("QUY CHẾ", "Quy chế", "phối hợp trong công tác tiếp công dân, giải quyết khiếu nại")]}
BODY = [
    "Các cơ quan, đơn vị có trách nhiệm triển khai thực hiện nghiêm túc nội dung này và báo cáo kết quả.",
    "Thủ trưởng các sở, ban, ngành chịu trách nhiệm tổ chức thực hiện và báo cáo kết quả đúng thời hạn quy định.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị phản ánh kịp thời để được hướng dẫn giải quyết.",
    "Kinh phí thực hiện được bố trí từ nguồn ngân sách nhà nước theo phân cấp hiện hành và các nguồn hợp pháp khác.",
    "Việc tổ chức thực hiện phải bảo đảm tiết kiệm, hiệu quả, công khai, minh bạch, đúng quy định của pháp luật.",
    "Tăng cường kiểm tra, giám sát việc chấp hành kỷ luật, kỷ cương hành chính của cán bộ, công chức, viên chức.",
    "Đẩy mạnh ứng dụng công nghệ thông tin trong xử lý hồ sơ công việc và giải quyết thủ tục hành chính cho người dân.",
    "Tổ chức tuyên truyền, phổ biến rộng rãi đến cán bộ, công chức, viên chức và Nhân dân trên địa bàn.",
]
BASIS = ["Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
         "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
         "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 125/TTr-SNV."]
# type heading, type name, abbreviation, summary prefix
TYPES = [("QUYẾT ĐỊNH", "Quyết định", "QĐ", "Về việc "), ("THÔNG BÁO", "Thông báo", "TB", "Về việc "),
         ("KẾ HOẠCH", "Kế hoạch", "KH", ""), ("TỜ TRÌNH", "Tờ trình", "TTr", "Về việc "),
         ("BÁO CÁO", "Báo cáo", "BC", "Kết quả "), ("CÔNG VĂN", "Công văn", None, "")]
FONTS = {"tune": ["Times New Roman", "Liberation Serif"], "held": ["DejaVu Serif", "Liberation Serif"]}
RULES = {"tune": ["_______________", "-----------------"], "held": ["border", "—————————", "________________________"]}
URGENCY = ["Khẩn", "Thượng khẩn", "Hỏa tốc"]

# --- variants only the held-out half has, written from the ND30 rules (docs: shared/domain.md),
# not from the extractor: other types, district/town bodies, commune headers without a parent
# line, names broken over two header lines, a header set with tab stops instead of a table,
# "Kính gửi" under a Tờ trình's summary, tables in the body, appendices after the signature,
# TUQ. blocks, four-word names, three-line summaries, long rules, wider margins, a sans font
# and rough 200-dpi scans.
HELD_TYPES = [("HƯỚNG DẪN", "Hướng dẫn", "HD", ""), ("CHỈ THỊ", "Chỉ thị", "CT", "Về việc "),
              ("GIẤY MỜI", "Giấy mời", "GM", "Dự hội nghị "), ("CHƯƠNG TRÌNH", "Chương trình", "CTr", ""),
              ("PHƯƠNG ÁN", "Phương án", "PA", "")]
TOWNS = [("thành phố", "Cao Lãnh"), ("thành phố", "Sa Đéc"), ("thị xã", "Hồng Ngự"), ("thị xã", "Bình Minh"),
         ("thành phố", "Long Xuyên")]
HELD_MIDDLE2 = ["Ngọc", "Minh", "Thanh", "Kim", "Hoài"]
HELD_RULES = ["----------------------------------", "border", "—————————", "________________________"]
TABLE_ROWS = [("Rà soát, tổng hợp số liệu", "Tháng 3"), ("Tổ chức hội nghị triển khai", "Quý II"),
              ("Kiểm tra, đôn đốc thực hiện", "Thường xuyên"), ("Sơ kết, báo cáo kết quả", "Tháng 12")]


@dataclass
class OfficeDoc:
    name: str
    split: str
    seed: int
    truth: dict
    pdf: Path          # born digital, from LibreOffice
    scan: Path         # 300 dpi gray TIFF made from the PDF by the scan simulator
    case: str          # the hard case it exercises

    @property
    def signature_page(self) -> int:
        return self.truth["_signature_page"]


def _issuer(rng, split: str, kind: str, vr: random.Random | None = None):
    """(header lines [(text, bold)], issuer name in full, notation code, place, org for TM., head, deputy).
    `vr`: the held-out half's variant draws (other bodies, header lines broken by hand)."""
    prov = rng.choice(PROVINCES[split])
    dist = rng.choice(DISTRICTS[split])
    if kind in ("town", "district") and vr is not None:
        unit, name = vr.choice(TOWNS) if kind == "town" else ("huyện", dist)
        return ([("ỦY BAN NHÂN DÂN", True), (f"{unit.upper()} {name.upper()}", True)],
                f"Ủy ban nhân dân {unit} {name}", "UBND", name, "ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    if vr is not None and kind == "department" and vr.random() < 0.4:
        caps, name, code = vr.choice(DEPARTMENTS[split])
        parent = [("ỦY BAN NHÂN DÂN", False), (f"TỈNH {prov.upper()}", False)]
        if len(caps) > 16 and vr.random() < 0.6:         # the author breaks a long name by hand
            words = caps.split()
            caps = " ".join(words[:2]) + "\n" + " ".join(words[2:])
        return (parent + [(caps, True)], f"{name} tỉnh {prov}", code, prov, None, "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
    if vr is not None and kind == "commune" and vr.random() < 0.4:   # no parent line
        unit, cname = rng.choice(COMMUNES[split])
        return ([("ỦY BAN NHÂN DÂN", True), (f"{unit.upper()} {cname.upper()}", True)],
                f"Ủy ban nhân dân {unit} {cname}", "UBND", cname, "ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    if kind == "province":
        return ([("ỦY BAN NHÂN DÂN", True), (f"TỈNH {prov.upper()}", True)], f"Ủy ban nhân dân tỉnh {prov}",
                "UBND", prov, "ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    if kind == "department":
        caps, name, code = rng.choice(DEPARTMENTS[split])
        parent = rng.choice([f"UBND TỈNH {prov.upper()}", f"ỦY BAN NHÂN DÂN TỈNH {prov.upper()}"])
        return ([(parent, False), (caps, True)], f"{name} tỉnh {prov}", code, prov, None, "GIÁM ĐỐC",
                "PHÓ GIÁM ĐỐC")
    if kind == "office":      # the office of a people's committee
        return ([(f"ỦY BAN NHÂN DÂN TỈNH {prov.upper()}", False), ("VĂN PHÒNG", True)],
                f"Văn phòng Ủy ban nhân dân tỉnh {prov}", "VP", prov, None, "CHÁNH VĂN PHÒNG",
                "PHÓ CHÁNH VĂN PHÒNG")
    if kind == "district_office":
        caps, name, code = rng.choice(DIST_OFFICES[split])
        return ([(f"UBND HUYỆN {dist.upper()}", False), (caps, True)], f"{name} huyện {dist}", code, dist,
                None, "TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG")
    unit, cname = rng.choice(COMMUNES[split])   # commune
    return ([(f"UBND HUYỆN {dist.upper()}", False), ("ỦY BAN NHÂN DÂN", True), (f"{unit.upper()} {cname.upper()}", True)],
            f"Ủy ban nhân dân {unit} {cname}", "UBND", cname, "ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "PHÓ CHỦ TỊCH")


TITLE_CASE = {"CHỦ TỊCH": "Chủ tịch", "PHÓ CHỦ TỊCH": "Phó Chủ tịch", "GIÁM ĐỐC": "Giám đốc",
              "PHÓ GIÁM ĐỐC": "Phó Giám đốc", "CHÁNH VĂN PHÒNG": "Chánh Văn phòng",
              "PHÓ CHÁNH VĂN PHÒNG": "Phó Chánh Văn phòng", "TRƯỞNG PHÒNG": "Trưởng phòng",
              "PHÓ TRƯỞNG PHÒNG": "Phó Trưởng phòng"}

# the cases every split holds, cycled by seed
CASES = ["decision_annex", "letter_vv", "multiline_summary", "two_level", "commune", "office",
         "decision_annex_long", "letter_signature_p2", "plan_annex_district"]


def spec(split: str, seed: int) -> dict:
    """Everything random about one document (pure: no files)."""
    rng = random.Random((0 if split == "tune" else 7_000_003) + seed * 7919)
    case = CASES[seed % len(CASES)]
    kind = {"two_level": "department", "commune": "commune", "office": "office",
            "plan_annex_district": "district_office", "letter_vv": rng.choice(["department", "province", "commune"]),
            }.get(case, rng.choice(["province", "department", "commune", "office", "district_office"]))
    held = split == "held"
    vr = random.Random(seed * 104_729 + 11)          # the held-out variants' own draws
    if held and case not in ("two_level", "commune", "office", "plan_annex_district") and vr.random() < 0.3:
        kind = vr.choice(["town", "district"])
    header, issuer, code, place, org, head, deputy = _issuer(rng, split, kind, vr if held else None)
    if case in ("letter_vv", "letter_signature_p2"):
        tcaps, tname, abbr, prefix = TYPES[5]
    elif case.startswith("decision") or case == "plan_annex_district":
        tcaps, tname, abbr, prefix = TYPES[0]
    else:
        tcaps, tname, abbr, prefix = rng.choice(TYPES[:5])
        if held and vr.random() < 0.45:
            tcaps, tname, abbr, prefix = vr.choice(HELD_TYPES)
    number = rng.choice([rng.randint(1, 9), rng.randint(10, 99), rng.randint(100, 2999)])
    unit = rng.choice(["VX", "KT", "NC", "TH", "HCTH"])
    notation = f"{abbr}-{code}" if abbr else f"{code}-{unit}"
    if code == "UBND" and abbr and rng.random() < 0.3:
        notation = f"{abbr}-UBND"
    legal = abbr == "QĐ" and rng.random() < 0.25
    issued = date(2024, 1, 2) + timedelta(days=rng.randint(0, 600))
    y = issued.year
    subject = rng.choice(SUBJECTS[split]).format(y=y, y1=y + 1)
    if case == "multiline_summary" or rng.random() < 0.3:
        subject = subject + " " + rng.choice(SUBJECTS[split]).format(y=y, y1=y + 1)
    summary = (prefix + subject)
    summary = summary[:1].upper() + summary[1:]
    if tname == "Quyết định" and case.endswith("annex") or case in ("decision_annex_long", "plan_annex_district"):
        acaps, aname, asubj = rng.choice(ANNEX_KINDS[split])
        summary = f"Ban hành {aname} {asubj.format(y=y, y1=y + 1)}"
        annex = (acaps, aname, asubj.format(y=y, y1=y + 1))
    else:
        annex = None
    ref_number = f"{number:02d}"
    reference = f"{ref_number}/{y}/{notation}" if legal else f"{ref_number}/{notation}"
    prefix_kind = rng.choice(["TM", "KT", "KT", "TL", "plain", "Q"]) if org else rng.choice(["KT", "plain", "TL", "Q"])
    if prefix_kind == "TM" and not org:
        prefix_kind = "plain"
    auth = []
    if prefix_kind == "TM":
        auth = [f"TM. {org}"] + (["KT. " + head] if rng.random() < 0.5 else [])
        title_caps = deputy if len(auth) == 2 else head
    elif prefix_kind == "KT":
        auth = ([f"TM. {org}"] if org and rng.random() < 0.5 else []) + ["KT. " + head]
        title_caps = deputy
    elif prefix_kind == "TL":
        if org:
            auth, title_caps = ["TL. " + head], "CHÁNH VĂN PHÒNG"
        else:
            auth, title_caps = ["TL. " + head], "TRƯỞNG PHÒNG" if head != "TRƯỞNG PHÒNG" else "PHÓ TRƯỞNG PHÒNG"
    elif prefix_kind == "Q":
        auth, title_caps = [], "Q. " + head
    else:
        title_caps = head
    if held and kind == "province" and vr.random() < 0.2:      # signed by authorization
        auth, title_caps, prefix_kind = ["TUQ. " + head], "CHÁNH VĂN PHÒNG", "TUQ"
    title = "Quyền " + TITLE_CASE[head] if prefix_kind == "Q" else TITLE_CASE[title_caps]
    signer = f"{rng.choice(SURNAMES[split])} {rng.choice(MIDDLE[split])} {rng.choice(GIVEN[split])}"
    if held and vr.random() < 0.25:
        first, *rest = signer.split()
        signer = " ".join([first, rest[0], vr.choice(HELD_MIDDLE2), *rest[1:]])
    urgency = rng.choice(URGENCY) if rng.random() < 0.2 else None
    n_body = {"letter_signature_p2": 14, "decision_annex_long": 12}.get(case, rng.randint(3, 6))
    annex_pages = rng.randint(1, 3) if annex else 0
    out = dict(case=case, split=split, seed=seed, header=header, tcaps=tcaps, tname=tname, notation=notation,
                reference=reference, number=ref_number, issued=issued, place=place, issuer=issuer,
                summary=summary, auth=auth, title_caps=title_caps, title=title, signer=signer, urgency=urgency,
                annex=annex, annex_pages=annex_pages, n_body=n_body, org=org, head=head,
                body=[rng.choice(BODY) for _ in range(n_body)],
                font=rng.choice(FONTS[split]), size=rng.choice([13, 14]) if split == "tune" else rng.choice([13, 13.5, 14]),
                rule=rng.choice(RULES[split]),
                spacing=rng.choice([1.0, 1.15]) if split == "tune" else rng.choice([1.2, 1.3, 1.5]),
                summary_breaks=rng.random() < 0.5,
                header_ratio=rng.choice([0.42, 0.4]) if split == "tune" else rng.choice([0.38, 0.45]),
                body_rule=rng.random() < 0.6, stamp_place=rng.random() < 0.5)
    if held:
        out.update(held_variants(vr, tname, summary))
    return out


def held_variants(vr: random.Random, tname: str, summary: str) -> dict:
    """The held-out half's own layout choices (see HELD_TYPES)."""
    return dict(font=vr.choice(["DejaVu Serif", "Liberation Serif", "Liberation Serif", "Liberation Sans"]),
                rule=vr.choice(HELD_RULES),
                header_tabs=vr.random() < 0.3,
                break_names=vr.random() < 0.5,
                kinh_gui=tname == "Tờ trình" or (tname in ("Báo cáo", "Kế hoạch") and vr.random() < 0.3),
                body_table=tname in ("Báo cáo", "Kế hoạch", "Hướng dẫn", "Chương trình", "Phương án")
                and vr.random() < 0.5,
                appendix=tname in ("Báo cáo", "Kế hoạch", "Hướng dẫn", "Chương trình", "Phương án")
                and vr.random() < 0.4,
                summary_lines=3 if len(summary) > 110 and vr.random() < 0.5 else 2,
                margins=vr.choice([(20, 20, 30, 15), (25, 20, 35, 20), (20, 25, 30, 20)]),
                scan_dpi=vr.choice([300, 300, 200]))


def _date_line(place: str, d: date) -> str:
    day = f"{d.day:02d}" if d.day < 10 else str(d.day)
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"{place}, ngày {day} tháng {month} năm {d.year}"


def to_docx(s: dict, path: Path) -> None:
    """Fill the ND30 template as an office clerk would in a word processor."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    d = Document()
    sec = d.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    top, bottom, lm, rm = s.get("margins", (20, 20, 30, 15))
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(top), Mm(bottom), Mm(lm), Mm(rm)
    text_w = 210 - lm - rm
    st = d.styles["Normal"]
    st.font.name = s["font"]
    st.element.rPr.rFonts.set(qn("w:eastAsia"), s["font"])
    st.font.size = Pt(s["size"])
    st.paragraph_format.space_after = Pt(0)
    st.paragraph_format.space_before = Pt(0)
    st.paragraph_format.line_spacing = s["spacing"]
    C, L, J = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.JUSTIFY

    def para(container, text="", bold=False, italic=False, align=L, size=None, indent=False, after=0, underline=False):
        p = container.add_paragraph()
        p.alignment = align
        p.paragraph_format.space_after = Pt(after)
        if indent:
            p.paragraph_format.first_line_indent = Mm(10)
        parts = text.split("\n")
        for i, part in enumerate(parts):
            r = p.add_run(part)
            r.bold, r.italic, r.underline = bold, italic, underline
            if size:
                r.font.size = Pt(size)
            if i < len(parts) - 1:
                r.add_break(WD_BREAK.LINE)
        return p

    def rule(container, align=C):
        if s["rule"] == "border":       # a short paragraph with a bottom border, as templates draw it
            p = container.add_paragraph()
            p.alignment = align
            pf = p.paragraph_format
            pf.left_indent, pf.right_indent = Mm(18), Mm(18)
            ppr = p._p.get_or_add_pPr()
            bdr = OxmlElement("w:pBdr")
            b = OxmlElement("w:bottom")
            for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
                b.set(qn(k), v)
            bdr.append(b)
            ppr.append(bdr)
            r = p.add_run("")
            r.font.size = Pt(4)
        else:
            para(container, s["rule"], align=align, size=s["size"] - 2)

    def no_borders(table):
        tbl = table._tbl
        pr = tbl.tblPr
        borders = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            e = OxmlElement(f"w:{edge}")
            e.set(qn("w:val"), "nil")
            borders.append(e)
        pr.append(borders)

    if s.get("header_tabs"):
        _tab_header(d, s, text_w, para)
    else:
        _table_header(d, s, text_w, para, rule, no_borders)
    para(d, "", after=6)
    # type heading and summary (not for a letter)
    if s["tname"] != "Công văn":
        para(d, s["tcaps"], bold=True, align=C, size=14)
        text = s["summary"]
        if s["summary_breaks"] and len(text) > 60:   # the author breaks the lines by hand
            words = text.split()
            n = s.get("summary_lines", 2)
            cuts = [len(words) * k // n for k in range(n + 1)]
            text = "\n".join(" ".join(words[a:b]) for a, b in zip(cuts, cuts[1:]))
        para(d, text, bold=True, align=C, size=14)
        if s["body_rule"]:
            rule(d)
        para(d, "", after=4)
        if s.get("kinh_gui"):
            para(d, "Kính gửi: " + ("Ủy ban nhân dân tỉnh " + s["place"] if s["tname"] == "Tờ trình"
                                    else "Thường trực Ủy ban nhân dân"), align=C, after=6)
        if s["tname"] == "Quyết định":
            head_line = s["head"] + " " + s["issuer"].upper()
            para(d, head_line, bold=True, align=C, size=14, after=6)
            for b in BASIS:
                para(d, b, italic=True, align=J, indent=True, after=3)
            para(d, "QUYẾT ĐỊNH:", bold=True, align=C, after=6)
    else:
        para(d, "Kính gửi: Ủy ban nhân dân các huyện, thị xã, thành phố", align=C, after=6)
    for i, b in enumerate(s["body"]):
        lead = f"Điều {i + 1}. " if s["tname"] == "Quyết định" and i < 3 else ""
        para(d, lead + b, align=J, indent=True, after=6)
        if i == 0 and s.get("body_table"):
            _grid(d, para, [("STT", "Nội dung công việc", "Thời gian")] +
                  [(str(k + 1), a, b) for k, (a, b) in enumerate(TABLE_ROWS)])
            para(d, "", after=4)
    para(d, "", after=6)
    _signing(d, s, para, no_borders)
    if s.get("appendix"):
        _appendix(d, s, para)
    _annex(d, s, para, rule)
    d.save(str(path))


def _grid(d, para, rows) -> None:
    """A bordered table in the body, as reports and plans carry."""
    t = d.add_table(rows=len(rows), cols=len(rows[0]))
    t.style = "Table Grid"
    for r, row in zip(t.rows, rows):
        for cell, text in zip(r.cells, row):
            cell.text = text


def _tab_header(d, s, text_w, para) -> None:
    """The header set with two centred tab stops instead of a table: row by row, the left
    column's line, a tab, the right column's line; the number shares its row with the date."""
    import textwrap

    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Mm, Pt
    lw = text_w * s["header_ratio"]
    # a tab stop does not wrap within its column: the clerk breaks long lines by hand
    caps_w, text_w_chars = int(lw / 3.1), int(lw / 2.4)
    left = [(ln, b) for text, b in s["header"] for part in text.split("\n")
            for ln in textwrap.wrap(part, caps_w)]
    left.append(("—————" if s["rule"] == "border" else "________", False))
    n = max(len(left), 3)
    left += [("", False)] * (n - len(left))
    right = [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "b"), ("Độc lập - Tự do - Hạnh phúc", "bu")] + \
            [("", "")] * (n - 2)
    rows = list(zip(left, right)) + [((f"Số: {s['reference']}", False), (_date_line(s["place"], s["issued"]), "i"))]
    for (lt, lb), (rt, style) in rows:
        p = d.add_paragraph()
        stops = p.paragraph_format.tab_stops
        stops.add_tab_stop(Mm(lw / 2), WD_TAB_ALIGNMENT.CENTER)
        stops.add_tab_stop(Mm(lw + (text_w - lw) / 2), WD_TAB_ALIGNMENT.CENTER)
        r = p.add_run("\t" + lt)
        r.bold = lb
        r.font.size = Pt(12)
        p.add_run("\t")
        r = p.add_run(rt)
        r.bold, r.italic, r.underline = "b" in style, "i" in style, "u" in style
        r.font.size = Pt(10.5 if "b" in style else 12.5)
    if s["tname"] == "Công văn":
        p = d.add_paragraph()
        p.paragraph_format.tab_stops.add_tab_stop(Mm(lw / 2), WD_TAB_ALIGNMENT.CENTER)
        for k, part in enumerate(textwrap.wrap("V/v " + s["summary"], text_w_chars)):
            if k:
                p = d.add_paragraph()
                p.paragraph_format.tab_stops.add_tab_stop(Mm(lw / 2), WD_TAB_ALIGNMENT.CENTER)
            p.add_run("\t" + part).font.size = Pt(12)
    if s["urgency"]:
        p = d.add_paragraph()
        p.paragraph_format.tab_stops.add_tab_stop(Mm(lw / 2), WD_TAB_ALIGNMENT.CENTER)
        r = p.add_run("\t" + s["urgency"].upper())
        r.bold = True
        r.font.size = Pt(13)


def _appendix(d, s, para) -> None:
    """An appendix after the signature (a report's or plan's tables): no signing block of its own."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    C = WD_ALIGN_PARAGRAPH.CENTER
    p = para(d, "")
    p.add_run().add_break(WD_BREAK.PAGE)
    para(d, "PHỤ LỤC", bold=True, align=C, size=14)
    para(d, "TIẾN ĐỘ THỰC HIỆN CÁC NHIỆM VỤ", bold=True, align=C, size=13)
    dl = _date_line("", s["issued"]).lstrip(", ")
    para(d, f"(Kèm theo {s['tname']} số {s['reference']} {dl} của {s['issuer']})", italic=True, align=C, after=8)
    _grid(d, para, [("STT", "Nhiệm vụ", "Thời gian")] + [(str(k + 1), a, b) for k, (a, b) in enumerate(TABLE_ROWS * 2)])


def _table_header(d, s, text_w, para, rule, no_borders) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt
    C = WD_ALIGN_PARAGRAPH.CENTER
    # header table: left issuer column, right national motto
    t = d.add_table(rows=1, cols=2)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    no_borders(t)
    lw = Mm(text_w * s["header_ratio"])
    t.columns[0].width = lw
    t.columns[1].width = Mm(text_w) - lw
    for cell, w in zip(t.rows[0].cells, (lw, Mm(text_w) - lw)):
        cell.width = w
    left, right = t.rows[0].cells
    left.paragraphs[0].text = ""
    first = True
    for text, bold in s["header"]:
        p = left.paragraphs[0] if first else left.add_paragraph()
        first = False
        p.alignment = C
        r = p.add_run(text)
        r.bold = bold
        r.font.size = Pt(12.5 if len(text) > 24 else 13)
    rule(left)
    para(left, f"Số: {s['reference']}", align=C, size=13)
    if s["tname"] == "Công văn":
        para(left, "V/v " + s["summary"], align=C, size=12)
    if s["urgency"]:
        para(left, "", size=6)
        p = para(left, s["urgency"].upper(), bold=True, align=C, size=13)
        ppr = p._p.get_or_add_pPr()
        bdr = OxmlElement("w:pBdr")
        for edge in ("top", "left", "bottom", "right"):
            b = OxmlElement(f"w:{edge}")
            for k, v in (("w:val", "single"), ("w:sz", "8"), ("w:space", "2"), ("w:color", "000000")):
                b.set(qn(k), v)
            bdr.append(b)
        ppr.append(bdr)
        p.paragraph_format.left_indent = p.paragraph_format.right_indent = Mm(14)
    rp = right.paragraphs[0]
    rp.alignment = C
    r = rp.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    r.bold = True
    r.font.size = Pt(12)
    para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, align=C, size=13.5,
         underline=s["rule"] != "border")
    if s["rule"] == "border":
        rule(right)
    para(right, "", size=8)
    para(right, _date_line(s["place"], s["issued"]), italic=True, align=C, size=13.5)


def _signing(d, s, para, no_borders) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt
    C = WD_ALIGN_PARAGRAPH.CENTER
    # Nơi nhận on the left, the signing block on the right
    t = d.add_table(rows=1, cols=2)
    t.autofit = False
    no_borders(t)
    _t, _b, lm, rm = s.get("margins", (20, 20, 30, 15))
    scale = (210 - lm - rm) / 165
    for cell, w in zip(t.rows[0].cells, (Mm(80 * scale), Mm(85 * scale))):
        cell.width = w
    left, right = t.rows[0].cells
    p = left.paragraphs[0]
    r = p.add_run("Nơi nhận:")
    r.bold, r.italic = True, True
    r.font.size = Pt(12)
    for line in ["- Như trên;", "- Thường trực Tỉnh ủy;", "- Chủ tịch, các PCT UBND tỉnh;", "- Các sở, ban, ngành;",
                 f"- Lưu: VT, {s['notation'].split('-')[-1]}."]:
        para(left, line, size=11)
    first = True
    for line in s["auth"] + [s["title_caps"]]:
        p = right.paragraphs[0] if first else right.add_paragraph()
        first = False
        p.alignment = C
        r = p.add_run(line)
        r.bold = True
        r.font.size = Pt(13.5 if len(line) < 30 else 12.5)
    para(right, "(Đã ký)" if s["split"] == "held" and s["seed"] % 4 == 0 else "", italic=True, align=C)
    for _ in range(3):
        para(right, "", align=C)
    para(right, s["signer"], bold=True, align=C, size=14)


def _annex(d, s, para, rule) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    C, J = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY
    # the annex the decision promulgates, on the following pages
    if s["annex"]:
        acaps, aname, asubj = s["annex"]
        p = para(d, "")
        p.add_run().add_break(WD_BREAK.PAGE)
        para(d, acaps, bold=True, align=C, size=14)
        para(d, asubj[:1].upper() + asubj[1:], bold=True, align=C, size=14)
        dl = _date_line("", s["issued"]).lstrip(", ")
        para(d, f"(Ban hành kèm theo Quyết định số {s['reference']} {dl}\ncủa {s['issuer']})", italic=True, align=C)
        rule(d)
        rng = random.Random(s["seed"])
        for ch in range(1, 2 + s["annex_pages"]):
            para(d, f"Chương {'I' * ch if ch < 4 else 'IV'}", bold=True, align=C, after=0)
            para(d, rng.choice(["QUY ĐỊNH CHUNG", "NHIỆM VỤ VÀ GIẢI PHÁP", "TỔ CHỨC THỰC HIỆN"]), bold=True,
                 align=C, after=6)
            for k in range(7):
                para(d, f"Điều {ch * 7 + k}. " + rng.choice(BODY) + " " + rng.choice(BODY), align=J, indent=True,
                     after=6)


def cache_dir(split: str = "tune") -> Path:
    base = os.environ.get("VANTHU_CORPUS_CACHE") or str(Path.home() / ".cache" / "vanthu-corpus")
    return Path(base) / f"office-v{SPLIT_VERSION[split]}"


def convert(docx_files: list[Path], out_dir: Path, timeout: float = 600) -> None:
    """DOCX -> PDF with LibreOffice headless, one private profile per run."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise RuntimeError("LibreOffice (soffice) is not installed: apt install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory(prefix="lo-") as profile:
        cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(out_dir), *map(str, docx_files)]
        p = subprocess.run(cmd, capture_output=True, timeout=timeout)
        missing = [f for f in docx_files if not (out_dir / (f.stem + ".pdf")).exists()]
        if p.returncode != 0 or missing:
            raise RuntimeError(f"soffice failed ({p.returncode}): {p.stderr.decode(errors='replace')[-500:]} "
                               f"missing {[m.name for m in missing]}")


def _rendered_well(pdf: Path, s: dict) -> bool:
    """A header set with tab stops must come out as a clerk would let it go: the motto on one
    line (a tab stop does not wrap within its column; an overflow runs to the left margin)."""
    import pymupdf
    if not s.get("header_tabs"):
        return True
    with pymupdf.open(pdf) as doc:
        return "NGHĨA VIỆT NAM" in doc[0].get_text()


def _signature_page(pdf: Path, signer: str) -> int:
    import pymupdf
    with pymupdf.open(pdf) as doc:
        for i, page in enumerate(doc):
            if page.search_for(signer):
                return i
    raise RuntimeError(f"signer not found in {pdf}")


def _scan(pdf: Path, out: Path, seed: int, dpi: int = 300) -> int:
    """Render at `dpi`, gray, and degrade like a scanner would; a multi-page TIFF. Below 300 dpi
    (a rough office scan) the degradation is stronger."""
    import pymupdf
    from PIL import Image

    from tests.corpus.generate import degrade
    pages = []
    with pymupdf.open(pdf) as doc:
        for i, page in enumerate(doc):
            pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
            img = Image.frombytes("L", (pix.width, pix.height), pix.samples)
            pages.append(degrade(img, seed * 31 + i, 1.0 if dpi >= 300 else 1.5))
    pages[0].save(out, "TIFF", compression="tiff_lzw", dpi=(dpi, dpi), save_all=True, append_images=pages[1:])
    return len(pages)


def truth_of(s: dict, pages: int, signature_page: int) -> dict:
    notation = s["notation"]
    number = s["number"]
    return dict(reference=s["reference"], number=number, notation=notation, issued_on=s["issued"].isoformat(),
                place=s["place"], issuer=s["issuer"], doc_type=s["tname"], summary=s["summary"],
                signer=s["signer"], signer_title=s["title"], urgency=s["urgency"], secrecy=None, pages=pages,
                _signature_page=signature_page, _case=s["case"], _scan_dpi=s.get("scan_dpi", 300),
                _variants=sorted(k for k in ("header_tabs", "kinh_gui", "body_table", "appendix") if s.get(k)))


def build(split: str, n: int, start: int = 0, scans: bool = True) -> list[OfficeDoc]:
    """Documents `start`..`start+n-1` of a split, generated once and cached on disk."""
    assert split in SPLITS
    folder = cache_dir(split) / split
    folder.mkdir(parents=True, exist_ok=True)
    seeds = [FIRST_SEED[split] + k for k in range(start, start + n)]
    todo = [sd for sd in seeds if not (folder / f"{split}{sd:05d}.json").exists()]
    if todo:
        with tempfile.TemporaryDirectory(prefix="office-corpus-") as td:
            tmp = Path(td)
            specs = {sd: spec(split, sd) for sd in todo}
            files = []
            for sd, s in specs.items():
                f = tmp / f"{split}{sd:05d}.docx"
                to_docx(s, f)
                files.append(f)
            convert(files, tmp)
            redo = [sd for sd, s in specs.items() if not _rendered_well(tmp / f"{split}{sd:05d}.pdf", s)]
            for sd in redo:     # the clerk sees the tab-stop header overflow and uses the table instead
                specs[sd]["header_tabs"] = False
                to_docx(specs[sd], tmp / f"{split}{sd:05d}.docx")
            if redo:
                convert([tmp / f"{split}{sd:05d}.docx" for sd in redo], tmp)
            for sd, s in specs.items():
                name = f"{split}{sd:05d}"
                pdf = folder / f"{name}.pdf"
                if not _rendered_well(tmp / f"{name}.pdf", s):
                    raise RuntimeError(f"{name}.pdf: the header overflowed")
                shutil.copyfile(tmp / f"{name}.pdf", pdf)
                shutil.copyfile(tmp / f"{name}.docx", folder / f"{name}.docx")
                pages = _scan(pdf, folder / f"{name}.tif", sd, s.get("scan_dpi", 300))
                truth = truth_of(s, pages, _signature_page(pdf, s["signer"]))
                (folder / f"{name}.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), "utf-8")
    out = []
    for sd in seeds:
        name = f"{split}{sd:05d}"
        truth = json.loads((folder / f"{name}.json").read_text("utf-8"))
        out.append(OfficeDoc(name, split, sd, truth, folder / f"{name}.pdf", folder / f"{name}.tif", truth["_case"]))
    return out


def of_case(split: str, case: str, n: int = 1) -> list[OfficeDoc]:
    """The first `n` documents of a split that exercise `case` (the first n rounds of CASES are
    generated together: one LibreOffice run)."""
    return [d for d in build(split, n * len(CASES)) if d.case == case][:n]


if __name__ == "__main__":
    import sys
    split = sys.argv[1] if len(sys.argv) > 1 else "tune"
    for doc in build(split, int(sys.argv[2]) if len(sys.argv) > 2 else 9):
        print(doc.pdf, doc.case, doc.truth["pages"], doc.signature_page)
