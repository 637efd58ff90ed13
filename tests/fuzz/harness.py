"""Fuzzing harness: the CLI run in-process on hostile input, with the checks every example makes
(helpers; the fixtures are in conftest.py).

Each fuzz test has a small version in `make test` (a few hundred examples in all) and a large
one under the `slow` marker (`make stress`, tens of thousands). Every example asserts: no
traceback and a known exit code (never 70), a clear Vietnamese message on a refusal, and the
data folder byte for byte unchanged after a refusal."""
from __future__ import annotations

import contextlib
import hashlib
import io
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, settings

# exit codes the CLI may end with: 0 ok, 1 partly failed / generic refusal, 2 validation, 3 not found,
# 4 duplicate, 5 storage, 6 scanner/OCR. 70 is "unexpected error" (a traceback in the log): a bug.
KNOWN_CODES = {0, 1, 2, 3, 4, 5, 6}
STRESS = os.environ.get("VANTHU_STRESS") == "1"
VIETNAMESE = set("ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ")

STATS: dict[str, list] = {}      # test name -> [examples, seconds]


def fuzz_settings(examples: int) -> settings:
    """Hypothesis settings; VANTHU_FUZZ_EXAMPLES overrides the number of examples (e.g. a shorter stress run)."""
    examples = int(os.environ.get("VANTHU_FUZZ_EXAMPLES") or examples)
    return settings(max_examples=examples, deadline=None, database=None, derandomize=not STRESS,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much,
                                           HealthCheck.large_base_example])


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(data_dir: Path, *args, stdin: str | None = None) -> Run:
    """`vanthu --data-dir DATA ARGS` in this process, its output captured."""
    from app.cli import main
    out, err = io.StringIO(), io.StringIO()
    old_in = sys.stdin
    try:
        if stdin is not None:
            sys.stdin = io.StringIO(stdin)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(["--data-dir", str(data_dir), *map(str, args)])
            except SystemExit as exc:      # argparse
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        sys.stdin = old_in
    return Run(code, out.getvalue(), err.getvalue())


def folder_digest(data_dir: Path) -> dict[str, str]:
    """sha256 of every file of the data folder but the logs."""
    out = {}
    for p in sorted(Path(data_dir).rglob("*")):
        rel = p.relative_to(data_dir).as_posix()
        if not p.is_file() or rel.startswith("logs/"):
            continue
        out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def is_vietnamese(text: str) -> bool:
    return any(c in VIETNAMESE for c in text.lower())


def check_run(r: Run, before: dict | None = None, data_dir: Path | None = None) -> None:
    """The assertions of every example."""
    assert r.code != 70, f"unexpected error (exit 70): {r.err[-2000:]}"
    assert r.code in KNOWN_CODES, f"unknown exit code {r.code}: {r.err[-1000:]}"
    assert "Traceback" not in r.err and "Traceback" not in r.out, r.err[-3000:]
    if r.code != 0:
        assert r.err.strip(), "a refusal without a message"
        assert "Lỗi" in r.err and is_vietnamese(r.err), f"not a clear Vietnamese message: {r.err[-500:]}"
        if before is not None:
            assert folder_digest(data_dir) == before, "the data folder changed after a refusal"


def tick(name: str) -> None:
    """Count one example of `name`."""
    STATS.setdefault(name, [0, 0.0])[0] += 1


@contextlib.contextmanager
def timed(name: str):
    t0 = time.monotonic()
    try:
        yield
    finally:
        STATS.setdefault(name, [0, 0.0])[1] += time.monotonic() - t0
