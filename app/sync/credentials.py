"""Server credentials (system id and shared secret), never in the settings, the database or a log.
Entries are keyed by the server address and the organization id, so that a changed server
never gets the old secret.

Where they are kept is the administrator's choice (machine settings or environment, see
docs/credentials.md):

- ``keyring`` (default): the OS keyring (Secret Service / KWallet, Windows Credential Manager,
  macOS Keychain) through the `keyring` library;
- ``cryptfile``: an encrypted file keyring (keyrings.cryptfile: AES-GCM, Argon2 key derivation)
  at ``credentials.path``, unlocked with the key read from ``credentials.key_file``;
- ``file``: a machine-wide credential file at ``credentials.path`` that only the clerk's account
  may read (owner = this account, no group/other permission bits; refused otherwise).

The environment (VANTHU_CREDENTIAL_STORE, VANTHU_CREDENTIAL_PATH, VANTHU_CREDENTIAL_KEY_FILE)
overrides the machine settings file (keys credentials.store, credentials.path, credentials.key_file)."""
from __future__ import annotations

import json
import logging
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..i18n import tr
from .errors import NotConfigured

log = logging.getLogger(__name__)
SERVICE = "vanthu"
KINDS = ("keyring", "cryptfile", "file")
DOC = "docs/credentials.md"


@dataclass(frozen=True)
class Credential:
    system_id: str
    secret: str

    def __repr__(self) -> str:  # never show the secret in logs or tracebacks
        return f"Credential(system_id={self.system_id!r}, secret=***)"


@dataclass(frozen=True)
class StoreInfo:
    """Which credential store is in use (shown by the self-test; never holds a secret)."""
    kind: str            # keyring | cryptfile | file
    backend: str         # the keyring backend class, or the file path
    path: str = ""

    @property
    def label(self) -> str:
        return {"keyring": tr("kho khóa của hệ điều hành ({b})").format(b=self.backend),
                "cryptfile": tr("tệp khóa mã hóa {p}").format(p=self.path),
                "file": tr("tệp thông tin đăng nhập riêng của tài khoản văn thư {p}").format(p=self.path),
                }.get(self.kind, self.kind)


def _user(server_url: str, org_id: str | None, what: str) -> str:
    return f"{(server_url or '').rstrip('/')}|{org_id or ''}|{what}"


def no_keyring() -> str:
    return tr("Máy này không có kho khóa của hệ điều hành (trên Linux: dịch vụ Secret Service như GNOME Keyring "
             "hoặc KWallet) nên không lưu được khóa bí mật của máy chủ liên thông. Quản trị viên cần bật kho "
             "khóa, hoặc chọn cách lưu khác: tệp khóa mã hóa (credentials.store = cryptfile) hoặc tệp riêng "
             "của tài khoản văn thư (credentials.store = file); xem hướng dẫn quản trị, mục Thông tin đăng nhập.")


# ---------------------------------------------------------------- configuration

def config() -> dict:
    """{'store', 'path', 'key_file'} from the environment, else the machine settings file."""
    machine = {}
    try:
        from ..settings import machine_settings_path
        p = machine_settings_path()
        if p.is_file():
            raw = json.loads(p.read_text(encoding="utf-8"))
            machine = raw if isinstance(raw, dict) else {}
    except (OSError, ValueError) as exc:
        log.warning("machine settings unreadable for credentials: %s", exc)
    out = {}
    for key in ("store", "path", "key_file"):
        v = os.environ.get(f"VANTHU_CREDENTIAL_{key.upper()}") or machine.get(f"credentials.{key}")
        out[key] = v if isinstance(v, str) and v.strip() else None
    out["store"] = (out["store"] or "keyring").strip().lower()
    if out["store"] not in KINDS:
        raise NotConfigured(tr("Cách lưu thông tin đăng nhập «{v}» không hợp lệ (keyring, cryptfile hoặc file); "
                               "hãy báo quản trị viên.").format(v=out["store"]), "credentials.store")
    return out


# ---------------------------------------------------------------- stores

