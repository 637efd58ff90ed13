"""The store: gapless numbering, revisions, voiding, duplicates, search, audit and bad input."""
import errno
import json
import sqlite3
import unicodedata
from datetime import datetime, timedelta

import pytest

from app.domain import clock
from app.errors import (
    DatabaseLockedError,
    DiskFullError,
    DuplicateError,
    NotFoundError,
    SecretDocumentError,
    StorageError,
    ValidationError,
)
from app.store import attachments, entries, files, integrity, open_store, outbox, registers, search

VN = clock.VN_TZ


def incoming(n=1, **kw):
    data = {"reference": f"{n}/QĐ-UBND", "summary": f"Quyết định số {n} về việc đê điều",
            "issuer": "Ủy ban nhân dân tỉnh Sóc Trăng", "issued_on": "2026-11-02"}
    data.update(kw)
    return data


def snapshot(store):
    """Everything stored, to prove a failed operation changed nothing."""
    tables = ("entries", "entry_revisions", "audit_log", "outbox", "counters", "attachments", "registers")
    return {t: [tuple(r) for r in store.query(f"SELECT * FROM {t} ORDER BY 1")] for t in tables}


def test_new_store_has_incoming_and_outgoing_registers(store):
    regs = registers.list_registers(store)
    assert [(r["code"], r["kind"]) for r in regs] == [("den", "incoming"), ("di", "outgoing")]
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_numbers_are_consecutive_per_register_and_year(store):
    nums = [entries.register(store, "incoming", incoming(i))["register_number"] for i in range(1, 6)]
    assert nums == [1, 2, 3, 4, 5]
    registers.set_notation(store, "di", "UBND")
    out = entries.register(store, "outgoing", {"doc_type": "Kế hoạch", "summary": "Kế hoạch năm"})
    assert (out["register_number"], out["reference"], out["number"]) == (1, "01/KH-UBND", "1")


def test_numbering_restarts_on_first_of_january_vietnam_time(store):
    dec31 = datetime(2026, 12, 31, 23, 59, tzinfo=VN)
    jan1 = datetime(2027, 1, 1, 0, 1, tzinfo=VN)
    a = entries.register(store, "incoming", incoming(1), now=dec31)
    b = entries.register(store, "incoming", incoming(2), now=dec31)
    c = entries.register(store, "incoming", incoming(3), now=jan1)
    assert [(e["year"], e["register_number"]) for e in (a, b, c)] == [(2026, 1), (2026, 2), (2027, 1)]
    # 23:30 UTC on 31 December is already 1 January in Vietnam
    d = entries.register(store, "incoming", incoming(4),
                         now=datetime(2026, 12, 31, 23, 30, tzinfo=clock.timezone.utc))
    assert (d["year"], d["register_number"]) == (2027, 2)


def test_registration_time_is_read_under_the_lock_and_never_goes_back(store, monkeypatch):
    first = entries.register(store, "incoming", incoming(1))
    real_now = clock.now
    monkeypatch.setattr(clock, "now", lambda: real_now() - timedelta(hours=1))  # NTP stepped back
    second = entries.register(store, "incoming", incoming(2))
    assert second["register_number"] == 2
    assert second["registered_at"] >= first["registered_at"]
    assert integrity.verify(store) == []


def test_separate_series_for_legal_normative_decisions(store):
    registers.set_notation(store, "di", "UBND")
    registers.create(store, "qd-qppl", "outgoing", "Sổ quyết định QPPL", notation="UBND",
                     doc_types=["Quyết định"], with_year=True)
    q = entries.register(store, "outgoing", {"doc_type": "Quyết định", "summary": "Ban hành quy định"})
    c = entries.register(store, "outgoing", {"doc_type": "Công văn", "summary": "V/v họp"})
    assert q["register"] == "qd-qppl" and q["reference"] == f"01/{q['year']}/QĐ-UBND"
    assert c["register"] == "di" and c["reference"] == "01/UBND"
    with pytest.raises(ValidationError):
        entries.register(store, "outgoing", {"doc_type": "Công văn", "summary": "x"}, register="qd-qppl")


def test_void_keeps_number_and_it_is_never_reused(store):
    a = entries.register(store, "incoming", incoming(1))
    voided = entries.void(store, a["id"], "Đăng ký nhầm")
    assert voided["status"] == "voided" and voided["register_number"] == 1
    b = entries.register(store, "incoming", incoming(1))  # the voided one is no duplicate
    assert b["register_number"] == 2
    with pytest.raises(ValidationError):
        entries.void(store, a["id"], "lần nữa")
    with pytest.raises(ValidationError):
        entries.void(store, b["id"], "")


