"""edXML packages (QCVN 102:2016): document packages and status packages.

Writing streams attachments base64-encoded into the file; reading is a streaming, hostile-input
safe parser: no DTD (so no entity expansion and no external entities), a size limit on the
package, legal field lengths, sanitized attachment names, base64 decoded chunk by chunk into
temporary files so a 200 MB attachment needs a few MB of memory.

Attachments travel inside the XML (edXMLBody/AttachmentEncoded/Attachment/Value) rather than as
MIME parts; the manifest lists them with ContentId, name, description and content type."""
import base64
import binascii
import hashlib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from lxml import etree

from ..domain import clock
from ..i18n import tr
from .errors import PackageError
from .labels import N_

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
_Q = "{%s}" % NS

MAX_PACKAGE = 512 << 20          # bytes of XML (base64 included)
MAX_ATTACHMENT = 300 << 20       # decoded bytes per attachment
MAX_ATTACHMENTS = 200
MAX_ELEMENTS = 20_000
MAX_DEPTH = 32
CHUNK = 1 << 20

BUSINESS_TYPES = {0: "new", 1: "recall", 2: "update", 3: "replace"}
STATUS_CODES = {
    "01": N_("Đã đến"), "02": N_("Từ chối tiếp nhận"), "03": N_("Đã tiếp nhận, đăng ký"), "04": N_("Phân công xử lý"),
    "05": N_("Đang xử lý"), "06": N_("Hoàn thành"), "13": N_("Đề nghị lấy lại, cập nhật"),
    "15": N_("Đồng ý lấy lại, cập nhật"), "16": N_("Từ chối lấy lại, cập nhật"),
}

# (tag, key, children or max length, repeatable)
_PARTY = [("OrganId", "organ_id", 13), ("OrganizationInCharge", "in_charge", 200),
          ("OrganName", "organ_name", 200), ("OrganAdd", "address", 200), ("Email", "email", 100),
          ("Telephone", "telephone", 20), ("Fax", "fax", 20), ("Website", "website", 100)]
_RESPONSE_FOR = [("OrganId", "organ_id", 13), ("Code", "code", 42), ("PromulgationDate", "date", 19),
                 ("DocumentId", "document_id", 100)]
_STAFF = [("Department", "department", 200), ("Staff", "staff", 100), ("Mobile", "mobile", 20),
          ("Email", "email", 100)]
_MESSAGE_HEADER = [
    ("From", "from", _PARTY),
    ("To", "to", _PARTY, True),
    ("DocumentId", "document_id", 100),
    ("Code", "code", [("CodeNumber", "number", 11), ("CodeNotation", "notation", 30)]),
    ("PromulgationInfo", "promulgation", [("Place", "place", 100), ("PromulgationDate", "date", 19)]),
    ("DocumentType", "doc_type", [("Type", "type", 2), ("TypeDetail", "type_detail", 5),
                                  ("TypeName", "type_name", 100)]),
    ("Subject", "subject", 500),
    ("Content", "content", 20_000),
    ("SignerInfo", "signer", [("Competence", "competence", 100), ("Position", "position", 100),
                              ("FullName", "full_name", 50)]),
    ("DueDate", "due_date", 19),
    ("ToPlaces", "to_places", [("Place", "place", 1000, True)]),
    ("OtherInfo", "other", [("Priority", "priority", 1), ("SphereOfPromulgation", "sphere", 100),
                            ("TyperNotation", "typer_notation", 30), ("PromulgationAmount", "amount", 6),
                            ("PageAmount", "page_amount", 6),
                            ("Appendixes", "appendixes", [("Appendix", "appendix", 500, True)])]),
    ("ResponseFor", "response_for", _RESPONSE_FOR, True),
    ("SteeringType", "steering_type", 2),
]
_STATUS = [
    ("ResponseFor", "response_for", _RESPONSE_FOR),
    ("From", "from", _PARTY),
    ("StaffInfo", "staff", _STAFF),
    ("StatusCode", "status_code", 2),
    ("Description", "description", 1000),
    ("Timestamp", "timestamp", 25),
]
_TRACE = [
    ("TraceHeader", "trace", [("OrganId", "organ_id", 13), ("Timestamp", "timestamp", 25)], True),
    ("Bussiness", "business", [("BussinessDocType", "doc_type", 1), ("BussinessDocReason", "reason", 500),
                               ("Paper", "paper", 1), ("StaffInfo", "staff", _STAFF),
                               ("ReplacementInfoList", "replaces", [
                                   ("ReplacementInfo", "document_id", 100, True)])]),
]
_ATTACHMENT = [("ContentId", "content_id", 100), ("AttachmentName", "name", 255),
               ("ContentType", "mime", 100), ("Description", "description", 500), ("Value", "value", -1)]
