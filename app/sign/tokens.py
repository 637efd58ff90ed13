"""Tokens through PKCS#11: list tokens and their certificates, read the PIN flags, log in.

The PIN is passed in by the caller for one batch and never stored or logged here."""
from __future__ import annotations

import contextlib
import logging
import threading
from dataclasses import asdict, dataclass, field

from ..i18n import tr
from . import modules
from .certs import CertInfo, describe
from .errors import (
    CertificateNotFoundError,
    PinError,
    PinLockedError,
    PinWarningError,
    TokenError,
    TokenNotFoundError,
    TokenRemovedError,
)

log = logging.getLogger("vanthu.sign.tokens")

# python-pkcs11 exception names meaning "the token is gone"
REMOVED = ("TokenNotPresent", "DeviceRemoved", "SessionClosed", "SessionHandleInvalid", "TokenNotRecognised",
           "DeviceError", "SlotIDInvalid")


@dataclass
class TokenInfo:
    label: str
    serial: str
    manufacturer: str
    model: str
    slot: int
    flags: list = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class PinStatus:
    count_low: bool = False
    final_try: bool = False
    locked: bool = False

    @property
    def needs_confirmation(self) -> bool:
        return self.count_low or self.final_try


def _flag_names(flags) -> list[str]:
    from pkcs11.constants import TokenFlag
    return [f.name for f in TokenFlag if f.name and f.value and flags & f.value]


# python-pkcs11 initializes modules with C_Initialize(NULL): the module may assume it is never
# called from two threads at once (SoftHSM then crashes). So:
# - one lock around every call that may (re-)initialize a module or walk its slots: loading,
#   the refresh (C_Finalize + C_Initialize), listing, finding a token, the PIN flags, the login;
# - a session is used by ONE thread at a time, inside busy(): meanwhile another thread's listing
#   returns the last list seen without calling the module, and nothing re-initializes it;
# - `_busy` and `_owner` are only read or written under the lock.
_module_lock = threading.RLock()
_idle = threading.Condition(_module_lock)
_busy_lock = _module_lock      # the old name, kept for callers
_busy = 0                      # busy() depth of the owning thread
_owner: int | None = None      # the thread using the token now
_last: dict[str, list] = {}    # module -> the last token list read
BUSY_WAIT = 20.0               # seconds another thread waits for the token before giving up


def _busy_error() -> TokenError:
    return TokenError(tr("Token đang được dùng để ký; hãy đợi xong rồi thử lại."), "token busy in another thread")


def _wait_turn(wait: float = BUSY_WAIT) -> None:
    """Under the lock: wait until no other thread is using the token."""
    me = threading.get_ident()
    if not _idle.wait_for(lambda: _owner in (None, me), timeout=wait):
        raise _busy_error()


@contextlib.contextmanager
def busy(wait: float = BUSY_WAIT):
    """Held by the thread that logs in and signs (enter it BEFORE logging in): no other thread
    calls the module meanwhile, and a token listing (the status bar's, every few seconds) never
    re-initializes the module under the batch. Waits up to `wait` s for another thread's turn."""
    global _busy, _owner
    with _idle:
        _wait_turn(wait)
        _owner = threading.get_ident()
        _busy += 1
    try:
        yield
    finally:
        with _idle:
            _busy -= 1
            if _busy == 0:
                _owner = None
                _idle.notify_all()


def is_busy() -> bool:
    with _module_lock:
        return _busy > 0


def _used_elsewhere() -> bool:
    return _owner is not None and _owner != threading.get_ident()


def _refresh(lib) -> None:
    """SoftHSM and some drivers list tokens only at C_Initialize: re-initialize (under the lock)
    when no session is open or being opened."""
    with _module_lock:
        if _busy:
            log.debug("module busy: token list not refreshed")
            return
        try:
            lib.reinitialize()
        except Exception as exc:  # noqa: BLE001 - sessions may be open elsewhere; the old list stays
            log.debug("reinitialize refused: %s", exc)


