"""Small builders shared by the exchange tests."""
from pathlib import Path


def make_pdf(path, text="Quyết định thử nghiệm", pages=1) -> Path:
    import pymupdf
    doc = pymupdf.open()
    for i in range(pages):
        doc.new_page().insert_text((72, 72), f"{text} {i + 1}")
    doc.save(path)
    return Path(path)


def signed_pdf(tmp_path, pki) -> Path:
    """A PDF really signed by pyhanko with an organization certificate of the test PKI."""
    from asn1crypto import keys
    from asn1crypto import x509 as asn1x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from tests.support.pki import der, new_key
    key = new_key()
    cert = pki.issue(key.public_key(), "organization")
    src = make_pdf(tmp_path / "unsigned.pdf")
    signer = signers.SimpleSigner(
        signing_cert=asn1x509.Certificate.load(der(cert)),
        signing_key=keys.PrivateKeyInfo.load(key.private_bytes(serialization.Encoding.DER,
                                                                serialization.PrivateFormat.PKCS8,
                                                                serialization.NoEncryption())),
        cert_registry=SimpleCertificateStore.from_certs([asn1x509.Certificate.load(der(c)) for c in pki.chain()]))
    out = tmp_path / "signed.pdf"
    with open(src, "rb") as inf, open(out, "wb") as outf:
        w = IncrementalPdfFileWriter(inf, strict=False)
        signers.sign_pdf(w, signers.PdfSignatureMetadata(field_name="Sig1"), signer=signer, output=outf)
    return out


def outgoing_with_file(ws, tmp_path, summary="Về việc thử nghiệm liên thông", pdf=None, role="signed"):
    from app.store import attachments, entries
    e = entries.register(ws.store, "outgoing", {"summary": summary, "notation": "UBND-VP", "doc_type": "Công văn",
                                                 "signer": "Nguyễn Văn An", "signer_title": "Chủ tịch",
                                                 "urgency": "Khẩn"})
    attachments.add(ws.store, e["id"], pdf or make_pdf(tmp_path / f"{e['id']}-{ws.org_id}.pdf"), role=role)
    return entries.get(ws.store, e["id"])
