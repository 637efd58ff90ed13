"""One interface to the exchange platform; one adapter per dialect (vxp first). Add a dialect by
writing a Transport subclass and naming it in DIALECTS: nothing else changes.

The platform (server.url) is called only for its own endpoints. The register mirror, restore and
clock of this program go to the provincial server (provincial.url), which is optional:
open_provincial() returns None when none is configured."""
import importlib
from abc import ABC, abstractmethod
from dataclasses import dataclass

from ..i18n import tr
from .errors import NotConfigured


@dataclass
class Received:
    doc_id: str            # the hub's id of the delivery
    sender: str            # organization id
    messagetype: str       # 'edoc' or 'status'
    created: str = ""


class Transport(ABC):
    """Calls raise OfflineError (retry later), ServerRefused / ConflictError (for good), AuthError."""

    @abstractmethod
    def send(self, path, *, key: str, to: list[str], messagetype: str = "edoc") -> str:
        """Send a package file; `key` is the idempotency key (a resend returns the same id)."""

    @abstractmethod
    def list_received(self) -> list[Received]:
        ...

    @abstractmethod
    def fetch(self, doc_id: str, dest, max_bytes: int) -> None:
        """Write the package bytes to the binary file object `dest`."""

    @abstractmethod
    def acknowledge(self, doc_id: str, ok: bool = True) -> None:
        ...

    @abstractmethod
    def agencies(self) -> list[dict]:
        ...

    def sent_list(self) -> list[dict]:
        """Per-recipient delivery state of what we sent (dialects without it: empty)."""
        return []

    def count_received(self) -> int:
        """A cheap call that tells whether the platform answers (and its clock)."""
        return len(self.list_received())

    @property
    @abstractmethod
    def http(self):
        """The HttpClient (clock skew, register mirror calls)."""

    def close(self) -> None:
        self.http.close()


DIALECTS = {"vxp": "app.sync.vxp:VxpTransport"}


def make_transport(settings, credential, workstation: str | None = None) -> Transport:
    from .http import HttpClient
    url, dialect = settings.get("server.url"), settings.get("server.dialect") or "vxp"
    if not url:
        raise NotConfigured(tr("Chưa đặt địa chỉ máy chủ: vanthu config set server.url URL."))
    if not settings.get("org.id"):
        raise NotConfigured(tr("Chưa đặt mã định danh cơ quan: vanthu config set org.id 000.00.00.H53."))
    if dialect not in DIALECTS:
        raise NotConfigured(tr("Giao thức trục «{d}» chưa được hỗ trợ; các giao thức có: {all}.").format(
            d=dialect, all=", ".join(DIALECTS)))
    # the platform never gets our workstation id: the SDK sends no such header
    http = HttpClient(url, credential, settings.get("org.id"), timeout=settings.get("server.timeout") or 30.0,
                      ca_bundle=settings.get("server.ca_bundle"))
    module, _, cls = DIALECTS[dialect].partition(":")
    return getattr(importlib.import_module(module), cls)(http, date_format=settings.get("server.date_format"))


def open_transport(settings, workstation: str | None = None) -> Transport:
    """The configured transport with the credential from the keyring (settings checked first)."""
    from . import credentials
    if not settings.get("server.url"):
        raise NotConfigured(tr("Chưa đặt địa chỉ máy chủ: vanthu config set server.url URL."))
    if not settings.get("org.id"):
        raise NotConfigured(tr("Chưa đặt mã định danh cơ quan: vanthu config set org.id 000.00.00.H53."))
    cred = credentials.load(settings.get("server.url"), settings.get("org.id"))
    return make_transport(settings, cred, workstation=workstation)


def open_provincial(settings, workstation: str | None = None, credential=None):
    """A MirrorClient for the provincial server (register mirror, restore, clock), or None when
    provincial.url is not set. Its credential is its own keyring entry (vanthu login --provincial)."""
    from . import credentials
    from .http import HttpClient
    from .mirror import MirrorClient
    url = settings.get("provincial.url")
    if not url:
        return None
    if not settings.get("org.id"):
        raise NotConfigured(tr("Chưa đặt mã định danh cơ quan: vanthu config set org.id 000.00.00.H53."))
    cred = credential or credentials.load(url, settings.get("org.id"))
    http = HttpClient(url, cred, settings.get("org.id"), timeout=settings.get("server.timeout") or 30.0,
                      ca_bundle=settings.get("provincial.ca_bundle") or settings.get("server.ca_bundle"),
                      workstation=workstation)
    return MirrorClient(http)


def require_provincial(settings, workstation: str | None = None):
    """open_provincial() or a clear NotConfigured for actions that need the provincial server."""
    mirror = open_provincial(settings, workstation)
    if mirror is None:
        raise NotConfigured(tr("Chưa đặt máy chủ tỉnh: vanthu config set provincial.url URL "
                               "rồi vanthu login --provincial."))
    return mirror
