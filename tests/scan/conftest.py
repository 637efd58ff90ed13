"""Fixtures for the intake tests: a generated corpus cached per test session, the SANE
test device with a private configuration, and the OCR pool shut down at the end."""
import os
import sys
from pathlib import Path

import pytest

os.environ["OMP_THREAD_LIMIT"] = "1"
ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:          # `tests.corpus` importable however pytest is started
    sys.path.insert(0, ROOT)


class Corpus:
    """Generated documents written once per session (generation takes about 1 s a page)."""

    def __init__(self, folder):
        self.folder = folder
        self._docs = {}
        self._files = {}

    def doc(self, seed, **kw):
        from tests.corpus.generate import make_document
        key = (seed, tuple(sorted(kw.items())))
        if key not in self._docs:
            self._docs[key] = make_document(seed, **kw)
        return self._docs[key]

    def file(self, seed, fmt="tif", level=1.0, **kw):
        from tests.corpus.generate import write_document
        key = (seed, fmt, level, tuple(sorted(kw.items())))
        if key not in self._files:
            name = f"d{seed}-{fmt}-{level}-" + "-".join(f"{k}{v}" for k, v in sorted(kw.items()))
            self._files[key] = write_document(self.doc(seed, **kw), self.folder, fmt, level=level,
                                              name=name.replace(" ", "_"))
        return self._files[key]


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    return Corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="session")
def sane_config(tmp_path_factory):
    from app.scan import sources
    return sources.test_config(tmp_path_factory.mktemp("sane"))


@pytest.fixture(scope="session", autouse=True)
def _ocr_pool():
    yield
    from app.scan import ocr
    ocr.reset_pool()
