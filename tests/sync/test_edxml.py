"""edXML packages: round trip of every header part, and hostile input refused safely."""
import io
import subprocess
import sys
import textwrap

import pytest

from app.sync import edxml
from app.sync.edxml import OutAttachment, PackageError

HEADER = {
    "from": {"organ_id": "000.00.00.H53", "organ_name": "UBND tỉnh Sóc Trăng", "email": "vt@soctrang.gov.vn"},
    "to": [{"organ_id": "000.00.01.H53", "organ_name": "Văn phòng UBND tỉnh"},
           {"organ_id": "000.00.02.H53", "organ_name": "Sở Nội vụ"}],
    "document_id": "000.00.00.H53,2026/11/20,1007/QĐ-UBND",
    "code": {"number": "1007", "notation": "QĐ-UBND"},
    "promulgation": {"place": "Sóc Trăng", "date": "2026/11/20"},
    "doc_type": {"type": "1", "type_detail": "2", "type_name": "Quyết định"},
    "subject": "Về việc ban hành quy chế văn thư điện tử",
    "content": "Nội dung tóm tắt",
    "signer": {"competence": "KT. CHỦ TỊCH", "position": "Phó Chủ tịch", "full_name": "Trần Thị Bình"},
    "due_date": "2026/12/01",
    "to_places": {"place": ["Như Điều 3", "Lưu: VT"]},
    "other": {"priority": "2", "sphere": "Toàn tỉnh", "page_amount": "3", "amount": "5",
              "appendixes": {"appendix": ["Phụ lục I", "Phụ lục II"]}},
    "response_for": [{"organ_id": "000.00.02.H53", "code": "12/SNV-VP", "date": "2026/11/01",
                      "document_id": "000.00.02.H53,2026/11/01,12/SNV-VP"}],
    "steering_type": "1",
}


def _build(attachments=(), header=HEADER, business=None) -> bytes:
    buf = io.BytesIO()
    edxml.write_document(buf, header, list(attachments),
                         traces=[{"organ_id": "000.00.00.H53", "timestamp": "2026/11/20 08:00:00"}],
                         business=business or {"doc_type": "0", "staff": {"staff": "Lê Văn Thư"}})
    return buf.getvalue()


def test_round_trip_keeps_every_field(tmp_path):
    data = bytes(range(256)) * 4000 + b"tail"        # not a multiple of 3: padding handled
    pkg = edxml.read_package(io.BytesIO(_build([OutAttachment("Quyết định 1007.pdf", data=data,
                                                              description="Văn bản chính")])), tmp_path)
    assert pkg.kind == "edoc"
    for key, value in HEADER.items():
        assert pkg.header[key] == value, key
    assert pkg.business == {"doc_type": "0", "staff": {"staff": "Lê Văn Thư"}}
    assert pkg.traces == [{"organ_id": "000.00.00.H53", "timestamp": "2026/11/20 08:00:00"}]
    [att] = pkg.attachments
    assert att.name == "Quyết định 1007.pdf" and att.description == "Văn bản chính"
    assert open(att.path, "rb").read() == data and att.size == len(data)
    pkg.cleanup()


def test_status_package_round_trip(tmp_path):
    data = edxml.status_bytes({"response_for": {"organ_id": "000.00.00.H53", "code": "1007/QĐ-UBND",
                                                "document_id": "x"},
                               "from": {"organ_id": "000.00.01.H53", "organ_name": "Văn phòng"},
                               "status_code": "02", "description": "Gửi nhầm đơn vị",
                               "timestamp": "2026/11/20 09:00:00"})
    pkg = edxml.read_package(io.BytesIO(data), tmp_path)
    assert pkg.kind == "status" and pkg.status["status_code"] == "02"
    assert pkg.status["description"] == "Gửi nhầm đơn vị"


def test_unknown_status_code_is_refused():
    with pytest.raises(PackageError):
        edxml.status_bytes({"status_code": "07"})


def test_business_types_recall_and_replace(tmp_path):
    replaces = {"info": [{"document_id": "A", "organs": {"organ_id": ["000.00.01.H53"]}}, {"document_id": "B"}]}
    pkg = edxml.read_package(io.BytesIO(_build(business={"doc_type": "3", "reason": "Thay thế do sai sót",
                                                         "replaces": replaces})), tmp_path)
    assert pkg.business_type == 3 and pkg.business["replaces"] == replaces and pkg.replaces == ["A", "B"]


@pytest.mark.parametrize("name, expected", [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\Windows\\system32\\evil.exe", "evil.exe"),
    ("/abs/path/Tờ trình.pdf", "Tờ trình.pdf"),
    ("CON.pdf", "tep-dinh-kem-1-CON.pdf"),
    ("..", "tep-dinh-kem-1"),
    ("a:b|c?.pdf", "a_b_c_.pdf"),
])
def test_attachment_names_are_sanitized(tmp_path, name, expected):
    from xml.sax.saxutils import escape
    raw = _build([OutAttachment("x.pdf", data=b"%PDF-1.4")])
    raw = raw.replace(b">x.pdf<", f">{escape(name)}<".encode())   # a sender's raw name, as sent
    pkg = edxml.read_package(io.BytesIO(raw), tmp_path)
    assert pkg.attachments[0].name == expected
    pkg.cleanup()


def test_control_character_in_name_is_refused_or_cleaned(tmp_path):
    raw = _build([OutAttachment("x.pdf", data=b"%PDF-1.4")]).replace(b">x.pdf<", b">a&#0;b.pdf<")
    with pytest.raises(PackageError):       # NUL is not even legal XML
        edxml.read_package(io.BytesIO(raw), tmp_path)