_ENVELOPE = [
    ("edXMLHeader", "header", [("MessageHeader", "message", _MESSAGE_HEADER), ("Status", "status", _STATUS),
                               ("TraceHeaderList", "traces", _TRACE)]),
    ("edXMLBody", "body", [
        ("edXMLManifest", "manifest", [("Reference", "reference", [
            ("ContentId", "content_id", 100), ("ContentType", "mime", 100), ("Description", "description", 500),
            ("AttachmentName", "name", 255)], True)]),
        ("AttachmentEncoded", "encoded", [("Attachment", "attachment", _ATTACHMENT, True)]),
    ]),
]
_LABELS = {"subject": N_("Trích yếu"), "number": N_("Số văn bản"), "notation": N_("Ký hiệu"), "organ_id": N_("Mã định danh"),
           "organ_name": N_("Tên cơ quan"), "full_name": N_("Người ký"), "name": N_("Tên tệp đính kèm")}


def _spec(entry):
    tag, key, sub = entry[:3]
    return tag, key, sub, (entry[3] if len(entry) > 3 else False)


# ---------------------------------------------------------------- dates

def format_date(value, fmt: str = "yyyy/MM/dd") -> str:
    if not value:
        return ""
    d = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return d.strftime(fmt.replace("yyyy", "%Y").replace("MM", "%m").replace("dd", "%d"))


def format_datetime(dt: datetime, fmt: str = "yyyy/MM/dd") -> str:
    return format_date(clock.to_vn(dt).date(), fmt) + clock.to_vn(dt).strftime(" %H:%M:%S")


