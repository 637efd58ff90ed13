"""Verify the signatures of a received PDF and give a verdict the clerk can read at a glance.

    report = verify_pdf(path, extra_roots=(), online=False)
    report.verdict      # "valid" | "warning" | "invalid" | "unsigned"
    report.signatures   # list of SignatureReport
    report.to_dict()    # the JSON printed by `vanthu verify --json`

For each signature: integrity, the revision it covers and what changed after it, the chain to
the trust roots (shipped in resources/trust/, the administrator's, and `extra_roots`), validity
of the certificate at signing time, revocation (OCSP/CRL) when online, from the document's own
validation data (DSS) when it has some, else "not checked — offline". Signatures are classified
as the organization's or a person's; the provincial rule asks for at least one of each."""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..i18n import tr
from . import certs as certs_mod
from .errors import PdfReadError

log = logging.getLogger("vanthu.sign.verify")

VERDICTS = ("valid", "warning", "invalid", "unsigned")

VERDICT_TEXT = {
    "valid": "Hợp lệ",
    "warning": "Hợp lệ, có cảnh báo",
    "invalid": "Không hợp lệ",
    "unsigned": "Không có chữ ký số",
}

_COVERAGE = {3: "entire_file", 2: "entire_revision", 1: "partial", 0: "unclear"}
_CHANGES = {0: "none", 1: "validation_data", 2: "form_filling", 3: "annotations", 4: "other"}


@dataclass
class SignatureReport:
    field: str
    signer_subject: str
    signer: dict                      # CertInfo.to_dict()
    kind: str                         # organization | personal
    signing_time: str | None
    signing_time_source: str          # timestamp | claimed | none
    intact: bool
    valid: bool                       # cryptographically sound
    trusted: bool
    trust_problem: str | None
    cert_valid_at_signing: bool
    revocation: str                   # good | revoked | unknown | not_checked_offline
    revocation_source: str            # online | embedded | none
    coverage: str                     # entire_file | entire_revision | partial | unclear
    revision: int                     # 1-based revision this signature covers
    total_revisions: int
    changes_after: str                # none | validation_data | form_filling | annotations | other
    timestamped: bool
    verdict: str = "valid"
    # dataclasses.field: the class's own `field` attribute (the signature field) hides the name for mypy
    problems: list = dataclasses.field(default_factory=list)   # clerk-facing, Vietnamese
    notes: list = dataclasses.field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class VerifyReport:
    path: str
    verdict: str
    signatures: list
    document_timestamps: list
    rule_org_and_personal: bool
    problems: list
    online: bool

    @property
    def verdict_text(self) -> str:
        return tr(VERDICT_TEXT[self.verdict])

    def summary(self) -> str:
        """One line for the clerk."""
        n = len(self.signatures)
        return tr("{v}: {n} chữ ký").format(v=self.verdict_text, n=n) + (
            " — " + "; ".join(self.problems) if self.problems else "")

    def to_dict(self) -> dict:
        return {"file": self.path, "verdict": self.verdict, "verdict_text": self.verdict_text,
                "online": self.online, "rule_org_and_personal": self.rule_org_and_personal,
                "problems": list(self.problems),
                "signatures": [s.to_dict() for s in self.signatures],
                "document_timestamps": list(self.document_timestamps)}


def _vc(roots, online: bool, moment=None, dss=None):
    from pyhanko_certvalidator import ValidationContext
    kw: dict[str, Any] = dict(trust_roots=list(roots), allow_fetching=online, revocation_mode="soft-fail")
    if dss is not None and not online:
        return dss.as_validation_context(kw)
    return ValidationContext(**kw)


def _iso(t) -> str | None:
    if t is None:
        return None
    from ..domain import clock
    return clock.iso(t)


