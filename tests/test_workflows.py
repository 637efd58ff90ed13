"""Workflows (app/workflows): each clerk action called from the CLI and directly gives the same
stored result; a failing step stores nothing."""
import json
from types import SimpleNamespace

import pytest

from app.domain.records import AttachmentRole, Entry, Kind, Status
from app.errors import Cancelled, NotFoundError, SecretDocumentError, ValidationError
from app.store import attachments, entries, files
from app.workflows import books, intake, registering

INCOMING = {"reference": "15/SNV-VP", "summary": "Về việc tuyển dụng công chức", "issuer": "Sở Nội vụ",
            "issued_on": "2026-11-02"}


def _stored(store, entry_id):
    e = entries.get_entry(store, entry_id).to_json()
    for k in ("id", "uid", "registered_at", "updated_at", "register_number", "arrival_at"):
        e.pop(k)
    return e


def test_register_cli_and_direct_store_the_same(cli, store):
    r = cli("register", "incoming", "--reference", INCOMING["reference"], "--summary", INCOMING["summary"],
            "--issuer", INCOMING["issuer"], "--issued-on", INCOMING["issued_on"], "--format", "json")
    assert r.code == 0, r.err
    direct = registering.register(store, Kind.INCOMING, dict(INCOMING), allow_duplicate=True).entry
    assert isinstance(direct, Entry)
    assert (r.json()["register_number"], direct.register_number) == (1, 2)
    assert _stored(store, r.json()["id"]) == _stored(store, direct.id)


def test_register_with_files_is_one_step(store, tmp_path):
    pdf = tmp_path / "cv.pdf"
    pdf.write_bytes(b"%PDF-1.4\n" + b"x" * 4096)
    done = registering.register(store, "incoming", dict(INCOMING), files=[
        registering.FileToAttach(pdf, AttachmentRole.SCAN, "cong-van.pdf")])
    assert [(a.role, a.name, a.size) for a in done.attachments] == [(AttachmentRole.SCAN, "cong-van.pdf", 4105)]
    # one audit record per step, in the registration's transaction
    actions = [r[0] for r in store.query("SELECT action FROM audit_log ORDER BY seq")]
    assert actions[-2:] == ["entry.registered", "attachment.add"]


def test_register_with_a_missing_file_uses_no_number(store, tmp_path):
    with pytest.raises(ValidationError):
        registering.register(store, "incoming", dict(INCOMING), files=[
            registering.FileToAttach(tmp_path / "missing.pdf", AttachmentRole.SCAN)])
    assert store.query("SELECT count(*) FROM entries")[0][0] == 0
    assert store.query("SELECT count(*) FROM counters")[0][0] == 0


def test_correct_void_status_cli_and_direct(cli, store):
    a = registering.register(store, "incoming", dict(INCOMING)).entry
    b = registering.register(store, "incoming", dict(INCOMING), allow_duplicate=True).entry
    r = cli("correct", str(a.id), "--summary", "Về việc tuyển dụng viên chức", "--reason", "Sai trích yếu",
            "--format", "json")
    assert r.code == 0, r.err
    fixed = registering.correct(store, b.id, {"summary": "Về việc tuyển dụng viên chức"}, "Sai trích yếu")
    assert r.json()["summary"] == fixed.summary and r.json()["revision"] == fixed.revision == 2

    r = cli("status", a.uid, "in_progress", "--format", "json")   # by uid, as the CLI allows
    assert r.code == 0, r.err
    moved = registering.change_status(store, b.uid, Status.IN_PROGRESS)
    assert r.json()["status"] == moved.status == "in_progress"

    r = cli("void", str(a.id), "--reason", "Đăng ký nhầm", "--format", "json")
    voided = registering.void(store, b.id, "Đăng ký nhầm")
    assert r.json()["status"] == voided.status == "voided" and voided.void_reason == "Đăng ký nhầm"
    with pytest.raises(ValidationError) as info:
        registering.change_status(store, b.id, "voided")
    assert info.value.field == "status"


def test_change_status_refuses_unknown_status(cli, store):
    e = registering.register(store, "incoming", dict(INCOMING)).entry
    with pytest.raises(ValidationError) as info:
        registering.change_status(store, e.id, "archived")
    assert (info.value.field, info.value.code) == ("status", "bad_status")
    r = cli("status", str(e.id), "archived")
    assert r.code == 2 and "archived" in r.err and "Traceback" not in r.err


def test_import_all_or_nothing_and_cancel(cli, store, tmp_path):
    items = [dict(INCOMING, reference=f"{n}/SNV-VP") for n in range(1, 4)]
    items[2]["issued_on"] = "31/02/2026"
    with pytest.raises(ValidationError) as info:
        registering.import_entries(store, "incoming", items)
    assert info.value.field == "issued_on" and "Văn bản thứ 3" in info.value.message
    assert store.query("SELECT count(*) FROM entries")[0][0] == 0
    with pytest.raises(Cancelled):
        registering.import_entries(store, "incoming", items[:2], cancelled=lambda: True)
    path = tmp_path / "in.json"
    path.write_text(json.dumps(items[:2], ensure_ascii=False), "utf-8")
    r = cli("register", "incoming", "--json", str(path), "--format", "json")
    assert r.code == 0, r.err
    direct = registering.import_entries(store, "incoming", items[:2], allow_duplicate=True)
    assert [e["register_number"] for e in r.json()] == [1, 2] and [e.register_number for e in direct] == [3, 4]


