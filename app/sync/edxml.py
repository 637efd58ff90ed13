"""edXML packages (QCVN 102:2016) as the national platform (EdXML102, SDKVXP) writes them.

    edXML                                  root, default namespace NS
      edXMLEnvelope
        edXMLHeader   MessageHeader, TraceHeaderList (TraceHeader* and Bussiness, either order),
                      Signature? (XML-DSig, read past, never required)
        edXMLBody     edXMLManifest version="1.0" { Reference* }      (absent in status packages)
      AttachmentEncoded { Attachment* {ContentId, AttachmentName, Description?, ContentType,
                                        ContentTransferEncoded (base64)} }

A status package has the same root and envelope and no body; its fields (ResponseFor, StaffInfo,
StatusCode, Description, Timestamp) are inside MessageHeader. Elements are matched by local name,
whatever prefix or namespace a sender used (real packages mix prefixed and unprefixed ones).

Reading is streaming and hostile-input safe: no DTD (no entity expansion, no external entities),
limits on size, depth and element count, attachment names sanitized, base64 decoded chunk by chunk
into temporary files. An attachment whose bytes are a ZIP holding one file (how the platform's
library often sends them) is unpacked safely and keeps its AttachmentName. Values longer than the
standard's lengths are kept as received and flagged in Package.warnings, never refused."""
import base64
import binascii
import hashlib
import io
import os
import re
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from lxml import etree

from ..domain import clock
from ..domain.labels import EXCHANGE_STATUS_LABELS
from ..domain.text import strip_controls
from ..i18n import tr
from .errors import PackageError
from .labels import N_

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
_Q = "{" + NS + "}"

MAX_PACKAGE = 512 << 20          # bytes of XML (base64 included)
MAX_ATTACHMENT = 300 << 20       # decoded (and unpacked) bytes per attachment
MAX_ATTACHMENTS = 200
MAX_ELEMENTS = 20_000
MAX_DEPTH = 32
MAX_FIELD = 100_000              # characters in one text field: beyond, the package is hostile
MAX_ZIP_RATIO = 200              # unpacked / packed size of a ZIP-wrapped attachment
CHUNK = 1 << 20

BUSINESS_TYPES = {0: "new", 1: "recall", 2: "update", 3: "replace"}
STATUS_CODES = EXCHANGE_STATUS_LABELS    # the one table of attested status codes (app.domain.labels)
# ZIP-based formats whose bytes are a ZIP by nature: never unpacked
_ZIP_FORMATS = (".zip", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".jar", ".apk", ".epub")

# (tag, key, children or max length, repeatable); the order is the writing order
_PARTY = [("OrganId", "organ_id", 13), ("OrganizationInCharge", "in_charge", 200),
          ("OrganName", "organ_name", 200), ("OrganAdd", "address", 200), ("Email", "email", 100),
          ("Telephone", "telephone", 20), ("Fax", "fax", 20), ("Website", "website", 100)]
_RESPONSE_FOR = [("OrganId", "organ_id", 13), ("Code", "code", 42), ("PromulgationDate", "date", 19),
                 ("DocumentId", "document_id", 100)]
_STAFF = [("Department", "department", 200), ("Staff", "staff", 100), ("Email", "email", 100),
          ("Mobile", "mobile", 20)]
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
    ("OtherInfo", "other", [("Priority", "priority", 1), ("SphereOfPromulgation", "sphere", 100),
                            ("TyperNotation", "typer_notation", 30), ("PromulgationAmount", "amount", 6),
                            ("PageAmount", "page_amount", 6), ("Direction", "direction", 5),
                            ("Appendixes", "appendixes", [("Appendix", "appendix", 500, True)])]),
    ("ResponseFor", "response_for", _RESPONSE_FOR, True),
    ("SteeringType", "steering_type", 2),
    ("ToPlaces", "to_places", [("Place", "place", 1000, True)]),
    # status packages
    ("StaffInfo", "staff", _STAFF),
    ("StatusCode", "status_code", 2),
    ("Description", "description", 1000),
    ("Timestamp", "timestamp", 25),
]
_BUSINESS = [("DocumentId", "document_id", 100), ("BussinessDocType", "doc_type", 1),
             ("BussinessDocReason", "reason", 500), ("Paper", "paper", 1),
             ("ReplacementInfoList", "replaces", [("ReplacementInfo", "info", [
                 ("DocumentId", "document_id", 100),
                 ("OrganIdList", "organs", [("OrganId", "organ_id", 13, True)])], True)]),
             ("StaffInfo", "staff", _STAFF)]
