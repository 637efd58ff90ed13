"""Sign PDFs as the organization (PAdES, incremental update) with the token, in batches.

    results = sign_batch(files, "organization", pin, options=SignOptions(...),
                         progress=cb, cancelled=event.is_set)

One PIN entry per batch (kept only in this call), progress and cancellation between documents.
A pulled-out token stops the batch: finished documents are kept, the rest is left untouched.
Baseline B-B always; B-T when the time-stamp server answers; B-LT (validation data) when online;
otherwise the result records that an upgrade is pending (see app/sign/upgrade.py)."""
from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..domain import clock
from ..errors import VanthuError
from ..i18n import tr
from . import appearance, placement, safety, tokens
from .errors import CancelledError, PinError, TokenError, TokenRemovedError

log = logging.getLogger("vanthu.sign.signer")

MODES = ("organization", "attachment", "copy")
# Bytes reserved for the CMS container beyond the certificates it embeds (signature, signed
# attributes); with a time stamp, room for the token and the TSA's chain. Too small: pyhanko's
# own estimate is used for that document.
RESERVE_BB = 2048
RESERVE_TS = 10 * 1024
FIELD_PREFIX = placement.OWN_FIELD_PREFIX


@dataclass
class SignOptions:
    module: str
    token_label: str | None = None
    cert_label: str | None = None
    out_dir: Path | None = None            # default: next to each source file
    main_reference: str | None = None      # attachments: the main document's "số, ký hiệu"
    position: tuple | None = None          # (page from 1, x mm, y mm) seal centre from top-left
    seal_image: Path | None = None
    seal_diameter_mm: float = 36.0
    org_name: str = ""
    copy_form: str = "SAO Y"
    tsa_url: str | None = None
    tsa_timeout: float = 10.0
    online: bool | None = None             # None: online when the time-stamp server answers
    trust_roots: list = field(default_factory=list)   # asn1crypto certificates, for B-LT
    pin_warning_confirmed: bool = False
    reason: str | None = None
    location: str | None = None

    @classmethod
    def from_settings(cls, settings, **overrides) -> SignOptions:
        """Options from the settings (token, seal, organization, time stamp, trust roots), built
        in this one place; keyword arguments override them (None values are ignored)."""
        from . import certs
        base = dict(
            module=settings.get("token.module"), token_label=settings.get("token.label"),
            cert_label=settings.get("token.cert_label"), seal_image=settings.get("sign.seal_image"),
            seal_diameter_mm=float(settings.get("sign.seal_diameter_mm") or 36.0),
            org_name=settings.get("org.name") or "", tsa_url=settings.get("sign.tsa_url"),
            trust_roots=certs.trust_roots(settings_roots=settings.get("sign.trust_roots")))
        base.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**base)


@dataclass
class SignResult:
    source: str
    status: str                 # signed | refused | failed | cancelled | not_started
    output: str | None = None
    message: str = ""
    level: str | None = None    # B-B | B-T | B-LT
    pending_upgrade: bool = False
    sha256: str | None = None
    placement: dict | None = None
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class BatchResult:
    results: list
    stopped: str | None = None      # why the batch stopped early (clerk-facing), if it did
    certificate: dict | None = None

    @property
    def ok(self) -> bool:
        return self.stopped is None and all(r.status == "signed" for r in self.results)

    def to_dict(self) -> dict:
        return {"ok": self.ok, "stopped": self.stopped, "certificate": self.certificate,
                "results": [r.to_dict() for r in self.results]}


def output_path(source: Path, out_dir: Path | None) -> Path:
    """`<stem>.signed.pdf` next to the source (or in out_dir); never an existing file."""
    d = Path(out_dir) if out_dir else source.parent
    base = source.stem
    cand = d / f"{base}.signed.pdf"
    n = 1
    while cand.exists():
        n += 1
        cand = d / f"{base}.signed-{n}.pdf"
    return cand


