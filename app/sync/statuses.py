"""Status packages (01 arrived, 02 refused, 03 registered, 15/16 take-back answers ...):
built and stored as files first, then queued in the outbox inside the caller's transaction."""
from ..domain import clock
from ..store import files, outbox
from . import edxml

TOPIC = "status.send"


def prepare(store, settings, to_org: str, response_for: dict, code: str, description: str = "",
            staff: dict | None = None) -> dict:
    """Write the status package to the file store; returns the outbox payload."""
    fmt = settings.get("server.date_format") or "yyyy/MM/dd"
    data = edxml.status_bytes({
        "response_for": response_for,
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
