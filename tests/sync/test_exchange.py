"""Two workstations exchange documents end to end through the hub (a real process)."""
import json

import pytest

from app.errors import ValidationError
from app.store import attachments, entries, files, outbox
from app.sync import inbox, outgoing

from .conftest import ORG_A, ORG_B, ORG_C
from .helpers import outgoing_with_file, signed_pdf

pytestmark = pytest.mark.timeout(120)


def _statuses(ws):
    return sorted(i["status_code"] for i in inbox.list_items(ws.store, "info") if i["kind"] == "status")


def test_send_receive_accept_statuses_back(workstation, hub, tmp_path):
    a = workstation(ORG_A, "UBND tỉnh Sóc Trăng")
    b = workstation(ORG_B, "Văn phòng UBND tỉnh")
    e = outgoing_with_file(a, tmp_path)
    queued = outgoing.send_entry(a.store, a.settings, e["id"], [ORG_B])
    assert entries.get(a.store, e["id"])["status"] == "dispatched"
    assert a.sync().online
    assert outbox.counts(a.store) == {"done": outbox.counts(a.store)["done"]}   # nothing left

    r = b.sync()
    assert r.received == 1
    [item] = inbox.list_items(b.store, "pending")
    assert item["sender_id"] == ORG_A and item["document_id"] == queued["document_id"]
    assert item["summary"] == "Về việc thử nghiệm liên thông"
    assert item["verdict"] in ("unsigned", "unverified")
    # the raw package is stored unchanged, byte for byte
    assert files.path_for(b.store, item["package_sha256"]).read_bytes() == \
        files.path_for(a.store, queued["package_sha256"]).read_bytes()

    entry = inbox.accept(b.store, b.settings, item["id"])
    assert entry["kind"] == "incoming" and entry["register_number"] == 1
    assert entry["received_via"] == "electronic" and entry["doc_identifier"] == queued["document_id"]
    assert entry["issuer_id"] == ORG_A and entry["urgency"] == 1 and entry["signer"] == "Nguyễn Văn An"
    roles = sorted(x["role"] for x in attachments.list_for(b.store, entry["id"]))
    assert roles == ["original", "package"]
    b.sync()
    a.sync()
    assert _statuses(a) == ["01", "03"]
    linked = {i["related_entry_id"] for i in inbox.list_items(a.store, "info")}
    assert linked == {e["id"]}
    back = inbox.statuses_for_entry(a.store, e["id"])
    assert [s["code"] for s in back] == ["01", "03"] and back[1]["label"] == "Đã tiếp nhận, đăng ký"
    assert back[1]["org"] == ORG_B
    # hub: one message for the document, one per status, each delivered once
    msgs = hub.query("SELECT sender, messagetype, count(*) AS n FROM messages GROUP BY sender, messagetype")
    assert {(m["sender"], m["messagetype"]): m["n"] for m in msgs} == {(ORG_A, "edoc"): 1, (ORG_B, "status"): 2}


def test_reject_sends_02_with_reason(workstation, tmp_path):
    a, b = workstation(ORG_A), workstation(ORG_B)
    outgoing.send_entry(a.store, a.settings, outgoing_with_file(a, tmp_path)["id"], [ORG_B])
    a.sync()
    b.sync()
    [item] = inbox.list_items(b.store, "pending")
    with pytest.raises(ValidationError):
        inbox.reject(b.store, b.settings, item["id"], "")
    inbox.reject(b.store, b.settings, item["id"], "Gửi nhầm đơn vị")
    with pytest.raises(ValidationError):
        inbox.accept(b.store, b.settings, item["id"])
    b.sync()
    a.sync()
    st = [i for i in inbox.list_items(a.store, "info") if i["status_code"] == "02"]
    assert st and st[0]["summary"] == "Gửi nhầm đơn vị"
    assert entries.list_entries(b.store, kind="incoming") == []


def test_duplicate_delivery_is_ignored(workstation, hub, tmp_path):
    a, b = workstation(ORG_A), workstation(ORG_B)
    e = outgoing_with_file(a, tmp_path)
    outgoing.send_entry(a.store, a.settings, e["id"], [ORG_B])
    a.sync()
    [pending] = hub.query("SELECT message_id FROM deliveries WHERE recipient = ?", (ORG_B,))
    first = b.sync(poll=True)
    assert first.received == 1
    # the hub delivers the same package again (lost acknowledgement on its side)
    import sqlite3
    with sqlite3.connect(hub.data / "hub.sqlite3") as conn:
        conn.execute("UPDATE deliveries SET status = 'pending' WHERE message_id = ?", (pending["message_id"],))
    again = b.sync()
    assert again.received == 0 and again.duplicates == 1
    assert len(inbox.list_items(b.store)) == 1
    assert hub.query("SELECT status FROM deliveries WHERE message_id = ?", (pending["message_id"],))[0]["status"] == "done"