def list_tokens(module: str, refresh: bool = False) -> list[TokenInfo]:
    """Initialized tokens present in the module's slots (SoftHSM's empty spare slot is skipped).
    While another thread signs, the last list read (the module is not called)."""
    from pkcs11.constants import TokenFlag
    with _module_lock:
        if _used_elsewhere() and module in _last:
            return list(_last[module])
        _wait_turn()
        lib = modules.load(module)     # pkcs11.lib() may C_Initialize: never during a re-initialization
        if refresh:
            _refresh(lib)
        out = []
        try:
            for slot in lib.get_slots(token_present=True):
                tok = slot.get_token()
                if not tok.flags & TokenFlag.TOKEN_INITIALIZED:
                    continue
                out.append(TokenInfo(tok.label.strip(), tok.serial.decode(errors="replace").strip()
                                     if isinstance(tok.serial, bytes) else str(tok.serial).strip(),
                                     tok.manufacturer_id.strip(), tok.model.strip(), slot.slot_id,
                                     _flag_names(tok.flags)))
        except Exception as exc:  # noqa: BLE001
            raise TokenError(tr("Không đọc được danh sách token: {e}").format(e=exc), repr(exc)) from exc
        _last[module] = list(out)
    return out


def find_token(module: str, label: str | None = None):
    """The pkcs11 Token with this label (or the only token present)."""
    with _module_lock:
        _wait_turn()
        return _find_token(module, label)


def _find_token(module: str, label: str | None = None):
    toks = list_tokens(module)
    if not toks:
        toks = list_tokens(module, refresh=True)
    if label:
        match = [t for t in toks if t.label == label]
        if not match:
            toks = list_tokens(module, refresh=True)
            match = [t for t in toks if t.label == label]
        if not match:
            raise TokenNotFoundError(
                tr("Không thấy token «{l}». Hãy cắm token vào máy và thử lại.").format(l=label),
                f"no token labelled {label!r} in {module}; present: {[t.label for t in toks]}")
        info = match[0]
    elif len(toks) == 1:
        info = toks[0]
    elif not toks:
        raise TokenNotFoundError(tr("Không thấy token nào. Hãy cắm token vào máy và thử lại."), f"module {module}")
    else:
        raise TokenNotFoundError(tr("Có nhiều token: hãy chọn một ({l}).").format(l=", ".join(t.label for t in toks)))
    lib = modules.load(module)     # under the lock (find_token)
    for slot in lib.get_slots(token_present=True):
        if slot.slot_id == info.slot:
            return slot.get_token()
    raise TokenRemovedError(tr("Token «{l}» vừa bị rút ra.").format(l=info.label))


def read_pin_status(token) -> PinStatus:
    """Fresh token info (C_GetTokenInfo): the flags change after each login attempt."""
    from pkcs11.constants import TokenFlag
    flags = token.slot.get_token().flags
    return PinStatus(count_low=bool(flags & TokenFlag.USER_PIN_COUNT_LOW),
                     final_try=bool(flags & TokenFlag.USER_PIN_FINAL_TRY),
                     locked=bool(flags & TokenFlag.USER_PIN_LOCKED))


# Replaceable for tests: SoftHSM never sets FINAL_TRY or LOCKED.
pin_status_reader = read_pin_status


def check_pin_status(status: PinStatus, confirmed: bool = False) -> None:
    if status.locked:
        raise PinLockedError(tr("Mã PIN của token đã bị khóa do nhập sai nhiều lần. Không thử thêm. "
                                "Hãy liên hệ đơn vị cấp chứng thư số để mở khóa."), "USER_PIN_LOCKED")
    if status.final_try and not confirmed:
        raise PinWarningError(tr("Đây là lần nhập PIN cuối cùng: nếu sai, token sẽ bị khóa. "
                                 "Hãy xác nhận trước khi thử."), "USER_PIN_FINAL_TRY", status)
    if status.count_low and not confirmed:
        raise PinWarningError(tr("Token báo đã nhập sai PIN nhiều lần, số lần thử còn lại ít. "
                                 "Hãy xác nhận trước khi thử."), "USER_PIN_COUNT_LOW", status)


def map_pkcs11_error(exc: BaseException, label: str = "") -> TokenError:
    name = type(exc).__name__
    if name == "PinIncorrect":
        return PinError(tr("Mã PIN không đúng."), name)
    if name == "PinLocked":
        return PinLockedError(tr("Mã PIN của token đã bị khóa. Hãy liên hệ đơn vị cấp chứng thư số."), name)
    if name in ("PinLenRange", "PinInvalid"):
        return PinError(tr("Mã PIN không đúng định dạng (độ dài)."), name)
    if name in REMOVED:
        return TokenRemovedError(tr("Token «{l}» đã bị rút ra hoặc không phản hồi.").format(l=label), name)
    return TokenError(tr("Lỗi token: {e}").format(e=name), repr(exc))