def test_corrections_are_revisions_with_history(store):
    e = entries.register(store, "incoming", incoming(1))
    r = entries.revise(store, e["id"], {"summary": "Trích yếu đã sửa", "reference": "2/QĐ-UBND"}, "sai số")
    assert (r["revision"], r["summary"], r["reference"]) == (2, "Trích yếu đã sửa", "02/QĐ-UBND")
    hist = entries.history(store, e["id"])
    assert [h["revision"] for h in hist] == [1, 2]
    assert hist[0]["data"]["summary"] == "Quyết định số 1 về việc đê điều"
    assert hist[1]["reason"] == "sai số"
    with pytest.raises(ValidationError):
        entries.revise(store, e["id"], {"register_number": 9}, "đổi số")
    with pytest.raises(ValidationError):
        entries.revise(store, e["id"], {"summary": "x"}, "")


def test_outgoing_notation_from_the_organization_unless_the_register_has_its_own(store):
    with pytest.raises(ValidationError) as exc:
        entries.register(store, "outgoing", {"doc_type": "Quyết định", "summary": "x"})
    assert "ký hiệu cơ quan" in exc.value.message
    a = entries.register(store, "outgoing", {"doc_type": "Quyết định", "summary": "x"}, default_notation="UBND")
    b = entries.register(store, "outgoing", {"doc_type": "Công văn", "summary": "y"}, default_notation="UBND")
    assert (a["reference"], b["reference"]) == ("01/QĐ-UBND", "02/UBND")
    registers.create(store, "hdtd", "outgoing", "Sổ Hội đồng thi đua", notation="HĐTĐ", doc_types=["Thông báo"])
    c = entries.register(store, "outgoing", {"doc_type": "Thông báo", "summary": "z"}, default_notation="UBND")
    assert c["reference"] == "01/TB-HĐTĐ"


def test_outgoing_number_cannot_be_corrected(store):
    registers.set_notation(store, "di", "UBND")
    o = entries.register(store, "outgoing", {"doc_type": "Tờ trình", "summary": "Tờ trình"})
    with pytest.raises(ValidationError):
        entries.revise(store, o["id"], {"number": "7"}, "sửa số")


def test_duplicates_are_refused_unless_allowed(store):
    a = entries.register(store, "incoming", incoming(7, doc_identifier="DOC-1"))
    with pytest.raises(DuplicateError) as exc:
        entries.register(store, "incoming", incoming(7, issuer="ỦY BAN NHÂN DÂN TỈNH SÓC TRĂNG"))
    assert exc.value.existing == [a["id"]]
    with pytest.raises(DuplicateError):
        entries.register(store, "incoming", incoming(8, doc_identifier="DOC-1"))
    b = entries.register(store, "incoming", incoming(7), allow_duplicate=True)
    assert b["register_number"] == 2
    # same number from another issuer or another year is not a duplicate
    entries.register(store, "incoming", incoming(7, issuer="Sở Tài chính"))
    entries.register(store, "incoming", incoming(7, issued_on="2025-11-02"))


def test_bulk_import_is_all_or_nothing_and_keeps_given_numbers(store):
    before = snapshot(store)
    items = [incoming(i, register_number=i, registered_at=f"2025-03-0{i}T08:00:00+07:00") for i in range(1, 4)]
    items.append(incoming(9, summary="x" * 501))
    with pytest.raises(ValidationError) as exc:
        entries.register_many(store, "incoming", items)
    assert "thứ 4" in exc.value.message
    assert snapshot(store) == before
    done = entries.register_many(store, "incoming", items[:3])
    assert [(e["year"], e["register_number"]) for e in done] == [(2025, 1), (2025, 2), (2025, 3)]
    with pytest.raises(ValidationError):  # a gap is refused
        entries.register(store, "incoming", incoming(5, register_number=5, registered_at="2025-04-01T08:00:00"))
    with pytest.raises(ValidationError):  # out of time order
        entries.register(store, "incoming", incoming(6, registered_at="2025-02-01T08:00:00"))