def _check(sig, roots, online: bool, dss, now) -> SignatureReport:
    from pyhanko.sign.validation import validate_pdf_signature
    info = certs_mod.describe(sig.signer_cert)
    vc = _vc(roots, online, dss=dss)
    status = validate_pdf_signature(sig, signer_validation_context=vc)
    ts = status.timestamp_validity
    if ts is not None and ts.intact and ts.valid:
        when, source = ts.timestamp, "timestamp"
    elif status.signer_reported_dt is not None:
        when, source = status.signer_reported_dt, "claimed"
    else:
        when, source = None, "none"
    cert = sig.signer_cert
    at = when or now
    valid_at_signing = cert.not_valid_before <= at <= cert.not_valid_after
    problem = getattr(status.trust_problem_indic, "name", None) if status.trust_problem_indic else None
    if status.revoked:
        revocation, rsource = "revoked", "online" if online else "embedded"
    elif online:
        revocation, rsource = ("unknown" if vc.soft_fail_exceptions else "good"), "online"
    elif dss is not None and (dss.ocsps or dss.crls) and status.trusted and not vc.soft_fail_exceptions:
        revocation, rsource = "good", "embedded"
    else:
        revocation, rsource = "not_checked_offline", "none"
    level = getattr(status.modification_level, "value", None)
    cov = getattr(status.coverage, "value", 0)
    total = sig.reader.xrefs.total_revisions
    rep = SignatureReport(
        field=str(sig.field_name), signer_subject=info.subject, signer=info.to_dict(), kind=info.kind,
        signing_time=_iso(when), signing_time_source=source, intact=bool(status.intact), valid=bool(status.valid),
        trusted=bool(status.trusted), trust_problem=problem, cert_valid_at_signing=valid_at_signing,
        revocation=revocation, revocation_source=rsource, coverage=_COVERAGE.get(cov, "unclear"),
        revision=sig.signed_revision + 1, total_revisions=total,
        changes_after=_CHANGES.get(level, "other") if level is not None else (
            "none" if cov == 3 else "other"),
        timestamped=ts is not None)
    p, w = rep.problems, []
    if not rep.intact:
        p.append(tr("nội dung đã bị thay đổi sau khi ký"))
    elif not rep.valid:
        p.append(tr("chữ ký không đúng về mật mã"))
    if rep.coverage in ("partial", "unclear"):
        p.append(tr("chữ ký không bao trọn phiên bản văn bản đã ký"))
    if rep.changes_after == "other":
        p.append(tr("văn bản bị sửa sau khi ký (ngoài việc thêm chữ ký)"))
    if revocation == "revoked":
        p.append(tr("chứng thư số đã bị thu hồi"))
    if not valid_at_signing and source != "none":
        p.append(tr("chứng thư số không còn hiệu lực vào thời điểm ký"))
    if not rep.trusted and not p:
        if problem in ("EXPIRED", "OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED"):
            w.append(tr("chứng thư số đã hết hạn và không có dấu thời gian chứng minh thời điểm ký"))
        else:
            w.append(tr("chứng thư số không thuộc chuỗi tin cậy đã cấu hình"))
    if revocation == "unknown":
        w.append(tr("không kiểm tra được tình trạng thu hồi chứng thư"))
    if rep.changes_after == "annotations":
        w.append(tr("sau khi ký có thêm ghi chú (annotation)"))
    if revocation == "not_checked_offline":
        rep.notes.append(tr("chưa kiểm tra thu hồi — đang ngoại tuyến"))
    if rep.changes_after in ("validation_data", "form_filling") and rep.coverage != "entire_file":
        rep.notes.append(tr("sau chữ ký này có thêm chữ ký hoặc dữ liệu xác thực"))
    rep.verdict = "invalid" if p else ("warning" if w else "valid")
    rep.problems = p + w
    return rep


