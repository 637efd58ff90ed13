"""Register mirror: exactly once and in order per register, ownership, restore from the server."""
import json

import pytest

from app.store import attachments, entries, files, outbox, registers
from app.sync import restore
from app.sync.transport import open_provincial

from .conftest import ORG_A
from .helpers import make_pdf

pytestmark = pytest.mark.timeout(180)


def check_exactly_once_in_order(ws, hub):
    """Every outbox item of `ws` is on the hub exactly once, in local order per register."""
    local = {i["key"]: i for i in outbox.items(ws.store, limit=1_000_000)
             if i["topic"] not in ("edoc.send", "status.send")}
    done = {k for k, i in local.items() if i["state"] == "done"}
    rows = hub.query("SELECT key, seq, register, workstation FROM changes WHERE org = ? ORDER BY arrival",
                     (ws.org_id,))
    keys = [r["key"] for r in rows if r["workstation"] == ws.store.workstation_id]
    assert len(keys) == len(set(keys)), "a change arrived twice"
    assert set(keys) == done, "hub and workstation disagree on what was delivered"
    per_register = {}
    for r in rows:
        if r["workstation"] == ws.store.workstation_id:
            per_register.setdefault(r["register"], []).append(local[r["key"]]["seq"])
    for code, seqs in per_register.items():
        assert seqs == sorted(seqs), f"register {code} out of order"
    return len(keys)


def test_changes_arrive_exactly_once_in_order(workstation, hub, tmp_path):
    a = workstation(ORG_A)
    registers.create(a.store, "qd", "outgoing", "Sổ quyết định", notation="UBND", doc_types=["Quyết định"])
    made = entries.register_many(a.store, "outgoing", [
        {"summary": f"Văn bản đi số {i}", "notation": "UBND-VP"} for i in range(30)])
    entries.register_many(a.store, "outgoing", [{"summary": f"Quyết định {i}", "doc_type": "Quyết định"}
                                                 for i in range(10)], register="qd")
    entries.revise(a.store, made[3]["id"], {"summary": "Sửa trích yếu"}, "Nhập sai")
    entries.void(a.store, made[4]["id"], "Đăng ký nhầm")
    entries.set_status(a.store, made[5]["id"], "signed")
    attachments.add(a.store, made[6]["id"], make_pdf(tmp_path / "a.pdf"), role="scan")
    r = a.sync()
    assert r.online and r.parked == 0 and r.waiting == 0
    assert check_exactly_once_in_order(a, hub) == 30 + 10 + 3 + 1
    # syncing again sends nothing more
    assert a.sync().sent == 0
    revs = hub.query("SELECT revision FROM revisions WHERE uid = ? ORDER BY revision", (made[3]["uid"],))
    assert [x["revision"] for x in revs] == [1, 2]


def test_server_answer_lost_then_resent_is_deduplicated(workstation, hub):
    """The same items pushed twice (as after a crash before marking them done) count once."""
    a = workstation(ORG_A)
    entries.register_many(a.store, "outgoing", [{"summary": f"VB {i}", "notation": "UBND-VP"} for i in range(5)])
    items = outbox.items(a.store, "pending")
    m = open_provincial(a.settings, workstation=a.store.workstation_id)
    body = [{"key": i["key"], "seq": i["seq"], "topic": i["topic"], "register": "di", "entity_id": i["entity_id"],
             "payload": json.loads(i["payload"])} for i in items]
    assert {x["status"] for x in m.push(body, [])} == {"applied"}
    assert {x["status"] for x in m.push(body, [])} == {"duplicate"}
    m.close()
    a.sync()
    assert check_exactly_once_in_order(a, hub) == 5


def test_bad_item_is_parked_and_the_rest_goes_through(workstation, hub):
    a = workstation(ORG_A)
    entries.register(a.store, "outgoing", {"summary": "Trước", "notation": "UBND-VP"})
    with a.store.transaction() as conn:
        outbox.enqueue(conn, "entry.revised", {"entry": {"uid": None}}, register_id=2, entity_id="x")
    entries.register(a.store, "outgoing", {"summary": "Sau", "notation": "UBND-VP"})
    r = a.sync()
    assert r.parked == 1 and r.waiting == 0
    assert outbox.counts(a.store) == {"done": 2, "parked": 1}
    assert check_exactly_once_in_order(a, hub) == 2


