"""Faults between client and hub (through the fault-injecting proxy), hub restarts, offline
work: after each, everything is delivered exactly once, in order, and the clerk sees a clear state."""
import threading
import time

import pytest

from app.store import entries, outbox
from app.sync import inbox, outgoing, worker

from .conftest import ORG_A, ORG_B
from .helpers import make_pdf, outgoing_with_file
from .test_mirror import check_exactly_once_in_order

pytestmark = pytest.mark.timeout(180)


def _queue(ws, n=20, start=0):
    return entries.register_many(ws.store, "outgoing", [{"summary": f"Văn bản {start + i}", "notation": "UBND-VP"}
                                                         for i in range(n)])


def _big_outgoing(ws, tmp_path):
    pdf = make_pdf(tmp_path / "big.pdf", "Trang", pages=1)
    # pad with an incompressible blob so uploads and downloads span many packets
    import os
    with open(pdf, "ab") as f:
        f.write(b"\n%" + os.urandom(600_000).hex().encode()[:800_000] + b"\n")
    return outgoing_with_file(ws, tmp_path, pdf=pdf)


def test_connection_dropped_mid_upload(workstation, hub, proxy, tmp_path):
    a = workstation(ORG_A, url=proxy.url, timeout=3.0)
    e = _big_outgoing(a, tmp_path)
    outgoing.send_entry(a.store, a.settings, e["id"], [ORG_B])
    _queue(a, 5)
    # the mirror upload of the 1 MB file is cut after 300 kB
    proxy.set("drop_up", after=300_000, count=1)
    r = a.sync()
    assert not r.online and r.waiting > 0
    assert worker.status(a.store)["state"] == "offline"
    assert hub.query("SELECT count(*) AS n FROM messages")[0]["n"] == 0
    assert proxy.faults == 1
    r = a.sync_until_quiet()
    assert r.online and r.waiting == 0 and r.parked == 0
    assert hub.query("SELECT count(*) AS n FROM messages WHERE sender = ?", (ORG_A,))[0]["n"] == 1
    check_exactly_once_in_order(a, hub)


def test_connection_dropped_mid_download(workstation, hub, proxy, tmp_path):
    a = workstation(ORG_A)
    b = workstation(ORG_B, url=proxy.url, timeout=3.0)
    outgoing.send_entry(a.store, a.settings, _big_outgoing(a, tmp_path)["id"], [ORG_B])
    a.sync()
    proxy.set("drop_down", after=400_000, count=1)
    r = b.sync()
    assert not r.online and inbox.list_items(b.store) == []
    assert not list((b.store.files_dir / "tmp").glob("*.edxml"))   # no half package left behind
    r = b.sync_until_quiet()
    assert r.online
    assert len(inbox.list_items(b.store)) == 1
    assert hub.query("SELECT status FROM deliveries WHERE recipient = ?", (ORG_B,))[0]["status"] == "done"


def test_answer_delayed_beyond_timeout_then_resent_counts_once(workstation, hub, proxy):
    a = workstation(ORG_A, url=proxy.url, timeout=1.5)
    _queue(a, 40)
    # the push of the batch reaches the hub, its answer comes after the client gave up
    # (two connections see the mode: the platform's probe, under 8 kB, and the provincial push)
    proxy.set("delay", after=8_000, seconds=3.0, count=2)
    r = a.sync()
    assert r.online and r.provincial_error          # the platform answered; the provincial server did not
    assert worker.status(a.store)["provincial_online"] is False
    applied_while_waiting = hub.query("SELECT count(*) AS n FROM changes")[0]["n"]
    r = a.sync_until_quiet()
    assert r.online and r.waiting == 0
    assert check_exactly_once_in_order(a, hub) == 40
    assert applied_while_waiting == 40      # the hub applied the batch; only its answer was lost
    assert proxy.faults == 2


@pytest.mark.parametrize("mode", ["http500", "reset"])
def test_server_errors_and_resets_keep_items_waiting(workstation, hub, proxy, mode):
    a = workstation(ORG_A, url=proxy.url, timeout=2.0)
    _queue(a, 10)
    proxy.set(mode)
    r = a.sync()
    assert not r.online and r.error
    st = worker.status(a.store)
    assert st["state"] == "offline" and st["waiting"] == 10 and st["parked"] == 0
    assert "Ngoại tuyến" in worker.status_text(st) and "chờ gửi: 10" in worker.status_text(st)
    proxy.set("pass")
    r = a.sync_until_quiet()
    assert r.online and r.waiting == 0
    assert check_exactly_once_in_order(a, hub) == 10


def test_backoff_grows_and_is_capped(workstation, hub, proxy):
    from app.sync import backoff
    import random
    rng = random.Random(1)
    delays = [backoff.delay(n, rng=rng) for n in range(1, 15)]
    assert delays[0] <= 2 and delays[3] > delays[0] and max(delays) <= backoff.CAP_SECONDS
    a = workstation(ORG_A, url=proxy.url, timeout=2.0)
    _queue(a, 3)
    proxy.set("http500", count=None)
    a.sync()   # probe fails: items untouched, no attempt counted
    assert {i["attempts"] for i in outbox.items(a.store, "pending")} == {0}


