"""The table pager's text rules: wrapping keeps every character, NFC, long words broken."""
import unicodedata

from app.reports import fonts
from app.reports.layout import fit, text_width, wrap


def test_wrap_keeps_every_word_within_width():
    text = "Quyết định về việc phê duyệt Kế hoạch cải cách hành chính nhà nước năm 2026 " * 5
    lines = wrap(text, 120, fonts.REGULAR, 10)
    assert len(lines) > 5
    assert all(text_width(line, fonts.REGULAR, 10) <= 120 for line in lines)
    assert " ".join(lines).split() == text.split()


def test_wrap_normalizes_combining_marks_and_breaks_long_words():
    nfd = unicodedata.normalize("NFD", "Thượng khẩn Hỏa tốc")
    assert wrap(nfd, 300, fonts.REGULAR, 10) == ["Thượng khẩn Hỏa tốc"]
    word = "https://dichvucong.soctrang.gov.vn/van-ban/" + "x" * 60
    lines = wrap(word, 80, fonts.REGULAR, 10)
    assert "".join(lines) == word and all(text_width(x, fonts.REGULAR, 10) <= 80 for x in lines)
    assert wrap("dòng một\n\ndòng ba", 300, fonts.REGULAR, 10) == ["dòng một", "", "dòng ba"]
    assert wrap(None, 100, fonts.REGULAR, 10) == [] and wrap("", 100, fonts.REGULAR, 10) == []


def test_long_references_break_after_a_slash_or_dash():
    width = text_width("1469/TTr-UB", fonts.REGULAR, 9)
    assert wrap("1469/TTr-UBND", width, fonts.REGULAR, 9) == ["1469/TTr-", "UBND"]
    assert wrap("37/2018/QĐ-UBND", text_width("37/2018/Q", fonts.REGULAR, 9), fonts.REGULAR, 9) == \
        ["37/2018/", "QĐ-", "UBND"]
    assert wrap("37/2018/QĐ-UBND", text_width("37/2018/QĐ-U", fonts.REGULAR, 9), fonts.REGULAR, 9) == \
        ["37/2018/QĐ-", "UBND"]


def test_fit_shortens_with_an_ellipsis_only_when_needed():
    assert fit("Sở Nội vụ", fonts.REGULAR, 9, 200) == "Sở Nội vụ"
    long = "Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp tỉnh Sóc Trăng"
    short = fit(long, fonts.REGULAR, 9, 150)
    assert short.endswith("…") and text_width(short, fonts.REGULAR, 9) <= 150 and long.startswith(short[:-1])


def test_draw_text_escapes_pdf_string_syntax(tmp_path):
    import pymupdf
    from reportlab.pdfgen.canvas import Canvas

    from app.reports.layout import draw_text
    fonts.register()
    text = r"Thử (ngoặc) \ gạch chéo \) và ) ( đủ ĐỀ"
    c = Canvas(str(tmp_path / "t.pdf"), initialFontName=fonts.REGULAR)
    draw_text(c, fonts.REGULAR, 12, 50, 700, text)
    draw_text(c, fonts.BOLD, 12, 300, 650, "căn giữa", "center")
    c.showPage()
    c.save()
    with pymupdf.open(tmp_path / "t.pdf") as doc:
        lines = doc[0].get_text().splitlines()
        words = doc[0].get_text("words")
    assert lines == [text, "căn giữa"]
    centre = [w for w in words if w[4] in ("căn", "giữa")]
    assert abs((centre[0][0] + centre[-1][2]) / 2 - 300) < 1.5