_TRACE = [
    ("TraceHeader", "trace", [("OrganId", "organ_id", 13), ("Timestamp", "timestamp", 25)], True),
    ("Bussiness", "business", _BUSINESS),
]
_REFERENCE = [("ContentId", "content_id", 100), ("ContentType", "mime", 100), ("Description", "description", 500),
              ("AttachmentName", "name", 255)]
_ATTACHMENT = [("ContentId", "content_id", 100), ("AttachmentName", "name", 255), ("Description", "description", 500),
               ("ContentType", "mime", 100), ("ContentTransferEncoded", "value", -1),
               ("Value", "value", -1)]      # Value: packages written by earlier versions of this program
_ENCODED = [("Attachment", "attachment", _ATTACHMENT, True)]
_ENVELOPE = [
    ("edXMLHeader", "header", [("MessageHeader", "message", _MESSAGE_HEADER), ("TraceHeaderList", "traces", _TRACE)]),
    ("edXMLBody", "body", [("edXMLManifest", "manifest", [("Reference", "reference", _REFERENCE, True)]),
                           ("AttachmentEncoded", "encoded", _ENCODED)]),   # inside the body: earlier versions
]
_ROOT = [("edXMLEnvelope", "envelope", _ENVELOPE), ("AttachmentEncoded", "encoded", _ENCODED)]
_LABELS = {"subject": N_("Trích yếu"), "number": N_("Số văn bản"), "notation": N_("Ký hiệu"), "organ_id": N_("Mã định danh"),
           "organ_name": N_("Tên cơ quan"), "full_name": N_("Người ký"), "name": N_("Tên tệp đính kèm"),
           "document_id": N_("Mã văn bản"), "code": N_("Số, ký hiệu")}


def _spec(entry):
    tag, key, sub = entry[:3]
    return tag, key, sub, (entry[3] if len(entry) > 3 else False)


def _label(key: str) -> str:
    return tr(_LABELS[key]) if key in _LABELS else key


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
    name = strip_controls(_UNSAFE.sub("_", name)).strip(" .")   # and no bidi/format controls (issue 15)
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
        if repeat and isinstance(items, dict):
            items = [items]
        for item in items:
            if isinstance(sub, list):
                with xf.element(_Q + tag):
                    _write_tree(xf, sub, item)
            else:
                text = str(item)
                if sub > 0 and len(text) > sub:
                    raise PackageError(tr("Trường {f} dài {n} ký tự, vượt giới hạn {m}.").format(
                        f=_label(key), n=len(text), m=sub))
                with xf.element(_Q + tag):
                    xf.write(text)


def _write_b64(xf, src) -> None:
    while True:
        chunk = src.read(3 * 256 * 1024)   # multiple of 3: no padding inside the stream
        if not chunk:
            break
        xf.write(base64.b64encode(chunk).decode("ascii"))
        xf.flush()   # lxml buffers the whole document otherwise


def _write_traces(xf, traces, business) -> None:
    with xf.element(_Q + "TraceHeaderList"):
        _write_tree(xf, _TRACE, {"trace": list(traces), "business": business})


