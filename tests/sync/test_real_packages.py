"""Packages in the platform's real shape, written by hand (tests/sync/fixtures, not by our writer),
read by the workstation; and our writer's output read by an independent lxml reading that follows
the tree in domain.md."""
import base64
import io
import json
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from app.sync import edxml
from app.sync.edxml import PackageError

FIX = Path(__file__).with_name("fixtures")
NS = {"e": "http://www.mic.gov.vn/TBT/QCVN_102_2016"}
SHOW_KEYS = {"kind", "from", "to", "document_id", "number", "notation", "reference", "issued_on", "subject",
             "doc_type", "urgency", "business_type", "replaces", "status_code", "response_for", "attachments",
             "warnings"}


def _read(name, tmp_path):
    return edxml.read_package(FIX / name, tmp_path)


def test_new_document_as_the_platform_writes_it(tmp_path):
    pkg = _read("edoc-new.edxml", tmp_path)
    h = pkg.header
    assert pkg.kind == "edoc" and pkg.business_type == 0 and pkg.signed
    assert h["from"]["organ_id"] == "000.00.00.G22" and h["from"]["address"] == "16 Lê Hồng Phong, Ba Đình, Hà Nội"
    assert [t["organ_id"] for t in h["to"]] == ["000.00.01.H53", "vxp.saas.03"]     # test-system id kept
    assert h["document_id"] == "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"
    assert h["code"] == {"number": "20150930101500", "notation": "VPCP-TTĐT"}          # 14 digits: kept...
    [warning] = pkg.warnings                                                             # ...and flagged
    assert "CodeNumber" in warning and "14" in warning
    assert h["other"]["direction"] == "false" and h["other"]["priority"] == "2"
    assert h["other"]["appendixes"]["appendix"] == ["Phụ lục I: Danh sách cơ quan", "Phụ lục II: Lịch kết nối"]
    assert h["to_places"]["place"] == ["Như trên", "Lưu: VT, TTĐT"]
    assert h["signer"]["full_name"] == "Nguyễn Văn Thử" and h["due_date"] == "2015/10/15"
    assert pkg.business["staff"]["staff"] == "Trần Thị Văn Thư"                          # Bussiness before TraceHeader
    assert pkg.traces == [{"organ_id": "000.00.00.G22", "timestamp": "2015/09/30 10:15:00"}]
    zipped, text = pkg.attachments
    # the ZIP holding one <uuid>.pdf is unpacked and keeps AttachmentName
    assert zipped.name == "7816-VPCP-TTDT.pdf" and zipped.unpacked_from_zip and zipped.mime == "application/pdf"
    assert Path(zipped.path).read_bytes().startswith(b"%PDF-1.4") and zipped.size == 48
    assert zipped.sha256 == "a8ea9f63d81e0927b1935af65c5c4ae12be654d6d1d57907772491a65a562aa5"
    assert zipped.description == "Văn bản chính"                                         # from the manifest
    assert Path(text.path).read_text(encoding="utf-8") == "Tờ trình kèm theo"             # base64 over lines
    assert text.description == "Tờ trình" and not text.unpacked_from_zip
    pkg.cleanup()


@pytest.mark.parametrize("kind, btype", [("recall", 1), ("update", 2), ("replace", 3)])
def test_recall_update_replace(tmp_path, kind, btype):
    pkg = _read(f"edoc-{kind}.edxml", tmp_path)
    assert pkg.kind == "edoc" and pkg.business_type == btype and pkg.sender == "000.00.00.G22"
    assert pkg.business["reason"] and pkg.traces[0]["organ_id"] == "000.00.00.G22"   # TraceHeader first here
    if btype == 1:
        assert pkg.header["document_id"] == "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT" and pkg.replaces == []
    else:
        assert pkg.replaces == ["000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"]
        [info] = pkg.business["replaces"]["info"]
        assert info["organs"]["organ_id"] == ["000.00.01.H53", "vxp.saas.03"]


