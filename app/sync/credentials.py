"""Server credentials (system id and shared secret) in the OS keyring, never on disk here.
Entries are keyed by the server address and the organization id, so that a changed server
never gets the old secret."""
import logging
from dataclasses import dataclass

from ..i18n import tr
from .errors import NotConfigured

log = logging.getLogger(__name__)
SERVICE = "vanthu"


@dataclass(frozen=True)
class Credential:
    system_id: str
    secret: str

    def __repr__(self) -> str:  # never show the secret in logs or tracebacks
        return f"Credential(system_id={self.system_id!r}, secret=***)"


def _user(server_url: str, org_id: str | None, what: str) -> str:
    return f"{(server_url or '').rstrip('/')}|{org_id or ''}|{what}"


def _keyring():
    import keyring
    return keyring


def save(server_url: str, system_id: str, secret: str, org_id: str | None = None) -> None:
    from keyring.errors import KeyringError
    if not server_url:
        raise NotConfigured(tr("Chưa đặt địa chỉ máy chủ: vanthu config set server.url URL."))
    if not system_id or not secret:
        raise NotConfigured(tr("Cần mã hệ thống và khóa bí mật."))
    try:
        kr = _keyring()
        kr.set_password(SERVICE, _user(server_url, org_id, "system_id"), system_id)
        kr.set_password(SERVICE, _user(server_url, org_id, "secret"), secret)
    except KeyringError as exc:
        raise NotConfigured(tr("Không có kho khóa của hệ điều hành để lưu mật khẩu; hãy báo quản trị viên."),
                            type(exc).__name__)
    log.info("credential stored in keyring for %s (system id %s)", server_url, system_id)


def load(server_url: str, org_id: str | None = None) -> Credential:
    from keyring.errors import KeyringError
    try:
        kr = _keyring()
        system_id = kr.get_password(SERVICE, _user(server_url, org_id, "system_id"))
        secret = kr.get_password(SERVICE, _user(server_url, org_id, "secret"))
    except KeyringError as exc:
        raise NotConfigured(tr("Không đọc được kho khóa của hệ điều hành; hãy báo quản trị viên."),
                            type(exc).__name__)
    if not system_id or not secret:
        raise NotConfigured(tr("Chưa đăng nhập máy chủ liên thông: chạy vanthu login."),
                            f"no credential for {server_url}")
    return Credential(system_id, secret)


def forget(server_url: str, org_id: str | None = None) -> None:
    from keyring.errors import PasswordDeleteError
    kr = _keyring()
    for what in ("system_id", "secret"):
        try:
            kr.delete_password(SERVICE, _user(server_url, org_id, what))
        except PasswordDeleteError:
            pass
