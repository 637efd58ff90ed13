"""An outside party against the reference hub and the workstation: spoofed From, forged recall,
replay, stale timestamp, body swapped under captured headers, cross-organization fetch, oversize
upload. The hub is a real process; requests are signed exactly as the SDK signs them."""
import io
import json
from datetime import datetime, timedelta

import httpx
import pytest

from app.domain.clock import VN_TZ
from app.store import entries
from app.sync import edxml, inbox, outgoing, xroad

from .conftest import ORG_A, ORG_B, ORG_C, SECRETS
from .helpers import outgoing_with_file

pytestmark = pytest.mark.timeout(180)


def _signed(org, content_type="application/json", when=None, secret=None, **values):
    ts = xroad.java_timestamp(when or datetime.now(VN_TZ))
    return xroad.sign({"timestamp": ts, "systemid": org, "Content-Type": content_type, **values},
                      secret or SECRETS[org])


def _package(sender, to, document_id="d-1", business=None, subject="Văn bản") -> bytes:
    buf = io.BytesIO()
    edxml.write_document(buf, {"from": {"organ_id": sender}, "to": [{"organ_id": t} for t in to],
                               "document_id": document_id, "subject": subject},
                         [edxml.OutAttachment("a.pdf", data=b"%PDF-1.4 x")], business=business)
    return buf.getvalue()


def _send(hub, org, body: bytes, to, headers=None):
    headers = headers or _signed(org, "application/octet-stream", **{
        "from": org, "to": xroad.gson_object_list(to), "servicetype": "eDoc", "messagetype": "edoc",
        "hash-file": xroad.java_unpadded_hex(__import__("hashlib").sha256(body).digest())})
    return httpx.post(hub.url + "/sendEdoc", headers=headers, files={"file_doc": ("p.edxml", body)}, timeout=30)


def _messages(hub) -> int:
    return hub.query("SELECT count(*) AS n FROM messages")[0]["n"]


def _hub_tmp_empty(hub) -> bool:
    tmp = hub.data / "files" / "tmp"
    return not tmp.exists() or not list(tmp.iterdir())


def test_spoofed_from_is_refused_by_the_hub(hub):
    r = _send(hub, ORG_C, _package(ORG_A, [ORG_B]), [ORG_B])       # C authenticates, package says A
    assert r.status_code == 403 and r.json()["status"] == "FAIL" and ORG_A in r.json()["ErrorDesc"]
    r = _send(hub, ORG_C, _package(ORG_C, [ORG_B]), [ORG_B], headers=_signed(
        ORG_C, "application/octet-stream", **{"from": ORG_A, "to": json.dumps([ORG_B]),
                                               "hash-file": "0"}))      # `from` speaking for A
    assert r.status_code == 403
    assert _messages(hub) == 0 and _hub_tmp_empty(hub)


def test_spoofed_from_reaching_the_workstation_is_quarantined(workstation, tmp_path):
    """A platform that does not check (or a hostile one) delivers C's package claiming to be A."""
    b = workstation(ORG_B, url="http://127.0.0.1:9")
    p = tmp_path / "spoof.edxml"
    p.write_bytes(_package(ORG_A, [ORG_B], subject="Giả mạo"))
    item = inbox.ingest(b.store, b.settings, "hub-77", p, transport_sender=ORG_C)
    assert item["state"] == "quarantined" and ORG_A in item["reason"] and ORG_C in item["reason"]
    assert inbox.list_items(b.store) == []                              # nothing to accept
    [held] = inbox.quarantine_list(b.store)
    assert held["claimed_sender"] == ORG_A and held["transport_sender"] == ORG_C
    again = inbox.ingest(b.store, b.settings, "hub-77", p, transport_sender=ORG_C)
    assert len(inbox.quarantine_list(b.store)) == 1 and again["state"] == "quarantined"
    done = inbox.quarantine_dismiss(b.store, held["id"], "Đã báo quản trị trục")
    assert done["state"] == "dismissed" and inbox.quarantine_list(b.store) == []


