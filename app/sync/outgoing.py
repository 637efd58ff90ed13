"""Dispatching a registered document: checks its files for malware and active content, builds
the edXML package from the entry and its files, stores it, and queues it (local first)."""
import json
import logging
import os
import re
import tempfile

from ..domain import clock
from ..domain.orgid import check_org_id
from ..domain.reference import format_number
from ..errors import ValidationError
from ..i18n import tr
from ..store import attachments, entries, files, outbox
from ..store import exchange as xstore
from . import edxml, malware

log = logging.getLogger(__name__)
TOPIC = "edoc.send"
SENDABLE_ROLES = ("signed", "scan", "original", "attachment")


def document_id(org_id: str, entry: dict, fmt: str = "yyyy/MM/dd") -> str:
    return f"{org_id},{edxml.format_date(entry.get('issued_on') or entry['registered_at'][:10], fmt)}," \
           f"{entry.get('reference') or entry['uid']}"


def files_to_send(store, entry_id: int) -> list[dict]:
    """Signed copies when there are any (else scans and originals), plus separate attachments."""
    att = attachments.list_for(store, entry_id)
    main = [a for a in att if a["role"] == "signed"] or [a for a in att if a["role"] in ("scan", "original")]
    extra = [a for a in att if a["role"] == "attachment"]
    seen, out = set(), []
    for a in main + extra:
        if a["sha256"] not in seen:
            seen.add(a["sha256"])
            out.append(a)
    return out


def header_for(settings, entry: dict, to: list[dict], fmt: str) -> dict:
    return {
        "from": {"organ_id": settings.get("org.id"), "organ_name": settings.get("org.name")},
        "to": [{"organ_id": t["id"], "organ_name": t.get("name") or ""} for t in to],
        "document_id": document_id(settings.get("org.id"), entry, fmt),
        # the number as printed on the document ("04", not "4"): the receiver shows it as sent
        "code": {"number": format_number(entry["number"]) if entry.get("number") else None,
                 "notation": entry.get("notation")},
        "promulgation": {"place": entry.get("place") or settings.get("org.place"),
                         "date": edxml.format_date(entry.get("issued_on"), fmt)},
        "doc_type": {"type": "1", "type_name": entry.get("doc_type")},
        "subject": entry.get("summary"),
        "signer": {"position": entry.get("signer_title"), "full_name": entry.get("signer")},
        "due_date": edxml.format_date(entry.get("reply_deadline"), fmt) if entry.get("reply_deadline") else None,
        "other": {"priority": str(entry.get("urgency") or 0), "page_amount": entry.get("pages"),
                  "amount": entry.get("copies"), "direction": "false"},
        "steering_type": "0",
        "to_places": {"place": [t.get("name") or t["id"] for t in to]},
    }


_PLATFORM_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def recipient_id(value: str) -> str:
    """A recipient's organization id: the standard shape (000.00.00.H53), or another id the
    platform uses (test systems such as vxp.saas.03) — someone else's id is not refused for its
    shape, only for characters no id has."""
    text = (value or "").strip()
    try:
        return check_org_id(text)
    except ValidationError:
        if _PLATFORM_ID.match(text):
            return text
        raise


def _business(business: int, reason: str | None, replaces: list[str], recipients: list[dict]) -> dict:
    b: dict = {"doc_type": str(business), "reason": reason, "paper": "0"}
    if business in (2, 3):
        b["replaces"] = {"info": [{"document_id": d, "organs": {"organ_id": [r["id"] for r in recipients]}}
                                  for d in replaces]}
    return b