def test_bad_input_leaves_database_unchanged(store):
    entries.register(store, "incoming", incoming(1))
    before = snapshot(store)
    cases = [
        (ValidationError, dict(data=incoming(2, issued_on="2026-02-29"))),
        (ValidationError, dict(data=incoming(2, summary="á" * 501))),
        (NotFoundError, dict(data=incoming(2), register="khong-co")),
        (SecretDocumentError, dict(data=incoming(2, secrecy="Tuyệt mật"))),
        (ValidationError, dict(data=incoming(2), register="di")),
    ]
    for exc_type, kw in cases:
        with pytest.raises(exc_type) as exc:
            entries.register(store, "incoming", kw["data"], register=kw.get("register"))
        assert exc.value.message and exc.value.message[0].isupper()
    assert snapshot(store) == before


def test_text_is_stored_nfc(store):
    nfd = unicodedata.normalize("NFD", "Về việc tổ chức Hội nghị")
    e = entries.register(store, "incoming", incoming(1, summary=nfd))
    assert e["summary"] == "Về việc tổ chức Hội nghị" and unicodedata.is_normalized("NFC", e["summary"])


def test_every_change_writes_revision_audit_and_outbox_atomically(store):
    e = entries.register(store, "incoming", incoming(1))
    entries.set_status(store, e["id"], "forwarded", "Chuyển phòng Tổng hợp")
    entries.void(store, e["id"], "nhầm")
    topics = [(i["topic"], json.loads(i["payload"])["entry"]["revision"]) for i in outbox.items(store)]
    assert topics == [("entry.registered", 1), ("entry.status", 2), ("entry.voided", 3)]
    assert len({i["key"] for i in outbox.items(store)}) == 3
    actions = [r[0] for r in store.query("SELECT action FROM audit_log WHERE entity = 'entry' ORDER BY seq")]
    assert actions == ["entry.registered", "entry.status", "entry.voided"]
    assert integrity.verify(store) == []


@pytest.mark.parametrize("query", ["quyet dinh 1007", "QUYET DINH", "đê điều", "de dieu", "1007/qd-ubnd",
                                   "soc trang", "Sóc Trăng"])
def test_search_ignores_case_and_diacritics(store, query):
    entries.register(store, "incoming", incoming(1007))
    entries.register(store, "incoming", {"summary": "Giấy mời họp", "issuer": "Sở Nội vụ"})
    found = search.search(store, query)
    assert [e["reference"] for e in found] == ["1007/QĐ-UBND"]


def test_search_filters_and_ocr_text(store):
    a = entries.register(store, "incoming", incoming(1, urgency="Hỏa tốc"))
    b = entries.register(store, "incoming", incoming(2))
    search.set_text(store, b["id"], "ocr", "Nội dung trang hai: phòng chống lụt bão")
    assert [e["id"] for e in search.search(store, "lut bao")] == [b["id"]]
    assert [e["id"] for e in search.search(store, "quyet dinh", urgency=3)] == [a["id"]]
    assert [e["id"] for e in search.search(store, "quyet dinh")] == [b["id"], a["id"]]
    assert search.search(store, "   ") == []
    assert search.search(store, 'quyet" OR *') == []  # FTS syntax is neutralized, not an error
    assert integrity.verify(store) == []


def test_filtered_search_walks_past_many_newer_hits(store, monkeypatch):
    monkeypatch.setattr(search, "FIRST_CHUNK", 3)
    old = entries.register(store, "incoming", incoming(1, urgency="Hỏa tốc"))
    entries.register_many(store, "incoming", [incoming(i) for i in range(2, 60)])
    assert [e["id"] for e in search.search(store, "quyet dinh", urgency=3)] == [old["id"]]
    assert len(search.search(store, "quyet dinh", limit=7, register="den")) == 7
    assert search.search(store, "quyet dinh", status="voided") == []


def test_search_index_rebuild(store):
    for i in range(1, 6):
        entries.register(store, "incoming", incoming(i))
    store.conn.execute("DELETE FROM entries_fts")
    assert search.search(store, "de dieu") == []
    assert search.rebuild(store, batch=2) == 5
    assert len(search.search(store, "de dieu")) == 5


def test_list_newest_first_with_keyset_paging(store):
    ids = [entries.register(store, "incoming", incoming(i))["id"] for i in range(1, 8)]
    page1 = entries.list_entries(store, limit=3)
    page2 = entries.list_entries(store, limit=3, before_id=page1[-1]["id"])
    assert [e["id"] for e in page1 + page2] == ids[::-1][:6]


