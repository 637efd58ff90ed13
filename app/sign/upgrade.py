"""Pending B-LT upgrades: a document signed offline (B-B) is recorded in the `jobs` table and,
once online, gets validation data (certificates, OCSP/CRL) for its signatures and a document
time stamp, in incremental updates that leave every earlier signature valid. The upgraded file is
a new immutable file in the store, linked to the same register entry."""
from __future__ import annotations

import io
import logging

from ..domain.records import Job
from ..i18n import tr
from ..store import files as store_files
from ..store import jobs as store_jobs
from .errors import PdfReadError

log = logging.getLogger("vanthu.sign.upgrade")

JOB_KIND = "sign.upgrade_lt"
MAX_ATTEMPTS = 50


def record_pending(store, sha256: str, entry_id: int | None = None, name: str | None = None,
                   reason: str = "offline") -> int:
    """Record (once per file) that the signed file `sha256` in the store awaits its B-LT upgrade."""
    return store_jobs.add_once(store, JOB_KIND, {"sha256": sha256, "entry_id": entry_id, "name": name,
                                                 "reason": reason}, "sha256")


def pending(store) -> list[dict]:
    """Legacy dict form of store.jobs.pending()."""
    return [{"id": j.id, "payload": j.payload, "attempts": j.attempts, "last_error": j.last_error,
             "created_at": j.created_at} for j in store_jobs.pending(store, JOB_KIND)]


def upgrade_bytes(data: bytes, timestamper, trust_roots, other_certs=()) -> bytes:
    """Validation data for every signature, then a document time stamp (all incremental)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import signers
    from pyhanko.sign.validation import add_validation_info
    from pyhanko_certvalidator import ValidationContext

    def vc():
        return ValidationContext(trust_roots=list(trust_roots), other_certs=list(other_certs),
                                 allow_fetching=True, revocation_mode="soft-fail")

    buf = io.BytesIO(data)
    try:
        count = len(PdfFileReader(buf, strict=False).embedded_regular_signatures)
    except Exception as exc:  # noqa: BLE001
        raise PdfReadError(tr("Tệp đã ký không đọc được để nâng cấp."), repr(exc)) from exc
    for i in range(count):
        reader = PdfFileReader(buf, strict=False)
        sig = reader.embedded_regular_signatures[i]
        buf = add_validation_info(sig, vc(), in_place=False, output=io.BytesIO(), force_write=False)
        buf.seek(0)
    writer = IncrementalPdfFileWriter(buf, strict=False)
    out = signers.PdfTimeStamper(timestamper).timestamp_pdf(
        writer, "sha256", validation_context=vc(), output=io.BytesIO())
    return out.getvalue()


def process_pending(store, tsa_url: str, trust_roots=(), timeout: float = 10.0, progress=None,
                    cancelled=None) -> list[dict]:
    """Upgrade every pending file; returns one dict per job handled
    ({job, sha256, status: done|pending|failed, new_sha256, message})."""
    from .signer import _timestamper, tsa_reachable
    jobs = pending(store)
    results: list[dict] = []
    if not jobs:
        return results
    if not tsa_url or not tsa_reachable(tsa_url, min(timeout, 5.0)):
        return [{"job": j["id"], "sha256": j["payload"]["sha256"], "status": "pending",
                 "message": tr("Chưa kết nối được máy chủ dấu thời gian; sẽ thử lại sau.")} for j in jobs]
    stamper = _timestamper(tsa_url, timeout)
    for i, job in enumerate(jobs):
        if cancelled and cancelled():
            break
        p = job["payload"]
        res = {"job": job["id"], "sha256": p["sha256"]}
        try:
            path = store_files.path_for(store, p["sha256"])
            data = path.read_bytes()
        except (OSError, Exception) as exc:  # noqa: BLE001
            _finish(store, job, "failed", repr(exc))
            res.update(status="failed", message=tr("Không còn tệp đã ký trong kho dữ liệu."))
            results.append(res)
            continue
        try:
            new = upgrade_bytes(data, stamper, trust_roots)
        except PdfReadError as exc:
            _finish(store, job, "failed", exc.detail)
            res.update(status="failed", message=exc.message)
        except Exception as exc:  # noqa: BLE001 - network, validation: try again later
            state = "failed" if job["attempts"] + 1 >= MAX_ATTEMPTS else "pending"
            _finish(store, job, state, repr(exc))
            log.warning("B-LT upgrade of %s failed: %r", p["sha256"][:12], exc)
            res.update(status=state, message=tr("Nâng cấp chưa được: {e}").format(e=exc))
        else:
            sha, size = store_files.put_bytes(store, new)
            if p.get("entry_id"):
                from ..store import attachments
                name = (p.get("name") or p["sha256"][:12]).removesuffix(".pdf") + ".lt.pdf"
                attachments.link(store, p["entry_id"], sha, size, role="signed", name=name)
            _finish(store, job, "done", None, new_sha=sha)
            res.update(status="done", new_sha256=sha, message=tr("Đã nâng cấp lên B-LT."))
            log.info("upgraded %s -> %s (B-LT)", p["sha256"][:12], sha[:12])
        results.append(res)
        if progress:
            progress(i + 1, len(jobs))
    return results


def _finish(store, job, state: str, error: str | None, new_sha: str | None = None) -> None:
    payload = dict(job["payload"])
    if new_sha:
        payload["upgraded_sha256"] = new_sha
    store_jobs.finish(store, Job.from_row(dict(job, kind=JOB_KIND, state="pending", done_at=None)),
                      state, error, payload)