def test_register_owned_by_another_workstation_is_a_clear_conflict(workstation, hub):
    first = workstation(ORG_A, sub="may-1")
    second = workstation(ORG_A, sub="may-2")
    entries.register(first.store, "outgoing", {"summary": "Máy 1", "notation": "UBND-VP"})
    first.sync()
    entries.register(second.store, "outgoing", {"summary": "Máy 2", "notation": "UBND-VP"})
    entries.register(second.store, "incoming", {"summary": "Văn bản đến máy 2", "issuer": "Sở Tài chính"})
    r = second.sync()
    assert r.parked == 1
    reason = r.parked_reasons[0]["reason"]
    assert "Sổ «di»" in reason and "máy trạm" in reason
    # the incoming register of the second machine was not blocked
    assert hub.query("SELECT count(*) AS n FROM changes WHERE register = 'den'")[0]["n"] == 1
    # nothing of the first machine was overwritten
    assert hub.query("SELECT count(*) AS n FROM changes WHERE register = 'di'")[0]["n"] == 1
    # explicit handover, then the parked item goes through
    m = open_provincial(first.settings, workstation=first.store.workstation_id)
    m.handover("di", second.store.workstation_id)
    m.close()
    outbox.retry_now(second.store)
    r = second.sync()
    assert r.parked == 0 and outbox.counts(second.store).get("parked", 0) == 0
    owners = {x["code"]: x["owner"] for x in hub.query("SELECT code, owner FROM registers")}
    assert owners["di"] == second.store.workstation_id
    # and now the first machine is the one refused
    entries.register(first.store, "outgoing", {"summary": "Máy 1 lần 2", "notation": "UBND-VP"})
    assert first.sync().parked == 1


def test_restore_brings_back_received_documents(workstation, hub, tmp_path):
    from app.sync import inbox, outgoing
    from .conftest import ORG_B
    from .helpers import outgoing_with_file
    sender, lost = workstation(ORG_B, "Văn phòng", sub="gui"), workstation(ORG_A, sub="mat-dia")
    for i in range(2):
        outgoing.send_entry(sender.store, sender.settings,
                            outgoing_with_file(sender, tmp_path, summary=f"Gửi {i}")["id"], [ORG_A])
    sender.sync()
    lost.sync()
    first, second = inbox.list_items(lost.store, "pending")
    accepted = inbox.accept(lost.store, lost.settings, first["id"])
    lost.sync()
    lost.close()
    new = workstation(ORG_A, sub="may-thay")
    result = restore.restore_from_server(new.store, new.settings)
    assert result["entries"] == 1 and result["redelivered"] >= 2
    new.sync()
    back = {i["summary"]: i for i in inbox.list_items(new.store) if i["kind"] == "edoc"}
    assert back[first["summary"]]["state"] == "accepted"
    assert back[first["summary"]]["entry_id"] == entries.get(new.store, accepted["uid"])["id"]
    assert back[second["summary"]]["state"] == "pending"        # not lost with the disk
    assert len(entries.list_entries(new.store, kind="incoming")) == 1


def test_restore_from_server_after_disk_loss(workstation, hub, tmp_path):
    a = workstation(ORG_A, sub="may-hong")
    made = entries.register_many(a.store, "outgoing", [{"summary": f"Văn bản {i}", "notation": "UBND-VP"}
                                                        for i in range(8)])
    inc = entries.register(a.store, "incoming", {"summary": "Công văn đến", "issuer": "Sở Nội vụ",
                                                  "reference": "12/SNV-VP"})
    entries.revise(a.store, made[1]["id"], {"summary": "Văn bản 1 (đã sửa)"}, "Sai chính tả")
    entries.void(a.store, made[2]["id"], "Đăng ký nhầm")
    pdf = make_pdf(tmp_path / "scan.pdf", "Bản quét")
    attachments.add(a.store, inc["id"], pdf, role="scan")
    assert a.sync().waiting == 0
    before = {e["uid"]: e for e in entries.list_entries(a.store, limit=100)}
    ws_id = a.store.workstation_id
    a.close()

    b = workstation(ORG_A, sub="may-moi")
    result = restore.restore_from_server(b.store, b.settings)
    assert result["entries"] == 9 and result["attachments"] == 1 and result["workstation"] == ws_id
    after = {e["uid"]: e for e in entries.list_entries(b.store, limit=100)}
    assert set(after) == set(before)
    for uid, e in before.items():
        for k in ("register", "register_number", "year", "summary", "status", "revision", "reference", "void_reason"):
            assert after[uid][k] == e[k], (uid, k)
    assert [h["revision"] for h in entries.history(b.store, after[made[1]["uid"]]["id"])] == [1, 2]
    [att] = attachments.list_for(b.store, after[inc["uid"]]["id"])
    assert files.path_for(b.store, att["sha256"]).read_bytes() == pdf.read_bytes()
    # counters continue, nothing is pushed back, and the restored machine owns its registers
    assert outbox.counts(b.store) == {}
    nxt = entries.register(b.store, "outgoing", {"summary": "Sau khôi phục", "notation": "UBND-VP"})
    assert nxt["register_number"] == 9
    r = b.sync()
    assert r.parked == 0 and r.sent == 1
    from app.store import integrity
    assert integrity.verify(b.store) == []
    with pytest.raises(Exception):
        restore.restore_from_server(b.store, b.settings)   # only into an empty folder