def send_entry(store, settings, entry_ref, to: list[str], progress=None, cancelled=None,
               business: int = 0, reason: str | None = None, replaces: list[str] | None = None) -> dict:
    """Queue an outgoing document for the platform. Returns {key, document_id, scan, warnings}.
    business: 0 new, 1 recall, 2 update, 3 replace; for 2/3 `replaces` lists the DocumentIds
    updated/replaced (default: this entry's own DocumentId), written as ReplacementInfoList.
    Raises ValidationError when a file is infected or carries active content."""
    if not settings.get("org.id"):
        raise ValidationError(tr("Chưa đặt mã định danh cơ quan: vanthu config set org.id 000.00.00.H53."))
    entry = entries.get(store, entry_ref)
    if entry["kind"] == "incoming":
        raise ValidationError(tr("Chỉ gửi được văn bản đi hoặc bản sao, không gửi văn bản đến."))
    if entry["status"] in ("voided", "recalled"):
        raise ValidationError(tr("Văn bản đã bị hủy số hoặc thu hồi, không gửi được."))
    if not to:
        raise ValidationError(tr("Cần ít nhất một nơi nhận (mã định danh)."))
    names = {r.get("id"): r.get("name") for r in entry.get("recipients") or []}
    recipients = [{"id": recipient_id(t), "name": names.get(recipient_id(t))} for t in to]
    to_send = files_to_send(store, entry["id"])
    if not to_send:
        raise ValidationError(tr("Văn bản chưa có tệp nào (bản ký số, bản quét) để gửi."))
    total = len(to_send) + 2
    scans, warnings = [], []
    for i, a in enumerate(to_send):
        if cancelled and cancelled():
            raise ValidationError(tr("Đã hủy gửi."))
        result = malware.check_outgoing(files.path_for(store, a["sha256"]))
        scans.append(dict(result.to_dict(), name=a["name"]))
        if result.blocked:
            what = tr("có mã độc") if result.status == "infected" else \
                tr("có nội dung chủ động (JavaScript, lệnh chạy, tệp thực thi)")
            raise ValidationError(tr("Tệp «{n}» {w}: không gửi. Chi tiết: {d}").format(
                n=a["name"], w=what, d="; ".join(result.findings)), json.dumps(result.to_dict()))
        if result.warning and result.warning not in warnings:
            warnings.append(result.warning)
        if progress:
            progress(i + 1, total)
    fmt = settings.get("server.date_format") or "yyyy/MM/dd"
    header = header_for(settings, entry, recipients, fmt)
    tmp_dir = store.files_dir / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=tmp_dir, suffix=".edxml")
    os.close(fd)
    try:
        edxml.write_document(
            tmp, header,
            [edxml.OutAttachment(a["name"], path=str(files.path_for(store, a["sha256"])), mime=a["mime"] or
                                 "application/octet-stream") for a in to_send],
            traces=[{"organ_id": settings.get("org.id"), "timestamp": edxml.format_datetime(clock.now(), fmt)}],
            business=_business(business, reason, replaces or [header["document_id"]], recipients))
        pkg = attachments.add(store, entry["id"], tmp, role="package",
                              name=f"{(entry.get('reference') or entry['uid']).replace('/', '_')}.edxml")
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    if progress:
        progress(total - 1, total)
    scan_summary = {"files": scans, "not_scanned": any(s["status"] == "not_scanned" for s in scans)}
    with store.transaction() as conn:
        key = outbox.enqueue(conn, TOPIC, {"entry": entry["uid"], "package_sha256": pkg["sha256"],
                                           "to": [r["id"] for r in recipients],
                                           "document_id": header["document_id"]},
                             register_id=entry["register_id"], entity_id=entry["uid"])
        xstore.add_sent(conn, key, entry["id"], header["document_id"], [str(r["id"]) for r in recipients],
                        pkg["sha256"], scan_summary)
    if business == 0 and entry["status"] in ("registered", "signed"):
        entries.set_status(store, entry["id"], "dispatched", tr("Gửi liên thông"))
    if progress:
        progress(total, total)
    log.info("queued %s for %s (key %s, scan %s)", header["document_id"], to, key,
             "not scanned" if scan_summary["not_scanned"] else "ok")
    return {"key": key, "document_id": header["document_id"], "scan": scan_summary, "warnings": warnings,
            "package_sha256": pkg["sha256"]}
