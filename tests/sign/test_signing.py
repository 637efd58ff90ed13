"""Signing with a real SoftHSM2 token through pyhanko, checked by verification and rendering."""
import hashlib
from dataclasses import replace
from pathlib import Path

import pytest

from app.sign import signer
from app.sign.verify import verify_pdf

from .docs import BLOCK_CX, MM, NAME_Y, TITLE_Y, make_decision

pytestmark = pytest.mark.timeout(120)
ORG_PIN = "123456"


def _sha(p) -> str:
    return hashlib.sha256(Path(p).read_bytes()).hexdigest()


def red_box(pdf, page_index, dpi=72):
    """Bounding box (points, top-left origin) of clearly red pixels on a rendered page."""
    import numpy as np
    import pymupdf
    with pymupdf.open(pdf) as doc:
        pix = doc[page_index].get_pixmap(dpi=dpi)
    a = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, pix.n)
    r, g, b = a[..., 0].astype(int), a[..., 1].astype(int), a[..., 2].astype(int)
    ys, xs = np.nonzero((r > 150) & (g < 90) & (b < 90))
    if len(xs) == 0:
        return None
    k = 72 / dpi
    return xs.min() * k, ys.min() * k, (xs.max() + 1) * k, (ys.max() + 1) * k


def sign_one(path, mode, options, pin=ORG_PIN):
    batch = signer.sign_batch([path], mode, pin, options)
    res = batch.results[0]
    assert res.status == "signed", res.message
    return Path(res.output)


def test_seal_overlaps_left_third_of_leader_signature_from_text_block(decision, options, tokens):
    before = _sha(decision)
    out = sign_one(decision, "organization", options)
    assert _sha(decision) == before                        # the source is never touched
    assert out.read_bytes().startswith(decision.read_bytes())   # incremental update
    box = red_box(out, 1)
    assert box, "no red seal rendered on the last page"
    x0, y0, x1, y1 = box
    d = options.seal_diameter_mm * MM
    assert abs((x1 - x0) - d) < 3 and abs((y1 - y0) - d) < 3          # true size
    sig_left = BLOCK_CX - 22.5 * MM                                     # default 45 mm signature
    assert abs(x1 - (sig_left + 15 * MM)) < 3                          # covers its left third
    assert abs((y0 + y1) / 2 - (TITLE_Y + NAME_Y) / 2) < 8 * MM         # between title and name
    assert red_box(out, 0) is None                                      # nothing on page 1
    rep = verify_pdf(out, extra_roots=[tokens.pki.trust_root_pem])
    s = rep.signatures[0]
    assert (s.intact, s.valid, s.trusted, s.kind) == (True, True, True, "organization")
    assert s.coverage == "entire_file" and s.revision == s.total_revisions == 2
    assert s.revocation == "not_checked_offline"
    assert rep.verdict == "warning" and not rep.rule_org_and_personal   # only one signature


def test_leader_then_organization_both_stay_valid(tmp_path, options, tokens):
    """A leader's visible signature field, signed on the leader's token, then the organization's."""
    from dataclasses import replace as rp
    src = make_decision(tmp_path / "qd.pdf", leader_field=True)
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.pkcs11 import PKCS11Signer

    from app.sign import tokens as tk
    sess = tk.login(tokens.module, tokens.leader_token, tokens.leader_pin)
    try:
        lead = PKCS11Signer(sess, cert_label="lanh-dao", key_label="lanh-dao", other_certs_to_pull=("ca",))
        with open(src, "rb") as f:
            w = IncrementalPdfFileWriter(f, strict=False)
            out = signers.PdfSigner(signers.PdfSignatureMetadata(field_name="LanhDao"), lead).sign_pdf(w)
        leader_signed = tmp_path / "qd-lanh-dao.pdf"
        leader_signed.write_bytes(out.getvalue())
    finally:
        sess.close()
    signed = sign_one(leader_signed, "organization", rp(options, seal_diameter_mm=30))
    batch_place = signer.sign_batch([leader_signed], "organization", ORG_PIN,
                                    rp(options, out_dir=tmp_path / "again")).results[0].placement
    assert batch_place["source"] == "field"
    # seal right edge = field left + field width / 3
    field_left, field_w = BLOCK_CX - 25 * MM, 50 * MM
    x0, y0, x1, y1 = red_box(signed, 1)
    assert abs(x1 - (field_left + field_w / 3)) < 3
    rep = verify_pdf(signed, extra_roots=[tokens.pki.trust_root_pem])
    assert [s.kind for s in rep.signatures] == ["personal", "organization"]
    leader, org = rep.signatures
    assert leader.intact and leader.valid and leader.trusted
    assert leader.coverage == "entire_revision" and leader.changes_after != "other"
    assert org.coverage == "entire_file"
    assert rep.rule_org_and_personal and rep.verdict == "valid", rep.problems


