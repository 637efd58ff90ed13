"""Adapter for the national platform (VXP), as its SDK (SDKVXP 2.0.x) calls it:
POST /sendEdoc (multipart `file_doc`, `hash-file` unpadded hex, `to` a JSON array), POST
/getReceivedEdocList, POST /getEdoc (the package base64-encoded inside JSON), POST /updateStatus,
POST /getSentEdocList (per-recipient delivery state), GET /countReceiveEdoc, POST /getAgenciesList.
Every answer carries status / ErrorCode / ErrorDesc: success is "OK" with "0"; otherwise the
clerk sees ErrorDesc. Only the platform's endpoints are called here: the register mirror goes to
the provincial server (app.sync.mirror)."""
import binascii
import json
import os
import tempfile

from ..i18n import tr
from . import xroad
from .errors import ServerRefused
from .transport import Received, Transport

SERVICE_TYPE = "eDoc"
_JSON_OVERHEAD = 1 << 20


def _refused(body: dict, status: int) -> ServerRefused:
    return ServerRefused(str(body.get("ErrorDesc") or "") or tr("Trục liên thông từ chối yêu cầu."),
                         f"ErrorCode {body.get('ErrorCode')}: {str(body)[:300]}", status)


def check_answer(body, status: int = 200) -> dict:
    """A platform answer: success is status "OK" and ErrorCode "0"; anything else is a refusal."""
    if not isinstance(body, dict):
        raise ServerRefused(tr("Trục liên thông trả lời không đúng định dạng."), str(body)[:200], status)
    if str(body.get("status", "")).upper() != "OK" or str(body.get("ErrorCode", "0")) != "0":
        raise _refused(body, status)
    return body


def _decode_edoc_answer(raw_path: str, dest) -> dict:
    """Stream the base64 `data` of a getEdoc answer (a file holding the JSON) into `dest`,
    without loading it; returns the other fields. Handles "\\/" escapes some JSON writers use."""
    with open(raw_path, "rb") as f:
        head = f.read(1 << 16)
        at = -1
        for marker in (b'"data":"', b'"data": "'):
            at = head.find(marker)
            if at >= 0:
                start = at + len(marker)
                break
        if at < 0:   # no data field (a refusal), or an unusual layout: the answer is small
            f.seek(0)
            text = f.read(_JSON_OVERHEAD + 1)
            try:
                body = json.loads(text)
            except ValueError:
                raise ServerRefused(tr("Trục liên thông trả lời không đúng định dạng."), text[:200].decode(
                    "utf-8", "replace"), 200)
            if isinstance(body, dict) and isinstance(body.get("data"), str):
                check_answer(body)
                try:
                    dest.write(binascii.a2b_base64(body["data"], strict_mode=False))
                except binascii.Error as exc:
                    raise ServerRefused(tr("Gói tin nhận từ trục không đúng mã base64."), str(exc), 200)
            return body
        f.seek(start)
        carry = b""      # base64 not yet decodable (under 4 characters) and a split escape
        while True:
            chunk = f.read(1 << 20)
            if not chunk:
                raise ServerRefused(tr("Gói tin nhận từ trục bị cắt ngang."), "no closing quote", 200)
            end = chunk.find(b'"')
            piece = carry + (chunk if end < 0 else chunk[:end])
            tail = b""
            if end < 0 and piece.endswith(b"\\"):
                piece, tail = piece[:-1], b"\\"
            for esc in (b"\\/", b"\\r", b"\\n"):
                piece = piece.replace(esc, b"/" if esc == b"\\/" else b"")
            piece = b"".join(piece.split())
            cut = len(piece) if end >= 0 else len(piece) - len(piece) % 4
            carry = piece[cut:] + tail
            try:
                dest.write(binascii.a2b_base64(piece[:cut], strict_mode=True))
            except binascii.Error as exc:
                raise ServerRefused(tr("Gói tin nhận từ trục không đúng mã base64."), str(exc), 200)
            if end >= 0:
                rest = chunk[end + 1:] + f.read(_JSON_OVERHEAD)
                break
    try:
        body = json.loads(head[:start - 1] + b'""' + rest)
    except ValueError as exc:
        raise ServerRefused(tr("Trục liên thông trả lời không đúng định dạng."), str(exc), 200)
    return body