def test_hub_restart_during_work(workstation, hub, tmp_path):
    a, b = workstation(ORG_A), workstation(ORG_B)
    _queue(a, 15)
    outgoing.send_entry(a.store, a.settings, outgoing_with_file(a, tmp_path)["id"], [ORG_B])
    hub.kill()
    r = a.sync()
    assert not r.online and worker.status(a.store)["state"] == "offline"
    _queue(a, 5, start=100)          # the clerk keeps working offline
    hub.start()
    assert a.sync_until_quiet().waiting == 0
    assert check_exactly_once_in_order(a, hub) == 15 + 5 + 4   # + entry, file, package, status
    b.sync_until_quiet()
    assert len(inbox.list_items(b.store, "pending")) == 1


def test_offline_then_back_resumes_without_the_clerk(workstation, hub):
    a = workstation(ORG_A)
    hub.stop()
    _queue(a, 12)
    stop = threading.Event()
    t = threading.Thread(target=worker.watch, args=(a.store, a.settings, stop), kwargs={"interval": 0.5},
                         daemon=True)
    t.start()
    try:
        deadline = time.monotonic() + 20
        while worker.status(a.store)["state"] != "offline" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert worker.status(a.store)["waiting"] == 12
        hub.start()
        deadline = time.monotonic() + 60
        while worker.status(a.store)["waiting"] and time.monotonic() < deadline:
            time.sleep(0.2)
        st = worker.status(a.store)
        assert st["waiting"] == 0 and st["state"] == "online"
    finally:
        stop.set()
        t.join(timeout=30)
    assert not t.is_alive()
    assert check_exactly_once_in_order(a, hub) == 12


def test_clock_skew_over_two_minutes_is_shown(workstation, tmp_path):
    from .hubproc import Hub
    from .conftest import SECRETS
    skewed = Hub(tmp_path / "hub2", dict(SECRETS), clock_offset=200).start()
    try:
        a = workstation(ORG_A, url=skewed.url, sub="skew")
        r = a.sync()
        assert r.online and 190 < r.clock_skew < 210
        st = worker.status(a.store)
        assert st["clock_warning"] and "đồng hồ máy lệch" in worker.status_text(st)
    finally:
        skewed.stop()


def test_skew_over_five_minutes_is_refused_with_a_clock_message(workstation, tmp_path):
    from app.sync.errors import AuthError
    from .hubproc import Hub
    from .conftest import SECRETS
    skewed = Hub(tmp_path / "hub3", dict(SECRETS), clock_offset=400).start()
    try:
        a = workstation(ORG_A, url=skewed.url, sub="skew5")
        with pytest.raises(AuthError) as info:
            a.sync()
        assert "Đồng hồ máy lệch" in info.value.message and "5 phút" in info.value.message
    finally:
        skewed.stop()


def test_small_skew_is_not_a_warning(workstation, hub):
    a = workstation(ORG_A)
    a.sync()
    st = worker.status(a.store)
    assert st["clock_skew"] is not None and abs(st["clock_skew"]) < 5 and not st["clock_warning"]


def test_wrong_secret_is_an_auth_error_and_parks_nothing(workstation, hub):
    from app.sync import credentials
    from app.sync.errors import AuthError
    a = workstation(ORG_A)
    credentials.save(hub.url, ORG_A, "wrong-secret", ORG_A)
    _queue(a, 2)
    with pytest.raises(AuthError) as info:
        a.sync()
    assert "vanthu login" in info.value.message
    assert outbox.counts(a.store) == {"pending": 2}


def test_provincial_server_down_never_holds_documents_back(workstation, hub, tmp_path):
    from app.sync import credentials
    a, b = workstation(ORG_A), workstation(ORG_B)
    dead = "http://127.0.0.1:9"
    a.settings.set("provincial.url", dead)
    credentials.save(dead, ORG_A, "x", ORG_A)
    _queue(a, 3)
    outgoing.send_entry(a.store, a.settings, outgoing_with_file(a, tmp_path)["id"], [ORG_B])
    for _ in range(2):
        r = a.sync()
        assert r.online and r.provincial_error
    assert b.sync().received == 1                                    # the document went anyway
    st = worker.status(a.store)
    assert st["provincial_online"] is False and st["mirror_waiting"] > 0 and st["exchange_waiting"] == 0
    assert "máy chủ tỉnh" in worker.status_text(st)
    a.settings.set("provincial.url", hub.url)                        # the provincial server is back
    r = a.sync_until_quiet()
    assert r.online and not r.provincial_error and r.waiting == 0
    assert worker.status(a.store)["provincial_online"] is True


def test_without_provincial_server_documents_go_and_changes_wait(workstation, hub, tmp_path):
    a, b = workstation(ORG_A), workstation(ORG_B)
    a.settings.set("provincial.url", None)
    _queue(a, 2)
    outgoing.send_entry(a.store, a.settings, outgoing_with_file(a, tmp_path)["id"], [ORG_B])
    r = a.sync()
    assert r.online and not r.provincial_error
    assert b.sync().received == 1
    st = worker.status(a.store)
    assert st["exchange_waiting"] == 0 and st["mirror_waiting"] >= 4      # wait for a provincial server
    assert hub.query("SELECT count(*) AS n FROM changes")[0]["n"] == 0
