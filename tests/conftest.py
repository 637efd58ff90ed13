"""Shared fixtures: a fresh data folder, an open store, the CLI run in-process."""
import json
import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
os.environ.setdefault("VANTHU_MACHINE_SETTINGS", os.devnull + ".none")


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    d = tmp_path / "data"
    monkeypatch.setenv("VANTHU_DATA_DIR", str(d))
    return d


@pytest.fixture
def store(data_dir):
    from app.store import open_store
    s = open_store(data_dir, actor="test")
    yield s
    s.close()


class CliResult:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    def json(self):
        return json.loads(self.out)


@pytest.fixture
def cli(data_dir, capsys, monkeypatch):
    """Run `vanthu ARGS...` in-process against the test data folder; `stdin` feeds standard input."""
    import io
    import sys

    from app.cli import main

    def run(*args, stdin=None):
        capsys.readouterr()
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(["--data-dir", str(data_dir), *map(str, args)])
        cap = capsys.readouterr()
        return CliResult(code, cap.out, cap.err)
    return run