def test_register_read_document_attaches_and_refuses_secret(store, tmp_path):
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(b"%PDF-1.4 scanned")
    read = SimpleNamespace(fields=dict(INCOMING, confidence=0.9, boxes={}), pdf=str(pdf), kept_original=False)
    done = intake.register_read_document(store, read, overrides={"summary": "Về việc tuyển dụng (đã sửa)"},
                                         name="scan.pdf")
    assert done.entry.summary == "Về việc tuyển dụng (đã sửa)"
    assert [a.role for a in done.attachments] == [AttachmentRole.SCAN]
    secret = SimpleNamespace(fields=dict(INCOMING, secrecy="Mật"), pdf=str(pdf), kept_original=False)
    with pytest.raises(SecretDocumentError):
        intake.register_read_document(store, secret)
    assert store.query("SELECT count(*) FROM entries")[0][0] == 1


def test_attach_stored_file_to_unknown_entry(store, tmp_path):
    sha, size = files.put_bytes(store, b"abc")
    with pytest.raises(NotFoundError):
        attachments.link(store, 999, sha, size)


def test_print_book_cli_and_direct(cli, store, data_dir, tmp_path):
    registering.register(store, "incoming", dict(INCOMING))
    r = cli("book", "incoming", "--year", "2026", "--out", str(tmp_path / "cli.pdf"), "--format", "json")
    assert r.code == 0, r.err
    from app.settings import Settings
    res = books.print_book(store, Settings(data_dir), "incoming", year=2026, out=tmp_path / "direct.pdf")
    assert (r.json()["entries"], res.entries) == (1, 1)
    assert r.json()["pages"] == res.pages and (tmp_path / "direct.pdf").stat().st_size > 1000


def _register_row(store, code):
    row = dict(store.query("SELECT code, kind, title, notation, doc_types, with_year, is_default FROM registers "
                           "WHERE code = ?", (code,))[0])
    return {k: v for k, v in row.items() if k != "code"}


def test_create_register_and_set_notation_cli_and_direct(cli, store):
    from app.workflows import registers
    r = cli("registers", "create", "qd", "--kind", "outgoing", "--title", "Sổ Quyết định", "--notation", "UBND",
            "--doc-type", "Quyết định", "--format", "json")
    assert r.code == 0, r.err
    direct = registers.create_register(store, "qd2", "outgoing", "Sổ Quyết định", notation="UBND",
                                       doc_types=["Quyết định"])
    assert direct.doc_types == ("Quyết định",) and direct.notation == "UBND"
    assert _register_row(store, "qd") == _register_row(store, "qd2")
    assert set(r.json()) == set(direct.to_json()) and r.json()["doc_types"] == ["Quyết định"]

    assert cli("registers", "set-notation", "qd", "SNV").code == 0
    assert registers.set_notation(store, "qd2", "SNV").notation == "SNV"
    assert _register_row(store, "qd") == _register_row(store, "qd2")
    actions = [r[0] for r in store.query("SELECT action FROM audit_log WHERE entity = 'register' ORDER BY seq")]
    assert actions.count("register.create") >= 2 and actions.count("register.notation") == 2

    listed = {rc.register.code: rc for rc in registers.list_registers(store)}
    assert {"qd", "qd2"} <= set(listed)
    r = cli("registers", "list", "--format", "json")
    assert {x["code"] for x in r.json()} == set(listed)


def test_create_register_refuses_bad_input_and_stores_nothing(cli, store):
    from app.workflows import registers
    before = store.query("SELECT count(*) FROM registers")[0][0]
    with pytest.raises(ValidationError) as info:
        registers.create_register(store, "qd", "archive", "Sổ lưu")
    assert info.value.field == "kind"
    with pytest.raises(ValidationError):
        registers.create_register(store, "Quyết Định", "outgoing", "Sổ Quyết định")     # code not ascii lower
    r = cli("registers", "create", "qd", "--kind", "outgoing", "--title", "")
    assert r.code != 0 and "Traceback" not in r.err
    with pytest.raises(NotFoundError):
        registers.set_notation(store, "khong-co", "UBND")
    assert store.query("SELECT count(*) FROM registers")[0][0] == before


def test_show_list_search_print_the_same_keys_through_queries(cli, store):
    from app.workflows import queries
    e = registering.register(store, "incoming", dict(INCOMING)).entry
    r = cli("show", str(e.id), "--format", "json")
    assert r.code == 0, r.err
    shown = r.json()
    assert {k: v for k, v in shown.items() if k not in ("attachments", "history")} == queries.entry(store, e.id).to_json()
    assert [h["revision"] for h in shown["history"]] == [1] and shown["attachments"] == []
    r = cli("list", "--format", "json")
    assert [x["id"] for x in r.json()] == [e.id] and set(r.json()[0]) == set(e.to_json())
    r = cli("search", "tuyen dung", "--format", "json")
    assert [x["id"] for x in r.json()] == [x.id for x in queries.search(store, "tuyển dụng")] == [e.id]
