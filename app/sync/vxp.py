"""Adapter for the national platform (VXP): /sendEdoc, /getReceivedEdocList, /getEdoc,
/updateStatus, /getAgenciesList with HMAC-signed XroadVnpt-* headers."""
import hashlib

from ..i18n import tr
from .errors import ServerRefused
from .transport import Received, Transport


def _sha256_file(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


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
            raise ServerRefused(tr("Máy chủ trả lời không đúng định dạng."), resp.text[:200], resp.status_code)
        if str(body.get("status", "OK")).upper() != "OK":
            raise ServerRefused(body.get("ErrorDesc") or tr("Máy chủ từ chối yêu cầu."), str(body)[:300],
                                resp.status_code)
        return body

    def send(self, path, *, key: str, to: list[str], messagetype: str = "edoc") -> str:
        with open(path, "rb") as f:
            resp = self._http.request(
                "POST", "/sendEdoc",
                values={"messagetype": messagetype, "docId": key, "to": ",".join(to), "hash-file": _sha256_file(path)},
                files={"file_doc": ("package.edxml", f, "application/xml")})
        return str(self._json(resp)["DocId"])

    def list_received(self) -> list[Received]:
        body = self._json(self._http.request("POST", "/getReceivedEdocList", values={"messagetype": "edoc"}))
        return [Received(str(d["docId"]), d.get("from", ""), d.get("messagetype", "edoc"), d.get("created_time", ""))
                for d in body.get("data", [])]

    def fetch(self, doc_id: str, dest, max_bytes: int) -> None:
        self._http.request("POST", "/getEdoc", values={"docId": doc_id}, stream_to=dest, max_bytes=max_bytes)

    def acknowledge(self, doc_id: str, ok: bool = True) -> None:
        self._json(self._http.request("POST", "/updateStatus",
                                      values={"docId": doc_id, "status": "done" if ok else "fail"}))

    def agencies(self) -> list[dict]:
        return self._json(self._http.request("POST", "/getAgenciesList")).get("data", [])
