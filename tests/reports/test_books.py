"""Register books read back from the produced PDF: size and orientation, every entry once and in
order, the header row on every page, continuous numbering in the yearly volume, identical
quarters, embedded fonts, wrapping, voided/recalled rows, bad periods, cancellation."""
import os
import threading
import unicodedata
from datetime import date

import pymupdf as fitz
import pytest

from app.errors import NotFoundError, ValidationError
from app.reports.books import build_book
from app.reports.common import ReportCancelled
from app.reports.forms import FORMS
from app.reports.layout import MARGINS, PAGE, NullCanvas, TablePager

from . import pdfcheck
from .conftest import ORG, RECIPIENTS_60, token

pytestmark = pytest.mark.timeout(120)
REF_DIR = os.path.join(os.path.dirname(__file__), "ref")


def _book(store, tmp_path, kind="incoming", name=None, **kw):
    out = tmp_path / (name or f"{kind}-{kw.get('quarter', 'y')}.pdf")
    return build_book(store, None, kind, year=kw.pop("year", 2025), out=out, **kw)


def _tokens_in_order(texts: list[str], prefix: str = "VB") -> list[str]:
    import re
    found = []
    for t in texts:
        found += re.findall(prefix + r"\d{4}Z", unicodedata.normalize("NFC", t))
    return found


def test_quarter_book_is_a4_landscape_with_embedded_fonts(year_store, tmp_path):
    r = _book(year_store, tmp_path, quarter=1)
    sizes = pdfcheck.page_sizes(r.path)
    assert len(sizes) == r.pages == 1 + (r.last_page - r.first_page + 1)
    for w, h in sizes:
        assert (round(w), round(h)) == (842, 595)
    fonts = pdfcheck.fonts(r.path)
    assert fonts and all(f["emb"] == "yes" and f["uni"] == "yes" for f in fonts)
    assert any("LiberationSerif" in f["name"] for f in fonts)


def test_every_entry_once_in_order_with_header_and_numbers_on_every_page(year_store, tmp_path):
    r = _book(year_store, tmp_path)           # the yearly volume
    texts = pdfcheck.page_texts(r.path)
    got = _tokens_in_order(texts)
    assert got == [token(i) for i in range(1, 121)]
    table_pages = texts[2:-1]                 # cover, first page ... closing page
    assert len(table_pages) == r.last_page - r.first_page + 1
    for n, text in enumerate(table_pages, start=1):
        assert pdfcheck.page_number(text) == n, f"page {n}"
        assert "QUYỂN SỐ 01" in text
        if "VB" in text or "Không có văn bản nào" in text:      # a page with rows has the header row
            assert "Số đến" in text and "Ký nhận" in text and "(10)" in text, f"header missing on page {n}"
        else:                                                   # else it holds only the certification
            assert "phần này gồm" in text
    assert pdfcheck.page_number(texts[0]) is None and pdfcheck.page_number(texts[-1]) is None
    assert [(s.first_page, s.last_page) for s in r.sections][0][0] == 1
    for a, b in zip(r.sections, r.sections[1:]):
        assert b.first_page == a.last_page + 1
    assert f"Sổ này có {r.last_page} trang" in texts[-1]


def test_front_page_follows_the_form(year_store, tmp_path):
    r = _book(year_store, tmp_path, quarter=2)
    front = pdfcheck.page_texts(r.path)[0]
    for expected in ("ỦY BAN NHÂN DÂN TỈNH SÓC TRĂNG", ORG.upper(), "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN", "Năm: 2025",
                     "Từ ngày 01/04/2025 đến ngày 30/06/2025", "Từ số 41 đến số 80", "Quyển số: 01"):
        assert expected in front


def test_quarter_pages_are_the_volume_pages(year_store, tmp_path):
    vol = _book(year_store, tmp_path, name="vol.pdf")
    q2 = _book(year_store, tmp_path, quarter=2)
    sec = vol.sections[1]
    assert (q2.first_page, q2.last_page) == (sec.first_page, sec.last_page)
    assert q2.sections[0].fingerprint == sec.fingerprint and len(sec.fingerprint) == 64
    vol_texts, q_texts = pdfcheck.page_texts(vol.path), pdfcheck.page_texts(q2.path)
    for k in range(q2.last_page - q2.first_page + 1):
        vi, qi = 2 + sec.first_page - 1 + k, 1 + k        # 0-based page indexes
        assert vol_texts[vi] == q_texts[qi]
        a = pdfcheck.render(vol.path, vi + 1, dpi=40)
        b = pdfcheck.render(q2.path, qi + 1, dpi=40)
        assert pdfcheck.difference(a, b) == (0.0, 0.0)


