"""`audit verify` with checkpoints: a routine run checks what changed since the last verified
state, and still catches edits made outside the program (through another SQLite client)."""
import sqlite3

import pytest

from app.store import entries, integrity


def _fill(store, n=30, start=1):
    items = [{"reference": f"{i}/CV-X", "summary": f"Công văn số {i}", "issuer": "Sở Nội vụ"}
             for i in range(start, start + n)]
    return entries.register_many(store, "incoming", items)


def _outside(data_dir, sql, params=()):
    conn = sqlite3.connect(data_dir / "vanthu.sqlite3")
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def test_routine_run_checks_only_the_changes(store):
    _fill(store)
    first = integrity.run(store, full=False)           # no checkpoint yet: a full run
    assert first.problems == [] and first.full and first.entries_checked == 30
    quiet = integrity.run(store, full=False)
    assert quiet.problems == [] and not quiet.full and quiet.entries_checked == 0 and quiet.audit_checked == 0
    e = entries.get(store, 5)
    entries.revise(store, e["id"], {"summary": "Công văn số 5 (sửa)"}, "Sai trích yếu")
    _fill(store, 2, start=100)
    after = integrity.run(store, full=False)
    assert after.problems == [] and after.entries_checked == 3 and after.audit_checked == 3


@pytest.mark.parametrize("sql, expected", [
    ("UPDATE entries SET issuer = 'Sở khác' WHERE id = 7", "nội dung đã bị sửa"),
    ("UPDATE entry_revisions SET data = replace(data, 'Công văn', 'Công điện') WHERE entry_id = 3",
     "lịch sử phiên bản không khớp"),
    ("DELETE FROM entries WHERE id = 30", "số bị thiếu hoặc trùng"),
    ("UPDATE audit_log SET actor = 'ai đó' WHERE seq = 2", "audit: bản ghi 2 đã bị sửa"),
    ("DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)", "bản ghi cuối"),
    ("DROP TRIGGER verify_entries_upd", "verify_entries_upd"),
])
def test_routine_run_catches_edits_from_outside(store, data_dir, sql, expected):
    _fill(store)
    assert integrity.run(store, full=False).problems == []
    if sql.startswith("DELETE FROM entries"):
        _outside(data_dir, "PRAGMA foreign_keys = OFF")
        for t in ("entry_texts", "attachments", "entry_revisions"):
            _outside(data_dir, f"DELETE FROM {t} WHERE entry_id = 30")
    _outside(data_dir, sql)
    found = integrity.run(store, full=False).problems
    assert any(expected in p for p in found), found
    assert integrity.run(store, full=False).problems       # not forgotten after reporting
    assert any(expected in p for p in integrity.run(store, full=True).problems)


def test_full_run_catches_an_edit_whose_notes_were_erased(store, data_dir):
    _fill(store)
    assert integrity.run(store, full=False).problems == []
    _outside(data_dir, "UPDATE entries SET summary = 'khác' WHERE id = 4")
    _outside(data_dir, "DELETE FROM verify_dirty")
    assert integrity.run(store, full=False).problems == []   # the documented limit of a routine run
    assert any("nội dung đã bị sửa" in p for p in integrity.run(store, full=True).problems)


def test_cli_routine_and_full(cli, data_dir):
    assert cli("register", "incoming", "--summary", "Văn bản", "--issuer", "Sở Y tế").code == 0
    r = cli("audit", "verify", "--format", "json")
    assert r.code == 0 and r.json()["full"] is True
    r = cli("audit", "verify")
    assert r.code == 0 and "--full" in r.out
    r = cli("audit", "verify", "--full", "--format", "json")
    assert r.code == 0 and r.json()["full"] is True and r.json()["entries_checked"] == 1
    _outside(data_dir, "UPDATE entries SET issuer = 'Sở khác'")
    r = cli("audit", "verify")
    assert r.code == 6 and "nội dung đã bị sửa" in r.err


def test_outbox_payload_points_at_its_revision(store):
    import json

    from app.store import outbox
    from app.store.canonical import canonical_json
    e = entries.register(store, "outgoing", {"summary": "Kế hoạch năm 2027", "notation": "UBND",
                                             "recipients": ["Sở Tài chính"]})
    entries.revise(store, e["id"], {"summary": "Kế hoạch năm 2027 (sửa)"}, "Sai trích yếu")
    raw = store.query("SELECT payload FROM outbox WHERE topic LIKE 'entry.%' ORDER BY seq")
    assert all(len(r[0]) < 400 and "Kế hoạch" not in r[0] for r in raw)       # no repeated snapshot
    items = [i for i in outbox.items(store) if i["topic"].startswith("entry.")]
    revs = store.query("SELECT data FROM entry_revisions WHERE entry_id = ? ORDER BY revision", (e["id"],))
    for item, rev in zip(items, revs, strict=True):
        payload = json.loads(item["payload"])
        assert payload["entry"] == json.loads(rev[0]) and "rev" not in payload
        assert item["payload"] == canonical_json(payload)        # the same text as an inline snapshot
    assert json.loads(outbox.get(store, items[1]["key"])["payload"])["entry"]["summary"] == "Kế hoạch năm 2027 (sửa)"
    assert [i.data()["entry"]["revision"] for i in outbox.outbox_items(store, mirror=True)] == [1, 2]