def test_same_document_resent_after_acceptance_is_recognized(workstation, tmp_path):
    a, b = workstation(ORG_A), workstation(ORG_B)
    e = outgoing_with_file(a, tmp_path)
    outgoing.send_entry(a.store, a.settings, e["id"], [ORG_B])
    a.sync()
    b.sync()
    [item] = inbox.list_items(b.store, "pending")
    entry = inbox.accept(b.store, b.settings, item["id"])
    outgoing.send_entry(a.store, a.settings, e["id"], [ORG_B])     # the sender sends it again
    a.sync()
    b.sync()
    assert inbox.list_items(b.store, "pending") == []
    again = [i for i in inbox.list_items(b.store, "accepted") if i["id"] != item["id"]]
    assert len(again) == 1 and again[0]["entry_id"] == entry["id"]
    assert len(entries.list_entries(b.store, kind="incoming")) == 1
    b.sync()
    a.sync()
    assert _statuses(a).count("03") == 2


def test_same_document_twice_is_flagged_on_accept(workstation, tmp_path):
    """Two different deliveries of one document: the second accept is a duplicate for the clerk."""
    a, b = workstation(ORG_A), workstation(ORG_B)
    e = outgoing_with_file(a, tmp_path)
    outgoing.send_entry(a.store, a.settings, e["id"], [ORG_B])
    outgoing.send_entry(a.store, a.settings, e["id"], [ORG_B])
    a.sync()
    b.sync()
    items = inbox.list_items(b.store, "pending")
    assert len(items) == 2
    inbox.accept(b.store, b.settings, items[0]["id"])
    from app.errors import DuplicateError
    with pytest.raises(DuplicateError):
        inbox.accept(b.store, b.settings, items[1]["id"])


def test_recall_marks_entry_and_answers_15(workstation, tmp_path):
    a, b = workstation(ORG_A), workstation(ORG_B)
    e = outgoing_with_file(a, tmp_path)
    outgoing.send_entry(a.store, a.settings, e["id"], [ORG_B])
    a.sync()
    b.sync()
    [item] = inbox.list_items(b.store, "pending")
    entry = inbox.accept(b.store, b.settings, item["id"])
    # the sender recalls (business type 1)
    outgoing.send_entry(a.store, a.settings, e["id"], [ORG_B], business=1, reason="Ban hành nhầm")
    a.sync()
    b.sync()
    recalled = entries.get(b.store, entry["id"])
    assert recalled["status"] == "recalled"       # never deleted
    assert [h["revision"] for h in entries.history(b.store, entry["id"])] == [1, 2]
    assert inbox.get(b.store, item["id"])["state"] == "recalled"
    a.sync()
    assert "15" in _statuses(a)


def test_recall_request_status_13_for_unknown_document_answers_16(workstation, tmp_path):
    from app.sync import statuses
    a, b = workstation(ORG_A), workstation(ORG_B)
    payload = statuses.prepare(a.store, a.settings, ORG_B, {"organ_id": ORG_A, "code": "9/UBND-VP",
                                                             "document_id": "không-có"}, "13", "Xin lấy lại")
    with a.store.transaction() as conn:
        statuses.enqueue(conn, payload)
    a.sync()
    b.sync()
    b.sync()
    a.sync()
    # A never sent that document to B: B's answer 16 is not acted on, it is held visibly
    [held] = inbox.quarantine_list(a.store)
    assert held["status_code"] == "16" and held["transport_sender"] == ORG_B and "không gửi" in held["reason"]


def test_update_is_linked_to_the_original(workstation, tmp_path):
    a, b = workstation(ORG_A), workstation(ORG_B)
    e = outgoing_with_file(a, tmp_path)
    outgoing.send_entry(a.store, a.settings, e["id"], [ORG_B])
    a.sync()
    b.sync()
    [item] = inbox.list_items(b.store, "pending")
    original = inbox.accept(b.store, b.settings, item["id"])
    outgoing.send_entry(a.store, a.settings, e["id"], [ORG_B], business=2, reason="Cập nhật phụ lục")
    a.sync()
    b.sync()
    [upd] = inbox.list_items(b.store, "pending")
    assert upd["business_type"] == 2 and upd["related_entry_id"] == original["id"]
    fields = inbox.fields_from_header(upd)
    assert str(original["id"]) in fields["note"]


