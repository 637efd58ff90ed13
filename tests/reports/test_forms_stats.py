"""Handling slip, statistics (JSON and PDF), Excel export and the command line."""
from datetime import datetime

import pytest

from app.errors import NotFoundError, ValidationError
from app.reports.excel import export_excel
from app.reports.forms import FORMS
from app.reports.slip import build_slip
from app.reports.stats import compute_stats, stats_pdf
from app.settings import Settings

from . import pdfcheck
from .conftest import incoming_items, populate, token

pytestmark = pytest.mark.timeout(120)
AS_OF = datetime(2026, 1, 1, 9, 0)


def _words(path) -> str:
    return " ".join(" ".join(pdfcheck.page_texts(path)).split())


def test_slip_for_an_incoming_entry(year_store, tmp_path):
    e = year_store.query("SELECT id FROM entries WHERE summary LIKE ?", (token(8) + "%",))[0][0]
    out = build_slip(year_store, None, e, tmp_path / "slip.pdf")
    (w, h), = pdfcheck.page_sizes(out)
    assert (round(w), round(h)) == (595, 842)
    text = _words(out)
    for expected in ("PHIẾU GIẢI QUYẾT VĂN BẢN ĐẾN", "Số đến: 08/2025", "Số, ký hiệu: 08/QĐ-UBND", token(8),
                     "1. Ý kiến của lãnh đạo cơ quan, tổ chức:", "3. Ý kiến đề xuất của người giải quyết:",
                     "Hạn giải quyết:"):
        assert expected in text
    assert all(f["emb"] == "yes" for f in pdfcheck.fonts(out))


def test_slip_refuses_outgoing_and_unknown(year_store, tmp_path):
    out_id = year_store.query("SELECT id FROM entries WHERE kind = 'outgoing' LIMIT 1")[0][0]
    with pytest.raises(ValidationError):
        build_slip(year_store, None, out_id, tmp_path / "s.pdf")
    with pytest.raises(NotFoundError):
        build_slip(year_store, None, 999999, tmp_path / "s.pdf")
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def stats_store(store):
    """Entries whose expected figures are worked out by hand."""
    from app.store import entries
    base = dict(issuer="Sở Nội vụ", summary="Công văn về việc kiểm tra", receiving_unit="Phòng Hành chính")
    inc = entries.register_many(store, "incoming", [
        dict(base, registered_at="2025-03-03T08:00:00+07:00", reference="1/SNV-TCBC", received_via="electronic",
             handling_deadline="2025-03-10", urgency=1),
        dict(base, registered_at="2025-03-03T09:00:00+07:00", reference="2/SNV-TCBC",
             handling_deadline="2025-03-10"),
        dict(base, registered_at="2025-03-04T09:00:00+07:00", reference="3/SNV-TCBC",
             handling_deadline="2026-12-31", issuer="Bộ Nội vụ"),
        dict(base, registered_at="2025-03-04T10:00:00+07:00", reference="4/SNV-TCBC"),
        dict(base, registered_at="2025-05-04T10:00:00+07:00", reference="5/SNV-TCBC", issuer="SỞ NỘI VỤ",
             handling_deadline="2025-05-05", urgency=3)])
    entries.set_status(store, inc[1]["id"], "done")
    entries.void(store, inc[3]["id"], "Đăng ký nhầm")
    entries.set_status(store, inc[4]["id"], "recalled")
    hub = [{"id": "000.00.00.H53", "name": "Ủy ban nhân dân tỉnh"}]
    paper = [{"name": "Công ty Điện lực"}]
    base = dict(notation="UBND-VP", doc_type="Công văn", summary="V/v báo cáo")
    out = entries.register_many(store, "outgoing", [
        dict(base, registered_at="2025-03-05T09:00:00+07:00", issued_on="2025-03-05", recipients=hub,
             dispatched_on="2025-03-05"),                                        # Wed, same day: on time
        dict(base, registered_at="2025-03-05T10:00:00+07:00", issued_on="2025-03-05", recipients=hub,
             dispatched_on="2025-03-07"),                                        # Fri: late
        dict(base, registered_at="2025-03-07T16:00:00+07:00", issued_on="2025-03-07", recipients=paper,
             dispatched_on="2025-03-10"),                                        # Fri -> Mon morning: on time
        dict(base, registered_at="2025-03-11T09:00:00+07:00", issued_on="2025-03-11", recipients=hub),  # never
        dict(base, registered_at="2025-03-12T09:00:00+07:00", issued_on="2025-03-12", recipients=hub,
             doc_type="Quyết định", notation="QĐ-UBND")])
    entries.set_status(store, out[4]["id"], "dispatched")                       # dispatched, no date known
    return store


