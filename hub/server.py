"""FastAPI app of the reference hub: the national platform's API as SDKVXP 2.0.x calls it
(/sendEdoc, /getReceivedEdocList, /getEdoc, /updateStatus, /getSentEdocList, /countReceiveEdoc,
/countReceiveStatus, /getAgenciesList) and the provincial register API (/api/v1/...), both
authenticated with the XroadVnpt signed headers of a registered organization.

Security rules: the signature is verified over XroadVnpt-sign-header exactly as received; a
timestamp more than 5 minutes off the hub's clock is refused, and so is the same signed request
seen again inside the window; sendEdoc requires hash-file, checks it against the stored bytes and
deletes a refused upload; `from` and every package's From/OrganId must be the authenticated
organization; an organization fetches only documents and files addressed to it or sent by it;
sizes are limited on every endpoint. Secrets come from a file or the environment, are held in
memory only, and never appear on the command line or in the database.

Run: VANTHU_HUB_ORGS_FILE=orgs.txt vanthu hub --port N --data DIR   (see docs/exchange.md)."""
import base64
import hashlib
import json
import logging
import os
import tempfile
import time
from datetime import datetime
from email.utils import formatdate
from typing import Literal

from fastapi import Depends, FastAPI, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from app.domain import clock
from app.sync import edxml, xroad

from .store import Conflict, HubStore

log = logging.getLogger("vanthu.hub")

FRESHNESS = 300.0                        # seconds a signed request stays valid either side
MAX_UPLOAD = int(os.environ.get("VANTHU_HUB_MAX_UPLOAD") or 800 << 20)     # sendEdoc, PUT file
MAX_BODY = 16 << 20                      # any other request body
AUTH = ("Every call is signed as SDKVXP 2.0.x signs it: XroadVnpt-<name> headers for timestamp "
        "(ddMMyyyy'T'HHmmss+SSSS, Vietnam time, at most 5 minutes off), systemid (the organization id), "
        "Content-Type and the call's parameters (from, to as a JSON array, servicetype, messagetype, docId, "
        "status, hash-file, and for the register API workstation); XroadVnpt-sign-header-key = those names "
        "without the prefix joined by ';', XroadVnpt-sign-header = the compact JSON of the XroadVnpt-<name> "
        "values, XroadVnpt-hash-header = lowercase hex HMAC-SHA256 of that JSON with the organization's "
        "secret. A request already seen is refused. Answers carry status, ErrorCode, ErrorDesc.")


class Refusal(Exception):
    def __init__(self, http: int, code: str, desc: str):
        super().__init__(desc)
        self.http, self.code, self.desc = http, code, desc


def _answer(**kw) -> dict:
    return {"status": "OK", "ErrorCode": "0", "ErrorDesc": "Thành công", **kw}


def _vn_time(ts: float) -> str:
    return datetime.fromtimestamp(ts, clock.VN_TZ).strftime("%Y/%m/%d %H:%M:%S")