def test_signed_pdf_is_verified_on_arrival(workstation, tmp_path):
    from tests.support.pki import make_pki
    pki = make_pki(tmp_path / "pki")
    a, b = workstation(ORG_A), workstation(ORG_B)
    b.settings.set("sign.trust_roots", str(pki.trust_root_pem))
    e = outgoing_with_file(a, tmp_path, pdf=signed_pdf(tmp_path, pki))
    outgoing.send_entry(a.store, a.settings, e["id"], [ORG_B])
    a.sync()
    b.sync()
    [item] = inbox.list_items(b.store, "pending")
    if item["verdict"] == "unverified":
        pytest.skip("signature verifier not available yet")
    assert item["verdict"] in ("valid", "warning")     # warning: one signature where two are asked
    assert item["verification"][0]["report"]["signatures"]


def test_unknown_recipient_is_parked_and_does_not_block(workstation, tmp_path):
    a = workstation(ORG_A)
    e1 = outgoing_with_file(a, tmp_path, summary="Gửi đơn vị không tồn tại")
    outgoing.send_entry(a.store, a.settings, e1["id"], ["000.99.99.H53"])
    e2 = outgoing_with_file(a, tmp_path, summary="Gửi đơn vị có thật")
    outgoing.send_entry(a.store, a.settings, e2["id"], [ORG_C])
    r = a.sync()
    assert r.parked == 1 and "000.99.99.H53" in r.parked_reasons[0]["reason"]
    assert outbox.counts(a.store).get("pending", 0) == 0
    parked = outbox.items(a.store, "parked")
    assert parked[0]["topic"] == "edoc.send" and parked[0]["last_error"]


def test_send_refuses_incoming_voided_and_fileless(workstation, tmp_path):
    a = workstation(ORG_A)
    inc = entries.register(a.store, "incoming", {"summary": "Văn bản đến", "issuer": "Sở Nội vụ"})
    with pytest.raises(ValidationError, match="văn bản đi"):
        outgoing.send_entry(a.store, a.settings, inc["id"], [ORG_B])
    bare = entries.register(a.store, "outgoing", {"summary": "Chưa có tệp", "notation": "UBND-VP"})
    with pytest.raises(ValidationError, match="chưa có tệp"):
        outgoing.send_entry(a.store, a.settings, bare["id"], [ORG_B])
    with pytest.raises(ValidationError):
        outgoing.send_entry(a.store, a.settings, bare["id"], ["not-an-org"])
    before = outbox.counts(a.store)
    entries.void(a.store, bare["id"], "Đăng ký nhầm")
    with pytest.raises(ValidationError, match="hủy số"):
        outgoing.send_entry(a.store, a.settings, bare["id"], [ORG_B])
    assert outbox.counts(a.store)["pending"] == before["pending"] + 1   # only the void itself


def test_accept_is_safe_to_repeat_after_interruption(workstation, tmp_path, monkeypatch):
    """A crash after registering but before closing the inbox item: accepting again reuses the entry."""
    a, b = workstation(ORG_A), workstation(ORG_B)
    outgoing.send_entry(a.store, a.settings, outgoing_with_file(a, tmp_path)["id"], [ORG_B])
    a.sync()
    b.sync()
    [item] = inbox.list_items(b.store, "pending")
    from app.sync import statuses
    real = statuses.prepare
    monkeypatch.setattr(statuses, "prepare", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("crash")))
    with pytest.raises(RuntimeError):
        inbox.accept(b.store, b.settings, item["id"])
    monkeypatch.setattr(statuses, "prepare", real)
    assert inbox.get(b.store, item["id"])["state"] == "pending"
    entry = inbox.accept(b.store, b.settings, item["id"])
    assert len(entries.list_entries(b.store, kind="incoming")) == 1
    assert sorted(x["role"] for x in attachments.list_for(b.store, entry["id"])) == ["original", "package"]
    pending = [json.loads(i["payload"])["code"] for i in outbox.items(b.store, "pending") if i["topic"] == "status.send"]
    assert pending.count("03") == 1