def test_stats_figures(stats_store):
    s = compute_stats(stats_store, year=2025, as_of=AS_OF)
    inc, out = s["incoming"], s["outgoing"]
    assert (inc["total"], inc["voided"], inc["recalled"]) == (4, 1, 1)
    assert (inc["electronic"], inc["paper"], inc["electronic_share"]) == (1, 3, 0.25)
    assert inc["overdue"] == 1 and inc["overdue_entries"][0]["reference"] == "01/SNV-TCBC"
    assert inc["by_month"] == {"2025-03": 3, "2025-05": 1}
    assert inc["by_quarter"] == {"Q1": 3, "Q2": 1} and out["by_quarter"] == {"Q1": 5}
    assert inc["by_issuer"] == {"Sở Nội vụ": 3, "Bộ Nội vụ": 1}
    assert inc["by_urgency"] == {"Thường": 2, "Khẩn": 1, "Hỏa tốc": 1}
    assert out["total"] == 5 and out["by_type"] == {"Công văn": 4, "Quyết định": 1}
    assert (out["electronic"], out["electronic_share"]) == (4, 0.8)
    assert out["late_dispatch"] == 2
    assert [e["register_number"] for e in out["late_entries"]] == [2, 4]
    q2 = compute_stats(stats_store, year=2025, quarter=2, as_of=AS_OF)
    assert q2["incoming"]["total"] == 1 and q2["outgoing"]["total"] == 0
    early = compute_stats(stats_store, year=2025, as_of=datetime(2025, 3, 9, 9, 0))
    assert early["incoming"]["overdue"] == 0


def test_stats_pdf_and_cli_json(stats_store, data_dir, tmp_path, cli):
    s = compute_stats(stats_store, year=2025, as_of=AS_OF)
    out = stats_pdf(s, Settings(data_dir), tmp_path / "stats.pdf")
    text = _words(out)
    assert "THỐNG KÊ VĂN BẢN ĐẾN, VĂN BẢN ĐI" in text and "Năm 2025" in text
    assert "Tỷ lệ điện tử 25,0 % 80,0 %" in text
    assert "Văn bản đi không phát hành kịp thời (2)" in text
    assert all(f["emb"] == "yes" for f in pdfcheck.fonts(out))
    r = cli("stats", "--year", 2025, "--quarter", 1, "--format", "json")
    assert r.code == 0, r.err
    data = r.json()
    assert data["quarter"] == 1 and data["incoming"]["total"] == 3 and data["outgoing"]["total"] == 5
    r = cli("stats", "--year", 2025, "--out", tmp_path / "s2.pdf")
    assert r.code == 0 and (tmp_path / "s2.pdf").stat().st_size > 1000


def test_excel_has_the_book_columns_and_rows(year_store, tmp_path):
    from openpyxl import load_workbook
    res = export_excel(year_store, None, "incoming", year=2025, quarter=1, out=tmp_path / "q1.xlsx")
    assert res["rows"] == 40
    ws = load_workbook(tmp_path / "q1.xlsx", read_only=True).worksheets[0]
    rows = [[c if c is not None else "" for c in r] for r in ws.iter_rows(values_only=True)]
    assert rows[3] == [c.title for c in FORMS["incoming"].columns]
    assert rows[4] == [f"({i})" for i in range(1, 11)]
    data = rows[5:]
    assert len(data) == 40
    assert [r[1] for r in data] == [f"{i:02d}" for i in range(1, 41)]
    assert all(token(i + 1) in r[5] for i, r in enumerate(data))
    assert data[4][9].startswith("ĐÃ HỦY SỐ. Lý do:")
    out = export_excel(year_store, None, "outgoing", year=2025, quarter=1, out=tmp_path / "o.xlsx")
    ws = load_workbook(tmp_path / "o.xlsx", read_only=True).worksheets[0]
    third = list(ws.iter_rows(min_row=8, max_row=8, values_only=True))[0]
    assert third[4].count("Phước Lợi") == 60 and out["rows"] == 8