class ClerkFile:
    """A JSON credential file readable only by this account. Same methods as a keyring backend."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def _check(self) -> None:
        if os.name != "posix":          # Windows: the administrator sets the file's ACL (docs)
            return
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return
        problems = []
        if st.st_uid != os.getuid():
            problems.append(tr("chủ sở hữu không phải tài khoản này"))
        if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            problems.append(tr("người khác đọc hoặc ghi được (quyền {m:o})").format(m=stat.S_IMODE(st.st_mode)))
        if problems:
            raise NotConfigured(
                tr("Tệp thông tin đăng nhập {p} không an toàn: {w}. Quản trị viên cần đặt chủ sở hữu là tài "
                   "khoản văn thư và quyền 600.").format(p=self.path, w="; ".join(problems)),
                f"{self.path}: uid {st.st_uid} mode {stat.S_IMODE(st.st_mode):o}")

    def _read(self) -> dict:
        self._check()
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise NotConfigured(tr("Không đọc được tệp thông tin đăng nhập {p}; hãy báo quản trị viên.").format(
                p=self.path), f"{type(exc).__name__}: {exc}") from None
        return data if isinstance(data, dict) else {}

    def _write(self, data: dict) -> None:
        self._check()
        if not self.path.parent.is_dir():
            raise NotConfigured(tr("Không có thư mục {d} cho tệp thông tin đăng nhập; hãy báo quản trị viên.").format(
                d=self.path.parent), "missing directory")
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".credentials-")
        try:
            os.chmod(tmp, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except OSError as exc:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise NotConfigured(tr("Không ghi được tệp thông tin đăng nhập {p}: {e}").format(
                p=self.path, e=exc.strerror or exc), str(exc)) from None

    def get_password(self, service, username):
        return self._read().get(service, {}).get(username)

    def set_password(self, service, username, password):
        data = self._read()
        data.setdefault(service, {})[username] = password
        self._write(data)

    def delete_password(self, service, username):
        from keyring.errors import PasswordDeleteError
        data = self._read()
        if username not in data.get(service, {}):
            raise PasswordDeleteError(username)
        del data[service][username]
        self._write(data)


def _default_path(name: str) -> Path:
    import platformdirs
    return Path(platformdirs.user_data_dir("vanthu", appauthor=False)) / name


def _cryptfile(cfg: dict):
    try:
        from keyrings.cryptfile.cryptfile import CryptFileKeyring
    except ImportError as exc:
        raise NotConfigured(tr("Chưa cài gói keyrings.cryptfile cho tệp khóa mã hóa; hãy báo quản trị viên."),
                            str(exc)) from None
    key_file = cfg.get("key_file")
    if not key_file:
        raise NotConfigured(tr("Tệp khóa mã hóa cần tệp mật khẩu mở khóa (credentials.key_file); "
                               "hãy báo quản trị viên."), "credentials.key_file not set")
    try:
        ClerkFile(Path(key_file))._check()
        key = Path(key_file).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise NotConfigured(tr("Không đọc được tệp mật khẩu mở khóa {p}; hãy báo quản trị viên.").format(p=key_file),
                            str(exc)) from None
    if not key:
        raise NotConfigured(tr("Tệp mật khẩu mở khóa {p} rỗng; hãy báo quản trị viên.").format(p=key_file))
    kr = CryptFileKeyring()
    kr.file_path = str(cfg.get("path") or _default_path("credentials.cfg"))
    try:
        kr.keyring_key = key
    except ValueError as exc:       # wrong key for an existing file
        raise NotConfigured(tr("Mật khẩu mở khóa không mở được tệp khóa mã hóa {p}; hãy báo quản trị viên.").format(
            p=kr.file_path), f"{type(exc).__name__}") from None
    except OSError as exc:
        raise NotConfigured(tr("Không dùng được tệp khóa mã hóa {p}: {e}").format(
            p=kr.file_path, e=exc.strerror or exc), str(exc)) from None
    return kr, StoreInfo("cryptfile", "keyrings.cryptfile.CryptFileKeyring", kr.file_path)


def _os_keyring():
    try:
        import keyring
        backend = keyring.get_keyring()
    except Exception as exc:  # noqa: BLE001 - a configured backend that cannot load (ImportError, ...)
        raise NotConfigured(no_keyring(), f"keyring backend failed to load: {type(exc).__name__}: {exc}") from None
    if hasattr(backend, "backends"):          # keyring's chainer: the OS backends it found, best first
        found = [b for b in backend.backends if not _file_backend(b)]
        backend = found[0] if found else None
    elif _file_backend(backend):
        backend = None
    if backend is None or type(backend).__module__ in ("keyring.backends.fail", "keyring.backends.null"):
        raise NotConfigured(no_keyring(), "no OS keyring backend")
    return backend, StoreInfo("keyring", f"{type(backend).__module__}.{type(backend).__name__}")


def _file_backend(backend) -> bool:
    """The file keyrings that installing keyrings.cryptfile (or keyrings.alt) adds to keyring's
    automatic choice: they would ask for a password on the terminal. They are used only when the
    administrator chooses credentials.store = cryptfile."""
    return type(backend).__module__.startswith(("keyrings.cryptfile", "keyrings.alt"))


def backend():
    """(the store, StoreInfo) chosen by the administrator. Raises NotConfigured when unusable."""
    cfg = config()
    if cfg["store"] == "file":
        path = Path(cfg["path"]) if cfg["path"] else _default_path("credentials.json")
        return ClerkFile(path), StoreInfo("file", "ClerkFile", str(path))
    if cfg["store"] == "cryptfile":
        return _cryptfile(cfg)
    return _os_keyring()


def describe() -> StoreInfo:
    """Which store is in use (raises NotConfigured with the clerk's explanation when none)."""
    return backend()[1]


def _failed(exc: Exception, info: StoreInfo, doing: str) -> NotConfigured:
    if isinstance(exc, NotConfigured):
        return exc
    if info.kind == "keyring":
        return NotConfigured(no_keyring(), f"{doing} in {info.backend}: {type(exc).__name__}")
    return NotConfigured(tr("Không dùng được {s}; hãy báo quản trị viên.").format(s=info.label),
                         f"{doing}: {type(exc).__name__}")


def save(server_url: str, system_id: str, secret: str, org_id: str | None = None) -> StoreInfo:
    if not server_url:
        raise NotConfigured(tr("Chưa đặt địa chỉ máy chủ: vanthu config set server.url URL."))
    if not system_id or not secret:
        raise NotConfigured(tr("Cần mã hệ thống và khóa bí mật."))
    kr, info = backend()
    try:
        kr.set_password(SERVICE, _user(server_url, org_id, "system_id"), system_id)
        kr.set_password(SERVICE, _user(server_url, org_id, "secret"), secret)
    except Exception as exc:  # noqa: BLE001 - KeyringError, D-Bus errors, OSError: all end the same way
        raise _failed(exc, info, "store") from None
    log.info("credential stored in %s for %s (system id %s)", info.kind, server_url, system_id)
    return info


def load(server_url: str, org_id: str | None = None) -> Credential:
    kr, info = backend()
    try:
        system_id = kr.get_password(SERVICE, _user(server_url, org_id, "system_id"))
        secret = kr.get_password(SERVICE, _user(server_url, org_id, "secret"))
    except Exception as exc:  # noqa: BLE001
        raise _failed(exc, info, "read") from None
    if not system_id or not secret:
        raise NotConfigured(tr("Chưa đăng nhập máy chủ liên thông: chạy vanthu login."),
                            f"no credential for {server_url}")
    return Credential(system_id, secret)


def forget(server_url: str, org_id: str | None = None) -> None:
    from keyring.errors import PasswordDeleteError
    kr, info = backend()
    for what in ("system_id", "secret"):
        try:
            kr.delete_password(SERVICE, _user(server_url, org_id, what))
        except PasswordDeleteError:
            pass
        except Exception as exc:  # noqa: BLE001
            raise _failed(exc, info, "delete") from None