def verify_pdf(path, extra_roots=(), online: bool = False, settings_roots=(), include_shipped_roots: bool = True,
               exchange_rule: bool = True) -> VerifyReport:
    """Verify every signature of the PDF at `path`. `extra_roots`: certificate files to trust for
    this call; `online`: fetch OCSP/CRL. Raises PdfReadError when the file is not a readable PDF."""
    from pyhanko.pdf_utils.misc import PdfReadError as HankoReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    roots = certs_mod.trust_roots(extra_roots, settings_roots, include_shipped_roots)
    path = Path(path)
    try:
        f = open(path, "rb")  # noqa: SIM115 (closed by the `with f:` below)
    except OSError as exc:
        raise PdfReadError(tr("Không mở được tệp {p}.").format(p=path.name), str(exc)) from exc
    now = dt.datetime.now(dt.UTC)
    with f:
        try:
            reader = PdfFileReader(f, strict=False)
            sigs = list(reader.embedded_regular_signatures)
            doc_ts = list(reader.embedded_timestamp_signatures)
        except (HankoReadError, ValueError, KeyError, TypeError) as exc:
            raise PdfReadError(tr("Tệp {p} không phải PDF đọc được.").format(p=path.name), repr(exc)) from exc
        try:
            dss = DocumentSecurityStore.read_dss(reader)
        except Exception:  # noqa: BLE001 - no DSS
            dss = None
        reports = []
        for sig in sigs:
            try:
                reports.append(_check(sig, roots, online, dss, now))
            except Exception as exc:  # noqa: BLE001 - one broken signature must not hide the others
                log.warning("signature %s of %s could not be validated: %r", sig.field_name, path, exc)
                reports.append(_broken(sig, exc, reader))
        stamps = [_doc_timestamp(ts, roots, online, dss) for ts in doc_ts]
    kinds = {r.kind for r in reports}
    rule = "organization" in kinds and "personal" in kinds
    problems = []
    if not reports:
        verdict = "unsigned"
    else:
        verdict = "valid"
        if any(r.verdict == "invalid" for r in reports):
            verdict = "invalid"
        elif any(r.verdict == "warning" for r in reports):
            verdict = "warning"
        for r in reports:
            for msg in r.problems:
                problems.append(f"{r.signer_subject}: {msg}")
        if exchange_rule and not rule:
            problems.append(tr("văn bản liên thông cần ít nhất một chữ ký của cơ quan và một chữ ký của "
                               "người có thẩm quyền"))
            if verdict == "valid":
                verdict = "warning"
    for s in stamps:
        if not s["intact"]:
            problems.append(tr("dấu thời gian của văn bản bị hỏng"))
            verdict = "invalid"
    log.info("verified %s: %s (%d signatures)", path.name, verdict, len(reports))
    return VerifyReport(str(path), verdict, reports, stamps, rule, problems, online)


def _broken(sig, exc, reader) -> SignatureReport:
    try:
        info = certs_mod.describe(sig.signer_cert).to_dict()
        subject, kind = info["subject"], info["kind"]
    except Exception:  # noqa: BLE001
        info, subject, kind = {}, "?", "personal"
    return SignatureReport(
        field=str(getattr(sig, "field_name", "?")), signer_subject=subject, signer=info, kind=kind,
        signing_time=None, signing_time_source="none", intact=False, valid=False, trusted=False,
        trust_problem=type(exc).__name__, cert_valid_at_signing=False, revocation="unknown",
        revocation_source="none", coverage="unclear", revision=getattr(sig, "signed_revision", 0) + 1,
        total_revisions=reader.xrefs.total_revisions, changes_after="other", timestamped=False,
        verdict="invalid", problems=[tr("chữ ký bị hỏng, không kiểm tra được")])


def _doc_timestamp(ts, roots, online, dss) -> dict:
    from pyhanko.sign.validation import validate_pdf_timestamp
    try:
        st = validate_pdf_timestamp(ts, validation_context=_vc(roots, online, dss=dss))
        return {"field": str(ts.field_name), "time": _iso(st.timestamp), "intact": bool(st.intact),
                "trusted": bool(st.trusted), "revision": ts.signed_revision + 1}
    except Exception as exc:  # noqa: BLE001
        log.warning("document timestamp %s unreadable: %r", ts.field_name, exc)
        return {"field": str(ts.field_name), "time": None, "intact": False, "trusted": False,
                "revision": ts.signed_revision + 1}