def test_reprint_is_byte_identical(year_store, tmp_path):
    a = _book(year_store, tmp_path, quarter=1, name="a.pdf")
    b = _book(year_store, tmp_path, quarter=1, name="b.pdf")
    assert a.path.read_bytes() == b.path.read_bytes()
    assert a.fingerprint == b.fingerprint
    assert b"sha256:" + a.fingerprint.encode() in fitz.open(a.path).metadata["keywords"].encode()


def test_voided_and_recalled_rows_keep_their_number(year_store, tmp_path):
    r = _book(year_store, tmp_path, quarter=1)
    text = "\n".join(pdfcheck.page_texts(r.path))
    assert "ĐÃ HỦY SỐ. Lý do: Đăng ký nhầm, trùng văn bản số 04" in text.replace("\n", " ")
    assert "ĐÃ THU HỒI" in " ".join(text.split())
    assert token(5) in text and token(11) in text
    assert "trong đó 1 số đã hủy" in text.replace("\n", " ")


def test_empty_quarter_says_so(year_store, tmp_path):
    r = _book(year_store, tmp_path, quarter=3)
    texts = pdfcheck.page_texts(r.path)
    assert r.entries == 0 and len(texts) == 2
    assert "Không có văn bản nào" in texts[0]
    assert "Không có văn bản nào trong kỳ này." in texts[1]
    assert pdfcheck.page_number(texts[1]) == r.first_page


def test_long_summary_and_sixty_recipients_wrapped_never_cut(year_store, tmp_path):
    r = _book(year_store, tmp_path, "outgoing", quarter=1)
    texts = pdfcheck.page_texts(r.path)
    joined = " ".join(" ".join(texts).split())
    assert "03/UBND-VP (tiếp)" in joined      # the 60-recipient row goes on overleaf
    pager = TablePager(NullCanvas(), FORMS["outgoing"].columns, ("", "", ""), 1)
    body_top = PAGE[1] - pager.top + pager.head_h + pager.num_h
    column5 = []                               # column (5) read back across pages
    with fitz.open(r.path) as doc:
        for page in list(doc)[1:]:
            words = [w for w in page.get_text("words") if body_top < w[1] and w[3] < PAGE[1] - pager.bottom
                     and pager.xs[4] < w[0] < pager.xs[5]]
            column5 += [w[4] for w in sorted(words, key=lambda w: (round(w[1]), w[0])) if w[4] != "(tiếp)"]
    assert "; ".join(r["name"] for r in RECIPIENTS_60) in " ".join(column5)
    form = FORMS["outgoing"]
    width = PAGE[0] - MARGINS["left"] - MARGINS["right"]
    total = sum(c.weight for c in form.columns)
    xs, x = [MARGINS["left"]], MARGINS["left"]
    for c in form.columns:
        x += width * c.weight / total
        xs.append(x)
    with fitz.open(r.path) as doc:
        for page in list(doc)[1:]:
            rules = [it for d in page.get_drawings() for it in d["items"] if it[0] == "l"]
            table_bottom = max((max(p1.y, p2.y) for _, p1, p2 in rules if abs(p1.x - xs[1]) < 0.5
                                and abs(p1.x - p2.x) < 0.5), default=0)
            for w in page.get_text("words"):
                x0, y0, x1, y1 = w[:4]
                assert x0 >= 0 and x1 <= PAGE[0] - MARGINS["right"] + 1 and y1 <= PAGE[1]
                if MARGINS["top"] + 60 < y0 and y1 < table_bottom:   # table: no word crosses a column rule
                    assert not any(x0 + 0.5 < rule < x1 - 0.5 for rule in xs), (w[4], page.number)


