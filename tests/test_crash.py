"""Several processes at once, and processes killed with SIGKILL at random moments: numbers stay
unique and gapless, every entry has its outbox record and the audit chain verifies."""
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.store import integrity, open_store

WORKER = Path(__file__).parent / "support" / "register_worker.py"
STRESS = bool(os.environ.get("VANTHU_STRESS"))


def start(data_dir, count, tag):
    return subprocess.Popen([sys.executable, str(WORKER), str(data_dir), str(count), tag],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def check_invariants(data_dir, acknowledged=()):
    store = open_store(data_dir)
    try:
        assert integrity.verify(store) == []
        rows = store.query("SELECT uid, register_number, year FROM entries WHERE register_id = 1 "
                           "ORDER BY register_number")
        numbers = [r["register_number"] for r in rows]
        assert numbers == list(range(1, len(numbers) + 1)), "gap or duplicate"
        last = store.query("SELECT coalesce(max(last_number), 0) FROM counters WHERE register_id = 1")[0][0]
        assert last == len(numbers)
        # every entry has its 'registered' outbox item, and every change one item
        missing = store.query("SELECT uid FROM entries e WHERE NOT EXISTS (SELECT 1 FROM outbox o "
                              "WHERE o.entity_id = e.uid AND o.topic = 'entry.registered')")
        assert missing == []
        changes = store.query("SELECT count(*) FROM audit_log WHERE entity = 'entry'")[0][0]
        items = store.query("SELECT count(*) FROM outbox WHERE topic LIKE 'entry.%'")[0][0]
        revisions = store.query("SELECT count(*) FROM entry_revisions")[0][0]
        assert changes == items == revisions
        uids = {r["uid"] for r in rows}
        for _number, uid in acknowledged:  # what a worker announced is there, with that number
            assert uid in uids
        return len(numbers)
    finally:
        store.close()


@pytest.mark.timeout(120)
def test_concurrent_processes_get_unique_gapless_numbers(tmp_path):
    data = tmp_path / "data"
    procs = [start(data, 40, f"p{i}") for i in range(4)]
    seen = []
    for p in procs:
        out, err = p.communicate(timeout=100)
        assert p.returncode == 0, err
        seen += [line.split() for line in out.splitlines()]
    numbers = [int(n) for n, _ in seen]
    assert len(numbers) == 160 and sorted(numbers) == list(range(1, 161))
    assert check_invariants(data, seen) == 160


def _crash_iterations(tmp_path, iterations, seed):
    rnd = random.Random(seed)
    data = tmp_path / "data"
    acknowledged = []
    for _ in range(iterations):
        p = start(data, 10_000, f"k{rnd.randrange(10**6)}")
        time.sleep(rnd.uniform(0.05, 1.0))
        p.send_signal(signal.SIGKILL)
        out, _ = p.communicate(timeout=30)
        acknowledged += [line.split() for line in out.splitlines() if len(line.split()) == 2]
    return check_invariants(data, acknowledged)


@pytest.mark.timeout(300)
def test_sigkill_at_random_moments_keeps_every_invariant(tmp_path):
    assert _crash_iterations(tmp_path, 12, seed=1) > 0


@pytest.mark.slow
@pytest.mark.timeout(7200)
def test_sigkill_stress(tmp_path):
    assert _crash_iterations(tmp_path, 1000, seed=2) > 0