def write_document(dest, header: dict, attachments: Sequence[OutAttachment] = (), traces: Sequence[dict] = (),
                   business: dict | None = None) -> None:
    """Write a document package to `dest` (path or binary file object), in the platform's shape.

    header keys follow _MESSAGE_HEADER: from, to[...], document_id, code{number, notation},
    promulgation{place, date}, doc_type{type, type_detail, type_name}, subject, content,
    signer{competence, position, full_name}, due_date, other{priority, ..., direction,
    appendixes{appendix: [...]}}, response_for[...], steering_type, to_places{place: [...]}.
    business: {doc_type 0-3, reason, paper, staff{...}, replaces{info: [{document_id,
    organs{organ_id: [...]}}]}}. Attachments are base64-encoded as they are (not zipped)."""
    atts = list(attachments)
    for i, a in enumerate(atts):
        a.name = safe_name(a.name, i)
        a.content_id = a.content_id or f"cid:att{i + 1}"
    with etree.xmlfile(dest, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(_Q + "edXML", nsmap={None: NS}):
            with xf.element(_Q + "edXMLEnvelope"):
                with xf.element(_Q + "edXMLHeader"):
                    with xf.element(_Q + "MessageHeader"):
                        _write_tree(xf, _MESSAGE_HEADER[:14], header)
                    _write_traces(xf, traces, business or {"doc_type": 0})
                with xf.element(_Q + "edXMLBody"), xf.element(_Q + "edXMLManifest", version="1.0"):
                    _write_tree(xf, [("Reference", "reference", _REFERENCE, True)], {"reference": [
                        {"content_id": a.content_id, "mime": a.mime, "description": a.description,
                         "name": a.name} for a in atts]})
            with xf.element(_Q + "AttachmentEncoded"):
                for a in atts:
                    with xf.element(_Q + "Attachment"):
                        _write_tree(xf, _ATTACHMENT[:4], {"content_id": a.content_id, "name": a.name,
                                                          "mime": a.mime, "description": a.description})
                        with xf.element(_Q + "ContentTransferEncoded"):
                            if a.data is not None:
                                _write_b64(xf, io.BytesIO(a.data))
                            else:
                                with open(str(a.path), "rb") as src:
                                    _write_b64(xf, src)


def write_status(dest, status: dict, traces: Sequence[dict] = ()) -> None:
    """status keys: from{...}, response_for{organ_id, code, date, document_id}, staff{...},
    status_code ('01'..'16' as attested), description, timestamp. No body, as the platform writes it."""
    code = str(status.get("status_code", ""))
    if code not in STATUS_CODES:
        raise PackageError(tr("Mã trạng thái «{c}» không có trong quy định.").format(c=code))
    values = dict(status)
    if isinstance(values.get("response_for"), dict):
        values["response_for"] = [values["response_for"]]
    order = ["from", "response_for", "staff", "status_code", "description", "timestamp"]
    spec = sorted((e for e in _MESSAGE_HEADER if e[1] in order), key=lambda e: order.index(str(e[1])))
    with etree.xmlfile(dest, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(_Q + "edXML", nsmap={None: NS}), xf.element(_Q + "edXMLEnvelope"), \
                xf.element(_Q + "edXMLHeader"):
            with xf.element(_Q + "MessageHeader"):
                _write_tree(xf, spec, values)
            if traces:
                _write_traces(xf, traces, None)


def status_bytes(status: dict) -> bytes:
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
    unpacked_from_zip: bool = False


@dataclass
class Package:
    kind: str                          # 'edoc' or 'status'
    header: dict = field(default_factory=dict)     # MessageHeader (status fields included)
    status: dict = field(default_factory=dict)     # status packages: {from, response_for, staff, status_code, ...}
    traces: list = field(default_factory=list)
    business: dict = field(default_factory=dict)
    attachments: list = field(default_factory=list)
    warnings: list = field(default_factory=list)   # Vietnamese notes: over-long values kept as received
    signed: bool = False                           # an XML-DSig Signature element was present (not verified)

    @property
    def business_type(self) -> int:
        try:
            return int(self.business.get("doc_type") or 0)
        except ValueError:
            return 0

    @property
    def sender(self) -> str | None:
        return (self.header.get("from") or {}).get("organ_id")

    @property
    def replaces(self) -> list[str]:
        """Document ids named in ReplacementInfoList (update/replace) and Bussiness/DocumentId."""
        ids = [i.get("document_id") for i in (self.business.get("replaces") or {}).get("info", [])]
        if self.business.get("document_id"):
            ids.append(self.business["document_id"])
        return [i for i in dict.fromkeys(ids) if i]

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
            raise PackageError(tr("Tệp đính kèm trong gói không đúng mã base64."), str(exc)) from exc
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
    """lxml parser target: builds dicts from the known elements (by local name), streams
    attachment values, flags over-long values."""

    def __init__(self, tmp_dir, max_attachment: int, attachments: bool = True):
        self.keep_attachments = attachments
        self.tmp_dir = tmp_dir
        self.max_attachment = max_attachment
        self.root: dict = {}
        self.stack: list = []            # (children spec, container dict, key, max len, text parts)
        self.unknown_depth = 0
        self.elements = 0
        self.sink: _B64Sink | None = None
        self.sinks: list[_B64Sink] = []
        self.seen_root = False
        self.warnings: list[str] = []
        self.signed = False

    def doctype(self, *args):
        raise PackageError(tr("Gói tin chứa khai báo DOCTYPE/thực thể: bị từ chối vì không an toàn."),
                           f"doctype {args}")

    def start(self, tag, attrib, nsmap=None):
        self.elements += 1
        if self.elements > MAX_ELEMENTS or len(self.stack) + self.unknown_depth > MAX_DEPTH:
            raise PackageError(tr("Gói tin có quá nhiều phần tử."))
        if self.unknown_depth:
            self.unknown_depth += 1
            return
        local = tag.rpartition("}")[2]
        if not self.seen_root:
            self.seen_root = True
            if local == "edXML":
                self.stack.append((_ROOT, self.root, None, 0, None))
            elif local == "edXMLEnvelope":    # earlier versions of this program: no edXML root
                self.root["envelope"] = {}
                self.stack.append((_ENVELOPE, self.root["envelope"], None, 0, None))
            else:
                raise PackageError(tr("Tệp không phải gói edXML."), f"root {tag}")
            return
        spec, container = self.stack[-1][0], self.stack[-1][1]
        match = next((s for s in map(_spec, spec or []) if s[0] == local), None)
        if match is None:
            if local == "Signature" and spec is _ENVELOPE[0][2]:
                self.signed = True
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
        elif sub == -1 and not self.keep_attachments:
            self.unknown_depth = 1
        elif sub == -1:  # attachment value: streamed
            if len(self.sinks) >= MAX_ATTACHMENTS:
                raise PackageError(tr("Gói tin có quá nhiều tệp đính kèm."))
            self.sink = _B64Sink(self.tmp_dir, self.max_attachment)
            self.sinks.append(self.sink)
            container["_sink"] = self.sink
            self.stack.append((None, container, key, -1, None))
        else:
            self.stack.append((None, container, (key, repeat, local), sub, []))

    def data(self, text):
        if self.unknown_depth or not self.stack:
            return
        top = self.stack[-1]
        if top[3] == -1:
            self.sink.feed(text)
        elif top[4] is not None:
            top[4].append(text)
            if sum(map(len, top[4])) > MAX_FIELD:
                raise PackageError(tr("Trường {f} dài quá giới hạn.").format(f=_label(top[2][0])))

    def end(self, tag):
        if self.unknown_depth:
            self.unknown_depth -= 1
            return
        spec, container, key, maxlen, parts = self.stack.pop()
        if maxlen == -1:
            self.sink.close()
            self.sink = None
        elif parts is not None:
            name, repeat, local = key
            text = unicodedata.normalize("NFC", "".join(parts).strip())
            if len(text) > maxlen:
                self.warnings.append(tr("Trường {f} ({t}) dài {n} ký tự, quá độ dài {m} của tiêu chuẩn; "
                                        "giữ nguyên như nhận được, hãy kiểm tra khi đăng ký.").format(
                    f=_label(name), t=local, n=len(text), m=maxlen))
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


def _is_zip(path) -> bool:
    with open(path, "rb") as f:
        return f.read(4) == b"PK\x03\x04"


def _unzip_single(path: str, name: str, tmp_dir, limit: int):
    """(path, size, sha256) of the one file inside a ZIP-wrapped attachment, or None when the
    bytes are to be kept as they are (a ZIP-based format such as .docx, or a real .zip)."""
    if name.lower().endswith(_ZIP_FORMATS) or not _is_zip(path):
        return None
    try:
        with zipfile.ZipFile(path) as zf:
            members = [m for m in zf.infolist() if not m.is_dir()]
            if len(members) != 1:
                raise PackageError(tr("Tệp nén đính kèm «{n}» chứa {k} tệp; gói tin chỉ được nén một tệp.").format(
                    n=name, k=len(members)), f"zip members {[m.filename for m in members][:10]}")
            m = members[0]
            member = m.filename.replace("\\", "/")
            if member.startswith("/") or "/" in member or ".." in member or ":" in member:
                raise PackageError(tr("Tệp nén đính kèm «{n}» chứa đường dẫn thư mục: bị từ chối vì không an toàn.").format(
                    n=name), f"zip member {m.filename!r}")
            if m.flag_bits & 0x1:
                raise PackageError(tr("Tệp nén đính kèm «{n}» có mật khẩu, không mở được.").format(n=name))
            packed = os.path.getsize(path)
            if m.file_size > limit or m.file_size > max(packed, 1) * MAX_ZIP_RATIO + (1 << 20):
                raise PackageError(tr("Tệp nén đính kèm «{n}» giải nén ra quá lớn: bị từ chối.").format(n=name),
                                   f"declared {m.file_size} bytes from {packed}")
            fd, out_path = tempfile.mkstemp(dir=tmp_dir, prefix="att-")
            digest, size = hashlib.sha256(), 0
            try:
                with os.fdopen(fd, "wb") as out, zf.open(m) as src:
                    while chunk := src.read(CHUNK):
                        size += len(chunk)
                        if size > limit or size > max(packed, 1) * MAX_ZIP_RATIO + (1 << 20):
                            raise PackageError(tr("Tệp nén đính kèm «{n}» giải nén ra quá lớn: bị từ chối.").format(
                                n=name), f"more than {size} bytes from {packed}")
                        digest.update(chunk)
                        out.write(chunk)
            except BaseException:
                os.unlink(out_path)
                raise
            return out_path, size, digest.hexdigest()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, zlib.error) as exc:
        raise PackageError(tr("Tệp nén đính kèm «{n}» bị hỏng.").format(n=name), f"{type(exc).__name__}: {exc}") from exc


class _Limited:
    """A file reader that refuses to read past the package size limit."""

    def __init__(self, f, limit: int):
        self.f, self.limit, self.total = f, limit, 0

    def read(self, n: int = -1) -> bytes:
        data = self.f.read(CHUNK if n is None or n < 0 else min(n, CHUNK))
        self.total += len(data)
        if self.total > self.limit:
            raise PackageError(tr("Gói tin lớn quá giới hạn {m} MB.").format(m=self.limit >> 20))
        return data


def _norm_cid(cid: str | None) -> str:
    return (cid or "").strip().strip("<>").removeprefix("cid:")


def read_package(src, tmp_dir, max_package: int = MAX_PACKAGE,
                 max_attachment: int = MAX_ATTACHMENT, attachments: bool = True) -> Package:
    """Parse a package from a path or binary file object. Attachments are decoded into files
    under tmp_dir (the caller moves or deletes them: Package.cleanup()); attachments=False reads
    the header only. Raises PackageError."""
    Path(tmp_dir).mkdir(parents=True, exist_ok=True)
    target = _Target(tmp_dir, max_attachment, attachments)
    parser = etree.XMLParser(target=target, resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    own = isinstance(src, (str, os.PathLike))
    f = open(src, "rb") if own else src  # noqa: SIM115  (closed in finally; a caller's file stays open)
    try:
        root = etree.parse(_Limited(f, max_package), parser)
        ns_errors = [e for e in parser.error_log if e.domain_name == "NAMESPACE"]
        if ns_errors:   # an undefined prefix: libxml2 only logs it, the package is not well-formed
            raise PackageError(tr("Gói tin hỏng hoặc không đúng định dạng edXML (không phải XML hợp lệ)."),
                               str(ns_errors[0]))
    except PackageError:
        for s in target.sinks:
            s.discard()
        raise
    except (etree.XMLSyntaxError, UnicodeError, ValueError) as exc:
        for s in target.sinks:
            s.discard()
        raise PackageError(tr("Gói tin hỏng hoặc không đúng định dạng edXML (không phải XML hợp lệ)."), str(exc)) from exc
    finally:
        if own:
            f.close()
    env = root.get("envelope") or {}
    header = env.get("header") or {}
    body = env.get("body") or {}
    message = header.get("message") or {}
    traces = header.get("traces") or {}
    kind = "status" if message.get("status_code") else "edoc"
    pkg = Package(kind=kind, header=message, traces=traces.get("trace", []), business=traces.get("business") or {},
                  warnings=target.warnings, signed=target.signed)
    if kind == "status":
        pkg.status = {k: message[k] for k in ("from", "staff", "status_code", "description", "timestamp")
                      if k in message}
        pkg.status["response_for"] = (message.get("response_for") or [{}])[0]
    manifest = {_norm_cid(r.get("content_id")): r for r in (body.get("manifest") or {}).get("reference", [])}
    encoded = (root.get("encoded") or {}).get("attachment", []) + (body.get("encoded") or {}).get("attachment", [])
    try:
        for i, a in enumerate(encoded):
            sink = a.get("_sink")
            if sink is None:
                continue
            ref = manifest.get(_norm_cid(a.get("content_id")), {})
            name = safe_name(a.get("name") or ref.get("name"), i)
            att = InAttachment(name=name, mime=a.get("mime") or ref.get("mime") or "application/octet-stream",
                               description=a.get("description") or ref.get("description") or "",
                               content_id=a.get("content_id") or "", path=sink.path, size=sink.size,
                               sha256=sink.digest.hexdigest())
            pkg.attachments.append(att)
            unpacked = _unzip_single(sink.path, name, tmp_dir, max_attachment)
            if unpacked:
                os.unlink(sink.path)
                att.path, att.size, att.sha256 = unpacked
                att.unpacked_from_zip = True
                if att.mime in ("application/zip", "application/x-zip-compressed", "application/octet-stream"):
                    att.mime = _mime_for(name) or att.mime
    except BaseException:
        pkg.cleanup()
        for s in target.sinks:
            if os.path.exists(s.path):
                os.unlink(s.path)
        raise
    if not pkg.sender:
        pkg.cleanup()
        raise PackageError(tr("Gói tin thiếu mã định danh cơ quan gửi (From/OrganId)."))
    if kind == "status" and pkg.status.get("status_code") not in STATUS_CODES:
        pkg.cleanup()
        raise PackageError(tr("Gói trạng thái có mã «{c}» không có trong quy định.").format(
            c=pkg.status.get("status_code")))
    return pkg


_MIMES = {".pdf": "application/pdf", ".doc": "application/msword", ".xls": "application/vnd.ms-excel",
          ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          ".odt": "application/vnd.oasis.opendocument.text", ".txt": "text/plain", ".xml": "application/xml",
          ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".tif": "image/tiff", ".tiff": "image/tiff"}


def _mime_for(name: str) -> str | None:
    return _MIMES.get(os.path.splitext(name)[1].lower())


def read_header(src, tmp_dir, max_package: int = MAX_PACKAGE) -> Package:
    """Parse a package's header only, attachments skipped (e.g. the hub routing by recipients)."""
    return read_package(src, tmp_dir, max_package, attachments=False)


# ---------------------------------------------------------------- what a package says

def _int_or_none(value):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def describe(pkg: Package) -> dict:
    """The administrator's view of a package (`vanthu edxml show --json`)."""
    h = pkg.header
    code = h.get("code") or {}
    party = lambda p: {"organ_id": (p or {}).get("organ_id"), "organ_name": (p or {}).get("organ_name")}
    number, notation = code.get("number"), code.get("notation")
    return {
        "kind": pkg.kind,
        "from": party(h.get("from")),
        "to": [party(t) for t in h.get("to", [])],
        "document_id": h.get("document_id"),
        "number": number,
        "notation": notation,
        "reference": "/".join(x for x in (number, notation) if x) or None,
        "issued_on": parse_date((h.get("promulgation") or {}).get("date")),
        "subject": h.get("subject"),
        "doc_type": (h.get("doc_type") or {}).get("type_name"),
        "urgency": _int_or_none((h.get("other") or {}).get("priority")),
        "business_type": pkg.business_type,
        "replaces": pkg.replaces,
        "status_code": h.get("status_code"),
        "response_for": [{"organ_id": r.get("organ_id"), "code": r.get("code"), "document_id": r.get("document_id")}
                         for r in h.get("response_for", [])],
        "attachments": [{"name": a.name, "mime": a.mime, "size": a.size, "sha256": a.sha256} for a in pkg.attachments],
        "warnings": list(pkg.warnings),
    }
