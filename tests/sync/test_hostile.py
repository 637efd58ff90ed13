"""Hostile packages delivered through the hub: refused safely, kept visible, acknowledged, and
they block nothing that comes after them."""
import io
import os

import pytest

from app.store import files
from app.sync import edxml, inbox
from app.sync.transport import open_transport

from .conftest import ORG_A, ORG_B

pytestmark = pytest.mark.timeout(300)
NS = 'xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016"'


def _good(name="Quyết định.pdf", data=b"%PDF-1.4 good", subject="Văn bản tốt"):
    buf = io.BytesIO()
    edxml.write_document(buf, {"from": {"organ_id": ORG_A, "organ_name": "UBND tỉnh"}, "to": [{"organ_id": ORG_B}],
                               "document_id": f"{ORG_A},{subject}", "subject": subject},
                         [edxml.OutAttachment(name, data=data)])
    return buf.getvalue()


HOSTILE = {
    "bomb": ('<?xml version="1.0"?><!DOCTYPE b [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
             f'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><edXML:edXMLEnvelope {NS}><edXML:edXMLHeader>'
             '<edXML:MessageHeader><edXML:Subject>&c;</edXML:Subject></edXML:MessageHeader></edXML:edXMLHeader>'
             '</edXML:edXMLEnvelope>').encode(),
    "xxe": ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            f'<edXML:edXMLEnvelope {NS}><edXML:edXMLHeader><edXML:MessageHeader><edXML:Subject>&e;'
            '</edXML:Subject></edXML:MessageHeader></edXML:edXMLHeader></edXML:edXMLEnvelope>').encode(),
    "base64": _good().replace(b"<ContentTransferEncoded>", b"<ContentTransferEncoded>***"),
}


def test_hostile_packages_are_refused_by_the_hub_and_not_kept(workstation, hub, tmp_path):
    from app.sync.errors import ServerRefused
    a, b = workstation(ORG_A), workstation(ORG_B)
    t = open_transport(a.settings, a.store.workstation_id)
    try:
        for label in ("bomb", "xxe"):          # the hub reads headers: it refuses these itself
            p = tmp_path / f"{label}.edxml"
            p.write_bytes(HOSTILE[label])
            with pytest.raises(ServerRefused) as info:
                t.send(p, key=f"hostile-{label}", to=[ORG_B])
            assert "không hợp lệ" in info.value.message      # the platform's ErrorDesc, for the clerk
        for label, body in (("traversal", _good(name="../../../../tmp/vanthu-pwned.pdf", subject="Tên tệp nguy hiểm")),
                            ("good", _good()), ("base64", HOSTILE["base64"])):   # attachments: the receiver's job
            p = tmp_path / f"{label}.edxml"
            p.write_bytes(body)
            t.send(p, key=f"ok-{label}", to=[ORG_B])
    finally:
        t.close()
    assert hub.query("SELECT count(*) AS n FROM messages")[0]["n"] == 3
    assert list((hub.data / "files" / "tmp").iterdir()) == []          # refused uploads deleted
    r = b.sync()
    assert r.online and r.received == 3
    [bad] = inbox.list_items(b.store, "invalid")
    assert "base64" in bad["reason"] and files.path_for(b.store, bad["package_sha256"]).exists()
    states = {d["status"] for d in hub.query("SELECT status FROM deliveries WHERE recipient = ?", (ORG_B,))}
    assert states == {"done", "fail"}
    assert b.sync().received == 0
    by_subject = {i["summary"]: i for i in inbox.list_items(b.store) if i["summary"]}
    trav = by_subject["Tên tệp nguy hiểm"]
    assert trav["state"] == "pending" and trav["attachments"][0]["name"] == "vanthu-pwned.pdf"
    assert not os.path.exists("/tmp/vanthu-pwned.pdf")
    assert by_subject["Văn bản tốt"]["state"] == "pending"


def test_hostile_packages_delivered_through_a_folder(workstation, tmp_path):
    """A gateway that does not check (folder delivery): the workstation refuses them itself."""
    b = workstation(ORG_B, url="http://127.0.0.1:9")
    paths = []
    for label, body in HOSTILE.items():
        p = tmp_path / f"{label}.edxml"
        p.write_bytes(body)
        paths.append(p)
    results = inbox.import_files(b.store, b.settings, paths)
    assert [r["state"] for r in results] == ["invalid"] * 3
    reasons = " ".join(r["reason"] for r in results)
    assert "DOCTYPE" in reasons and "base64" in reasons and "root:" not in reasons   # /etc/passwd never read
    for r in results:   # kept unchanged for the administrator
        assert files.path_for(b.store, r["package_sha256"]).read_bytes() == HOSTILE[os.path.basename(r["path"])[:-6]]
    assert [r.get("duplicate") for r in inbox.import_files(b.store, b.settings, paths)] == [True] * 3


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_200mb_attachment_through_the_hub(workstation, hub, tmp_path):
    import resource
    a, b = workstation(ORG_A, timeout=120), workstation(ORG_B, timeout=120)
    big = tmp_path / "big.pdf"
    with open(big, "wb") as f:
        f.write(b"%PDF-1.4\n")
        for _ in range(200):
            f.write(os.urandom(1 << 20))
    pkg = tmp_path / "big.edxml"
    edxml.write_document(pkg, {"from": {"organ_id": ORG_A}, "to": [{"organ_id": ORG_B}], "document_id": "big",
                               "subject": "Tệp đính kèm 200 MB"}, [edxml.OutAttachment("big.pdf", path=str(big))])
    t = open_transport(a.settings, a.store.workstation_id)
    try:
        t.send(pkg, key="big-1", to=[ORG_B])
    finally:
        t.close()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    r = b.sync()
    grew = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert r.received == 1
    [item] = inbox.list_items(b.store, "pending")
    assert item["attachments"][0]["size"] == big.stat().st_size
    assert grew < 150, f"memory grew by {grew:.0f} MB"


def test_package_over_the_download_limit_is_recorded_not_kept(workstation, hub, tmp_path, monkeypatch):
    from app.sync import worker
    monkeypatch.setattr(worker, "MAX_RECEIVED_PACKAGE", 20_000)
    a, b = workstation(ORG_A), workstation(ORG_B)
    p = tmp_path / "large.edxml"
    p.write_bytes(_good(data=os.urandom(60_000), subject="Gói quá lớn"))
    t = open_transport(a.settings, a.store.workstation_id)
    try:
        t.send(p, key="large-1", to=[ORG_B])
    finally:
        t.close()
    r = b.sync()
    assert r.online and r.received == 1
    [item] = inbox.list_items(b.store)
    assert item["state"] == "invalid" and "lớn quá" in item["reason"] and item["package_size"] == 0
    assert hub.query("SELECT status FROM deliveries WHERE recipient = ?", (ORG_B,))[0]["status"] == "fail"