def test_invalid_package_is_kept_visible_and_can_be_returned(workstation, tmp_path):
    b = workstation(ORG_B)
    bad = tmp_path / "bad.edxml"
    bad.write_bytes(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    item = inbox.ingest(b.store, b.settings, "hostile-1", bad)
    assert item["state"] == "invalid" and "DOCTYPE" in item["reason"]
    assert files.path_for(b.store, item["package_sha256"]).read_bytes() == bad.read_bytes()
    again = inbox.ingest(b.store, b.settings, "hostile-1", bad)
    assert again["duplicate"] and again["id"] == item["id"]
    assert inbox.reject(b.store, b.settings, item["id"], "Gói tin không đọc được")["state"] == "rejected"


def test_handling_steps_are_reported_back_once(workstation, tmp_path):
    a, b = workstation(ORG_A), workstation(ORG_B)
    outgoing.send_entry(a.store, a.settings, outgoing_with_file(a, tmp_path)["id"], [ORG_B])
    a.sync()
    b.sync()
    [item] = inbox.list_items(b.store, "pending")
    entry = inbox.accept(b.store, b.settings, item["id"])
    paper = entries.register(b.store, "incoming", {"summary": "Văn bản giấy", "issuer": "Sở Y tế"})
    entries.set_status(b.store, paper["id"], "forwarded")        # not from the hub: nothing to report
    entries.set_status(b.store, entry["id"], "forwarded", "Chuyển phòng Tổng hợp")
    entries.set_status(b.store, entry["id"], "in_progress")
    b.sync()
    entries.set_status(b.store, entry["id"], "done")
    b.sync()
    b.sync()
    a.sync()
    assert _statuses(a) == ["01", "03", "04", "05", "06"]


def test_clerk_decisions_are_in_the_audit_log(workstation, tmp_path):
    from app.store import integrity
    a, b = workstation(ORG_A), workstation(ORG_B)
    for _ in range(2):
        outgoing.send_entry(a.store, a.settings, outgoing_with_file(a, tmp_path)["id"], [ORG_B])
    a.sync()
    b.sync()
    first, second = inbox.list_items(b.store, "pending")
    inbox.accept(b.store, b.settings, first["id"])
    inbox.reject(b.store, b.settings, second["id"], "Không thuộc thẩm quyền")
    actions = [r[0] for r in b.store.query("SELECT action FROM audit_log WHERE entity = 'inbox' ORDER BY seq")]
    assert actions.count("inbox.received") == 2 and "inbox.accept" in actions and "inbox.reject" in actions
    assert integrity.verify(b.store) == []


def test_recall_interrupted_after_recording_is_finished_next_round(workstation, tmp_path, monkeypatch):
    a, b = workstation(ORG_A), workstation(ORG_B)
    e = outgoing_with_file(a, tmp_path)
    outgoing.send_entry(a.store, a.settings, e["id"], [ORG_B])
    a.sync()
    b.sync()
    [item] = inbox.list_items(b.store, "pending")
    entry = inbox.accept(b.store, b.settings, item["id"])
    outgoing.send_entry(a.store, a.settings, e["id"], [ORG_B], business=1, reason="Ban hành nhầm")
    a.sync()
    real = inbox.recall
    monkeypatch.setattr(inbox, "recall", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("killed")))
    with pytest.raises(RuntimeError):
        b.sync()
    monkeypatch.setattr(inbox, "recall", real)
    assert entries.get(b.store, entry["id"])["status"] == "registered"   # notice recorded, not applied
    b.sync()
    assert entries.get(b.store, entry["id"])["status"] == "recalled"
    b.sync()
    a.sync()
    assert _statuses(a).count("15") == 1


def test_platform_ids_of_other_shapes_are_accepted_as_recipients(workstation, tmp_path):
    a = workstation(ORG_A, url="http://127.0.0.1:9")
    e = outgoing_with_file(a, tmp_path)
    out = outgoing.send_entry(a.store, a.settings, e["id"], ["vxp.saas.03", "000.00.01.h53"])
    [item] = [i for i in outbox.items(a.store, "pending") if i["topic"] == "edoc.send"]
    assert json.loads(item["payload"])["to"] == ["vxp.saas.03", "000.00.01.H53"] and out["key"] == item["key"]
    with pytest.raises(ValidationError):
        outgoing.send_entry(a.store, a.settings, e["id"], ["<script>"])