@pytest.mark.parametrize("code", ["01", "02", "03", "04", "05", "06", "13", "15", "16"])
def test_status_packages_with_fields_inside_message_header(tmp_path, code):
    pkg = _read(f"status-{code}.edxml", tmp_path)
    assert pkg.kind == "status" and pkg.status["status_code"] == code
    assert pkg.status["response_for"] == {"organ_id": "000.00.00.H53", "code": "1007/QĐ-UBND",
                                          "date": "2026/11/20", "document_id": "000.00.00.H53,2026/11/20,1007/QĐ-UBND"}
    assert pkg.status["from"]["organ_id"] == "000.00.01.H53" and pkg.status["staff"]["staff"] == "Lê Thị Nhận"
    assert pkg.status["description"] == f"Trạng thái {code} của văn bản"
    assert pkg.status["timestamp"] == "2026/11/21 08:30:00" and pkg.attachments == []


@pytest.mark.parametrize("name", ["bad-bytes-before-declaration.edxml", "bad-undefined-prefix.edxml"])
def test_malformed_packages_are_refused_clearly(tmp_path, name):
    with pytest.raises(PackageError) as info:
        _read(name, tmp_path)
    assert "không phải XML hợp lệ" in info.value.message and info.value.detail


def test_edxml_show_json_has_exactly_the_documented_keys(tmp_path, capsys):
    from app.cli import main
    assert main(["--data-dir", str(tmp_path / "d"), "edxml", "show", str(FIX / "edoc-new.edxml"), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert set(info) == SHOW_KEYS
    assert info["kind"] == "edoc" and info["from"] == {"organ_id": "000.00.00.G22", "organ_name": "Văn phòng Chính phủ"}
    assert info["to"][1] == {"organ_id": "vxp.saas.03", "organ_name": "Hệ thống thử nghiệm"}
    assert info["reference"] == "20150930101500/VPCP-TTĐT" and info["issued_on"] == "2015-09-30"
    assert info["doc_type"] == "Công văn" and info["urgency"] == 2 and info["business_type"] == 0
    assert info["attachments"][0] == {"name": "7816-VPCP-TTDT.pdf", "mime": "application/pdf", "size": 48,
                                      "sha256": "a8ea9f63d81e0927b1935af65c5c4ae12be654d6d1d57907772491a65a562aa5"}
    assert len(info["warnings"]) == 1
    assert main(["--data-dir", str(tmp_path / "d"), "edxml", "show", str(FIX / "status-13.edxml"), "--json"]) == 0
    st = json.loads(capsys.readouterr().out)
    assert set(st) == SHOW_KEYS and st["kind"] == "status" and st["status_code"] == "13"
    assert st["response_for"] == [{"organ_id": "000.00.00.H53", "code": "1007/QĐ-UBND",
                                   "document_id": "000.00.00.H53,2026/11/20,1007/QĐ-UBND"}]
    assert main(["--data-dir", str(tmp_path / "d"), "edxml", "show", str(FIX / "edoc-replace.edxml"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["replaces"] == ["000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"]
    code = main(["--data-dir", str(tmp_path / "d"), "edxml", "show", str(FIX / "bad-undefined-prefix.edxml")])
    err = capsys.readouterr().err
    assert code != 0 and "không phải XML hợp lệ" in err and "Traceback" not in err
    assert main(["--data-dir", str(tmp_path / "d"), "edxml", "show", str(FIX / "edoc-new.edxml")]) == 0
    out = capsys.readouterr().out
    assert "Trích yếu: V/v triển khai" in out and "30/09/2015" in out


# ------------------------------------------------------------------ ZIP-wrapped attachments, hostile

def _with_attachment(payload: bytes, name="van-ban.pdf") -> bytes:
    """A hand-built package (string template, not our writer) carrying `payload` base64-encoded."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXMLEnvelope><edXMLHeader><MessageHeader>
<From><OrganId>000.00.00.G22</OrganId></From><To><OrganId>000.00.01.H53</OrganId></To>
<DocumentId>x</DocumentId><Subject>Tệp nén</Subject></MessageHeader>
<TraceHeaderList><Bussiness><BussinessDocType>0</BussinessDocType></Bussiness></TraceHeaderList></edXMLHeader>
<edXMLBody><edXMLManifest version="1.0"><Reference><ContentId>cid:1</ContentId><ContentType>application/zip</ContentType>
<AttachmentName>{name}</AttachmentName></Reference></edXMLManifest></edXMLBody></edXMLEnvelope>
<AttachmentEncoded><Attachment><ContentId>cid:1</ContentId><AttachmentName>{name}</AttachmentName>
<ContentType>application/zip</ContentType><ContentTransferEncoded>{base64.b64encode(payload).decode()}</ContentTransferEncoded>
</Attachment></AttachmentEncoded></edXML>""".encode()


def _zip(members: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in members.items():
            z.writestr(n, data)
    return buf.getvalue()


@pytest.mark.parametrize("members, message", [
    ({"../../etc/cron.d/evil.pdf": b"%PDF-1.4"}, "đường dẫn"),
    ({"/abs/evil.pdf": b"%PDF-1.4"}, "đường dẫn"),
    ({"a.pdf": b"%PDF-1.4", "b.pdf": b"%PDF-1.4"}, "chứa 2 tệp"),
    ({"bomb.pdf": b"\0" * (60 << 20)}, "quá lớn"),
])
def test_hostile_zip_inside_an_attachment_is_refused(tmp_path, members, message):
    with pytest.raises(PackageError, match=message):
        edxml.read_package(io.BytesIO(_with_attachment(_zip(members))), tmp_path / "t")
    assert list((tmp_path / "t").iterdir()) == []          # nothing stored half


def test_zip_based_formats_and_real_zips_are_kept_as_they_are(tmp_path):
    docx = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    pkg = edxml.read_package(io.BytesIO(_with_attachment(docx, "Báo cáo.docx")), tmp_path)
    assert not pkg.attachments[0].unpacked_from_zip and Path(pkg.attachments[0].path).read_bytes() == docx
    one = _zip({"x.pdf": b"%PDF-1.4 real"})
    pkg = edxml.read_package(io.BytesIO(_with_attachment(one, "Hồ sơ.zip")), tmp_path)
    assert Path(pkg.attachments[0].path).read_bytes() == one


def test_broken_zip_is_refused(tmp_path):
    broken = _zip({"x.pdf": b"%PDF-1.4 " * 100})[:60]
    with pytest.raises(PackageError, match="bị hỏng"):
        edxml.read_package(io.BytesIO(_with_attachment(broken)), tmp_path)
    corrupted = bytearray(_zip({"a.pdf": b"%PDF-1.4 " * 1000}))
    corrupted[60] ^= 0xFF
    corrupted[70] ^= 0xFF                      # the deflate stream no longer matches its CRC
    with pytest.raises(PackageError, match="bị hỏng"):
        edxml.read_package(io.BytesIO(_with_attachment(bytes(corrupted))), tmp_path / "t")
    assert list((tmp_path / "t").iterdir()) == []


# ------------------------------------------------------------------ our writer, read independently

def test_our_writer_follows_the_platform_tree(tmp_path):
    out = tmp_path / "ours.edxml"
    edxml.write_document(out, {
        "from": {"organ_id": "000.00.00.H53", "organ_name": "UBND tỉnh Sóc Trăng"},
        "to": [{"organ_id": "000.00.01.H53", "organ_name": "Văn phòng"}],
        "document_id": "000.00.00.H53,2026/11/20,1007/QĐ-UBND", "code": {"number": "1007", "notation": "QĐ-UBND"},
        "promulgation": {"place": "Sóc Trăng", "date": "2026/11/20"},
        "doc_type": {"type": "1", "type_name": "Quyết định"}, "subject": "Về việc thử",
        "other": {"priority": "1", "direction": "false", "appendixes": {"appendix": ["Phụ lục"]}},
        "steering_type": "0", "to_places": {"place": ["Như trên"]}},
        [edxml.OutAttachment("Quyết định.pdf", data=b"%PDF-1.4 ours", description="Văn bản chính")],
        traces=[{"organ_id": "000.00.00.H53", "timestamp": "2026/11/20 08:00:00"}],
        business={"doc_type": "3", "reason": "Thay thế", "replaces": {"info": [
            {"document_id": "old-id", "organs": {"organ_id": ["000.00.01.H53"]}}]}})
    root = etree.parse(str(out)).getroot()            # a plain lxml tree, no code of ours
    assert root.tag == "{" + NS["e"] + "}edXML"
    assert [etree.QName(c).localname for c in root] == ["edXMLEnvelope", "AttachmentEncoded"]
    mh = root.find("e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader", NS)
    assert [etree.QName(c).localname for c in mh] == ["From", "To", "DocumentId", "Code", "PromulgationInfo",
                                                      "DocumentType", "Subject", "OtherInfo", "SteeringType", "ToPlaces"]
    assert mh.findtext("e:From/e:OrganId", namespaces=NS) == "000.00.00.H53"
    assert mh.findtext("e:Code/e:CodeNotation", namespaces=NS) == "QĐ-UBND"
    assert mh.findtext("e:OtherInfo/e:Direction", namespaces=NS) == "false"
    assert mh.findtext("e:OtherInfo/e:Appendixes/e:Appendix", namespaces=NS) == "Phụ lục"
    assert mh.findtext("e:ToPlaces/e:Place", namespaces=NS) == "Như trên"
    thl = root.find("e:edXMLEnvelope/e:edXMLHeader/e:TraceHeaderList", NS)
    assert thl.findtext("e:TraceHeader/e:OrganId", namespaces=NS) == "000.00.00.H53"
    assert thl.findtext("e:Bussiness/e:BussinessDocType", namespaces=NS) == "3"
    ri = thl.find("e:Bussiness/e:ReplacementInfoList/e:ReplacementInfo", NS)
    assert ri.findtext("e:DocumentId", namespaces=NS) == "old-id"
    assert ri.findtext("e:OrganIdList/e:OrganId", namespaces=NS) == "000.00.01.H53"
    manifest = root.find("e:edXMLEnvelope/e:edXMLBody/e:edXMLManifest", NS)
    assert manifest.get("version") == "1.0"
    ref = manifest.find("e:Reference", NS)
    att = root.find("e:AttachmentEncoded/e:Attachment", NS)
    assert ref.findtext("e:ContentId", namespaces=NS) == att.findtext("e:ContentId", namespaces=NS)
    assert ref.findtext("e:ContentId", namespaces=NS).startswith("cid:")
    assert att.findtext("e:AttachmentName", namespaces=NS) == "Quyết định.pdf"
    assert base64.b64decode(att.findtext("e:ContentTransferEncoded", namespaces=NS)) == b"%PDF-1.4 ours"
    assert root.find(".//e:Value", NS) is None and root.find(".//e:Status", NS) is None


def test_our_status_package_follows_the_platform_tree(tmp_path):
    data = edxml.status_bytes({"from": {"organ_id": "000.00.01.H53", "organ_name": "Văn phòng"},
                               "response_for": {"organ_id": "000.00.00.H53", "code": "1007/QĐ-UBND",
                                                "date": "2026/11/20", "document_id": "d-1"},
                               "staff": {"staff": "Lê Thị Nhận"}, "status_code": "03",
                               "description": "Đã tiếp nhận", "timestamp": "2026/11/21 08:30:00"})
    root = etree.fromstring(data)
    envelope = root.find("e:edXMLEnvelope", NS)
    assert envelope.find("e:edXMLBody", NS) is None                   # a status package has no body
    mh = envelope.find("e:edXMLHeader/e:MessageHeader", NS)
    assert [etree.QName(c).localname for c in mh] == ["From", "ResponseFor", "StaffInfo", "StatusCode",
                                                      "Description", "Timestamp"]
    assert mh.findtext("e:StatusCode", namespaces=NS) == "03"
    assert mh.findtext("e:ResponseFor/e:DocumentId", namespaces=NS) == "d-1"


def test_our_number_goes_out_as_printed_on_the_document():
    """CodeNumber carries the number as the reference prints it ("04/UBND" arrives as "04/UBND")."""
    from app.sync.outgoing import header_for

    class S(dict):
        def get(self, k, default=None):
            return {"org.id": "000.00.00.H53", "org.name": "UBND tỉnh"}.get(k, default)

    entry = {"number": "4", "notation": "UBND", "reference": "04/UBND", "issued_on": "2026-11-27",
             "summary": "Về việc A", "year": 2026}
    header = header_for(S(), entry, [{"id": "000.00.01.H53", "name": "Sở A"}], "yyyy/MM/dd")
    assert header["code"] == {"number": "04", "notation": "UBND"}