def test_forged_recall_from_a_third_party_is_not_applied(workstation, hub, tmp_path):
    a, b = workstation(ORG_A), workstation(ORG_B)
    e = outgoing_with_file(a, tmp_path)
    sent = outgoing.send_entry(a.store, a.settings, e["id"], [ORG_B])
    a.sync()
    b.sync()
    [item] = inbox.list_items(b.store, "pending")
    registered = inbox.accept(b.store, b.settings, item["id"])
    # C, properly authenticated as itself, asks B to recall A's document
    forged = _package(ORG_C, [ORG_B], document_id=sent["document_id"], business={"doc_type": "1", "reason": "Thu hồi"})
    assert _send(hub, ORG_C, forged, [ORG_B]).json()["status"] == "OK"
    r = b.sync()
    assert r.online
    assert entries.get(b.store, registered["id"])["status"] != "recalled"
    [held] = inbox.quarantine_list(b.store)
    assert held["transport_sender"] == ORG_C and held["business_type"] == 1 and "đơn vị khác" in held["reason"]
    assert inbox.get(b.store, item["id"])["state"] == "accepted"
    # the real sender may recall it
    outgoing.send_entry(a.store, a.settings, e["id"], [ORG_B], business=1, reason="Ban hành nhầm")
    a.sync()
    b.sync()
    assert entries.get(b.store, registered["id"])["status"] == "recalled"


def test_forged_status_13_and_foreign_statuses_are_held(workstation, hub, tmp_path):
    a, b, c = workstation(ORG_A), workstation(ORG_B), workstation(ORG_C)
    e = outgoing_with_file(a, tmp_path)
    sent = outgoing.send_entry(a.store, a.settings, e["id"], [ORG_B])
    a.sync()
    b.sync()
    [item] = inbox.list_items(b.store, "pending")
    inbox.accept(b.store, b.settings, item["id"])
    from app.sync import statuses
    # C asks B to take back A's document (13), and tells A that B "finished" it (06)
    for to, code in ((ORG_B, "13"), (ORG_A, "06")):
        payload = statuses.prepare(c.store, c.settings, to, {"organ_id": ORG_A, "document_id": sent["document_id"]},
                                   code, "Giả")
        with c.store.transaction() as conn:
            statuses.enqueue(conn, payload)
    c.sync()
    b.sync()
    a.sync()
    assert inbox.get(b.store, item["id"])["state"] == "accepted"
    assert [h["status_code"] for h in inbox.quarantine_list(b.store)] == ["13"]
    assert [h["status_code"] for h in inbox.quarantine_list(a.store)] == ["06"]
    assert "06" not in [s["code"] for s in inbox.statuses_for_entry(a.store, e["id"])]


def test_replayed_request_is_refused(hub):
    h = _signed(ORG_A)
    assert httpx.post(hub.url + "/getAgenciesList", headers=h, timeout=10).status_code == 200
    again = httpx.post(hub.url + "/getAgenciesList", headers=h, timeout=10)
    assert again.status_code == 401 and "phát lại" in again.json()["ErrorDesc"]


@pytest.mark.parametrize("minutes", [-10, 6])
def test_stale_or_future_timestamp_is_refused(hub, minutes):
    h = _signed(ORG_A, when=datetime.now(VN_TZ) + timedelta(minutes=minutes))
    r = httpx.post(hub.url + "/getAgenciesList", headers=h, timeout=10)
    assert r.status_code == 401 and "5 phút" in r.json()["ErrorDesc"]
    assert httpx.post(hub.url + "/getAgenciesList", headers=_signed(
        ORG_A, when=datetime.now(VN_TZ) - timedelta(minutes=4)), timeout=10).status_code == 200