def pin_status(module: str, token_label: str | None = None) -> PinStatus:
    """The token's PIN flags now (ask before prompting for the PIN)."""
    from pkcs11.exceptions import PKCS11Error
    with _module_lock:
        token = find_token(module, token_label)
        try:
            return pin_status_reader(token)
        except PKCS11Error as exc:
            raise map_pkcs11_error(exc, token_label or "") from exc


def login(module: str, token_label: str | None, pin: str, confirmed: bool = False):
    """Open a session logged in as the user. Reads the PIN flags first; never logs the PIN."""
    from pkcs11.exceptions import PKCS11Error
    with _module_lock:     # no re-initialization between finding the token and opening the session
        token = find_token(module, token_label)
        try:
            status = pin_status_reader(token)
        except PKCS11Error as exc:
            raise map_pkcs11_error(exc, token_label or "") from exc
        check_pin_status(status, confirmed)
        try:
            session = token.open(user_pin=pin)
        except PKCS11Error as exc:
            err = map_pkcs11_error(exc, token.label)
            log.info("login to token %r failed: %s", token.label, type(exc).__name__)
            raise err from None   # no traceback chaining: frames may hold the PIN
    if not is_busy():
        log.warning("token session opened outside busy(): a token list refresh may close it")
    log.info("logged in to token %r", token.label)
    return session


@dataclass
class TokenCertificate:
    label: str
    key_id: str
    has_private_key: bool | None     # None: unknown before login (private keys are private objects)
    info: CertInfo
    der: bytes = field(repr=False, default=b"")

    def to_dict(self) -> dict:
        d = asdict(self.info)
        d.update(label=self.label, key_id=self.key_id, has_private_key=self.has_private_key)
        return d


def list_certificates(module: str, token_label: str | None = None, session=None) -> list[TokenCertificate]:
    """Certificates on the token (public objects: no PIN needed), with whether a private key
    with the same ID sits beside them."""
    if session is None:
        with busy():
            return _list_certificates(module, token_label)
    return _certificates(session, token_label)


def _list_certificates(module: str, token_label: str | None) -> list[TokenCertificate]:
    from pkcs11.exceptions import PKCS11Error
    with _module_lock:
        token = find_token(module, token_label)
        try:
            session = token.open()
        except PKCS11Error as exc:
            raise map_pkcs11_error(exc, token_label or "") from exc
    try:
        return _certificates(session, token_label)
    finally:
        session.close()


def _certificates(session, token_label: str | None) -> list[TokenCertificate]:
    from pkcs11 import Attribute, ObjectClass
    from pkcs11.exceptions import PKCS11Error
    try:
        key_ids = set()
        try:
            for k in session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY}):
                key_ids.add(bytes(k[Attribute.ID]))
        except PKCS11Error:
            pass
        out = []
        for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
            der = bytes(obj[Attribute.VALUE])
            kid = bytes(obj[Attribute.ID])
            info = describe(der)
            has_key = (kid in key_ids) if key_ids else None
            out.append(TokenCertificate(obj[Attribute.LABEL], kid.hex(), has_key, info, der))
        return out
    except PKCS11Error as exc:
        raise map_pkcs11_error(exc, token_label or "") from exc


def choose_organization_certificate(certs: list[TokenCertificate], label: str | None = None,
                                    now=None) -> TokenCertificate:
    """The certificate labelled `label`, else the only valid organization certificate."""
    import datetime as dt
    if label:
        for c in certs:
            if c.label == label:
                return c
        raise CertificateNotFoundError(tr("Trên token không có chứng thư «{l}».").format(l=label),
                                       f"labels: {[c.label for c in certs]}")
    now = now or dt.datetime.now(dt.UTC)
    orgs = [c for c in certs if c.info.kind == "organization" and c.info.valid_at(now)]
    if len(orgs) == 1:
        return orgs[0]
    if not orgs:
        raise CertificateNotFoundError(tr("Trên token không có chứng thư số còn hạn của cơ quan."))
    raise CertificateNotFoundError(tr("Token có nhiều chứng thư của cơ quan: hãy chọn một ({l}).").format(
        l=", ".join(c.label for c in orgs)))
