"""PDF files at intake: written by hand object by object (active content, broken structure),
taken in by `vanthu intake`/`extract`. A PDF with active content is registered with a warning
and a stripped viewing copy; the original is stored byte for byte."""
from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz import mutators
from tests.fuzz.harness import STRESS, check_run, folder_digest, fuzz_settings, run_cli, tick, timed

pytestmark = pytest.mark.timeout(1800)
ACTIVE = {"js_open", "js_page", "launch", "exe", "embedded", "submit", "xfa"}


def _check_registered(data_dir, data: bytes, feats: set, out: str) -> None:
    from app.scan.safety import pdf_active_content
    entry = json.loads(out)
    shown = run_cli(data_dir, "show", entry["id"], "--format", "json")
    assert shown.code == 0, shown.err
    atts = json.loads(shown.out)["attachments"]
    roles = {a["role"]: a for a in atts}
    if "original" in roles:
        assert roles["original"]["sha256"] == hashlib.sha256(data).hexdigest(), "the original was changed"
        if feats & ACTIVE:
            assert "view" in roles, f"active content {feats & ACTIVE} registered without a viewing copy"
            assert "CẢNH BÁO" in (json.loads(shown.out).get("note") or "")
    if "view" in roles:
        view = data_dir / "files" / roles["view"]["sha256"][:2] / roles["view"]["sha256"]
        assert not pdf_active_content(view), "the viewing copy still holds active content"


def _fuzz(data_dir, folder, name):
    @given(mutators.pdf_document(), st.sampled_from(["intake", "intake", "extract"]))
    def example(doc, command):
        data, feats = doc
        tick(name)
        f = folder / "in.pdf"
        f.write_bytes(data)
        before = folder_digest(data_dir)
        if command == "intake":
            r = run_cli(data_dir, "intake", f, "--allow-duplicate", "--format", "json")
        else:
            r = run_cli(data_dir, "extract", f, "--json")
        check_run(r, before, data_dir)
        assert f.read_bytes() == data, "the input file was changed"
        if r.code == 0 and command == "intake":
            _check_registered(data_dir, data, feats, r.out)
    return example


def test_fuzz_pdf(fuzz_data, tmp_path):
    with timed("pdf"):
        fuzz_settings(60)(_fuzz(fuzz_data, tmp_path, "pdf"))()


@pytest.mark.slow
@pytest.mark.timeout(6 * 3600)
@pytest.mark.skipif(not STRESS, reason="VANTHU_STRESS=1 (make stress)")
def test_fuzz_pdf_stress(fuzz_data, tmp_path):
    with timed("pdf (stress)"):
        fuzz_settings(5000)(_fuzz(fuzz_data, tmp_path, "pdf (stress)"))()
