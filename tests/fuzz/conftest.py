"""Fixtures of the fuzz suite and the summary of its example counts and times."""
import pytest

from tests.fuzz.harness import STATS, run_cli


def pytest_terminal_summary(terminalreporter):
    if STATS:
        terminalreporter.write_line("fuzz examples (test: examples, seconds):")
        for name, (n, s) in sorted(STATS.items()):
            terminalreporter.write_line(f"  {name}: {n} examples, {s:.1f} s")


@pytest.fixture(scope="module")
def fuzz_data(tmp_path_factory):
    """One data folder per module, with a store, its registers and one entry already in it."""
    d = tmp_path_factory.mktemp("fuzzdata") / "data"
    assert run_cli(d, "config", "set", "org.notation", "UBND").code == 0
    r = run_cli(d, "register", "incoming", "--summary", "Văn bản có sẵn trong sổ", "--issuer", "UBND tỉnh",
                "--issued-on", "2026-01-05")
    assert r.code == 0, r.err
    return d