def test_cli_books(data_dir, cli, tmp_path):
    populate(data_dir, n_in=24, n_out=6)
    r = cli("book", "incoming", "--year", 2025, "--quarter", 2, "--out", tmp_path / "q2.pdf", "--format", "json")
    assert r.code == 0, r.err
    res = r.json()
    q2 = [i for i in incoming_items(24) if "2025-04" <= i["registered_at"][:7] <= "2025-06"]
    assert res["entries"] == len(q2) > 0 and res["first_page"] > 1 and res["sections"][0]["label"] == "Quý II năm 2025"
    r = cli("book", "outgoing", "--year", 2025, "--volume", 2, "--out", tmp_path / "o.pdf")
    assert r.code == 0 and "Năm 2025" in r.out
    assert "QUYỂN SỐ 02" in pdfcheck.page_texts(tmp_path / "o.pdf")[2]
    r = cli("book", "incoming", "--year", 2025, "--from", "2025-12-01", "--to", "2026-01-31", "--out", tmp_path / "x.pdf")
    assert r.code == 2 and "hai năm" in r.err
    r = cli("book", "incoming", "--year", 2025, "--out", tmp_path / "x.txt")
    assert r.code == 2 and ".pdf" in r.err
    r = cli("export-excel", "followup", "--year", 2025, "--out", tmp_path / "f.xlsx")
    assert r.code == 0 and (tmp_path / "f.xlsx").exists()
    entry = cli("list", "--kind", "incoming", "--limit", 1, "--format", "json").json()[0]["id"]
    r = cli("slip", entry, "--out", tmp_path / "slip.pdf")
    assert r.code == 0 and (tmp_path / "slip.pdf").exists()
    assert not (tmp_path / "x.pdf").exists()


def test_slip_flows_overleaf_rather_than_cutting(data_dir, tmp_path):
    from app.store import entries, open_store
    note = " ".join(f"Ý{i:03d} giao Phòng Tổ chức cán bộ chủ trì, phối hợp tham mưu trả lời." for i in range(25))
    with open_store(data_dir, actor="test") as store:
        e = entries.register(store, "incoming", dict(
            issuer="Bộ Nội vụ", reference="5/BNV-TCBC", summary="Công văn " + "về việc rà soát biên chế " * 18,
            receiving_unit="; ".join(f"Phòng số {i}" for i in range(60)), handling_note=note,
            registered_at="2025-03-03T08:00:00+07:00"))
        out = build_slip(store, None, e["id"], tmp_path / "slip.pdf")
    texts = pdfcheck.page_texts(out)
    assert len(texts) >= 2
    words = " ".join(" ".join(texts).split())
    assert all(f"Ý{i:03d}" in words for i in range(25))
    assert "Phòng số 59" in words and "3. Ý kiến đề xuất của người giải quyết:" in words


def test_disk_full_while_writing_keeps_nothing(year_store, tmp_path, monkeypatch):
    """A full disk at the final rename: a typed error for the clerk and no file, partial or not."""
    import errno
    import os as _os

    from app.errors import DiskFullError
    from app.reports.books import build_book

    def full(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(_os, "replace", full)
    with pytest.raises(DiskFullError) as exc:
        build_book(year_store, None, "incoming", year=2025, quarter=1, out=tmp_path / "q1.pdf")
    assert "Ổ đĩa đã đầy" in exc.value.message
    assert list(tmp_path.iterdir()) == []


def test_long_organization_name_fits_the_running_header(data_dir, tmp_path):
    from app.reports.books import build_book
    from app.store import open_store
    populate(data_dir, n_in=12, n_out=6)
    long_name = "Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp " * 2
    Settings(data_dir).set("org.name", long_name.strip())
    with open_store(data_dir, actor="test") as store:
        r = build_book(store, None, "incoming", year=2025, quarter=1, out=tmp_path / "b.pdf")
    texts = pdfcheck.page_texts(r.path)
    assert " ".join(long_name.upper().split()) in " ".join(texts[0].split())
    header = texts[1].splitlines()[0]
    assert header.endswith("…") and len(header) < len(long_name)