def _page_text(pdf, clip=None):
    import pymupdf
    with pymupdf.open(pdf) as doc:
        page = doc[0]
        # signature appearances are widgets: flatten them into a copy to read their text
        page_text = page.get_text("text", clip=clip)
        tmp = pymupdf.open()
        tmp.insert_pdf(doc, from_page=0, to_page=0, annots=True)
        tmp.bake()
        t = tmp[0].get_text("text", clip=clip)
        tmp.close()
    return page_text + "\n" + t


def test_attachment_stamp_top_right_text(tmp_path, options, tokens):
    src = make_decision(tmp_path / "phu-luc.pdf", pages=1, signing_block=False)
    out = sign_one(src, "attachment", options)
    text = _page_text(out, clip=(300, 0, 595, 80))
    assert "Kèm theo văn bản số: 1007/QĐ-UBND" in text
    assert "Ủy ban nhân dân tỉnh Sóc Trăng" in text
    import re
    assert re.search(r"Thời gian ký: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", text), text
    assert red_box(out, 0) is None                           # no image
    rep = verify_pdf(out, extra_roots=[tokens.pki.trust_root_pem])
    assert rep.signatures[0].intact and rep.signatures[0].trusted


def test_attachment_needs_main_reference(tmp_path, options):
    from app.errors import ValidationError
    src = make_decision(tmp_path / "pl.pdf", pages=1)
    with pytest.raises(ValidationError) as e:
        signer.sign_batch([src], "attachment", ORG_PIN, replace(options, main_reference=None))
    assert "--main-reference" in e.value.message


def test_copy_stamp(tmp_path, options):
    src = make_decision(tmp_path / "ban-giay.pdf", pages=1)
    out = sign_one(src, "copy", options)
    text = _page_text(out, clip=(300, 0, 595, 80))
    assert "SAO Y" in text and "Ủy ban nhân dân tỉnh Sóc Trăng" in text and "+07:00" in text


def test_tampered_byte_is_detected(decision, options, tokens, tmp_path):
    out = sign_one(decision, "organization", options)
    data = bytearray(out.read_bytes())
    i = data.index(b"/Type /Page")   # inside the signed revision
    data[i + 7] = ord("p") if data[i + 7] != ord("p") else ord("q")
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(bytes(data))
    rep = verify_pdf(bad, extra_roots=[tokens.pki.trust_root_pem])
    assert rep.verdict == "invalid"
    assert not rep.signatures[0].intact
    assert any("thay đổi" in p for p in rep.problems)


def test_expired_and_untrusted_certificates(decision, options, tokens):
    expired = sign_one(decision, "organization", replace(options, cert_label="het-han"))
    rep = verify_pdf(expired, extra_roots=[tokens.pki.trust_root_pem])
    assert rep.verdict == "invalid"
    assert not rep.signatures[0].cert_valid_at_signing
    assert any("hiệu lực" in p for p in rep.signatures[0].problems)
    rogue = sign_one(decision, "organization", replace(options, cert_label="gia-mao"))
    rep = verify_pdf(rogue, extra_roots=[tokens.pki.trust_root_pem])
    assert rep.signatures[0].intact and not rep.signatures[0].trusted
    assert rep.verdict == "warning"
    assert any("tin cậy" in p for p in rep.signatures[0].problems)
    # trusting the rogue root for this call makes it trusted
    rep = verify_pdf(rogue, extra_roots=[tokens.pki.rogue_root_pem])
    assert rep.signatures[0].trusted