def _write_new_file(data: bytes, dest: Path) -> Path:
    """Write to a temporary file, fsync, then link it under a name that does not exist yet."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".signing-", suffix=".pdf")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        while True:
            try:
                os.link(tmp, dest)
                break
            except FileExistsError:
                dest = output_path(dest.with_name(dest.name.replace(".signed", "")), dest.parent)
            except OSError:           # file systems without hard links
                if dest.exists():
                    dest = output_path(dest.with_name(dest.name.replace(".signed", "")), dest.parent)
                    continue
                os.replace(tmp, dest)
                break
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    try:
        os.chmod(dest, 0o444)
    except OSError:
        pass
    return dest


def _chain_for(cert_der: bytes, candidates) -> list:
    """Issuer chain of the signer (intermediates and root) from the token's and trusted certs."""
    from asn1crypto import x509 as ax509
    cert = ax509.Certificate.load(cert_der)
    by_subject: dict[bytes, Any] = {}
    for c in candidates:
        by_subject.setdefault(c.subject.dump(), c)
    chain, cur = [], cert
    for _ in range(8):
        if cur.self_signed in ("maybe", "yes"):
            break
        issuer = by_subject.get(cur.issuer.dump())
        if issuer is None or issuer in chain:
            break
        chain.append(issuer)
        cur = issuer
    return chain


def _timestamper(url: str, timeout: float):
    from pyhanko.sign.timestamps.aiohttp_client import HTTPTimeStamper
    return HTTPTimeStamper(url, timeout=timeout)


def tsa_reachable(url: str, timeout: float = 5.0) -> bool:
    """Ask the time-stamp server for a real token over a dummy digest."""
    import asyncio
    try:
        ts = _timestamper(url, timeout)
        asyncio.run(ts.async_dummy_response("sha256"))
        return True
    except Exception as exc:  # noqa: BLE001 - any failure means "not now"
        log.info("time-stamp server %s not reachable: %s", url, exc)
        return False


def _validation_context(trust_roots, online: bool, other_certs=()):
    from pyhanko_certvalidator import ValidationContext
    return ValidationContext(trust_roots=list(trust_roots), other_certs=list(other_certs),
                             allow_fetching=online, revocation_mode="soft-fail")


class _Session:
    """One logged-in token session and the pyhanko signer for the whole batch."""

    def __init__(self, opts: SignOptions, pin: str):
        from asn1crypto import x509 as ax509
        from pyhanko.sign.pkcs11 import PKCS11Signer
        self._busy = tokens.busy()      # before the login: no token-list refresh may close the session
        self._busy.__enter__()
        self.session = None
        try:
            self.session = tokens.login(opts.module, opts.token_label, pin, opts.pin_warning_confirmed)
            certs = tokens.list_certificates(opts.module, session=self.session)
            chosen = tokens.choose_organization_certificate(certs, opts.cert_label)
            token_certs = [ax509.Certificate.load(c.der) for c in certs]
            self.chain = _chain_for(chosen.der, token_certs + list(opts.trust_roots))
            kid = bytes.fromhex(chosen.key_id)
            self.signer = PKCS11Signer(self.session, cert_id=kid, key_id=kid, ca_chain=self.chain)
            self.cert = chosen
            self.certs_bytes = len(chosen.der) + sum(len(c.dump()) for c in self.chain)
        except BaseException:
            self.close()
            raise

    def close(self):
        try:
            if self.session is not None:
                self.session.close()
        except Exception:  # noqa: BLE001 - a pulled token cannot be closed cleanly
            pass
        if self._busy is not None:
            self._busy.__exit__(None, None, None)
            self._busy = None


