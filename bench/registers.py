"""Registers at scale: fill one register with N entries (default 1,000,000; cached between runs),
then measure durable registrations, diacritic-free search, page fetches, the size per entry and
`audit verify` (full, then routine from its checkpoint after a day's work).

    python bench/registers.py [N]        (VANTHU_BENCH_DIR chooses the cache folder)

Targets on the 2-core reference machine: registration < 10 ms, search p95 < 50 ms,
page of 100 newest first < 20 ms, routine audit verify < 5 s.
Earlier figures at 1,000,000 entries (before outbox payloads pointed at revisions and before
verify checkpoints): 3.9 KB per entry, audit verify 87 s."""
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _data import incoming_items, queries

from app.store import entries, integrity, listing, open_store, search
from app.store.schema import MIGRATIONS

EARLIER_BYTES_PER_ENTRY, EARLIER_VERIFY_S = 3.9 * 1024, 87.0


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def fill(data_dir: Path, n: int) -> None:
    store = open_store(data_dir, actor="bench")
    have = store.query("SELECT count(*) FROM entries")[0][0]
    if have >= n:
        print(f"reusing {have:,} entries in {data_dir}")
        store.close()
        return
    store.conn.execute("PRAGMA synchronous = OFF")  # bulk fill only; measurements below use FULL
    t0, batch = time.perf_counter(), 20_000
    items = incoming_items(n - have, seed=have)
    done = have
    while done < n:
        chunk = [next(items) for _ in range(min(batch, n - done))]
        entries.register_many(store, "incoming", chunk, allow_duplicate=True)
        done += len(chunk)
        rate = (done - have) / (time.perf_counter() - t0)
        print(f"\rfilling: {done:,}/{n:,} ({rate:,.0f}/s)", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.conn.execute("PRAGMA optimize")
    print(f"filled {n - have:,} entries in {time.perf_counter() - t0:.0f} s (bulk, one transaction per {batch:,})")
    store.close()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    # the cache is per schema version: an older layout would measure the old size per entry
    data_dir = Path(os.environ.get("VANTHU_BENCH_DIR") or Path(tempfile.gettempdir()) /
                    f"vanthu-bench-registers-{n}-s{len(MIGRATIONS)}")
    fill(data_dir, n)
    store = open_store(data_dir, actor="bench")  # synchronous = FULL

    t = time.perf_counter()
    rep = integrity.run(store, full=True)
    full_s = time.perf_counter() - t
    assert not rep.problems, rep.problems[:5]
    size = sum(f.stat().st_size for f in data_dir.glob("vanthu.sqlite3*"))
    total = store.query("SELECT count(*) FROM entries")[0][0]
    print(f"database: {total:,} entries, {size / 2**20:,.0f} MiB, {size / total / 1024:.2f} KB per entry "
          f"[earlier {EARLIER_BYTES_PER_ENTRY / 1024:.1f} KB]")
    print(f"audit verify --full: {full_s:.1f} s for {rep.entries_checked:,} entries "
          f"[earlier {EARLIER_VERIFY_S:.0f} s]")

    durable = []
    for item in incoming_items(300, seed=10_000_000):
        t = time.perf_counter()
        entries.register(store, "incoming", item, allow_duplicate=True)
        durable.append((time.perf_counter() - t) * 1000)
    print(f"durable registration (synchronous=FULL, WAL): {1000 / statistics.mean(durable):.0f}/s, "
          f"p50 {pct(durable, 50):.2f} ms, p95 {pct(durable, 95):.2f} ms  [target < 10 ms]")

    qs = queries(300)
    for q in qs[:20]:
        search.search(store, q)
    lat, hits = [], []
    for q in qs:
        t = time.perf_counter()
        found = search.search(store, q, limit=50)
        lat.append((time.perf_counter() - t) * 1000)
        hits.append(len(found))
    print(f"search ({len(qs)} queries without diacritics, 50 newest hits): p50 {pct(lat, 50):.1f} ms, "
          f"p95 {pct(lat, 95):.1f} ms, max {max(lat):.1f} ms, queries with hits {sum(1 for h in hits if h)}"
          f"/{len(qs)}  [target p95 < 50 ms]")
    slow = sorted(zip(lat, qs), reverse=True)[:3]
    print("  slowest: " + "; ".join(f"{q!r} {ms:.0f} ms" for ms, q in slow))

    lat_f = []
    for q in qs[:100]:
        t = time.perf_counter()
        search.search(store, q, limit=50, register="den", urgency=1)
        lat_f.append((time.perf_counter() - t) * 1000)
    print(f"search with filters (register, urgency): p50 {pct(lat_f, 50):.1f} ms, p95 {pct(lat_f, 95):.1f} ms")

    first, deep = [], []
    max_id = store.query("SELECT max(id) FROM entries")[0][0]
    rnd = random.Random(3)
    for _ in range(100):
        t = time.perf_counter()
        page = entries.list_entries(store, register="den", limit=100)
        first.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        entries.list_entries(store, register="den", limit=100, before_id=rnd.randrange(200, max_id))
        deep.append((time.perf_counter() - t) * 1000)
    assert len(page) == 100
    print(f"page of 100 newest first: p50 {pct(first, 50):.2f} ms, p95 {pct(first, 95):.2f} ms; "
          f"a page deep in the register: p50 {pct(deep, 50):.2f} ms, p95 {pct(deep, 95):.2f} ms  [target < 20 ms]")

    # a day's work since the checkpoint: the registrations above plus corrections and status changes
    for e in entries.list_entries(store, limit=50):
        entries.set_status(store, e["id"], "forwarded")
    lst = listing.Listing(store, "incoming", sort="issuer")
    t = time.perf_counter()
    lst.page(None, 256)
    sorted_ms = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    rep = integrity.run(store, full=False)
    routine_s = time.perf_counter() - t
    assert not rep.problems and not rep.full, rep.problems[:5]
    print(f"audit verify (routine, from the checkpoint): {routine_s:.2f} s — {rep.entries_checked} changed entries, "
          f"{rep.audit_checked} audit records  [target < 5 s; earlier {EARLIER_VERIFY_S:.0f} s]")
    print(f"listing sorted by issuer, first 256 rows: {sorted_ms:.0f} ms")
    store.close()


if __name__ == "__main__":
    main()