def test_safe_name_direct():
    assert edxml.safe_name("a\x00b\x07.pdf") == "a_b_.pdf"
    assert len(edxml.safe_name("x" * 500 + ".pdf")) <= 200
    assert edxml.safe_name("x" * 500 + ".pdf").endswith(".pdf")


def test_entity_expansion_is_refused(tmp_path):
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
            b'<edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXML:edXMLHeader>'
            b'<edXML:MessageHeader><edXML:Subject>&lol3;</edXML:Subject></edXML:MessageHeader></edXML:edXMLHeader>'
            b'</edXML:edXMLEnvelope>')
    with pytest.raises(PackageError, match="DOCTYPE"):
        edxml.read_package(io.BytesIO(bomb), tmp_path)


def test_external_entity_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    xxe = (f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>'
           '<edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXML:edXMLHeader>'
           '<edXML:MessageHeader><edXML:From><edXML:OrganId>000.00.00.H53</edXML:OrganId></edXML:From>'
           '<edXML:Subject>&e;</edXML:Subject></edXML:MessageHeader></edXML:edXMLHeader>'
           '</edXML:edXMLEnvelope>').encode()
    with pytest.raises(PackageError) as info:
        edxml.read_package(io.BytesIO(xxe), tmp_path)
    assert "TOP-SECRET" not in info.value.message + info.value.detail


def test_wrong_base64_is_refused_and_leaves_no_temp_file(tmp_path):
    raw = _build([OutAttachment("a.pdf", data=b"%PDF-1.4 hello world")])
    start = raw.index(b"<ContentTransferEncoded>") + len(b"<ContentTransferEncoded>")
    raw = raw[:start] + b"!!!not*base64@@" + raw[start + 15:]
    with pytest.raises(PackageError, match="base64"):
        edxml.read_package(io.BytesIO(raw), tmp_path / "t")
    assert list((tmp_path / "t").iterdir()) == []


def test_truncated_base64_is_refused(tmp_path):
    raw = _build([OutAttachment("a.pdf", data=b"%PDF-1.4 hello world!")])
    start = raw.index(b"</ContentTransferEncoded>")
    with pytest.raises(PackageError):
        edxml.read_package(io.BytesIO(raw[:start - 1] + raw[start:]), tmp_path)


def test_field_longer_than_legal_limit_is_kept_and_flagged(tmp_path):
    long_subject = dict(HEADER, subject="Trích yếu " * 60)
    with pytest.raises(PackageError, match="Trích yếu"):
        _build(header=long_subject)      # we never write one
    raw = _build().replace(HEADER["subject"].encode(), ("x" * 501).encode())
    pkg = edxml.read_package(io.BytesIO(raw), tmp_path)   # others' over-long values: kept, flagged
    assert pkg.header["subject"] == "x" * 501
    [warning] = pkg.warnings
    assert "Trích yếu" in warning and "501" in warning and "500" in warning
    hostile = _build().replace(HEADER["subject"].encode(), ("x" * (edxml.MAX_FIELD + 1)).encode())
    with pytest.raises(PackageError, match="dài quá giới hạn"):
        edxml.read_package(io.BytesIO(hostile), tmp_path)


def test_package_size_limit(tmp_path):
    raw = _build([OutAttachment("a.pdf", data=b"0" * 200_000)])
    with pytest.raises(PackageError, match="lớn quá"):
        edxml.read_package(io.BytesIO(raw), tmp_path, max_package=100_000)
    with pytest.raises(PackageError, match="lớn quá"):
        edxml.read_package(io.BytesIO(raw), tmp_path, max_attachment=100_000)


def test_not_an_edxml_file(tmp_path):
    with pytest.raises(PackageError):
        edxml.read_package(io.BytesIO(b"<html><body>hello</body></html>"), tmp_path)
    with pytest.raises(PackageError):
        edxml.read_package(io.BytesIO(b"\x89PNG garbage"), tmp_path)


def test_dates_in_both_hub_formats():
    assert edxml.parse_date("2026/11/20") == "2026-11-20"
    assert edxml.parse_date("20/11/2026") == "2026-11-20"
    assert edxml.parse_date("2026/11/20 08:00:00") == "2026-11-20"
    assert edxml.parse_date("hôm qua") is None
    assert edxml.format_date("2026-11-20", "dd/MM/yyyy") == "20/11/2026"


@pytest.mark.timeout(240)
def test_200mb_attachment_streams_with_little_memory(tmp_path):
    """Written and read in a child process whose peak memory is measured."""
    script = textwrap.dedent(f"""
        import resource, sys, io
        from app.sync import edxml
        class Gen(io.RawIOBase):
            def __init__(self, n): self.left = n
            def readable(self): return True
            def read(self, k=-1):
                k = min(self.left, 1 << 20 if k < 0 else k)
                self.left -= k
                return bytes([65 + (self.left % 26)]) * k
        path = {str(tmp_path / 'big.edxml')!r}
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        att = edxml.OutAttachment("big.pdf", path=None)
        import builtins
        real_open = builtins.open
        builtins.open = lambda p, m="r", *a, **k: Gen(200 << 20) if p == "GEN" else real_open(p, m, *a, **k)
        att.path = "GEN"
        edxml.write_document(path, {{"from": {{"organ_id": "000.00.00.H53"}}, "subject": "Lớn"}}, [att])
        builtins.open = real_open
        pkg = edxml.read_package(path, {str(tmp_path / 'tmp')!r})
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(pkg.attachments[0].size, (peak - base) // 1024)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=220,
                         cwd=str(__import__("pathlib").Path(__file__).resolve().parents[2]))
    assert out.returncode == 0, out.stderr[-2000:]
    size, grew_mb = map(int, out.stdout.split())
    assert size == 200 << 20
    assert grew_mb < 80, f"peak memory grew by {grew_mb} MB"
