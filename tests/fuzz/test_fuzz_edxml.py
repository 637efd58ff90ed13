"""edXML packages (QCVN 102:2016, the wire shape of ../shared/domain.md "Exchange packages"),
given to the parser's public entry point app.sync.edxml.read_package: hostile structure, entities,
depth, base64, ZIP-wrapped attachments, names, sizes. There is no CLI command that reads a
package file, so the parser is called directly; the assertions are the same: a Package or the
clerk's message (a VanthuError), nothing else, and no decoded file left behind after a refusal."""
from __future__ import annotations

import base64
import io
import zipfile
from xml.sax.saxutils import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz import mutators
from tests.fuzz.harness import STRESS, fuzz_settings, is_vietnamese, tick, timed

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
BIDI = "\u202e\u2066\u200f"
text = st.text(alphabet=st.sampled_from("aăâđêôơư bcdghklmnpqrstvxyÁẢẠỦQĐ-/.,&<>\"'" + BIDI),
               max_size=60)


def _t(tag: str, value: str) -> str:
    return f"<{tag}>{escape(value)}</{tag}>"


@st.composite
def attachment(draw, i: int):
    name = draw(st.one_of(st.just(f"van-ban-{i}.pdf"), text, st.sampled_from(
        ["../../etc/passwd", "/tmp/x.pdf", "C:\\Windows\\x.exe", "a\u202eexe.pdf", "", ".", "..", "con.pdf",
         "x" * 300 + ".pdf"])))
    payload = draw(st.sampled_from([b"%PDF-1.4\n%%EOF\n", b"MZ\x90\x00", b"", b"PK\x03\x04broken"]))
    wrap = draw(st.sampled_from(["plain", "plain", "zip", "zip_many", "zip_traversal", "zip_bomb", "bad_b64"]))
    if wrap.startswith("zip"):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            if wrap == "zip":
                z.writestr("3f2a9c1e-uuid.pdf", payload)
            elif wrap == "zip_many":
                for k in range(draw(st.integers(2, 5))):
                    z.writestr(f"{k}.pdf", payload)
            elif wrap == "zip_traversal":
                z.writestr("../../../../tmp/evil.pdf", payload)
            else:
                z.writestr("bomb.pdf", b"\x00" * (draw(st.sampled_from([1, 8, 32])) << 20))
        payload = buf.getvalue()
    b64 = base64.b64encode(payload).decode() if wrap != "bad_b64" else "!!!not base64===" * 3
    if b64 and draw(st.booleans()):
        b64 = "\n".join(b64[k:k + 76] for k in range(0, len(b64), 76))
    cid = draw(st.sampled_from([f"cid:{i}", "cid:0", "", "cid:../x"]))
    ref = (f"<Reference><ContentId>{escape(cid)}</ContentId><ContentType>application/pdf</ContentType>"
           f"{_t('AttachmentName', name)}</Reference>")
    att = (f"<Attachment><ContentId>{escape(cid)}</ContentId>{_t('AttachmentName', name)}"
           f"<ContentType>{'application/zip' if wrap.startswith('zip') else 'application/pdf'}</ContentType>"
           f"<ContentTransferEncoded>{b64}</ContentTransferEncoded></Attachment>")
    return ref, att