def test_audit_detects_edited_deleted_and_truncated_records(store, data_dir):
    for i in range(1, 5):
        entries.register(store, "incoming", incoming(i))
    assert integrity.verify(store) == []
    conn = sqlite3.connect(data_dir / "vanthu.sqlite3")

    def check(sql, expected):
        conn.execute("BEGIN")
        conn.execute(sql)
        conn.commit()
        problems = integrity.verify(store)
        assert any(expected in p for p in problems), problems
        return problems

    check("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2", "đã bị sửa")
    conn.execute("UPDATE audit_log SET actor = 'test' WHERE seq = 2")
    conn.commit()
    assert integrity.verify(store) == []
    check("UPDATE entries SET summary = 'khác' WHERE id = 3", "nội dung đã bị sửa")
    conn.execute("UPDATE entries SET summary = 'Quyết định số 3 về việc đê điều' WHERE id = 3")
    conn.commit()
    check("DELETE FROM audit_log WHERE seq = 2", "đã bị xóa")


def test_audit_verify_reports_progress(store):
    entries.register_many(store, "incoming", [incoming(i) for i in range(1, 26)])
    seen = []
    assert integrity.verify(store, progress=lambda d, t: seen.append((d, t))) == []
    assert seen[-1] == (25, 25)


def test_audit_detects_removed_entry_and_tail(store, data_dir):
    for i in range(1, 4):
        entries.register(store, "incoming", incoming(i))
    conn = sqlite3.connect(data_dir / "vanthu.sqlite3")
    conn.execute("DELETE FROM entries_fts WHERE rowid = 3")
    conn.execute("DELETE FROM entry_revisions WHERE entry_id = 3")
    conn.execute("DELETE FROM entries WHERE id = 3")
    conn.execute("DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)")
    conn.commit()
    problems = integrity.verify(store)
    assert any("bị thiếu hoặc trùng" in p for p in problems)
    assert any("bản ghi cuối" in p for p in problems)


def test_locked_database_waits_then_says_so(data_dir, monkeypatch):
    from app.store import db
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 300)
    store = open_store(data_dir)
    other = sqlite3.connect(data_dir / "vanthu.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    before = snapshot(store)
    with pytest.raises(DatabaseLockedError) as exc:
        entries.register(store, "incoming", incoming(1))
    assert "đang được một chương trình khác sử dụng" in exc.value.message
    other.execute("ROLLBACK")
    assert snapshot(store) == before
    assert entries.register(store, "incoming", incoming(1))["register_number"] == 1


def test_full_disk_rolls_back_everything(store):
    entries.register(store, "incoming", incoming(1))
    before = snapshot(store)
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(DiskFullError) as exc:
        entries.register(store, "incoming", incoming(2, summary="Văn bản " + "x" * 400))
    assert "Ổ đĩa đã đầy" in exc.value.message
    assert snapshot(store) == before
    store.conn.execute("PRAGMA max_page_count = 1073741823")
    assert entries.register(store, "incoming", incoming(2))["register_number"] == 2
    assert integrity.verify(store) == []


def test_full_disk_while_storing_a_file(store, tmp_path, monkeypatch):
    e = entries.register(store, "incoming", incoming(1))
    src = tmp_path / "scan.pdf"
    src.write_bytes(b"%PDF-1.4\n" + b"0" * 5000)
    real_fsync = files.os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(files.os, "fsync", full)
    before = snapshot(store)
    with pytest.raises(DiskFullError):
        attachments.add(store, e["id"], src, role="scan")
    assert snapshot(store) == before
    assert not any((store.files_dir / "tmp").iterdir())
    monkeypatch.setattr(files.os, "fsync", real_fsync)
    a = attachments.add(store, e["id"], src, role="scan")
    stored = files.path_for(store, a["sha256"])
    assert stored.read_bytes() == src.read_bytes()
    assert attachments.add(store, e["id"], src, role="scan")["sha256"] == a["sha256"]  # stored once
    assert len(list(stored.parent.iterdir())) == 1


def test_database_from_newer_major_version_is_refused(data_dir):
    s = open_store(data_dir)
    s.conn.execute("PRAGMA user_version = 2001")
    s.close()
    with pytest.raises(StorageError) as exc:
        open_store(data_dir)
    assert "phiên bản mới hơn" in exc.value.message


def test_corrupt_database_file_is_reported(data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / "vanthu.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError) as exc:
        open_store(data_dir)
    assert "bị hỏng" in exc.value.message