class BodyLimit:
    """ASGI middleware: refuses bodies over the endpoint's limit (413) before or while reading."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        limit = MAX_UPLOAD if path == "/sendEdoc" or path.startswith("/api/v1/files/") else MAX_BODY
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            return await self._refuse(send)
        seen = 0
        started = False

        async def counting_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise OverflowError("body over limit")
            return message

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)
        try:
            await self.app(scope, counting_receive, tracking_send)
        except OverflowError:
            if not started:
                await self._refuse(send)

    @staticmethod
    async def _refuse(send):
        body = json.dumps({"status": "FAIL", "ErrorCode": "413",
                           "ErrorDesc": "Dữ liệu gửi lên lớn quá giới hạn của trục."}, ensure_ascii=False).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


class RegisterMeta(BaseModel):
    code: str
    kind: Literal["incoming", "outgoing", "copy"]
    title: str
    notation: str | None = None
    doc_types: list[str] = []
    with_year: bool = False
    is_default: bool = False


class ChangeItem(BaseModel):
    key: str = Field(description="idempotency key of the outbox item; a key already seen is a duplicate")
    seq: int | None = Field(None, description="the workstation's outbox sequence (order within a register)")
    topic: Literal["entry.registered", "entry.revised", "entry.voided", "entry.status", "attachment.added"]
    register_code: str | None = Field(None, alias="register",
                                      description="register code; its owner workstation alone may write")
    entity_id: str | None = None
    payload: dict = Field(description="entry.*: {entry: full snapshot with uid and revision, register, reason, "
                                      "workstation}; attachment.added: {entry uid, sha256, name, role, size, mime} "
                                      "(upload the file first with PUT /api/v1/files/{sha256})")


class ChangesRequest(BaseModel):
    items: list[ChangeItem] = Field(max_length=1000, description="in outbox order")
    registers: list[RegisterMeta] = []


class ChangeResult(BaseModel):
    key: str
    status: Literal["applied", "duplicate", "conflict", "invalid"]
    reason: str | None = None
    owner: str | None = None


class ChangesResponse(BaseModel):
    results: list[ChangeResult]


class Redeliver(BaseModel):
    days: int = Field(90, ge=1, le=3660)


class Handover(BaseModel):
    workstation: str = Field(description="the workstation that becomes the register's owner")
    force: bool = Field(False, description="take over without the current owner (administrator recovery)")


def create_app(data_dir, orgs: dict[str, str] | None = None, clock_offset: float = 0.0) -> FastAPI:
    store = HubStore(data_dir)
    for org_id, secret in (orgs or {}).items():
        store.add_org(org_id, secret)
    app = FastAPI(title="Vanthu reference hub", version="2.0",
                  description="Trục liên thông mẫu (API của trục quốc gia VXP như SDKVXP 2.0.x gọi) và API sổ "
                              "đăng ký của máy chủ tỉnh. " + AUTH)
    app.state.store = store
    app.add_middleware(BodyLimit)

    def now() -> float:
        return time.time() + clock_offset

    @app.middleware("http")
    async def date_header(request: Request, call_next):
        resp = await call_next(request)
        resp.headers["date"] = formatdate(now(), usegmt=True)
        return resp

    @app.exception_handler(Refusal)
    async def refused(request: Request, exc: Refusal):
        log.info("%s %s refused: %s %s", request.method, request.url.path, exc.code, exc.desc)
        return JSONResponse({"status": "FAIL", "ErrorCode": exc.code, "ErrorDesc": exc.desc}, exc.http)

    def caller(request: Request) -> dict:
        """The signed values (names without prefix) of an authenticated, fresh, first-seen request;
        `org` is the authenticated organization."""
        h = request.headers
        values = xroad.signed_values(h)
        if not values or not values.get("systemid") or not values.get("timestamp"):
            raise Refusal(401, "401", "Yêu cầu không có chữ ký hợp lệ (XroadVnpt-sign-header).")
        secret = store.secret(values["systemid"])
        if not secret or not xroad.verify(h, secret):
            raise Refusal(401, "401", "Xác thực thất bại: mã hệ thống hoặc chữ ký không đúng.")
        ts = xroad.parse_java_timestamp(values["timestamp"], clock.VN_TZ)
        if ts is None or abs(ts.timestamp() - now()) > FRESHNESS:
            raise Refusal(401, "401", "Thời điểm ký yêu cầu lệch quá 5 phút so với đồng hồ của trục: "
                                      "hãy chỉnh đồng hồ máy.")
        if not store.first_use(values["systemid"], values["timestamp"], h.get(xroad.HASH, ""), FRESHNESS):
            raise Refusal(401, "401", "Yêu cầu đã được dùng trước đó (phát lại): bị từ chối.")
        org = values["systemid"]
        if values.get("from") and values["from"] != org:
            raise Refusal(403, "403", "Mã đơn vị gửi (from) không phải đơn vị đã xác thực.")
        return dict(values, org=org)

    def doc_id(who: dict) -> int:
        try:
            return int(who.get("docId", ""))
        except ValueError:
            raise Refusal(404, "404", "Không có văn bản này.")

    # ------------------------------------------------------------ national platform (VXP)
    @app.post("/sendEdoc", tags=["vxp"], summary="Send a package (multipart file_doc); hash-file required")
    def send_edoc(request: Request, file_doc: UploadFile, who: dict = Depends(caller)):
        org = who["org"]
        if not who.get("hash-file"):
            raise Refusal(400, "400", "Thiếu hash-file (mã băm SHA-256 của gói tin).")
        try:
            tmp, sha, size = store.spool(file_doc.file, MAX_UPLOAD)
        except OverflowError:
            raise Refusal(413, "413", "Gói tin lớn quá giới hạn của trục.")
        kept = False
        try:
            with open(tmp, "rb") as f:
                digest = hashlib.sha256()
                while chunk := f.read(1 << 20):
                    digest.update(chunk)
            if who["hash-file"] != xroad.java_unpadded_hex(digest.digest()):
                raise Refusal(400, "400", "hash-file không khớp với gói tin nhận được.")
            try:
                with tempfile.TemporaryDirectory(dir=store.dir) as tdir:
                    pkg = edxml.read_header(tmp, tdir, max_package=MAX_UPLOAD)
            except edxml.PackageError as exc:
                raise Refusal(400, "400", f"Gói tin không hợp lệ: {exc.message}")
            if pkg.sender != org:
                raise Refusal(403, "403", f"Gói tin ghi đơn vị gửi {pkg.sender}, không phải đơn vị đã xác thực {org}.")
            messagetype = who.get("messagetype") or pkg.kind
            if messagetype != pkg.kind:
                raise Refusal(400, "400", f"messagetype {messagetype} không khớp với gói tin ({pkg.kind}).")
            if who.get("to"):
                try:
                    recipients = json.loads(who["to"])
                except ValueError:
                    recipients = None
                if not isinstance(recipients, list) or not all(isinstance(r, str) for r in recipients):
                    raise Refusal(400, "400", "Tham số to phải là mảng JSON các mã đơn vị.")
            else:
                recipients = [t.get("organ_id") for t in pkg.header.get("to", []) if t.get("organ_id")]
            known = {o["id"] for o in store.orgs()}
            unknown = [r for r in recipients if r not in known]
            if not recipients or unknown:
                raise Refusal(400, "404", f"Không có đơn vị nhận: {', '.join(unknown) or '(trống)'}")
            code = pkg.header.get("code") or {}
            notation = "/".join(x for x in (code.get("number"), code.get("notation")) if x) or None
            store.keep(tmp, sha)
            kept = True
            message_id, new = store.send(org, who.get("docId") or sha, messagetype, sha, size, recipients, notation,
                                         pkg.header.get("subject") or pkg.header.get("description"))
        finally:
            if not kept and os.path.exists(tmp):
                os.unlink(tmp)
        log.info("sendEdoc from %s (%s) -> %s: message %s (%s)", org, messagetype, recipients, message_id,
                 "new" if new else "duplicate")
        return _answer(DocId=str(message_id))

    @app.post("/getReceivedEdocList", tags=["vxp"])
    def received(who: dict = Depends(caller)):
        data = [{"docId": str(d["docId"]), "serviceType": "eDoc", "messageType": d["messagetype"],
                 "created_time": _vn_time(d["created"]), "updated_time": _vn_time(d["updated"]),
                 "from": d["from"], "to": d["to"], "status": d["status"], "status_desc": "Chờ nhận"}
                for d in store.pending_for(who["org"], who.get("messagetype"))]
        return _answer(data=data)

    @app.post("/getEdoc", tags=["vxp"], summary="The package, base64-encoded in `data` of the JSON answer")
    def get_edoc(who: dict = Depends(caller)):
        d = store.delivery(who["org"], doc_id(who))
        if not d:
            raise Refusal(404, "404", "Không có văn bản này.")
        if d["status"] != "sent":
            store.mark(who["org"], d["id"], "", fetched=True)
        path = store.file_path(d["sha256"])

        def body():
            yield b'{"status":"OK","ErrorCode":"0","ErrorDesc":"Th\\u00e0nh c\\u00f4ng","data":"'
            with open(path, "rb") as f:
                while chunk := f.read(3 << 18):
                    yield base64.b64encode(chunk)
            yield b'"}'
        return StreamingResponse(body(), media_type="application/json")

    @app.post("/updateStatus", tags=["vxp"])
    def update_status(who: dict = Depends(caller)):
        status = who.get("status")
        if status not in ("done", "fail", "processing"):
            raise Refusal(400, "400", "status phải là done, fail hoặc processing.")
        if not store.mark(who["org"], doc_id(who), status):
            raise Refusal(404, "404", "Không có văn bản này.")
        return _answer()

    @app.post("/getSentEdocList", tags=["vxp"], summary="Per-recipient delivery state of what the caller sent")
    def sent(who: dict = Depends(caller)):
        labels = {"pending": "Chờ đơn vị nhận tải về", "done": "Đơn vị nhận đã nhận", "fail": "Đơn vị nhận báo lỗi",
                  "processing": "Đơn vị nhận đang xử lý"}
        return _answer(data=[{
            "serviceType": "eDoc", "messageType": d["messagetype"], "senderDocId": str(d["docId"]),
            "receiverDocId": str(d["docId"]), "fromCode": who["org"], "toCode": d["to"],
            "sendStatus": "done", "sendStatusDesc": "Đã gửi lên trục", "receiveStatus": d["status"],
            "receiveStatusDesc": labels.get(d["status"], d["status"]), "sentTime": _vn_time(d["created"]),
            "receivedTime": _vn_time(d["updated"]) if d["status"] != "pending" else "",
            "notation": d["notation"] or "", "title": d["title"] or ""} for d in store.sent_by(who["org"])])

    @app.get("/countReceiveEdoc", tags=["vxp"])
    def count_edoc(who: dict = Depends(caller)):
        return _answer(count=len(store.pending_for(who["org"], "edoc")))

    @app.get("/countReceiveStatus", tags=["vxp"])
    def count_status(who: dict = Depends(caller)):
        return _answer(count=len(store.pending_for(who["org"], "status")))

    @app.post("/getAgenciesList", tags=["vxp"])
    def agencies(who: dict = Depends(caller)):
        return _answer(data=store.orgs())

    # ------------------------------------------------------------ register API (provincial server)
    @app.get("/api/v1/time", tags=["registers"])
    def server_time():
        return {"now": now()}

    @app.post("/api/v1/changes", tags=["registers"], response_model=ChangesResponse,
              summary="Apply register changes in order; idempotent by key and by (entry uid, revision)")
    def changes(body: ChangesRequest, who: dict = Depends(caller)):
        ws = who.get("workstation")
        if not ws:
            raise Refusal(400, "400", "Thiếu mã máy trạm (workstation).")
        return {"results": store.apply_changes(who["org"], ws, [i.model_dump(by_alias=True) for i in body.items],
                                               [r.model_dump() for r in body.registers])}

    @app.put("/api/v1/files/{sha256}", tags=["registers"],
             summary="Upload a register file by hash; a file of another organization must be uploaded in full")
    async def put_file(sha256: str, request: Request, who: dict = Depends(caller)):
        try:
            final = store.file_path(sha256)
        except ValueError:
            raise Refusal(400, "400", "Mã băm không hợp lệ.")
        if final.exists() and store.may_check_file(who["org"], sha256):
            store.own_file(who["org"], sha256)
            return {"sha256": sha256, "stored": False}
        fd, tmp = tempfile.mkstemp(dir=store.dir)
        try:
            size = 0
            with os.fdopen(fd, "wb") as out:
                async for chunk in request.stream():
                    size += len(chunk)
                    if size > MAX_UPLOAD:
                        raise Refusal(413, "413", "Tệp lớn quá giới hạn của trục.")
                    out.write(chunk)
            with open(tmp, "rb") as f:
                sha, _ = store.put_stream(f)
        finally:
            os.unlink(tmp)
        if sha != sha256:
            raise Refusal(400, "400", "Nội dung tệp không khớp với mã băm.")
        store.own_file(who["org"], sha256)
        return {"sha256": sha256, "stored": True}

    @app.get("/api/v1/files/{sha256}", tags=["registers"])
    def get_file(sha256: str, who: dict = Depends(caller)):
        try:
            p = store.file_path(sha256)
        except ValueError:
            raise Refusal(400, "400", "Mã băm không hợp lệ.")
        if not p.exists() or not store.may_read_file(who["org"], sha256):
            raise Refusal(404, "404", "Không có tệp này.")
        return FileResponse(p, media_type="application/octet-stream")

    @app.get("/api/v1/registers", tags=["registers"])
    def registers(who: dict = Depends(caller)):
        return {"registers": store.registers(who["org"])}

    @app.post("/api/v1/registers/{code}/owner", tags=["registers"],
              summary="Hand a register over to another workstation (only its owner may, unless force)")
    def handover(code: str, body: Handover, who: dict = Depends(caller)):
        try:
            store.handover(who["org"], code, who.get("workstation") or "", body.workstation, force=body.force)
        except Conflict as exc:
            raise Refusal(409, "409", str(exc))
        return {"code": code, "owner": body.workstation}

    @app.post("/api/v1/redeliver", tags=["registers"],
              summary="Deliver again the documents and statuses received in the last `days` days "
                      "(restoring a workstation that lost its inbox)")
    def redeliver(body: Redeliver, who: dict = Depends(caller)):
        return {"redelivered": store.redeliver(who["org"], time.time() - body.days * 86400)}

    @app.get("/api/v1/snapshot", tags=["registers"],
             summary="Everything needed to restore the organization's workstation: registers with owners, "
                     "every revision of every entry, attachments (files by hash)")
    def snapshot(who: dict = Depends(caller)):
        return store.snapshot(who["org"])

    return app


def load_secrets(path: str | None = None, environ=os.environ) -> dict[str, str]:
    """Organization secrets from a file (one `ORGID=SECRET` a line, # comments; the file should be
    readable by the hub's account only) and/or VANTHU_HUB_ORGS (`ORGID=SECRET;ORGID=SECRET`).
    Never from the command line."""
    lines = []
    path = path or environ.get("VANTHU_HUB_ORGS_FILE")
    if path:
        with open(path, encoding="utf-8") as f:
            lines += f.read().splitlines()
    lines += (environ.get("VANTHU_HUB_ORGS") or "").split(";")
    orgs = {}
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        org, sep, secret = line.partition("=")
        if not sep or not org.strip() or not secret.strip():
            raise ValueError("each line must be ORGID=SECRET")
        orgs[org.strip()] = secret.strip()
    return orgs


def run(port: int, data_dir, orgs: dict[str, str], host: str = "127.0.0.1", clock_offset: float = 0.0,
        ready=None, tls_cert: str | None = None, tls_key: str | None = None) -> None:
    import uvicorn
    app = create_app(data_dir, orgs, clock_offset)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", date_header=False,
                            access_log=False, ssl_certfile=tls_cert, ssl_keyfile=tls_key)
    server = uvicorn.Server(config)
    if ready:
        ready(port)
    server.run()
