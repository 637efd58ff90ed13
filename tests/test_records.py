"""Typed records and errors: the same JSON keys as before, the failing field named, one Cancelled."""
import pytest

from app.domain.entry import FIELDS, normalize
from app.domain.records import Entry, Kind, Recipient, Status, Urgency
from app.errors import Cancelled, ValidationError
from app.store import attachments, entries, files, registers


def test_entry_record_prints_the_same_keys_as_the_cli_contract(store, cli):
    r = cli("register", "outgoing", "--summary", "Về việc đê điều", "--notation", "UBND",
            "--recipient", "Sở Tài chính", "--urgency", "Khẩn", "--format", "json")
    assert r.code == 0, r.err
    printed = r.json()
    typed = entries.get_entry(store, printed["id"])
    assert isinstance(typed, Entry) and typed.kind is Kind.OUTGOING and typed.status is Status.REGISTERED
    assert typed.urgency is Urgency.KHAN
    assert typed.recipients == (Recipient(None, "Sở Tài chính"),)
    assert list(typed.to_json()) == list(printed)          # same keys, same order
    assert typed.to_json() == printed
    assert entries.get(store, typed.id) == printed          # the legacy dict agrees


def test_records_are_frozen(store):
    e = entries.register_entries(store, "incoming", [{"summary": "Công văn", "issuer": "Sở Nội vụ"}])[0]
    with pytest.raises(AttributeError):
        e.status = Status.DONE  # type: ignore[misc]
    reg = registers.get_register(store, "den")
    assert reg.kind is Kind.INCOMING and reg.is_default is True


def test_field_specs_are_named():
    spec = FIELDS["summary"]
    assert spec.max_length == 500 and spec.label == "Trích yếu nội dung" and "incoming" in spec.kinds
    assert spec[3] == spec.label   # positional access still works for old callers


@pytest.mark.parametrize("data, field, code", [
    ({"summary": "x" * 501, "issuer": "A"}, "summary", "too_long"),
    ({"summary": "Công văn", "issuer": "A", "issued_on": "31/02/2026"}, "issued_on", "bad_date"),
    ({"summary": "Công văn", "issuer": "A", "pages": "mười"}, "pages", "not_a_number"),
    ({"issuer": "A"}, "summary", "required"),
    ({"summary": "Công văn", "issuer": "A", "notation": "QĐ UBND !!"}, "notation", None),
    ({"summary": "Công văn", "issuer": "A", "reference": "không có số"}, "reference", None),
])
def test_validation_error_names_the_field(data, field, code):
    with pytest.raises(ValidationError) as info:
        normalize("incoming", data)
    assert info.value.field == field
    if code:
        assert info.value.code == code


def test_one_cancelled_type():
    from app.reports.common import Cancelled as ReportCancelled
    from app.sign.errors import CancelledError
    assert ReportCancelled is Cancelled and CancelledError is Cancelled
    assert Cancelled().exit_code == 130 and Cancelled().message


def test_linking_a_stored_file_neither_copies_nor_hashes(store, tmp_path, monkeypatch):
    e = entries.register(store, "incoming", {"summary": "Công văn", "issuer": "Sở Nội vụ"})
    src = tmp_path / "a.pdf"
    src.write_bytes(b"%PDF-1.4 test" * 1000)
    sha, size = files.put_file(store, src)

    def no_copy(*a, **kw):  # fault: any copy or hashing of the stored file fails the test
        raise AssertionError("stored file copied or hashed again")
    monkeypatch.setattr(files, "put_stream", no_copy)
    info = attachments.add(store, e["id"], path=files.path_for(store, sha), role="original", name="a.pdf")
    assert (info["sha256"], info["size"]) == (sha, size)
    linked = attachments.link(store, e["id"], sha, size, role="signed", name="b.pdf")
    assert [a.role for a in attachments.attachments_of(store, e["id"])] == ["original", "signed"]
    assert linked["sha256"] == sha


def test_sqlite_errors_are_told_apart_by_result_code(tmp_path):
    import sqlite3

    from app.errors import DatabaseLockedError, StorageError
    from app.store.db import translate_sqlite_error
    bad = tmp_path / "x.sqlite3"
    bad.write_bytes(b"this is not a database " * 200)
    with pytest.raises(sqlite3.DatabaseError) as info:
        sqlite3.connect(bad).execute("SELECT * FROM sqlite_master")
    mapped = translate_sqlite_error(info.value)
    assert type(mapped) is StorageError and "hỏng" in mapped.message
    db = tmp_path / "y.sqlite3"
    a = sqlite3.connect(db, timeout=0.05, isolation_level=None)
    a.execute("CREATE TABLE t (x)")
    a.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError) as info:
        sqlite3.connect(db, timeout=0.05, isolation_level=None).execute("BEGIN IMMEDIATE")
    assert isinstance(translate_sqlite_error(info.value), DatabaseLockedError)
    # the same words in an error that is not SQLite's own say nothing
    assert translate_sqlite_error(sqlite3.OperationalError("database is locked")) is None