class _Capped:
    """Writes through to `dest`, refusing more than `limit` bytes (413, as the HTTP layer does)."""

    def __init__(self, dest, limit: int):
        self.dest, self.limit, self.total = dest, limit, 0

    def write(self, data: bytes) -> int:
        self.total += len(data)
        if self.total > self.limit:
            raise ServerRefused(tr("Gói tin lớn quá giới hạn cho phép."), f"more than {self.limit} bytes", 413)
        return self.dest.write(data)


class VxpTransport(Transport):
    def __init__(self, http, date_format: str | None = None):
        self._http = http
        self.date_format = date_format or "yyyy/MM/dd"

    @property
    def http(self):
        return self._http

    def _json(self, resp) -> dict:
        try:
            body = resp.json()
        except ValueError:
            raise ServerRefused(tr("Trục liên thông trả lời không đúng định dạng."), resp.text[:200], resp.status_code)
        return check_answer(body, resp.status_code)

    def _call(self, method: str, path: str, **values) -> dict:
        return self._json(self._http.request(method, path, values=values))

    def send(self, path, *, key: str = "", to: list[str], messagetype: str = "edoc") -> str:
        """sendEdoc as the SDK does it. The SDK puts every key of the caller's JSON into the signed
        header map: `docId` carries our idempotency key (the reference hub answers a resend with
        the same DocId; the platform ignores it)."""
        values = {"from": self._http.org_id, "to": xroad.gson_object_list(to), "servicetype": SERVICE_TYPE,
                  "messagetype": messagetype, "hash-file": xroad.hash_file(path)}
        if key:
            values["docId"] = key
        with open(path, "rb") as f:
            resp = self._http.request(
                "POST", "/sendEdoc", content_type="application/octet-stream", values=values,
                files={"file_doc": (os.path.basename(str(path)), f, "application/octet-stream")})
        return str(self._json(resp)["DocId"])

    def list_received(self) -> list[Received]:
        out = []
        for mt in ("edoc", "status"):
            body = self._call("POST", "/getReceivedEdocList", servicetype=SERVICE_TYPE, messagetype=mt)
            for d in body.get("data") or []:
                out.append(Received(str(d["docId"]), str(d.get("from") or ""),
                                    str(d.get("messageType") or d.get("messagetype") or mt),
                                    str(d.get("created_time") or "")))
        return out

    def fetch(self, doc_id: str, dest, max_bytes: int) -> None:
        """getEdoc: the answer is JSON with the package base64-encoded in `data`; the answer is
        streamed to a temporary file (limit: the base64 of max_bytes) and decoded into `dest`."""
        name = getattr(dest, "name", None)
        tmp_dir = os.path.dirname(name) if isinstance(name, str) and name else None
        fd, raw = tempfile.mkstemp(dir=tmp_dir, suffix=".json")
        try:
            with os.fdopen(fd, "wb") as out:
                self._http.request("POST", "/getEdoc", values={"docId": doc_id}, stream_to=out,
                                   max_bytes=max_bytes * 4 // 3 + _JSON_OVERHEAD)
            body = _decode_edoc_answer(raw, _Capped(dest, max_bytes))
            check_answer(body)
        finally:
            os.unlink(raw)

    def acknowledge(self, doc_id: str, ok: bool = True) -> None:
        self._call("POST", "/updateStatus", docId=doc_id, status="done" if ok else "fail")

    def agencies(self) -> list[dict]:
        return self._call("POST", "/getAgenciesList").get("data") or []

    def sent_list(self) -> list[dict]:
        """Per-recipient delivery state of what we sent: [{receiverDocId, toCode, receiveStatus,
        sendStatus, sendStatusDesc, senderDocId, fromCode, sentTime, receivedTime, notation, title,
        messageType}]."""
        return self._call("POST", "/getSentEdocList", servicetype=SERVICE_TYPE).get("data") or []

    def count_received(self) -> int:
        """GET /countReceiveEdoc: also the cheap call that tells whether the platform answers."""
        return int(self._call("GET", "/countReceiveEdoc", servicetype=SERVICE_TYPE, messagetype="edoc")
                   .get("count") or 0)
