"""The sync client killed with SIGKILL at random instants, many times: afterwards every item is
on the hub exactly once, in order per register, and nothing is lost or duplicated locally."""
import os
import random
import select
import signal
import subprocess
import sys
import time

import pytest

from app.store import entries, integrity, outbox
from app.sync import inbox, outgoing

from .conftest import ORG_A, ORG_B, SECRETS
from .helpers import outgoing_with_file
from .hubproc import ROOT
from .test_mirror import check_exactly_once_in_order


def _child(ws):
    return subprocess.Popen([sys.executable, "-m", "tests.sync.sync_child", str(ws.dir), ws.settings.get("server.url"),
                             ws.org_id, SECRETS[ws.org_id]], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))


def _kill_during_sync(ws, rng, longest: float, on_progress: bool = False) -> bool:
    """Start a sync child and SIGKILL it: at a random instant once it runs, or (on_progress) just
    after its first acknowledged batch. True if work was still waiting at the moment of the kill."""
    p = _child(ws)
    assert p.stdout.readline().strip() == b"START", p.stderr.read().decode(errors="replace")[-2000:]
    if on_progress:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            ready, _, _ = select.select([p.stdout], [], [], 1.0)
            if ready:
                line = p.stdout.readline()
                if not line or line.startswith(b"P "):
                    break
        time.sleep(rng.uniform(0.0, 0.05))
    else:
        time.sleep(rng.uniform(0.0, longest))
    p.send_signal(signal.SIGKILL)
    p.communicate(timeout=30)
    return p.returncode == -signal.SIGKILL and outbox.counts(ws.store).get("pending", 0) > 0


def _finish(ws):
    p = _child(ws)
    out, err = p.communicate(timeout=300)
    assert p.returncode == 0 and b"DONE" in out, err.decode(errors="replace")[-3000:]


def _run(workstation, hub, tmp_path, iterations, seed):
    rng = random.Random(seed)
    a, b = workstation(ORG_A), workstation(ORG_B)
    sent_docs, interrupted = [], 0
    for i in range(iterations):   # new work before every kill, so each kill lands in real work
        entries.register_many(a.store, "outgoing", [{"summary": f"Lô {i} văn bản {j}", "notation": "UBND-VP"}
                                                     for j in range(450)])
        e = outgoing_with_file(a, tmp_path, summary=f"Gửi liên thông {i}")
        sent_docs.append(outgoing.send_entry(a.store, a.settings, e["id"], [ORG_B])["key"])
        interrupted += _kill_during_sync(a, rng, 0.4, on_progress=i % 2 == 0)
    assert interrupted >= 1, "no kill landed during a sync"
    _finish(a)
    assert outbox.counts(a.store) == {"done": outbox.counts(a.store)["done"]}
    check_exactly_once_in_order(a, hub)
    msgs = hub.query("SELECT key FROM messages WHERE sender = ? AND messagetype = 'edoc'", (ORG_A,))
    assert sorted(m["key"] for m in msgs) == sorted(sent_docs)
    assert integrity.verify(a.store) == []

    # the receiving side killed while fetching, storing and answering
    received_before = 0
    for i in range(iterations):
        for j in range(3):
            e = outgoing_with_file(a, tmp_path, summary=f"Đợt {i} văn bản {j}")
            sent_docs.append(outgoing.send_entry(a.store, a.settings, e["id"], [ORG_B])["key"])
        a.sync()
        _kill_during_sync(b, rng, 0.5)
        received_before = max(received_before, len(inbox.list_items(b.store)))
    _finish(b)
    items = inbox.list_items(b.store)
    assert len(items) == len(sent_docs) and len({i["package_id"] for i in items}) == len(sent_docs)
    assert all(i["state"] == "pending" for i in items)
    arrived = hub.query("SELECT count(*) AS n FROM messages WHERE sender = ? AND messagetype = 'status'", (ORG_B,))
    assert arrived[0]["n"] == len(sent_docs)          # one 01 per document, never two
    assert hub.query("SELECT count(*) AS n FROM deliveries WHERE recipient = ? AND status = 'pending'",
                     (ORG_B,))[0]["n"] == 0
    assert integrity.verify(b.store) == []


@pytest.mark.timeout(300)
def test_sigkill_during_sync(workstation, hub, tmp_path):
    _run(workstation, hub, tmp_path, 3, seed=5)


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_sigkill_during_sync_many_times(workstation, hub, tmp_path):
    _run(workstation, hub, tmp_path, 40, seed=11)
