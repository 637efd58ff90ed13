"""Long batches (make stress); the normal suite signs small batches in test_signing.py."""
import hashlib
import os
from pathlib import Path

import pytest

from app.sign import signer
from app.sign.verify import verify_pdf

from .docs import make_decision

N = int(os.environ.get("VANTHU_SIGN_STRESS_N", "500"))


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_long_batch_every_document_signed_once_and_valid(tmp_path, options, tokens):
    src = make_decision(tmp_path / "mau.pdf", pages=1)
    data = src.read_bytes()
    files = []
    for i in range(N):
        p = tmp_path / "in" / f"vb-{i:04d}.pdf"
        p.parent.mkdir(exist_ok=True)
        p.write_bytes(data)
        files.append(p)
    seen = []
    batch = signer.sign_batch(files, "organization", tokens.org_pin, options.__class__(
        **{**options.__dict__, "out_dir": tmp_path / "out"}), progress=lambda d, t: seen.append(d))
    assert batch.ok and seen == list(range(1, N + 1))
    outs = [Path(r.output) for r in batch.results]
    assert len({o.name for o in outs}) == N
    assert {hashlib.sha256(f.read_bytes()).hexdigest() for f in files} == {hashlib.sha256(data).hexdigest()}
    for o in outs[:: max(1, N // 25)]:
        rep = verify_pdf(o, extra_roots=[tokens.pki.trust_root_pem], exchange_rule=False)
        assert rep.verdict == "valid", rep.problems