@pytest.mark.parametrize("kind,word", [("javascript", "JavaScript"), ("launch", "Launch"),
                                       ("exe_attachment", "setup.exe")])
def test_active_content_refused(tmp_path, options, kind, word):
    src = make_decision(tmp_path / "x.pdf", **{kind: True})
    before = _sha(src)
    batch = signer.sign_batch([src], "organization", ORG_PIN, options)
    r = batch.results[0]
    assert r.status == "refused" and word in r.message and r.output is None
    assert _sha(src) == before and list(tmp_path.glob("*.signed*.pdf")) == []


def test_not_a_pdf_is_refused_and_batch_goes_on(tmp_path, options, decision):
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf at all")
    batch = signer.sign_batch([junk, decision], "organization", ORG_PIN, options)
    assert [r.status for r in batch.results] == ["refused", "signed"]
    assert "PDF" in batch.results[0].message


def test_no_signing_block_asks_for_position(tmp_path, options):
    src = make_decision(tmp_path / "x.pdf", signing_block=False)
    r = signer.sign_batch([src], "organization", ORG_PIN, options).results[0]
    assert r.status == "refused" and "vị trí" in r.message
    r = signer.sign_batch([src], "organization", ORG_PIN, replace(options, position=(1, 60, 100))).results[0]
    assert r.status == "signed" and r.placement["source"] == "override"
    x0, y0, x1, y1 = red_box(r.output, 0)
    assert abs((x0 + x1) / 2 - 60 * MM) < 3 and abs((y0 + y1) / 2 - 100 * MM) < 3


def test_batch_progress_cancel_and_never_overwrite(tmp_path, options):
    files = [make_decision(tmp_path / f"d{i}.pdf", pages=1) for i in range(4)]
    seen = []
    state = {"n": 0}

    def progress(done, total):
        seen.append((done, total))
        state["n"] = done

    batch = signer.sign_batch(files, "organization", ORG_PIN, options, progress=progress,
                              cancelled=lambda: state["n"] >= 2)
    assert [r.status for r in batch.results] == ["signed", "signed", "cancelled", "cancelled"]
    assert seen == [(1, 4), (2, 4)] and batch.stopped
    assert not (tmp_path / "d2.signed.pdf").exists()
    again = signer.sign_batch(files[:1], "organization", ORG_PIN, options).results[0]
    assert again.output.endswith("d0.signed-2.pdf")          # the first result is kept as it was


def test_wrong_pin_touches_nothing(tmp_path, options):
    from app.sign.errors import PinError
    files = [make_decision(tmp_path / "a.pdf", pages=1)]
    with pytest.raises(PinError):
        signer.sign_batch(files, "organization", "999999", replace(options, pin_warning_confirmed=True))
    assert list(tmp_path.glob("*.signed*")) == []
    from app.sign import tokens as tk
    tk.login(options.module, options.token_label, ORG_PIN, confirmed=True).close()   # reset the counter


