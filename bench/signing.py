"""Benchmark: signing a batch of documents with the organization's visible seal on a SoftHSM2 token
(one PIN entry, one process), side by side with pyhanko's own command line run once per document
(what a clerk's script would otherwise do); then verification per signature.

    .venv/bin/python bench/signing.py [N] [N_CLI]

Targets (issue 4): median ≤ 60 ms per document signed in batch; ≤ 20 ms per signature verified.
The machine is shared: figures are noisy."""
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PIN = "123456"


def main(n: int = 100, n_cli: int = 20) -> None:
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    from app.sign import placement, signer
    from app.sign.assets import SAMPLE_SEAL
    from app.sign.certs import load_certs
    from app.sign.verify import verify_pdf
    from tests.sign.docs import make_decision
    from tests.support.pki import make_pki
    from tests.support.softhsm import make_standard_tokens

    tmp = Path(tempfile.mkdtemp(prefix="vanthu-bench-sign-"))
    t0 = time.perf_counter()
    pki = make_pki(tmp / "pki")
    tokens = make_standard_tokens(tmp / "hsm", pki)
    src = tmp / "src"
    src.mkdir()
    files = [make_decision(src / f"qd-{i:03d}.pdf", pages=2) for i in range(n)]
    print(f"setup: PKI, 2 SoftHSM2 tokens, {n} two-page documents in {time.perf_counter() - t0:.1f} s")

    opts = signer.SignOptions(module=tokens.module, token_label=tokens.org_token, cert_label="to-chuc",
                              org_name="Ủy ban nhân dân tỉnh Sóc Trăng", out_dir=tmp / "out",
                              main_reference="1007/QĐ-UBND", trust_roots=load_certs(pki.trust_root_pem))
    t0, c0 = time.perf_counter(), time.process_time()
    batch = signer.sign_batch(files, "organization", PIN, opts)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert batch.ok, batch.to_dict()
    per = [r.seconds for r in batch.results]
    print(f"batch, visible seal (B-B), {n} documents: total {wall:.2f} s, "
          f"median {statistics.median(per) * 1000:.1f} ms, p90 {sorted(per)[int(len(per) * 0.9)] * 1000:.1f} ms, "
          f"first {per[0] * 1000:.0f} ms; CPU {cpu / n * 1000:.1f} ms per document (target ≤ 60 ms median)")

    att = signer.sign_batch(files[:20], "attachment", PIN, signer.SignOptions(**{**opts.__dict__,
                                                                                  "out_dir": tmp / "att"}))
    per_att = [r.seconds for r in att.results]
    print(f"batch, attachment text stamp, 20 documents: median {statistics.median(per_att) * 1000:.1f} ms")

    # pyhanko's own command line, one process per document, same seal image and box
    cfg = tmp / "pyhanko.yml"
    cfg.write_text(f"stamp-styles:\n  seal:\n    type: text\n    stamp-text: ' '\n"
                   f"    background: {SAMPLE_SEAL}\n    border-width: 0\n    background-opacity: 1\n", encoding="utf-8")
    place = placement.locate_seal(files[0], opts.seal_diameter_mm)
    box = ",".join(str(int(round(v))) for v in place.box)
    env = {**os.environ, "PYHANKO_PKCS11_PIN": PIN}
    exe = str(Path(sys.executable).with_name("pyhanko"))
    cli_times = []
    (tmp / "cli").mkdir()
    for f in files[:n_cli]:
        t0 = time.perf_counter()
        subprocess.run([exe, "--config", str(cfg), "sign", "addsig", "--field", f"{place.page + 1}/{box}/Seal",
                        "--style-name", "seal", "pkcs11", "--lib", tokens.module, "--token-label",
                        tokens.org_token, "--cert-label", "to-chuc", str(f), str(tmp / "cli" / f.name)],
                       env=env, check=True, capture_output=True, timeout=120)
        cli_times.append(time.perf_counter() - t0)
    print(f"pyhanko command line, one process per document, {n_cli} documents: "
          f"median {statistics.median(cli_times) * 1000:.0f} ms per document")

    roots = [pki.trust_root_pem]
    verify_pdf(batch.results[0].output, extra_roots=roots)           # warm-up (imports)
    vt = []
    c0 = time.process_time()
    for r in batch.results:
        t0 = time.perf_counter()
        rep = verify_pdf(r.output, extra_roots=roots, exchange_rule=False)
        vt.append(time.perf_counter() - t0)
        assert rep.verdict == "valid", rep.problems
    vcpu = (time.process_time() - c0) / len(vt)
    print(f"verification, {len(vt)} signatures (offline, chain to the test root): "
          f"median {statistics.median(vt) * 1000:.1f} ms per signature, CPU {vcpu * 1000:.1f} ms "
          "(target ≤ 20 ms)")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
