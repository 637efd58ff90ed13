"""Exchange and sync against the local reference hub (a real process on 127.0.0.1), through the
real protocol: requests signed as SDKVXP 2.0.x signs them (and checked by the hub: signature over
the JSON as received, freshness, replay), packages in the platform's edXML shape sent as multipart
file_doc with hash-file and fetched as base64 inside getEdoc's JSON; register changes go to the
provincial API of the same hub (provincial.url):

  1. drain 10,000 queued register changes (items per second; target >= 300/s)
  2. receive and verify 100 packages with a 2 MB signed PDF each (seconds, peak memory)
  3. resume after a restart with 10,000 waiting items (open + status, time to first batch)

    python bench/sync.py [N_CHANGES] [N_PACKAGES]"""
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import keyring  # noqa: E402

from tests.support.keyring_memory import MemoryKeyring  # noqa: E402
from tests.sync.hubproc import Hub  # noqa: E402

ORG_A, ORG_B = "000.00.00.H53", "000.00.01.H53"
SECRETS = {ORG_A: "bench-secret-a", ORG_B: "bench-secret-b"}


def workstation(root: Path, org: str, url: str):
    from app.settings import Settings
    from app.store import open_store
    from app.sync import credentials
    store = open_store(root, actor="bench")
    s = Settings(root)
    for k, v in (("org.id", org), ("org.name", f"Cơ quan {org}"), ("server.url", url), ("server.timeout", 60.0),
                 ("provincial.url", url)):
        s.set(k, v)
    credentials.save(url, org, SECRETS[org], org)
    return store, s


def queue_changes(store, n: int) -> None:
    from app.store import entries
    for start in range(0, n, 2000):
        entries.register_many(store, "outgoing", [{"summary": f"Văn bản đo tốc độ số {i}", "notation": "UBND-VP"}
                                                   for i in range(start, min(n, start + 2000))])


def signed_2mb_pdf(tmp: Path) -> Path:
    import pymupdf
    from tests.sync.helpers import signed_pdf
    from tests.support.pki import make_pki
    pki = make_pki(tmp / "pki")
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "Quyết định (bản đo tốc độ)")
    doc.embfile_add("phu-luc.bin", os.urandom(2 << 20))   # incompressible 2 MB appendix
    unsigned = tmp / "unsigned.pdf"
    doc.save(unsigned)
    import tests.sync.helpers as h
    original = h.make_pdf
    h.make_pdf = lambda path, *a, **k: Path(unsigned)
    try:
        return signed_pdf(tmp, pki), pki
    finally:
        h.make_pdf = original


def peak_rss_mb(sample: list) -> float:
    return max(sample) / (1 << 20) if sample else 0.0


def main() -> None:
    n_changes = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    n_packages = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    keyring.set_keyring(MemoryKeyring())
    os.environ.setdefault("VANTHU_MACHINE_SETTINGS", os.devnull + ".none")
    import logging
    logging.basicConfig(level=logging.ERROR)
    from app.store import attachments, entries, open_store, outbox
    from app.sync import outgoing, worker
    import psutil

    with tempfile.TemporaryDirectory() as tmpd:
        tmp = Path(tmpd)
        # clamscan with a one-signature local database (the official one cannot be downloaded here)
        (tmp / "clamdb").mkdir()
        (tmp / "clamdb" / "bench.hdb").write_text("44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature\n")
        os.environ.setdefault("VANTHU_CLAMAV_DB", str(tmp / "clamdb"))
        hub = Hub(tmp / "hub", SECRETS).start()
        try:
            # 1. drain
            a, sa = workstation(tmp / "a", ORG_A, hub.url)
            t = time.perf_counter()
            queue_changes(a, n_changes)
            print(f"queued {n_changes} register changes in {time.perf_counter() - t:.1f} s")
            a.close()
            # 3. resume after restart (the store is reopened like after a reboot)
            t0 = time.perf_counter()
            a = open_store(tmp / "a", actor="bench")
            st = worker.status(a)
            t_status = time.perf_counter() - t0
            first = {}

            def progress(done, total):
                if done and "t" not in first:
                    first["t"] = time.perf_counter() - t0
            t1 = time.perf_counter()
            report = worker.sync_once(a, sa, progress=progress, poll=False)
            dt = time.perf_counter() - t1
            assert report.waiting == 0 and report.sent == n_changes, report
            print(f"resume with {st['waiting']} waiting: open + status {t_status * 1000:.0f} ms, "
                  f"first batch acknowledged after {first.get('t', 0) * 1000:.0f} ms")
            print(f"drain {n_changes} changes: {dt:.1f} s = {n_changes / dt:.0f} items/s (target >= 300/s)")

            # 2. receive and verify packages
            pdf, pki = signed_2mb_pdf(tmp)
            b, sb = workstation(tmp / "b", ORG_B, hub.url)
            sb.set("sign.trust_roots", str(pki.trust_root_pem))
            t = time.perf_counter()
            for i in range(n_packages):
                e = entries.register(a, "outgoing", {"summary": f"Gửi đo tốc độ {i}", "notation": "UBND-VP"})
                attachments.add(a, e["id"], pdf, role="signed")
                outgoing.send_entry(a, sa, e["id"], [ORG_B])
            t_queue = time.perf_counter() - t
            t = time.perf_counter()
            worker.sync_once(a, sa, poll=False)
            print(f"send {n_packages} packages: check (clamscan + active content) and queue {t_queue:.1f} s, "
                  f"upload {time.perf_counter() - t:.1f} s")
            proc, samples, stop = psutil.Process(), [], threading.Event()

            def sample():
                while not stop.is_set():
                    samples.append(proc.memory_info().rss)
                    stop.wait(0.05)
            base = proc.memory_info().rss
            th = threading.Thread(target=sample, daemon=True)
            th.start()
            t = time.perf_counter()
            r = worker.sync_once(b, sb)
            dt = time.perf_counter() - t
            stop.set()
            th.join()
            from app.sync import inbox
            verdicts = {}
            for it in inbox.list_items(b, "pending", limit=n_packages):
                verdicts[it["verdict"]] = verdicts.get(it["verdict"], 0) + 1
            print(f"receive + verify {r.received} packages of {pdf.stat().st_size / 1e6:.1f} MB: {dt:.1f} s "
                  f"({dt / max(1, r.received) * 1000:.0f} ms each), verdicts {verdicts}, "
                  f"peak RSS {peak_rss_mb(samples):.0f} MB (+{(max(samples) - base) / (1 << 20):.0f} MB over start), "
                  f"ru_maxrss {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
            print(f"outbox after: {outbox.counts(a)} / {outbox.counts(b)}")
        finally:
            hub.stop()


if __name__ == "__main__":
    main()
