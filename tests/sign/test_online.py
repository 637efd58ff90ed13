"""Time stamps, revocation and the pending B-LT upgrade, against a real local HTTP server process
serving RFC 3161, OCSP and CRL (tests/support/pki.py)."""
import json
from dataclasses import replace
from pathlib import Path

import pytest

from app.sign import signer, upgrade
from app.sign.verify import verify_pdf

from .docs import make_decision

pytestmark = pytest.mark.timeout(120)
ORG_PIN = "123456"
DEAD_TSA = "http://127.0.0.1:9/tsa"     # discard port: nothing listens


def test_online_signing_reaches_b_lt(pki_services, decision, options, tokens):
    opts = replace(options, tsa_url=pki_services.tsa_url)
    r = signer.sign_batch([decision], "organization", ORG_PIN, opts).results[0]
    assert r.status == "signed" and r.level == "B-LT" and not r.pending_upgrade, r.message
    rep = verify_pdf(r.output, extra_roots=[tokens.pki.trust_root_pem], online=True)
    s = rep.signatures[0]
    assert s.timestamped and s.signing_time_source == "timestamp" and s.signing_time.endswith("+07:00")
    assert s.revocation == "good" and s.revocation_source == "online"
    # offline, the embedded validation data answers the revocation question
    off = verify_pdf(r.output, extra_roots=[tokens.pki.trust_root_pem]).signatures[0]
    assert off.revocation == "good" and off.revocation_source == "embedded"


def test_revoked_certificate_is_invalid_online(pki_services, decision, options, tokens):
    opts = replace(options, token_label=tokens.leader_token, cert_label="thu-hoi")
    r = signer.sign_batch([decision], "organization", tokens.leader_pin, opts).results[0]
    assert r.status == "signed"
    rep = verify_pdf(r.output, extra_roots=[tokens.pki.trust_root_pem], online=True)
    assert rep.signatures[0].revocation == "revoked"
    assert rep.verdict == "invalid"
    offline = verify_pdf(r.output, extra_roots=[tokens.pki.trust_root_pem])
    assert offline.signatures[0].revocation == "not_checked_offline"


def test_offline_signing_records_pending_upgrade_then_upgrades(pki_services, tmp_path, options, tokens, store):
    from app.store import attachments, entries, files, registers
    registers.set_notation(store, "di", "UBND")
    entry = entries.register(store, "outgoing", {"doc_type": "Quyết định", "summary": "Phê duyệt kế hoạch số hóa"})
    entry_id = entry["id"]
    src = make_decision(tmp_path / "qd.pdf")
    opts = replace(options, tsa_url=DEAD_TSA, tsa_timeout=2)

    def on_signed(res):
        attachments.add(store, entry_id, path=res.output, role="signed")
        sha, _ = files.put_file(store, res.output)
        upgrade.record_pending(store, sha, entry_id, name="qd.signed.pdf")

    r = signer.sign_batch([src], "organization", ORG_PIN, opts, on_signed=on_signed).results[0]
    assert r.status == "signed" and r.level == "B-B" and r.pending_upgrade
    jobs = upgrade.pending(store)
    assert len(jobs) == 1 and jobs[0]["payload"]["sha256"] == r.sha256
    # still offline: nothing changes, the job stays pending
    res = upgrade.process_pending(store, DEAD_TSA, [], timeout=2)
    assert [x["status"] for x in res] == ["pending"] and len(upgrade.pending(store)) == 1
    # online: validation data and a document time stamp are added; the signature stays valid
    from app.sign.certs import load_certs
    res = upgrade.process_pending(store, pki_services.tsa_url, load_certs(tokens.pki.trust_root_pem))
    assert [x["status"] for x in res] == ["done"], res
    assert upgrade.pending(store) == []
    new = files.path_for(store, res[0]["new_sha256"])
    assert new.read_bytes().startswith(Path(r.output).read_bytes())
    rep = verify_pdf(new, extra_roots=[tokens.pki.trust_root_pem])
    assert rep.signatures[0].intact and rep.signatures[0].trusted
    assert rep.signatures[0].changes_after in ("none", "validation_data")
    assert rep.signatures[0].revocation == "good"
    assert len(rep.document_timestamps) == 1 and rep.document_timestamps[0]["intact"]
    roles = [a["role"] for a in attachments.list_for(store, entry_id)]
    assert roles == ["signed", "signed"]
    done = store.query("SELECT state, payload FROM jobs")[0]
    assert done["state"] == "done" and json.loads(done["payload"])["upgraded_sha256"] == res[0]["new_sha256"]


def test_tsa_probe(pki_services):
    assert signer.tsa_reachable(pki_services.tsa_url)
    assert not signer.tsa_reachable(DEAD_TSA, timeout=2)


def test_untrusted_chain_online_falls_back_to_b_t(pki_services, decision, options, tokens):
    """Time stamp available but the chain cannot be validated (no trust roots configured):
    B-T now, the B-LT upgrade stays pending."""
    opts = replace(options, tsa_url=pki_services.tsa_url, trust_roots=[])
    r = signer.sign_batch([decision], "organization", ORG_PIN, opts).results[0]
    assert r.status == "signed" and r.level == "B-T" and r.pending_upgrade, r.message
    s = verify_pdf(r.output, extra_roots=[tokens.pki.trust_root_pem]).signatures[0]
    assert s.timestamped and s.intact and s.trusted


def test_revocation_services_down_gives_b_t_and_pending(pki_services, decision, options, monkeypatch):
    """Time stamp available, OCSP/CRL unreachable (fault: fetching disabled): B-T, upgrade pending."""
    real = signer._validation_context
    monkeypatch.setattr(signer, "_validation_context",
                        lambda roots, online, other=(): real(roots, False, other))
    opts = replace(options, tsa_url=pki_services.tsa_url)
    r = signer.sign_batch([decision], "organization", ORG_PIN, opts).results[0]
    assert r.status == "signed" and r.level == "B-T" and r.pending_upgrade