def parse_date(text: str | None) -> str | None:
    """'2026/11/23', '23/11/2026' or ISO -> '2026-11-23'; None if unreadable."""
    if not text:
        return None
    text = text.strip()[:10]
    for pattern in ("%Y/%m/%d", "%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    return None


# ---------------------------------------------------------------- names

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def safe_name(name: str | None, index: int = 0) -> str:
    """A plain file name: no folders, no '..', no control characters, at most 200 characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").split("/")[-1]
    name = _UNSAFE.sub("_", name).strip(" .")
    if not name or name.split(".")[0].lower() in _RESERVED:
        name = f"tep-dinh-kem-{index + 1}" + (f"-{name}" if name else "")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:190] + "." + ext[:8]) if dot and len(ext) <= 8 else name[:200]
    return name


# ---------------------------------------------------------------- writing

@dataclass
class OutAttachment:
    name: str
    path: str | None = None
    data: bytes | None = None
    mime: str = "application/pdf"
    description: str = ""
    content_id: str = ""


def _write_tree(xf, spec, values) -> None:
    for entry in spec:
        tag, key, sub, repeat = _spec(entry)
        if key not in values or values[key] in (None, "", [], {}):
            continue
        items = values[key] if repeat else [values[key]]
        for item in items:
            if isinstance(sub, list):
                with xf.element(_Q + tag):
                    _write_tree(xf, sub, item)
            else:
                text = str(item)
                if sub > 0 and len(text) > sub:
                    raise PackageError(tr("Trường {f} dài {n} ký tự, vượt giới hạn {m}.").format(
                        f=tr(_LABELS.get(key, tag)), n=len(text), m=sub))
                with xf.element(_Q + tag):
                    xf.write(text)


def _write_b64(xf, src) -> None:
    while True:
        chunk = src.read(3 * 256 * 1024)   # multiple of 3: no padding inside the stream
        if not chunk:
            break
        xf.write(base64.b64encode(chunk).decode("ascii"))
        xf.flush()   # lxml buffers the whole document otherwise


def write_document(dest, header: dict, attachments: list[OutAttachment] = (), traces: list[dict] = (),
                   business: dict | None = None) -> None:
    """Write a document package to `dest` (path or binary file object).

    header keys follow _MESSAGE_HEADER: from, to, document_id, code{number, notation},
    promulgation{place, date}, doc_type{type, type_detail, type_name}, subject, content,
    signer{competence, position, full_name}, due_date, to_places{place: [...]}, other{...},
    response_for[...], steering_type. business: {doc_type 0-3, reason, staff{...}, replaces{...}}."""
    atts = list(attachments)
    for i, a in enumerate(atts):
        a.name = safe_name(a.name, i)
        a.content_id = a.content_id or f"att{i + 1}"
    with etree.xmlfile(dest, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(_Q + "edXMLEnvelope", nsmap={"edXML": NS}):
            with xf.element(_Q + "edXMLHeader"):
                with xf.element(_Q + "MessageHeader"):
                    _write_tree(xf, _MESSAGE_HEADER, header)
                with xf.element(_Q + "TraceHeaderList"):
                    _write_tree(xf, _TRACE, {"trace": list(traces),
                                             "business": business or {"doc_type": 0}})
            with xf.element(_Q + "edXMLBody"):
                with xf.element(_Q + "edXMLManifest"):
                    _write_tree(xf, _ENVELOPE[1][2][0][2], {"reference": [
                        {"content_id": a.content_id, "mime": a.mime, "description": a.description,
                         "name": a.name} for a in atts]})
                with xf.element(_Q + "AttachmentEncoded"):
                    for a in atts:
                        with xf.element(_Q + "Attachment"):
                            _write_tree(xf, _ATTACHMENT[:4], {"content_id": a.content_id, "name": a.name,
                                                              "mime": a.mime, "description": a.description})
                            with xf.element(_Q + "Value"):
                                if a.data is not None:
                                    import io
                                    _write_b64(xf, io.BytesIO(a.data))
                                else:
                                    with open(a.path, "rb") as src:
                                        _write_b64(xf, src)


def write_status(dest, status: dict, traces: list[dict] = ()) -> None:
    """status keys: response_for{organ_id, code, date, document_id}, from{...}, staff{...},
    status_code ('01'..'16'), description, timestamp."""
    code = str(status.get("status_code", ""))
    if code not in STATUS_CODES:
        raise PackageError(tr("Mã trạng thái «{c}» không có trong quy định.").format(c=code))
    with etree.xmlfile(dest, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(_Q + "edXMLEnvelope", nsmap={"edXML": NS}):
            with xf.element(_Q + "edXMLHeader"):
                with xf.element(_Q + "Status"):
                    _write_tree(xf, _STATUS, status)
                with xf.element(_Q + "TraceHeaderList"):
                    _write_tree(xf, _TRACE, {"trace": list(traces)})
            with xf.element(_Q + "edXMLBody"):
                pass


def status_bytes(status: dict) -> bytes:
    import io
    buf = io.BytesIO()
    write_status(buf, status)
    return buf.getvalue()


# ---------------------------------------------------------------- reading

@dataclass
class InAttachment:
    name: str
    mime: str
    description: str
    content_id: str
    path: str
    size: int
    sha256: str


@dataclass
class Package:
    kind: str                          # 'edoc' or 'status'
    header: dict = field(default_factory=dict)
    status: dict = field(default_factory=dict)
    traces: list = field(default_factory=list)
    business: dict = field(default_factory=dict)
    attachments: list = field(default_factory=list)

    @property
    def business_type(self) -> int:
        try:
            return int(self.business.get("doc_type") or 0)
        except ValueError:
            return 0

    def cleanup(self) -> None:
        for a in self.attachments:
            try:
                os.unlink(a.path)
            except OSError:
                pass


class _B64Sink:
    """Decodes base64 text arriving in arbitrary pieces straight into a temporary file."""

    def __init__(self, tmp_dir, limit: int):
        fd, self.path = tempfile.mkstemp(dir=tmp_dir, prefix="att-")
        self.out = os.fdopen(fd, "wb")
        self.pending = ""
        self.size = 0
        self.limit = limit
        self.digest = hashlib.sha256()

    def feed(self, text: str) -> None:
        text = self.pending + "".join(text.split())
        cut = len(text) - len(text) % 4
        self.pending = text[cut:]
        if cut:
            self._decode(text[:cut])

    def _decode(self, text: str) -> None:
        try:
            data = binascii.a2b_base64(text, strict_mode=True)
        except (binascii.Error, ValueError) as exc:
            raise PackageError(tr("Tệp đính kèm trong gói không đúng mã base64."), str(exc))
        self.size += len(data)
        if self.size > self.limit:
            raise PackageError(tr("Tệp đính kèm lớn quá giới hạn {m} MB.").format(m=self.limit >> 20))
        self.digest.update(data)
        self.out.write(data)

    def close(self) -> None:
        if self.pending:
            raise PackageError(tr("Tệp đính kèm trong gói không đúng mã base64."), "truncated base64")
        self.out.close()

    def discard(self) -> None:
        try:
            self.out.close()
        finally:
            if os.path.exists(self.path):
                os.unlink(self.path)


class _Target:
    """lxml parser target: builds dicts from the known elements, streams attachment values."""

    def __init__(self, tmp_dir, max_attachment: int):
        self.tmp_dir = tmp_dir
        self.max_attachment = max_attachment
        self.root: dict = {}
        self.stack: list = []            # (children spec, container dict, key, max len, text parts)
        self.unknown_depth = 0
        self.elements = 0
        self.sink: _B64Sink | None = None
        self.sinks: list[_B64Sink] = []
        self.seen_root = False

    def doctype(self, *args):
        raise PackageError(tr("Gói tin chứa khai báo DOCTYPE/thực thể: bị từ chối vì không an toàn."),
                           f"doctype {args}")

    def start(self, tag, attrib):
        self.elements += 1
        if self.elements > MAX_ELEMENTS or len(self.stack) > MAX_DEPTH:
            raise PackageError(tr("Gói tin có quá nhiều phần tử."))
        if self.unknown_depth:
            self.unknown_depth += 1
            return
        ns, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
        if not self.seen_root:
            if local != "edXMLEnvelope":
                raise PackageError(tr("Tệp không phải gói edXML."), f"root {tag}")
            self.seen_root = True
            self.stack.append((_ENVELOPE, self.root, None, 0, None))
            return
        spec, container = self.stack[-1][0], self.stack[-1][1]
        match = next((s for s in map(_spec, spec or []) if s[0] == local), None)
        if match is None:
            self.unknown_depth = 1
            return
        _, key, sub, repeat = match
        if isinstance(sub, list):
            child: dict = {}
            if repeat:
                container.setdefault(key, []).append(child)
            else:
                container[key] = child
            self.stack.append((sub, child, key, 0, None))
        elif sub == -1:  # attachment value: streamed
            if len(self.sinks) >= MAX_ATTACHMENTS:
                raise PackageError(tr("Gói tin có quá nhiều tệp đính kèm."))
            self.sink = _B64Sink(self.tmp_dir, self.max_attachment)
            self.sinks.append(self.sink)
            container["_sink"] = self.sink
            self.stack.append((None, container, key, -1, None))
        else:
            self.stack.append((None, container, (key, repeat), sub, []))

    def data(self, text):
        if self.unknown_depth or not self.stack:
            return
        top = self.stack[-1]
        if top[3] == -1:
            self.sink.feed(text)
        elif top[4] is not None:
            top[4].append(text)
            if sum(map(len, top[4])) > max(top[3] * 4, 4096):
                raise PackageError(tr("Trường {f} dài quá giới hạn.").format(f=tr(_LABELS.get(top[2][0], top[2][0]))))

    def end(self, tag):
        if self.unknown_depth:
            self.unknown_depth -= 1
            return
        spec, container, key, maxlen, parts = self.stack.pop()
        if maxlen == -1:
            self.sink.close()
            self.sink = None
        elif parts is not None:
            name, repeat = key
            text = unicodedata.normalize("NFC", "".join(parts).strip())
            if len(text) > maxlen:
                raise PackageError(tr("Trường {f} dài {n} ký tự, vượt giới hạn {m} ký tự.").format(
                    f=tr(_LABELS.get(name, name)), n=len(text), m=maxlen))
            if repeat:
                container.setdefault(name, []).append(text)
            else:
                container[name] = text

    def comment(self, text):
        pass

    def pi(self, target, data=None):
        pass

    def close(self):
        return self.root


def read_package(src, tmp_dir, max_package: int = MAX_PACKAGE,
                 max_attachment: int = MAX_ATTACHMENT) -> Package:
    """Parse a package from a path or binary file object. Attachments are decoded into files
    under tmp_dir (the caller moves or deletes them: Package.cleanup()). Raises PackageError."""
    Path(tmp_dir).mkdir(parents=True, exist_ok=True)
    target = _Target(tmp_dir, max_attachment)
    parser = etree.XMLParser(target=target, resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    own = isinstance(src, (str, os.PathLike))
    f = open(src, "rb") if own else src
    total = 0
    try:
        while chunk := f.read(CHUNK):
            total += len(chunk)
            if total > max_package:
                raise PackageError(tr("Gói tin lớn quá giới hạn {m} MB.").format(m=max_package >> 20))
            parser.feed(chunk)
        root = parser.close()
    except PackageError:
        for s in target.sinks:
            s.discard()
        raise
    except (etree.XMLSyntaxError, UnicodeError, ValueError) as exc:
        for s in target.sinks:
            s.discard()
        raise PackageError(tr("Gói tin hỏng hoặc không đúng định dạng edXML."), str(exc))
    finally:
        if own:
            f.close()
    header = root.get("header") or {}
    body = root.get("body") or {}
    pkg = Package(kind="status" if "status" in header else "edoc",
                  header=header.get("message") or {}, status=header.get("status") or {},
                  traces=(header.get("traces") or {}).get("trace", []),
                  business=(header.get("traces") or {}).get("business") or {})
    manifest = {r.get("content_id"): r for r in (body.get("manifest") or {}).get("reference", [])}
    for i, a in enumerate((body.get("encoded") or {}).get("attachment", [])):
        sink = a.get("_sink")
        if sink is None:
            continue
        ref = manifest.get(a.get("content_id"), {})
        pkg.attachments.append(InAttachment(
            name=safe_name(a.get("name") or ref.get("name"), i),
            mime=a.get("mime") or ref.get("mime") or "application/octet-stream",
            description=a.get("description") or ref.get("description") or "",
            content_id=a.get("content_id") or "", path=sink.path, size=sink.size,
            sha256=sink.digest.hexdigest()))
    if pkg.kind == "edoc" and not (pkg.header.get("from") or {}).get("organ_id"):
        pkg.cleanup()
        raise PackageError(tr("Gói tin thiếu mã định danh cơ quan gửi."))
    if pkg.kind == "status" and pkg.status.get("status_code") not in STATUS_CODES:
        raise PackageError(tr("Gói trạng thái có mã «{c}» không có trong quy định.").format(
            c=pkg.status.get("status_code")))
    return pkg


def read_header(src, tmp_dir) -> Package:
    """Parse a package without keeping attachments (e.g. the hub routing by recipients)."""
    pkg = read_package(src, tmp_dir)
    pkg.cleanup()
    return pkg