@st.composite
def package(draw):
    subject = draw(st.one_of(text, st.just("Về việc triển khai công tác văn thư"), st.just("x" * 600)))
    organ = draw(st.sampled_from(["000.00.00.G22", "vxp.saas.03", "", "000.00.00.H53" + BIDI]))
    attachments = [draw(attachment(i)) for i in range(draw(st.integers(0, 3)))]
    header = (
        "<MessageHeader>"
        f"<From><OrganId>{escape(organ)}</OrganId>{_t('OrganName', draw(text))}</From>"
        f"<To><OrganId>000.00.00.H53</OrganId><OrganName>UBND tỉnh</OrganName></To>"
        f"{_t('DocumentId', draw(st.sampled_from(['000.00.00.G22,2015/09/30,7816/VPCP-TTĐT', 'x', ''])))}"
        f"<Code>{_t('CodeNumber', draw(st.sampled_from(['7816', '12345678901234', 'abc', ''])))}"
        f"{_t('CodeNotation', draw(st.one_of(st.just('VPCP-TTĐT'), text)))}</Code>"
        f"<PromulgationInfo>{_t('Place', draw(text))}"
        f"{_t('PromulgationDate', draw(st.sampled_from(['2015/09/30', '30/09/2015', '2099/01/01', '2015/02/30', 'x'])))}"
        "</PromulgationInfo>"
        f"<DocumentType><Type>1</Type><TypeDetail>2</TypeDetail>{_t('TypeName', draw(text))}</DocumentType>"
        f"{_t('Subject', subject)}{_t('Content', draw(text))}"
        f"<SignerInfo>{_t('Competence', draw(text))}{_t('Position', draw(text))}{_t('FullName', draw(text))}</SignerInfo>"
        f"<OtherInfo>{_t('Priority', draw(st.sampled_from(['0', '1', '3', '9', 'x'])))}"
        f"{_t('PageAmount', draw(st.sampled_from(['1', '-1', '99999999999999999999', 'x'])))}</OtherInfo>"
        "</MessageHeader>"
        "<TraceHeaderList><TraceHeader><OrganId>000.00.00.G22</OrganId>"
        f"{_t('Timestamp', draw(st.sampled_from(['2015/09/30 10:00:00', 'x'])))}</TraceHeader>"
        f"<Bussiness>{_t('BussinessDocType', draw(st.sampled_from(['0', '1', '2', '3', '7', 'x'])))}"
        "<BussinessDocReason></BussinessDocReason><Paper>0</Paper></Bussiness></TraceHeaderList>")
    refs = "".join(r for r, _ in attachments)
    atts = "".join(a for _, a in attachments)
    body = (f"<edXMLBody><edXMLManifest version=\"1.0\">{refs}</edXMLManifest></edXMLBody>" if refs else "")
    xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<edXML xmlns="{NS}"><edXMLEnvelope><edXMLHeader>{header}'
           f"</edXMLHeader>{body}</edXMLEnvelope><AttachmentEncoded>{atts}</AttachmentEncoded></edXML>")
    op = draw(st.sampled_from(["none", "none", "none", "doctype_bomb", "xxe", "deep", "wide", "before_decl",
                               "prefix", "namespace", "truncate", "flips", "old_root", "bad_chars"]))
    if op == "bad_chars":                # characters XML forbids
        xml = xml.replace("</Subject>", draw(st.sampled_from(["\x00", "\x1f", "\ufffe", "\ud7ff\x0b"])) + "</Subject>", 1)
    if op == "doctype_bomb":
        ents = '<!ENTITY a "aaaaaaaaaa">' + "".join(f'<!ENTITY {c} "&{p};&{p};&{p};&{p};&{p};&{p};&{p};&{p};">'
                                                   for p, c in zip("abcdefgh", "bcdefghi"))
        xml = xml.replace("<edXML ", f"<!DOCTYPE edXML [{ents}]><edXML ", 1).replace(
            _t("Subject", subject), "<Subject>&i;</Subject>")
    if op == "xxe":
        xml = xml.replace("<edXML ", '<!DOCTYPE edXML [<!ENTITY x SYSTEM "file:///etc/passwd">]><edXML ', 1).replace(
            _t("Subject", subject), "<Subject>&x;</Subject>")
    if op == "deep":
        n = draw(st.sampled_from([40, 5000, 100000]))
        xml = xml.replace("<Content>", "<Content>" + "<x>" * n + "</x>" * n, 1)
    if op == "wide":
        xml = xml.replace("</OtherInfo>", "<Appendixes>" + "<Appendix>a</Appendix>" * 25000 + "</Appendixes></OtherInfo>")
    if op == "before_decl":
        xml = "\ufeff junk" + xml
    if op == "prefix":
        xml = xml.replace("<MessageHeader>", "<edxml:MessageHeader>", 1)
    if op == "namespace":
        xml = xml.replace(NS, "http://example.org/other", 1)
    if op == "old_root":                 # the envelope as the root (the older, vaguer reading)
        xml = xml.replace(f'<edXML xmlns="{NS}">', "").replace("</edXML>", "")
    data = xml.encode("utf-8")
    if op == "truncate":
        data = mutators.truncate(data, draw)
    if op == "flips":
        data = mutators.byte_flips(data, draw)
    return data


def _fuzz(folder, name):
    from app.errors import VanthuError
    from app.sync import edxml

    @given(package())
    def example(data):
        tick(name)
        src = folder / "in.xml"
        src.write_bytes(data)
        tmp = folder / "tmp"
        tmp.mkdir(exist_ok=True)
        for p in tmp.iterdir():
            p.unlink()
        try:
            pkg = edxml.read_package(src, tmp)
        except VanthuError as exc:
            assert exc.message and is_vietnamese(exc.message), exc.message
            assert "Traceback" not in exc.message
            assert not list(tmp.iterdir()), "decoded files left behind after a refusal"
            return
        try:
            flat = repr(pkg.header) + repr(pkg.status) + repr(pkg.traces) + repr(pkg.business)
            assert "root:x:0:0" not in flat, "an external entity was resolved"
            for a in pkg.attachments:
                assert "/" not in a.name and "\\" not in a.name and "\x00" not in a.name, a.name
                assert a.name not in ("", ".", ".."), a.name
                assert not any(c in a.name for c in BIDI), a.name
                assert a.size <= edxml.MAX_ATTACHMENT
        finally:
            pkg.cleanup()
        assert not [p for p in tmp.iterdir() if p.is_file()], "Package.cleanup() left files"
    return example


@pytest.mark.timeout(900)
def test_fuzz_edxml(tmp_path):
    with timed("edxml"):
        fuzz_settings(120)(_fuzz(tmp_path, "edxml"))()


@pytest.mark.slow
@pytest.mark.timeout(6 * 3600)
@pytest.mark.skipif(not STRESS, reason="VANTHU_STRESS=1 (make stress)")
def test_fuzz_edxml_stress(tmp_path):
    with timed("edxml (stress)"):
        fuzz_settings(10_000)(_fuzz(tmp_path, "edxml (stress)"))()