def _sign_one(src: Path, mode: str, opts: SignOptions, sess: _Session, seal, timestamper, online: bool,
              field_name: str | None) -> tuple[bytes, str, dict]:
    """The signed bytes, the PAdES level reached and the placement."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko.sign.general import SigningError

    safety.check_safe_to_sign(src)
    safety.check_certification(src)
    field_name = field_name or _field_name(src)
    now = clock.now()
    if mode == "organization":
        place = placement.locate_seal(src, opts.seal_diameter_mm, opts.position)
        style, params = seal.style(), {}
    else:
        lines = appearance.text_lines(mode, opts.org_name, clock.iso(now), opts.main_reference, opts.copy_form)
        place = placement.locate_top_right(src, appearance.text_height(lines))
        style, params = appearance.text_style(), {"lines": "\n".join(lines)}
    level = "B-T" if timestamper else "B-B"
    vc = None
    if timestamper and online:
        vc = _validation_context(opts.trust_roots, True, sess.chain)
        level = "B-LT"
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES,
        reason=opts.reason, location=opts.location, name=sess.cert.info.subject,
        embed_validation_info=vc is not None, validation_context=vc)
    x1, y1, x2, y2 = (int(round(v)) for v in place.box)
    spec = fields.SigFieldSpec(sig_field_name=field_name, on_page=place.page, box=(x1, y1, x2, y2))
    pdf_signer = signers.PdfSigner(meta, sess.signer, timestamper=timestamper, stamp_style=style,
                                   new_field_spec=spec)
    # A fixed reservation skips pyhanko's trial signature for size estimation (~1/3 of the time).
    reserve = sess.certs_bytes + (RESERVE_BB if timestamper is None else RESERVE_TS)
    reserve += reserve % 2          # pyHanko wants an even number of bytes (hex digits)
    with open(src, "rb") as f:
        try:
            out = pdf_signer.sign_pdf(IncrementalPdfFileWriter(f, strict=False), bytes_reserved=reserve,
                                      appearance_text_params=params)
        except SigningError as exc:
            # the one SigningError pyHanko raises for an exhausted reservation (pdf_byterange.py)
            if "larger than expected" not in str(exc):
                raise
            log.info("signature larger than %d bytes; estimating", reserve)
            f.seek(0)
            out = pdf_signer.sign_pdf(IncrementalPdfFileWriter(f, strict=False), appearance_text_params=params)
        data = out.getvalue()
    if level == "B-LT" and not _has_revocation_data(data):
        level = "B-T"    # revocation services did not answer: the upgrade stays pending
    return data, level, place.to_dict()


def _has_revocation_data(data: bytes) -> bool:
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.dss import DocumentSecurityStore
    try:
        dss = DocumentSecurityStore.read_dss(PdfFileReader(io.BytesIO(data), strict=False))
    except Exception:  # noqa: BLE001 - no DSS at all
        return False
    return bool(dss.ocsps or dss.crls)


def _is_token_gone(exc: BaseException) -> bool:
    seen = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if type(cur).__name__ in tokens.REMOVED or isinstance(cur, TokenRemovedError):
            return True
        cur = cur.__cause__ or cur.__context__
    return False


def _network_errors() -> tuple[type[BaseException], ...]:
    """Exception types of a failed network exchange (time stamp, OCSP/CRL fetch)."""
    types: list[type[BaseException]] = [OSError]   # ConnectionError, TimeoutError, TimestampRequestError
    try:
        import aiohttp  # pyHanko's HTTP client
        types.append(aiohttp.ClientError)
    except ImportError:
        pass
    try:
        import httpx
        types.append(httpx.TransportError)
    except ImportError:
        pass
    return tuple(types)


def _is_network(exc: BaseException) -> bool:
    """Whether `exc` or one of its causes is a network failure (told by exception type)."""
    kinds = _network_errors()
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, kinds):
            return True
        cur = cur.__cause__ or cur.__context__
    return False


def _field_name(src: Path) -> str:
    import pymupdf
    with pymupdf.open(src) as doc:
        names = {w.field_name for p in doc for w in (p.widgets() or [])}
    i = 1
    while f"{FIELD_PREFIX}-ToChuc-{i}" in names:
        i += 1
    return f"{FIELD_PREFIX}-ToChuc-{i}"


def sign_batch(files, mode: str, pin: str, options: SignOptions, progress=None, cancelled=None,
               on_signed=None) -> BatchResult:
    """Sign every file; `on_signed(result)` runs after each success (e.g. to link it to the register).

    Raises before any file is touched for batch-wide problems (module, token, PIN, certificate);
    per-file problems (unsafe or unreadable PDF, no signing block) are recorded and the batch goes on."""
    if mode not in MODES:
        raise ValueError(mode)
    files = [Path(f) for f in files]
    results = [SignResult(str(f), "not_started") for f in files]
    seal = appearance.SealAppearance(appearance.load_seal(options.seal_image)) if mode == "organization" else None
    if mode == "attachment" and not options.main_reference:
        appearance.text_lines(mode, options.org_name, "", None)   # raises the clerk's message
    timestamper, online = None, False
    if options.tsa_url:
        reachable = tsa_reachable(options.tsa_url, min(options.tsa_timeout, 5.0)) if options.online is not False \
            else False
        if reachable:
            timestamper = _timestamper(options.tsa_url, options.tsa_timeout)
            online = options.online is not False
    sess = _Session(options, pin)
    del pin
    batch = BatchResult(results, certificate=sess.cert.info.to_dict())
    try:
        for i, src in enumerate(files):
            res = results[i]
            if cancelled and cancelled():
                for r in results[i:]:
                    r.status = "cancelled"
                batch.stopped = tr("Đã dừng theo yêu cầu.")
                break
            t0 = time.perf_counter()
            try:
                fname = None
                if not src.is_file():
                    raise VanthuError(tr("Không tìm thấy tệp {p}.").format(p=src))
                try:
                    data, level, place = _sign_one(src, mode, options, sess, seal, timestamper, online, fname)
                except Exception as exc:  # noqa: BLE001
                    if timestamper is None or _is_token_gone(exc) or isinstance(exc, VanthuError):
                        raise
                    signed = None
                    if online and not _is_network(exc):
                        # validation data could not be gathered (chain, revocation): B-T, upgrade later
                        log.warning("B-LT for %s failed (%r); signing B-T", src.name, exc)
                        try:
                            signed = _sign_one(src, mode, options, sess, seal, timestamper, False, fname)
                        except Exception as exc2:  # noqa: BLE001
                            if _is_token_gone(exc2) or isinstance(exc2, VanthuError) or not _is_network(exc2):
                                raise
                    if signed is None:
                        # the time-stamp server failed mid-batch: B-B for the rest, upgrade later
                        log.warning("time stamp for %s failed; signing B-B", src.name)
                        timestamper, online = None, False
                        signed = _sign_one(src, mode, options, sess, seal, None, False, fname)
                    data, level, place = signed
                dest = output_path(src, options.out_dir)
                try:
                    out = _write_new_file(data, dest)
                except OSError as exc:
                    raise VanthuError(tr("Không ghi được tệp đã ký vào thư mục {d}: {e}").format(
                        d=dest.parent, e=exc.strerror or exc), repr(exc)) from exc
                res.status, res.output, res.level, res.placement = "signed", str(out), level, place
                res.sha256 = hashlib.sha256(data).hexdigest()
                res.pending_upgrade = bool(options.tsa_url) and level != "B-LT"
                res.message = tr("Đã ký ({l}).").format(l=level)
                log.info("signed %s -> %s (%s, %s)", src.name, out.name, level, mode)
            except VanthuError as exc:
                if isinstance(exc, (TokenRemovedError, PinError)) or _is_token_gone(exc):
                    res.status, res.message = "failed", exc.message
                    batch.stopped = exc.message
                    break
                res.status, res.message = "refused", exc.message
                log.info("refused %s: %s | %s", src, exc.message, exc.detail)
            except Exception as exc:  # noqa: BLE001
                if _is_token_gone(exc):
                    err = tokens.map_pkcs11_error(_root_pkcs11(exc), options.token_label or "")
                    if not isinstance(err, TokenRemovedError):
                        err = TokenRemovedError(tr("Token đã bị rút ra hoặc không phản hồi."), repr(exc))
                    res.status, res.message = "failed", err.message
                    batch.stopped = err.message
                    log.warning("token gone while signing %s: %r", src.name, exc)
                    break
                res.status = "failed"
                res.message = tr("Không ký được {p}: {e}").format(p=src.name, e=exc)
                log.exception("signing %s failed", src)
            finally:
                res.seconds = round(time.perf_counter() - t0, 4)
            if res.status == "signed" and on_signed:
                on_signed(res)
            if progress:
                progress(i + 1, len(files))
    finally:
        sess.close()
    return batch


def _root_pkcs11(exc):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if type(exc).__module__.startswith("pkcs11"):
            return exc
        exc = exc.__cause__ or exc.__context__
    return exc


__all__ = ["MODES", "SignOptions", "SignResult", "BatchResult", "sign_batch", "tsa_reachable", "output_path",
           "CancelledError", "TokenError"]