def test_500_character_summary_and_combining_marks(year_store, tmp_path):
    r = _book(year_store, tmp_path, quarter=1)
    joined = " ".join(" ".join(pdfcheck.page_texts(r.path)).split())
    assert token(9) + " Quyết định về việc tăng cường quản lý" in joined
    row7 = year_store.query("SELECT summary FROM entries WHERE summary LIKE ?", (token(7) + "%",))[0][0]
    assert len(row7) == 500
    assert " ".join(row7.split()[-6:]) in joined


def test_period_over_two_years_is_refused(year_store, tmp_path):
    out = tmp_path / "x.pdf"
    with pytest.raises(ValidationError) as exc:
        build_book(year_store, None, "incoming", year=2025, date_from=date(2025, 12, 1),
                   date_to=date(2026, 1, 5), out=out)
    assert "hai năm" in exc.value.message
    assert not out.exists()
    with pytest.raises(ValidationError):
        build_book(year_store, None, "incoming", year=2025, quarter=5, out=out)
    with pytest.raises(ValidationError):
        build_book(year_store, None, "incoming", year=2025, date_from=date(2025, 5, 1),
                   date_to=date(2025, 4, 1), out=out)
    with pytest.raises(NotFoundError):
        build_book(year_store, None, "incoming", register="khong-co", year=2025, out=out)
    with pytest.raises(ValidationError):       # an outgoing register for the incoming book
        build_book(year_store, None, "incoming", register="di", year=2025, out=out)
    assert list(tmp_path.iterdir()) == []


def test_custom_range_is_numbered_from_one(year_store, tmp_path):
    r = _book(year_store, tmp_path, date_from=date(2025, 2, 1), date_to=date(2025, 5, 31), name="r.pdf")
    texts = pdfcheck.page_texts(r.path)
    assert r.first_page == 1 and pdfcheck.page_number(texts[1]) == 1
    assert "Từ ngày 01/02/2025 đến ngày 31/05/2025" in texts[0]
    got = _tokens_in_order(texts)
    assert got and got == sorted(got)


