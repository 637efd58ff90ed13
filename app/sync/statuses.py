"""Status packages (01 arrived, 02 refused, 03 registered, 15/16 take-back answers ...):
built and stored as files first, then queued in the outbox inside the caller's transaction."""
from ..domain import clock
from ..store import exchange as xstore
from ..store import files, outbox
from . import edxml

TOPIC = "status.send"


def prepare(store, settings, to_org: str, response_for: dict, code: str, description: str = "",
            staff: dict | None = None) -> dict:
    """Write the status package to the file store; returns the outbox payload."""
    fmt = settings.get("server.date_format") or "yyyy/MM/dd"
    data = edxml.status_bytes({
        "response_for": {k: v for k, v in response_for.items() if v},
        "from": {"organ_id": settings.get("org.id"), "organ_name": settings.get("org.name")},
        "staff": staff or {},
        "status_code": code, "description": (description or "")[:1000],
        "timestamp": edxml.format_datetime(clock.now(), fmt)})
    sha, size = files.put_bytes(store, data)
    return {"package_sha256": sha, "size": size, "to": [to_org], "code": code,
            "document_id": response_for.get("document_id")}


def enqueue(conn, payload: dict, inbox_id: int | None = None) -> str:
    return outbox.enqueue(conn, TOPIC, dict(payload, inbox_id=inbox_id), register_id=None,
                          entity_id=payload.get("document_id"))


def response_for(header: dict) -> dict:
    """ResponseFor of a status answering a received document header."""
    code = header.get("code") or {}
    ref = "/".join(x for x in (code.get("number"), code.get("notation")) if x)
    return {"organ_id": (header.get("from") or {}).get("organ_id"), "code": ref,
            "date": (header.get("promulgation") or {}).get("date"), "document_id": header.get("document_id")}


# ND30 handling steps of a received document, reported back to its sender.
HANDLING_CODES = {"forwarded": "04", "in_progress": "05", "done": "06"}


def follow_handling(store, settings, limit: int = 1000) -> int:
    """Queue 04/05/06 for status changes of entries accepted from the hub. A watermark on the
    outbox sequence, moved in the same transaction, makes this exactly once across crashes."""
    import json
    from ..i18n import tr
    mark = xstore.handling_watermark(store)
    queued = 0
    for it in xstore.status_changes_after(store, mark, limit):
        entry = json.loads(it["payload"]).get("entry") or {}
        code = HANDLING_CODES.get(entry.get("status"))
        linked = xstore.accepted_item_for_entry_uid(store, entry.get("uid")) if code else None
        payload = None
        if linked:
            header = json.loads(linked["header"])
            label = {"04": tr("Đã phân công xử lý."), "05": tr("Đang xử lý."), "06": tr("Đã xử lý xong.")}[code]
            payload = prepare(store, settings, linked["sender_id"], response_for(header), code, label)
        with store.transaction() as conn:
            if payload:
                enqueue(conn, payload, linked["id"])
                queued += 1
            xstore.set_handling_watermark(conn, it["seq"])
    return queued
