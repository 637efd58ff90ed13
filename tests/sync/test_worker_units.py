"""Pieces of the worker that need no hub: lanes and backoff in the outbox, accept overrides,
temporary file clean-up, dialect registry, credentials."""
import os
import time
from datetime import date, timedelta

import pytest

from app.errors import ValidationError
from app.store import entries, outbox
from app.sync import credentials, edxml, inbox, worker
from app.sync.errors import NotConfigured

from .conftest import NO_SERVER, ORG_A, ORG_B

pytestmark = pytest.mark.timeout(60)


def _package(tmp_path, promulgation: str, name="p.edxml"):
    path = tmp_path / name
    edxml.write_document(path, {
        "from": {"organ_id": ORG_A, "organ_name": "UBND tỉnh Sóc Trăng"},
        "to": [{"organ_id": ORG_B}], "document_id": f"{ORG_A},{promulgation},7/UBND-VP",
        "code": {"number": "7", "notation": "UBND-VP"}, "promulgation": {"date": promulgation},
        "subject": "Về việc kiểm tra ngày ban hành"}, [edxml.OutAttachment("a.pdf", data=b"%PDF-1.4")])
    return path


def test_future_date_in_package_can_be_fixed_on_accept(workstation, tmp_path):
    b = workstation(ORG_B, url=NO_SERVER)
    future = (date.today() + timedelta(days=30)).strftime("%Y/%m/%d")
    item = inbox.ingest(b.store, b.settings, "p-1", _package(tmp_path, future))
    assert item["state"] == "pending"
    with pytest.raises(ValidationError, match="--set") as info:
        inbox.accept(b.store, b.settings, item["id"])
    assert "tương lai" in info.value.message
    assert inbox.get(b.store, item["id"])["state"] == "pending"        # nothing half done
    e = inbox.accept(b.store, b.settings, item["id"], overrides={"issued_on": date.today().isoformat()})
    assert e["issued_on"] == date.today().isoformat() and e["reference"] == "07/UBND-VP"


def test_lanes_keep_order_per_register(workstation):
    a = workstation(ORG_A, url=NO_SERVER)
    entries.register(a.store, "outgoing", {"summary": "Đi 1", "notation": "UBND-VP"})
    entries.register(a.store, "incoming", {"summary": "Đến 1", "issuer": "Sở Tư pháp"})
    entries.register(a.store, "outgoing", {"summary": "Đi 2", "notation": "UBND-VP"})
    items = outbox.items(a.store, "pending")
    first_out = items[0]
    future = "2999-01-01T00:00:00.000000+07:00"
    outbox.mark_retry(a.store, [first_out["key"]], "offline", future)
    due = outbox.due(a.store, "2026-01-01T00:00:00+07:00")
    # the outgoing register's lane waits behind its first item; the incoming lane goes on
    assert [d["key"] for d in due] == [items[1]["key"]]
    outbox.reset_backoff(a.store)
    assert len(outbox.due(a.store, "2026-01-01T00:00:00+07:00")) == 3
    outbox.mark_parked(a.store, first_out["key"], "refused")
    assert [d["key"] for d in outbox.due(a.store, "2026-01-01T00:00:00+07:00")] == [items[1]["key"], items[2]["key"]]
    assert outbox.retry_now(a.store, first_out["key"]) == 1
    assert outbox.get(a.store, first_out["key"])["state"] == "pending"


def test_stale_temporary_files_are_removed(workstation):
    a = workstation(ORG_A, url=NO_SERVER)
    tmp = a.store.files_dir / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    old, fresh, other = tmp / "att-old", tmp / "x.edxml", tmp / "keep.bin"
    for p in (old, fresh, other):
        p.write_bytes(b"x")
    past = time.time() - 3 * 86400
    os.utime(old, (past, past))
    os.utime(other, (past, past))
    assert worker.clean_temporary(a.store) == 1
    assert not old.exists() and fresh.exists() and other.exists()


def test_offline_status_when_nothing_listens(workstation):
    a = workstation(ORG_A, url=NO_SERVER, timeout=2.0)
    entries.register(a.store, "outgoing", {"summary": "Khi mất mạng", "notation": "UBND-VP"})
    r = a.sync()
    assert not r.online and r.waiting == 1 and "thử lại" in r.error
    st = worker.status(a.store)
    assert st["state"] == "offline" and st["waiting"] == 1 and st["last_contact"] is None


def test_unknown_dialect_and_missing_settings_are_clear(workstation):
    from app.sync.transport import open_transport
    a = workstation(ORG_A, url=NO_SERVER)
    a.settings.set("server.dialect", "bkav")
    with pytest.raises(NotConfigured, match="bkav"):
        open_transport(a.settings)


def test_a_new_dialect_is_one_adapter(workstation, hub, monkeypatch):
    """Registering a Transport subclass in DIALECTS is all it takes (here: VXP with dd/MM/yyyy)."""
    from app.sync import transport, vxp

    class DmyVxp(vxp.VxpTransport):
        calls = 0

        def list_received(self):
            DmyVxp.calls += 1
            return super().list_received()
    monkeypatch.setitem(transport.DIALECTS, "vxp-dmy", f"{__name__}:DmyVxp")
    globals()["DmyVxp"] = DmyVxp
    a = workstation(ORG_A)
    a.settings.set("server.dialect", "vxp-dmy")
    entries.register(a.store, "outgoing", {"summary": "Qua giao thức mới", "notation": "UBND-VP"})
    r = a.sync()
    assert r.online and r.sent == 1 and DmyVxp.calls == 1


def test_credentials_are_per_server_and_organization():
    credentials.save("https://a", "sys-1", "s1", ORG_A)
    credentials.save("https://a", "sys-2", "s2", ORG_B)
    assert credentials.load("https://a", ORG_A).secret == "s1"
    assert credentials.load("https://a/", ORG_B).system_id == "sys-2"
    assert "s1" not in repr(credentials.load("https://a", ORG_A))
    with pytest.raises(NotConfigured):
        credentials.load("https://other", ORG_A)
    credentials.forget("https://a", ORG_A)
    with pytest.raises(NotConfigured):
        credentials.load("https://a", ORG_A)


def test_last_online_for_the_status_bar(workstation):
    from app.sync import status
    a = workstation(ORG_A, url=NO_SERVER, timeout=1.0)
    assert status.last_online(a.settings) is None
    a.sync()
    assert status.last_online(a.settings) is False


def test_watch_survives_a_refused_login_and_goes_on_once_fixed(workstation, hub):
    import threading

    from .conftest import SECRETS
    a = workstation(ORG_A)
    credentials.save(hub.url, ORG_A, "wrong", ORG_A)
    entries.register(a.store, "outgoing", {"summary": "Chờ đăng nhập đúng", "notation": "UBND-VP"})
    reports, stop = [], threading.Event()
    t = threading.Thread(target=worker.watch, args=(a.store, a.settings, stop),
                         kwargs={"interval": 0.3, "on_report": reports.append}, daemon=True)
    t.start()
    try:
        deadline = time.monotonic() + 20
        while len(reports) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert reports and "vanthu login" in reports[0].error
        assert outbox.counts(a.store) == {"pending": 1}
        credentials.save(hub.url, ORG_A, SECRETS[ORG_A], ORG_A)
        deadline = time.monotonic() + 30
        while outbox.counts(a.store).get("pending") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert outbox.counts(a.store) == {"done": 1}
    finally:
        stop.set()
        t.join(timeout=30)
    assert not t.is_alive()