def test_token_pulled_out_mid_batch(tmp_path, options, monkeypatch):
    """The token disappears after the second document: the fault is injected at the PKCS#11
    sign call (the real removal cannot be scripted with SoftHSM)."""
    import pkcs11.exceptions
    from pyhanko.sign.pkcs11 import PKCS11Signer
    files = [make_decision(tmp_path / f"d{i}.pdf", pages=1) for i in range(4)]
    hashes = [_sha(f) for f in files]
    real = PKCS11Signer.async_sign_raw
    state = {"done": 0}

    async def flaky(self, *a, **kw):
        if state["done"] >= 2:
            raise pkcs11.exceptions.DeviceRemoved()
        return await real(self, *a, **kw)

    monkeypatch.setattr(PKCS11Signer, "async_sign_raw", flaky)
    batch = signer.sign_batch(files, "organization", ORG_PIN, options,
                              progress=lambda done, total: state.update(done=done))
    assert [r.status for r in batch.results] == ["signed", "signed", "failed", "not_started"]
    assert "rút ra" in batch.stopped
    assert Path(batch.results[0].output).exists() and Path(batch.results[1].output).exists()
    assert not (tmp_path / "d2.signed.pdf").exists() and not list(tmp_path.glob(".signing-*"))
    assert [_sha(f) for f in files] == hashes


def test_long_chain_falls_back_to_size_estimation(decision, options, monkeypatch, tokens, caplog):
    import logging
    caplog.set_level(logging.INFO, logger="vanthu.sign.signer")
    monkeypatch.setattr(signer, "RESERVE_BB", -1500)    # leaves less room than the certificates need
    out = sign_one(decision, "organization", options)
    assert "estimating" in caplog.text
    assert verify_pdf(out, extra_roots=[tokens.pki.trust_root_pem]).signatures[0].intact


def test_content_changed_after_signing_is_invalid(decision, options, tokens, tmp_path):
    """An incremental update that rewrites page content keeps the signed bytes intact, but the
    change after the signature is reported and makes the document invalid."""
    import shutil

    import pymupdf
    out = sign_one(decision, "organization", options)
    changed = tmp_path / "changed.pdf"
    shutil.copy(out, changed)
    changed.chmod(0o644)
    doc = pymupdf.open(changed)
    doc[0].insert_text((72, 300), "Điều 9. Nội dung thêm sau khi ký.", fontsize=13,
                       fontfile=str(Path(__file__).resolve().parents[2] / "resources/fonts/LiberationSerif-Regular.ttf"),
                       fontname="R")
    doc.saveIncr()
    doc.close()
    rep = verify_pdf(changed, extra_roots=[tokens.pki.trust_root_pem])
    s = rep.signatures[0]
    assert s.intact and s.coverage == "entire_revision" and s.revision < s.total_revisions
    assert s.changes_after == "other" and rep.verdict == "invalid"
    assert any("sửa sau khi ký" in p for p in s.problems)


def test_certified_document_forbidding_changes_is_refused(decision, options, tokens, tmp_path):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import MDPPerm
    from pyhanko.sign.pkcs11 import PKCS11Signer

    from app.sign import tokens as tk
    sess = tk.login(tokens.module, tokens.leader_token, tokens.leader_pin)
    try:
        lead = PKCS11Signer(sess, cert_label="lanh-dao", key_label="lanh-dao")
        with open(decision, "rb") as f:
            out = signers.PdfSigner(signers.PdfSignatureMetadata(
                field_name="LanhDao", certify=True, docmdp_permissions=MDPPerm.NO_CHANGES), lead).sign_pdf(
                IncrementalPdfFileWriter(f, strict=False))
    finally:
        sess.close()
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(out.getvalue())
    r = signer.sign_batch([locked], "organization", ORG_PIN, options).results[0]
    assert r.status == "refused" and "chứng thực" in r.message and r.output is None


def test_unwritable_output_folder_is_reported(decision, options, tmp_path):
    import os
    if os.geteuid() == 0:
        # root ignores directory permissions: a file in the way of the folder is the fault
        blocked = tmp_path / "out"
        blocked.write_text("not a folder")
    else:
        blocked = tmp_path / "ro"
        blocked.mkdir()
        blocked.chmod(0o500)
    r = signer.sign_batch([decision], "organization", ORG_PIN, replace(options, out_dir=blocked)).results[0]
    assert r.status == "refused" and "Không ghi được tệp đã ký" in r.message
