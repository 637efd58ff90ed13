"""The scan-to-folder drop: files are taken once stable, moved to done/ or failed/ with a reason."""
import time

import pytest

from app.scan.watch import FolderWatcher


def test_file_taken_only_when_stable_and_moved(tmp_path):
    handled = []
    w = FolderWatcher(tmp_path, lambda p, d: handled.append(p.name) or {"pdf": "x"}, settle=2.0)
    f = tmp_path / "a.pdf"
    f.write_bytes(b"%PDF-1.4 part")
    assert w.poll(now=0.0) == []
    f.write_bytes(b"%PDF-1.4 part, more")          # still being written
    assert w.poll(now=1.5) == []
    assert w.poll(now=3.0) == []                   # stable for only 1.5 s
    assert w.poll(now=3.6) == [(f, "done")]
    assert handled == ["a.pdf"] and not f.exists()
    assert (tmp_path / "done" / "a.pdf").exists()
    (tmp_path / "notes.txt").write_text("ignored")
    assert w.poll(now=10) == [] and w.poll(now=20) == []


def test_failure_moves_file_with_reason_and_keeps_watching(tmp_path):
    from app.errors import ValidationError

    def handle(p, d):
        if p.name.startswith("bad"):
            raise ValidationError("Tệp PDF «bad.pdf» bị hỏng, không đọc được.", "detail")
        return {}
    w = FolderWatcher(tmp_path, handle, settle=0.5)
    (tmp_path / "bad.pdf").write_bytes(b"x")
    (tmp_path / "good.png").write_bytes(b"y")
    w.poll(now=0)
    out = dict((p.name, o) for p, o in w.poll(now=1))
    assert out == {"bad.pdf": "failed", "good.png": "done"}
    reason = (tmp_path / "failed" / "bad.pdf.reason.txt").read_text("utf-8")
    assert "bị hỏng" in reason and (tmp_path / "failed" / "bad.pdf").read_bytes() == b"x"
    # same name again: nothing overwritten
    (tmp_path / "bad.pdf").write_bytes(b"z")
    w.poll(now=2)
    w.poll(now=3)
    assert (tmp_path / "failed" / "bad-2.pdf").read_bytes() == b"z"


@pytest.mark.timeout(300)
def test_watch_command_registers_dropped_scans(cli, corpus, store, tmp_path):
    import shutil

    from app.store import entries
    drop = tmp_path / "drop"
    drop.mkdir()
    shutil.copy(corpus.file(6, fmt="png", pages=1), drop / "scan1.png")
    (drop / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    t = time.monotonic()
    r = cli("watch", drop, "--register", "den", "--once", "--settle", "0.3", "--interval", "0.1")
    assert r.code == 0, r.err
    assert time.monotonic() - t < 120
    assert (drop / "done" / "scan1.png").exists() and (drop / "failed" / "broken.pdf").exists()
    assert (drop / "failed" / "broken.pdf.reason.txt").exists()
    [e] = entries.list_entries(store)
    assert e["reference"] == corpus.doc(6, pages=1).truth["reference"]