def test_cancel_leaves_no_file_and_progress_reaches_total(year_store, tmp_path):
    ev = threading.Event()
    ev.set()
    with pytest.raises(ReportCancelled):
        build_book(year_store, None, "incoming", year=2025, out=tmp_path / "c.pdf", cancelled=ev)
    calls = []

    def cancel_midway():                      # the clerk presses Stop while the rows are laid out
        calls.append(1)
        return len(calls) >= 2
    seen = []
    with pytest.raises(ReportCancelled):
        build_book(year_store, None, "incoming", year=2025, out=tmp_path / "c.pdf", cancelled=cancel_midway,
                   progress=lambda d, t: seen.append((d, t)))
    assert len(calls) == 2 and seen[-1:] != [(120, 120)]
    assert list(tmp_path.iterdir()) == []
    seen.clear()
    build_book(year_store, None, "incoming", year=2025, out=tmp_path / "ok.pdf",
               progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (120, 120) and len(seen) > 2
    assert all(a[0] <= b[0] for a, b in zip(seen, seen[1:]))


def test_followup_and_postal_books(year_store, tmp_path):
    f = _book(year_store, tmp_path, "followup", quarter=1)
    text = " ".join(" ".join(pdfcheck.page_texts(f.path)).split())
    assert "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN" in text and "Thời hạn giải quyết" in text
    assert _tokens_in_order([text]) == [token(i) for i in range(4, 41, 4)]   # those with a deadline
    p = _book(year_store, tmp_path, "postal", quarter=1)
    ptext = " ".join(" ".join(pdfcheck.page_texts(p.path)).split())
    assert "Công ty Cổ phần Cấp nước Sóc Trăng" in ptext           # no identifier: goes by post
    assert "Sở Nội vụ" not in ptext                                # reached through the hub
    assert "Ủy ban nhân dân xã Phước Lợi số 60" in ptext
    p2 = _book(year_store, tmp_path, "postal", quarter=1, name="p2.pdf", paper_types=["Công văn"])
    assert "Sở Nội vụ" in " ".join(" ".join(pdfcheck.page_texts(p2.path)).split())


def test_rendered_page_matches_reference(year_store, tmp_path):
    """First table page of Q1 against a reviewed reference image (VANTHU_UPDATE_REFS=1 rewrites it)."""
    r = _book(year_store, tmp_path, quarter=1)
    img = pdfcheck.render(r.path, 2, dpi=50)
    ref = os.path.join(REF_DIR, "incoming-q1-page1.png")
    if os.environ.get("VANTHU_UPDATE_REFS"):
        img.save(ref)
    from PIL import Image
    with Image.open(ref) as im:
        mean, share = pdfcheck.difference(img, im.convert("L"))
    assert mean < 1.5 and share < 0.005, (mean, share)


def test_a_later_change_leaves_printed_quarters_identical(data_dir, tmp_path):
    """Q1's sheets depend only on Q1's rows: voiding an entry of Q4 afterwards changes Q4 (and its
    fingerprint) but a reprint of Q1 is byte for byte the sheets already printed."""
    from app.store import entries, open_store

    from .conftest import populate
    populate(data_dir, n_in=40, n_out=6)
    with open_store(data_dir, actor="test") as store:
        before = build_book(store, None, "incoming", year=2025, quarter=1, out=tmp_path / "q1-a.pdf")
        vol_a = build_book(store, None, "incoming", year=2025, out=tmp_path / "vol-a.pdf")
        last = store.query("SELECT id FROM entries WHERE kind = 'incoming' ORDER BY register_number DESC LIMIT 1")[0][0]
        entries.void(store, last, "Nhập nhầm văn bản của cơ quan khác")
        after = build_book(store, None, "incoming", year=2025, quarter=1, out=tmp_path / "q1-b.pdf")
        vol_b = build_book(store, None, "incoming", year=2025, out=tmp_path / "vol-b.pdf")
    assert before.path.read_bytes() == after.path.read_bytes()
    assert [s.fingerprint for s in vol_a.sections[:3]] == [s.fingerprint for s in vol_b.sections[:3]]
    assert vol_a.sections[3].fingerprint != vol_b.sections[3].fingerprint
    assert vol_a.fingerprint != vol_b.fingerprint


def test_printed_quarter_is_reprinted_as_signed_after_a_change(data_dir, tmp_path, cli):
    """Q1 recorded as printed; then an entry of Q1 is voided: a reprint (and the volume) keeps
    the signed sheets and says what changed; --current shows the register as it is now."""
    from app.reports import ledger
    from app.store import entries, open_store

    from .conftest import populate
    populate(data_dir, n_in=40, n_out=6)
    with open_store(data_dir, actor="test") as store:
        signed = build_book(store, None, "incoming", year=2025, quarter=1, out=tmp_path / "q1-signed.pdf",
                            record=True)
        assert signed.warnings == []
        rec = ledger.load(store, "incoming", "den", 2025, 1)["quarters"]["1"]
        assert rec["fingerprint"] == signed.sections[0].fingerprint and len(rec["rows"]) == signed.entries
        third = store.query("SELECT id FROM entries WHERE kind = 'incoming' AND register_number = 3")[0][0]
        entries.void(store, third, "Trùng với văn bản số 02")
        again = build_book(store, None, "incoming", year=2025, quarter=1, out=tmp_path / "q1-again.pdf")
        vol = build_book(store, None, "incoming", year=2025, out=tmp_path / "vol.pdf")
        now = build_book(store, None, "incoming", year=2025, quarter=1, out=tmp_path / "q1-now.pdf",
                         as_printed=False)
        before_void = ledger.load(store, "incoming", "den", 2025, 1)["quarters"]["1"]["printed_at"]
        build_book(store, None, "incoming", year=2025, quarter=1, out=tmp_path / "q1-re.pdf", record=True)
        assert ledger.load(store, "incoming", "den", 2025, 1)["quarters"]["1"]["printed_at"] == before_void
    assert again.path.read_bytes() == signed.path.read_bytes()
    assert again.sections[0].as_printed and any("Số 03: đã hủy số sau khi in" in w for w in again.warnings)
    vt, st = pdfcheck.page_texts(vol.path), pdfcheck.page_texts(signed.path)
    assert vt[2:2 + signed.last_page] == st[1:]
    assert vol.sections[1].first_page == signed.last_page + 1
    now_text = " ".join(" ".join(pdfcheck.page_texts(now.path)).split())
    assert "Trùng với văn bản số 02" in now_text
    assert any("có thể khác bản đã ký" in w for w in now.warnings)
    r = cli("book", "incoming", "--year", 2025, "--quarter", 1, "--out", tmp_path / "c.pdf")
    assert r.code == 0 and "Lưu ý:" in r.err and "Số 03" in r.err
    assert (tmp_path / "c.pdf").read_bytes() == signed.path.read_bytes()
    r = cli("book", "incoming", "--year", 2025, "--quarter", 1, "--current", "--printed", "--out",
            tmp_path / "d.pdf", "--format", "json")          # reprinted from today's data and signed again
    assert r.code == 0 and r.json()["sections"][0]["as_printed"] is False
    r = cli("book", "incoming", "--year", 2025, "--quarter", 1, "--out", tmp_path / "e.pdf")
    assert r.code == 0 and "Lưu ý:" not in r.err
    assert (tmp_path / "e.pdf").read_bytes() == (tmp_path / "d.pdf").read_bytes()


def test_running_quarter_is_not_recorded_and_broken_ledger_is_reported(data_dir, tmp_path):
    from app.reports import ledger
    from app.store import open_store

    from .conftest import populate
    populate(data_dir, n_in=12, n_out=6)
    from app.domain import clock
    today = clock.today()
    with open_store(data_dir, actor="test") as store:
        r = build_book(store, None, "incoming", year=today.year, quarter=(today.month - 1) // 3 + 1,
                       out=tmp_path / "now.pdf", record=True)
        assert any("chưa kết thúc" in w for w in r.warnings)
        assert ledger.load(store, "incoming", "den", today.year, 1)["quarters"] == {}
        p = ledger.path(store, "incoming", "den", 2025, 1)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("{ not json", encoding="utf-8")
        with pytest.raises(ValidationError) as exc:
            build_book(store, None, "incoming", year=2025, quarter=2, out=tmp_path / "q2.pdf")
        assert "bị hỏng" in exc.value.message
        assert not (tmp_path / "q2.pdf").exists()
        r = build_book(store, None, "incoming", year=2025, date_from=date(2025, 1, 1), date_to=date(2025, 1, 31),
                       out=tmp_path / "jan.pdf")           # a date range never uses the record
        assert r.entries > 0


def test_registering_meanwhile_does_not_mix_into_the_book(data_dir, tmp_path):
    """The clerk registers a document while this year's volume is being built on a worker: the
    book is one consistent snapshot (front page, rows and closing page agree, the newcomer absent)."""
    from datetime import datetime, timedelta

    from app.domain import clock
    from app.store import entries, open_store

    from .conftest import incoming_items
    now = clock.now()
    q_start = datetime(now.year, 3 * ((now.month - 1) // 3) + 1, 1, 7, 0, tzinfo=now.tzinfo)
    first = datetime(now.year, 1, 2, 8, 0, tzinfo=now.tzinfo)
    late_from = max(q_start, first + timedelta(days=4))
    if now - timedelta(hours=2) <= late_from:
        pytest.skip("too early in the quarter for this scenario")
    times = [first + timedelta(hours=i) for i in range(60)]
    step = (now - timedelta(hours=1) - late_from) / 60
    times += [late_from + step * i for i in range(60)]
    items = incoming_items(120)
    for item, at in zip(items, times):
        item.update(registered_at=at.isoformat(timespec="seconds"), arrival_at=at.isoformat(timespec="seconds"),
                    issued_on=at.date().isoformat(), handling_deadline=None)
    with open_store(data_dir, actor="test") as store, open_store(data_dir, actor="other") as other:
        entries.register_many(store, "incoming", items, allow_duplicate=True)
        added = []

        def progress(done, total):
            if not added:           # another window registers one more document now
                added.append(entries.register(other, "incoming", dict(
                    issuer="Bộ Nội vụ", reference="999/BNV-VP", summary="VB9999Z Công văn đến trong lúc in")))
        r = build_book(store, None, "incoming", year=now.year, out=tmp_path / "vol.pdf", progress=progress)
    assert added and added[0]["register_number"] == 121
    texts = pdfcheck.page_texts(r.path)
    assert "VB9999Z" not in "".join(texts)
    assert r.entries == 120 and max(s.last_number or 0 for s in r.sections) == 120
    assert "Từ số 01 đến số 120" in texts[0]
