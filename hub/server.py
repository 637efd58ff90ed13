"""FastAPI app of the reference hub: the national platform's endpoints (/sendEdoc ...) and the
provincial register API (/api/v1/...). Every call is authenticated with the XroadVnpt HMAC
headers of a registered organization. Run: vanthu hub --port N --data DIR --org ID=SECRET."""
import logging
import os
import tempfile
import time
from email.utils import formatdate

from typing import Literal

from fastapi import Depends, FastAPI, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, Field

from app.sync import edxml, xroad

from .store import Conflict, HubStore

log = logging.getLogger("vanthu.hub")

AUTH = ("Every call carries XroadVnpt-timestamp, -systemid (the organization id), -from, -servicetype, "
        "optionally -workstation, -docId, -messagetype, -status, -to, -hash-file, plus XroadVnpt-sign-header-key "
        "(the signed header names joined by ';'), XroadVnpt-sign-header (a JSON of those headers) and "
        "XroadVnpt-hash-header (hex HMAC-SHA256 of that JSON with the organization's shared secret).")


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
    app = FastAPI(title="Vanthu reference hub", version="1.0",
                  description="Trục liên thông mẫu (giao thức VXP) và API sổ đăng ký của máy chủ tỉnh. " + AUTH)
    app.state.store = store

    @app.middleware("http")
    async def date_header(request: Request, call_next):
        resp = await call_next(request)
        resp.headers["date"] = formatdate(time.time() + clock_offset, usegmt=True)
        return resp

    def caller(request: Request) -> dict:
        h = request.headers
        values = xroad.signed_values(h)
        secret = store.secret((values or {}).get("systemid", ""))
        if not values or not secret or not xroad.verify(h, secret):
            raise HTTPException(401, {"message": "authentication failed"})
        if values.get("from") != values.get("systemid"):
            raise HTTPException(403, {"message": "from does not match system id"})
        return values

    def ok(**kw):
        return {"status": "OK", "ErrorDesc": "", **kw}

    # ------------------------------------------------------------ national platform (VXP)
    @app.post("/sendEdoc", tags=["vxp"])
    def send_edoc(file_doc: UploadFile, who: dict = Depends(caller)):
        sha, size = store.put_stream(file_doc.file)
        if who.get("hash-file") and who["hash-file"] != sha:
            raise HTTPException(400, {"message": "hash-file mismatch"})
        recipients = [r for r in (who.get("to") or "").split(",") if r]
        if not recipients:
            try:
                with tempfile.TemporaryDirectory(dir=store.dir) as tmp:
                    pkg = edxml.read_header(store.file_path(sha), tmp)
                recipients = [t.get("organ_id") for t in pkg.header.get("to", []) if t.get("organ_id")]
            except edxml.PackageError as exc:
                return JSONResponse({"status": "FAIL", "ErrorDesc": exc.message}, 400)
        known = {o["id"] for o in store.orgs()}
        unknown = [r for r in recipients if r not in known]
        if not recipients or unknown:
            return JSONResponse({"status": "FAIL", "ErrorDesc": f"Không có đơn vị nhận: {', '.join(unknown)}"}, 400)
        key = who.get("docId") or sha
        doc_id, new = store.send(who["from"], key, who.get("messagetype", "edoc"), sha, size, recipients)
        log.info("sendEdoc from %s key %s -> %s (%s)", who["from"], key, doc_id, "new" if new else "duplicate")
        return ok(DocId=str(doc_id))

    @app.post("/getReceivedEdocList", tags=["vxp"])
    def received(who: dict = Depends(caller)):
        data = [dict(d, docId=str(d["docId"]), created_time=time.strftime(
            "%Y/%m/%d %H:%M:%S", time.localtime(d.pop("created")))) for d in store.pending_for(who["from"])]
        return ok(data=data)

    @app.post("/getEdoc", tags=["vxp"])
    def get_edoc(who: dict = Depends(caller)):
        try:
            d = store.delivery(who["from"], int(who.get("docId", "")))
        except ValueError:
            d = None
        if not d:
            raise HTTPException(404, {"message": "no such document"})
        store.mark(who["from"], d["id"], "", fetched=True)
        return FileResponse(store.file_path(d["sha256"]), media_type="application/xml")

    @app.post("/updateStatus", tags=["vxp"])
    def update_status(who: dict = Depends(caller)):
        status = who.get("status")
        if status not in ("done", "fail", "processing"):
            raise HTTPException(400, {"message": "status must be done, fail or processing"})
        try:
            found = store.mark(who["from"], int(who.get("docId", "")), status)
        except ValueError:
            found = False
        if not found:
            raise HTTPException(404, {"message": "no such document"})
        return ok()

    @app.post("/getSentEdocList", tags=["vxp"])
    def sent(who: dict = Depends(caller)):
        return ok(data=[dict(d, docId=str(d["docId"])) for d in store.sent_by(who["from"])])

    @app.post("/getAgenciesList", tags=["vxp"])
    def agencies(who: dict = Depends(caller)):
        return ok(data=store.orgs())

    # ------------------------------------------------------------ register API
    @app.get("/api/v1/time", tags=["registers"])
    def now():
        return {"now": time.time() + clock_offset}

    @app.post("/api/v1/changes", tags=["registers"], response_model=ChangesResponse,
              summary="Apply register changes in order; idempotent by key and by (entry uid, revision)")
    def changes(body: ChangesRequest, who: dict = Depends(caller)):
        ws = who.get("workstation")
        if not ws:
            raise HTTPException(400, {"message": "workstation header missing"})
        return {"results": store.apply_changes(who["from"], ws, [i.model_dump(by_alias=True) for i in body.items],
                                               [r.model_dump() for r in body.registers])}

    @app.put("/api/v1/files/{sha256}", tags=["registers"])
    async def put_file(sha256: str, request: Request, who: dict = Depends(caller)):
        try:
            final = store.file_path(sha256)
        except ValueError:
            raise HTTPException(400, {"message": "bad hash"})
        if final.exists():
            return {"sha256": sha256, "stored": False}
        fd, tmp = tempfile.mkstemp(dir=store.dir)
        with os.fdopen(fd, "wb") as out:
            async for chunk in request.stream():
                out.write(chunk)
        with open(tmp, "rb") as f:
            sha, _ = store.put_stream(f)
        os.unlink(tmp)
        if sha != sha256:
            raise HTTPException(400, {"message": "content does not match its hash"})
        return {"sha256": sha256, "stored": True}

    @app.get("/api/v1/files/{sha256}", tags=["registers"])
    def get_file(sha256: str, who: dict = Depends(caller)):
        try:
            p = store.file_path(sha256)
        except ValueError:
            raise HTTPException(400, {"message": "bad hash"})
        if not p.exists() or not store.may_read_file(who["from"], sha256):
            raise HTTPException(404, {"message": "no such file"})
        return FileResponse(p, media_type="application/octet-stream")

    @app.get("/api/v1/registers", tags=["registers"])
    def registers(who: dict = Depends(caller)):
        return {"registers": store.registers(who["from"])}

    @app.post("/api/v1/registers/{code}/owner", tags=["registers"],
              summary="Hand a register over to another workstation (only its owner may, unless force)")
    def handover(code: str, body: Handover, who: dict = Depends(caller)):
        try:
            store.handover(who["from"], code, who.get("workstation") or "", body.workstation, force=body.force)
        except Conflict as exc:
            raise HTTPException(409, {"message": str(exc)})
        return {"code": code, "owner": body.workstation}

    @app.post("/api/v1/redeliver", tags=["registers"],
              summary="Deliver again the documents and statuses received in the last `days` days "
                      "(restoring a workstation that lost its inbox)")
    def redeliver(body: Redeliver, who: dict = Depends(caller)):
        return {"redelivered": store.redeliver(who["from"], time.time() - body.days * 86400)}

    @app.get("/api/v1/snapshot", tags=["registers"],
             summary="Everything needed to restore the organization's workstation: registers with owners, "
                     "every revision of every entry, attachments (files by hash)")
    def snapshot(who: dict = Depends(caller)):
        return store.snapshot(who["from"])

    return app


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
