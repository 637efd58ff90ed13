"""Shared HTTP plumbing (httpx): TLS verification on (plus an administrator's CA bundle),
timeouts everywhere, headers signed as the platform's SDK signs them (app.sync.xroad), and the
mapping of failures to what the worker does: offline (retry later), refused for good (park),
conflict, authentication. The platform's refusal text (ErrorDesc) is what the clerk sees."""
import logging
import ssl
import time
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

import httpx

from ..domain import clock
from ..i18n import tr
from . import xroad
from .errors import AuthError, ConflictError, OfflineError, ServerRefused

log = logging.getLogger(__name__)
CLOCK_LIMIT = 240.0     # seconds: the platform refuses requests signed more than 5 minutes off


def _tls_refused(exc: BaseException) -> bool:
    seen = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class HttpClient:
    def __init__(self, base_url: str, credential, org_id: str, timeout: float = 30.0,
                 ca_bundle: str | None = None, workstation: str | None = None):
        """`workstation` is sent (signed) on every call: only for the provincial server's
        register API, never to the national platform."""
        self.base_url = base_url.rstrip("/")
        self.credential = credential
        self.org_id = org_id
        self.workstation = workstation
        verify: bool | ssl.SSLContext = True
        if ca_bundle:
            verify = ssl.create_default_context(cafile=ca_bundle)
        self.client = httpx.Client(base_url=self.base_url, verify=verify,
                                   timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
                                   headers={"User-Agent": xroad.USER_AGENT})
        self.last_skew: float | None = None     # server - local, seconds
        self.last_contact: datetime | None = None

    def close(self) -> None:
        self.client.close()

    def headers(self, content_type: str = "application/json", **values) -> dict:
        """The SDK's header map: timestamp (Vietnam time), systemid, Content-Type, then the
        call's parameters, signed."""
        base = {"timestamp": xroad.java_timestamp(datetime.now(clock.VN_TZ)),
                "systemid": self.credential.system_id, "Content-Type": content_type}
        if self.workstation:
            base["workstation"] = self.workstation
        base.update(values)
        return xroad.sign(base, self.credential.secret)

    def _clock(self, resp: httpx.Response, t0: float, t1: float) -> None:
        date = resp.headers.get("date")
        if not date:
            return
        try:
            server = parsedate_to_datetime(date).timestamp()
        except (TypeError, ValueError):
            return
        # the Date header has second precision: count the half second it truncates
        self.last_skew = server + 0.5 - (t0 + t1) / 2
        self.last_contact = datetime.now(timezone.utc)

    def request(self, method: str, path: str, *, values: dict | None = None, stream_to=None,
                max_bytes: int | None = None, content_type: str = "application/json", **kw) -> httpx.Response:
        """One call. Raises OfflineError (network, timeout, 5xx), AuthError (401/403),
        ConflictError (409), ServerRefused (other 4xx)."""
        headers = self.headers(content_type, **(values or {}))
        if not any(k in kw for k in ("files", "content", "json", "data")):
            headers["Content-Type"] = content_type
        headers.update(kw.pop("headers", {}))
        t0 = time.time()
        try:
            if stream_to is not None:
                with self.client.stream(method, path, headers=headers, **kw) as resp:
                    self._check(resp, t0, time.time(), streamed=True)
                    total = 0
                    for chunk in resp.iter_bytes(1 << 20):
                        total += len(chunk)
                        if max_bytes and total > max_bytes:
                            raise ServerRefused(tr("Gói tin lớn quá giới hạn cho phép."),
                                                f"{path}: more than {max_bytes} bytes", 413)
                        stream_to.write(chunk)
                    return resp
            resp = self.client.request(method, path, headers=headers, **kw)
        except httpx.TransportError as exc:
            if _tls_refused(exc):
                raise OfflineError(tr("Chứng thư TLS của máy chủ không được tin cậy: kết nối bị từ chối để bảo "
                                      "vệ dữ liệu. Hãy báo quản trị viên (thiết lập server.ca_bundle)."),
                                   f"{method} {path}: {exc}") from exc
            raise OfflineError(tr("Không kết nối được máy chủ liên thông; sẽ tự thử lại."),
                               f"{method} {path}: {type(exc).__name__}: {exc}") from exc
        self._check(resp, t0, time.time())
        return resp

    def _check(self, resp, t0, t1, streamed: bool = False) -> None:
        self._clock(resp, t0, t1)
        if resp.status_code < 400:
            return
        if streamed:
            resp.read()
        detail = f"{resp.request.method} {resp.request.url.path}: HTTP {resp.status_code} {resp.text[:300]}"
        if resp.status_code >= 500 or resp.status_code in (408, 429):
            raise OfflineError(tr("Máy chủ liên thông đang gặp sự cố; sẽ tự thử lại."), detail)
        reason = ""
        try:
            body = resp.json()
            reason = body.get("ErrorDesc") or body.get("detail") or ""
            if isinstance(reason, dict):
                reason = reason.get("message", "")
        except ValueError:
            pass
        if resp.status_code in (401, 403):
            if self.last_skew is not None and abs(self.last_skew) > CLOCK_LIMIT:
                message = tr("Đồng hồ máy lệch {s:+.0f} giây so với máy chủ: yêu cầu bị từ chối. "
                             "Hãy chỉnh giờ máy (múi giờ Việt Nam) rồi thử lại.").format(s=self.last_skew)
            else:
                message = tr("Máy chủ từ chối xác thực: kiểm tra mã hệ thống và khóa bí mật (vanthu login).")
            if reason:
                message = f"{reason} — {message}"
            raise AuthError(message, detail, resp.status_code)
        if resp.status_code == 409:
            raise ConflictError(reason or tr("Xung đột với dữ liệu trên máy chủ."), detail, 409)
        raise ServerRefused(reason or tr("Máy chủ từ chối yêu cầu (mã {c}).").format(c=resp.status_code),
                            detail, resp.status_code)