def test_body_swapped_under_captured_headers_is_refused(hub):
    genuine = _package(ORG_A, [ORG_B], subject="Thật")
    hostile = _package(ORG_A, [ORG_B], subject="Bị tráo")
    import hashlib
    h = _signed(ORG_A, "application/octet-stream", **{
        "from": ORG_A, "to": xroad.gson_object_list([ORG_B]), "servicetype": "eDoc", "messagetype": "edoc",
        "hash-file": xroad.java_unpadded_hex(hashlib.sha256(genuine).digest())})
    r = _send(hub, ORG_A, hostile, [ORG_B], headers=h)        # intercepted in flight, body replaced
    assert r.status_code == 400 and "hash-file" in r.json()["ErrorDesc"]
    assert _messages(hub) == 0 and _hub_tmp_empty(hub)
    no_hash = _signed(ORG_A, "application/octet-stream", **{"from": ORG_A, "to": xroad.gson_object_list([ORG_B])})
    assert _send(hub, ORG_A, genuine, [ORG_B], headers=no_hash).status_code == 400     # hash-file required


def test_cross_organization_fetch_is_refused(workstation, hub, tmp_path):
    a = workstation(ORG_A)
    e = outgoing_with_file(a, tmp_path)
    outgoing.send_entry(a.store, a.settings, e["id"], [ORG_B])
    a.sync()
    [msg] = hub.query("SELECT id, sha256 FROM messages")
    # C names A's document and its file by id and hash
    r = httpx.post(hub.url + "/getEdoc", headers=_signed(ORG_C, docId=str(msg["id"])), timeout=10)
    assert r.status_code == 404 and r.json()["status"] == "FAIL"
    r = httpx.get(f"{hub.url}/api/v1/files/{msg['sha256']}", headers=_signed(ORG_C), timeout=10)
    assert r.status_code == 404
    # claiming to hold it without its bytes does not make it C's
    r = httpx.put(f"{hub.url}/api/v1/files/{msg['sha256']}", headers=_signed(ORG_C, workstation="ws-c"),
                  content=b"not the file", timeout=10)
    assert r.status_code == 400
    attached = [x for x in hub.query("SELECT sha256 FROM attachments WHERE org = ?", (ORG_A,))]
    r = httpx.post(hub.url + "/api/v1/changes", headers=_signed(ORG_C, workstation="ws-c"), json={"items": [
        {"key": "k-steal", "topic": "attachment.added", "register": "di", "payload": {
            "entry": "x", "sha256": attached[0]["sha256"], "name": "n", "role": "scan", "size": 1}}]}, timeout=10)
    assert r.json()["results"][0]["status"] == "invalid"
    r = httpx.get(f"{hub.url}/api/v1/files/{attached[0]['sha256']}", headers=_signed(ORG_C), timeout=10)
    assert r.status_code == 404
    # the recipient and the sender may fetch it
    assert httpx.post(hub.url + "/getEdoc", headers=_signed(ORG_B, docId=str(msg["id"])),
                      timeout=10).json()["status"] == "OK"
    assert httpx.post(hub.url + "/getEdoc", headers=_signed(ORG_A, docId=str(msg["id"])),
                      timeout=10).json()["status"] == "OK"


def test_oversize_upload_is_refused_and_not_kept(tmp_path):
    from .hubproc import Hub
    small = Hub(tmp_path / "hub-small", dict(SECRETS), env={"VANTHU_HUB_MAX_UPLOAD": "100000"}).start()
    try:
        big = _package(ORG_A, [ORG_B])
        big = big.replace(b"JVBERi0xLjQgeA==", b"QUFB" * 40_000)        # 160 kB of base64
        r = _send(small, ORG_A, big, [ORG_B])
        assert r.status_code == 413 and r.json()["ErrorCode"] == "413"
        assert _messages(small) == 0 and _hub_tmp_empty(small)
        r = httpx.post(small.url + "/api/v1/changes", headers=_signed(ORG_A, workstation="w"),
                       content=b"{" + b" " * (17 << 20) + b"}", timeout=30)
        assert r.status_code == 413
    finally:
        small.stop()


def test_secrets_are_not_on_the_command_line_nor_in_the_database(hub):
    import subprocess
    with open(f"/proc/{hub.proc.pid}/cmdline", "rb") as f:
        cmdline = f.read().decode(errors="replace")
    assert not any(s in cmdline for s in SECRETS.values())
    dump = subprocess.run(["sqlite3", str(hub.data / "hub.sqlite3"), ".dump"], capture_output=True, text=True,
                          timeout=30).stdout
    assert "organizations" in dump and not any(s in dump for s in SECRETS.values())
