"""Self-test: is this workstation ready? One plain list of checks, shared by `vanthu self-test`
and the GUI's Help menu (no Qt here).

Each check returns OK, a warning (the clerk can work, something is missing or offline) or an
error (a part of the work cannot be done until someone fixes it). Checks that touch foreign code
that may hang or crash (a PKCS#11 module, the SANE backends) run in a child process with a
timeout. Nothing secret is printed or logged: URLs lose their user-info, the keyring probe uses
a random throw-away value.

    report = run_checks(data_dir)          # or run_checks(data_dir, settings=..., only=["tesseract"])
    print(report.to_text()); report.exit_code; report.to_dict()
"""
from __future__ import annotations

import json
import logging
import os
import platform
import shutil
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .i18n import tr

if TYPE_CHECKING:
    from .errors import VanthuError

log = logging.getLogger("vanthu.selftest")

OK, WARNING, ERROR = "ok", "warning", "error"
_RANK = {OK: 0, WARNING: 1, ERROR: 2}
CHILD_FLAG = "--selftest-child"     # first argument of the frozen executables' child mode

# Characters every shipped font must have (Vietnamese letters with stacked marks, đ/Đ).
VIETNAMESE_SAMPLE = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập Tự do Hạnh phúc "
                     "Quyết định Ủy ban nhân dân ắằẳẵặấầẩẫậếềểễệốồổỗộớờởỡợứừửữựỳỹỵỷđĐ")
OCR_SAMPLE = "Quyết định số 05 về việc"
REQUIRED_FONTS = ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", "LiberationSerif-Italic.ttf",
                  "LiberationSerif-BoldItalic.ttf", "VanthuSerif-Regular.ttf")


def status_label(status: str) -> str:
    return {OK: "OK", WARNING: tr("CẢNH BÁO"), ERROR: tr("LỖI")}[status]


@dataclass
class CheckResult:
    id: str
    title: str
    status: str
    message: str
    details: dict = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def label(self) -> str:
        return status_label(self.status)

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "status": self.status, "label": self.label,
                "message": self.message, "details": self.details, "seconds": round(self.seconds, 3)}


class SettingsReader(Protocol):
    def get(self, key: str) -> Any: ...


@dataclass
class Context:
    data_dir: Path
    settings: SettingsReader    # app.settings.Settings, or _Defaults when the files are unreadable
    settings_error: VanthuError | None = None
    timeout: float = 10.0       # network timeout (seconds)
    child_timeout: float = 30.0  # PKCS#11 module / SANE probes (seconds)


@dataclass(frozen=True)
class Check:
    id: str
    title: str
    func: Callable[[Context], CheckResult]


def _result(status: str, message: str, **details) -> CheckResult:
    return CheckResult("", "", status, message, details)


class _Defaults:
    """Stands in for Settings when the settings files cannot be read: every key at its default."""

    def __init__(self):
        from .settings import KEYS
        self.machine, self.user, self.locked = {}, {}, set()
        self._keys = KEYS

    def get(self, key: str) -> Any:
        return self._keys[key][1]


def redact_url(url: str | None) -> str:
    """Drop user:password@ from a URL before showing or logging it."""
    if not url:
        return ""
    from urllib.parse import urlsplit, urlunsplit
    try:
        p = urlsplit(url)
    except ValueError:
        return "<?>"
    if p.username or p.password:
        host = p.hostname or ""
        if p.port:
            host += f":{p.port}"
        p = p._replace(netloc=host)
    return urlunsplit(p)


# ---------------------------------------------------------------- child processes

def child_command(kind: str, *args: str) -> list[str]:
    """The command that runs `child_main([kind, *args])` in a fresh process (source or frozen)."""
    if getattr(sys, "frozen", False):
        exe = Path(sys.executable)
        if sys.platform == "win32":     # from vanthu-gui.exe (windowed) use the console sibling
            console = exe.with_name("vanthu.exe")
            exe = console if console.is_file() else exe
        return [str(exe), CHILD_FLAG, kind, *args]
    return [sys.executable, "-m", "app.selftest", kind, *args]


def run_child(kind: str, *args: str, timeout: float = 30.0) -> dict:
    """Run a probe in a child process; {"ok": False, "message": ...} when it fails, hangs or crashes."""
    from .resources import bundle_dir
    kw: dict[str, Any] = {}
    if sys.platform == "win32":
        kw["creationflags"] = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    env = dict(os.environ)
    if not getattr(sys, "frozen", False):
        root = str(bundle_dir())
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    try:
        cp = subprocess.run(child_command(kind, *args), capture_output=True, text=True, encoding="utf-8",
                            errors="replace", timeout=timeout, env=env, stdin=subprocess.DEVNULL, **kw)
    except subprocess.TimeoutExpired:
        return {"ok": False, "timeout": True,
                "message": tr("không trả lời sau {s} giây").format(s=int(timeout))}
    except OSError as exc:
        return {"ok": False, "message": tr("không chạy được tiến trình kiểm tra: {e}").format(e=exc)}
    for line in reversed(cp.stdout.strip().splitlines()):
        try:
            return json.loads(line)
        except ValueError:
            continue
    log.warning("self-test child %s %s ended with code %s: %s", kind, args, cp.returncode, cp.stderr[-500:])
    return {"ok": False, "crashed": True,
            "message": tr("tiến trình kiểm tra bị dừng đột ngột (mã {c})").format(c=cp.returncode)}


def _child_pkcs11(path: str) -> dict:
    from pkcs11.constants import TokenFlag

    from .sign import modules
    lib = modules.load(path)
    slots = lib.get_slots()
    tokens = []
    for slot in lib.get_slots(token_present=True):
        tok = slot.get_token()
        if tok.flags & TokenFlag.TOKEN_INITIALIZED:
            tokens.append(tok.label.strip())
    library = f"{lib.manufacturer_id} {lib.library_description}".strip()
    return {"ok": True, "library": library, "slots": len(slots), "tokens": tokens}


def _child_sane() -> dict:
    try:
        import sane
    except ImportError as exc:
        return {"ok": False, "import_error": True, "message": str(exc)}
    version = sane.init()
    try:
        devices = [list(d) for d in sane.get_devices()]
    finally:
        sane.exit()
    return {"ok": True, "version": ".".join(str(x) for x in version[1:]) if version else "", "devices": devices}


def child_main(argv: list[str]) -> int:
    """Entry of the child processes: prints one JSON line. Never raises."""
    try:
        if argv[:1] == ["pkcs11"] and len(argv) == 2:
            d = _child_pkcs11(argv[1])
        elif argv[:1] == ["sane"]:
            d = _child_sane()
        else:
            d = {"ok": False, "message": f"unknown child {argv!r}"}
    except Exception as exc:  # noqa: BLE001 - reported to the parent, never raised
        d = {"ok": False, "message": getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"}
    sys.stdout.write(json.dumps(d, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 0


# ---------------------------------------------------------------- the checks

def check_settings(ctx: Context) -> CheckResult:
    from .settings import KEYS, SETTINGS_FILE, machine_settings_path
    path = machine_settings_path()
    details: dict[str, Any] = {"machine_file": str(path), "user_file": str(Path(ctx.data_dir) / SETTINGS_FILE)}
    if ctx.settings_error is not None:
        return _result(ERROR, ctx.settings_error.message, **details)
    s = ctx.settings
    problems, warnings = [], []
    raw = {}
    if path.is_file():
        raw = json.loads(path.read_text(encoding="utf-8"))  # parsed once already by Settings
        if not isinstance(raw, dict):
            return _result(ERROR, tr("Tệp thiết lập chung {p} không phải một đối tượng JSON.").format(p=path),
                           **details)
        locked = raw.get("locked", [])
        if not isinstance(locked, list):
            problems.append(tr("«locked» phải là một danh sách tên thiết lập"))
            locked = []
        unknown = sorted(k for k in raw if k != "locked" and k not in KEYS)
        if unknown:
            warnings.append(tr("thiết lập không biết: {k}").format(k=", ".join(unknown)))
        for k in sorted(k for k in raw if k in KEYS and raw[k] is not None):
            try:
                KEYS[k][0](raw[k])
            except (TypeError, ValueError):
                problems.append(tr("giá trị «{v}» không hợp lệ cho {k}").format(v=raw[k], k=k))
        bad_locked = sorted(str(k) for k in locked if k not in KEYS)
        if bad_locked:
            warnings.append(tr("khóa thiết lập không biết: {k}").format(k=", ".join(bad_locked)))
        unset_locked = sorted(str(k) for k in locked if k in KEYS and k not in raw)
        if unset_locked:
            warnings.append(tr("khóa nhưng không đặt giá trị: {k}").format(k=", ".join(unset_locked)))
        details["locked"] = sorted(str(k) for k in locked)
        details["machine_keys"] = sorted(k for k in raw if k != "locked")
        where = tr("Có tệp thiết lập chung {p} ({n} thiết lập, {m} bị khóa)").format(
            p=path, n=len(details["machine_keys"]), m=len(details["locked"]))
    else:
        where = tr("Không có tệp thiết lập chung của máy ({p}; không bắt buộc)").format(p=path)
    from .domain.orgid import is_org_id
    from .firstrun import needs_first_run
    org_id = s.get("org.id")
    if org_id and not is_org_id(org_id):
        problems.append(tr("mã định danh cơ quan «{v}» không đúng dạng").format(v=org_id))
    if needs_first_run(s):
        warnings.append(tr("chưa đặt tên hoặc mã định danh cơ quan (trợ lý cài đặt lần đầu sẽ hỏi)"))
    details.update(org_id=org_id, org_name=s.get("org.name"))
    if problems:
        return _result(ERROR, where + "; " + "; ".join(problems + warnings), **details)
    if warnings:
        return _result(WARNING, where + "; " + "; ".join(warnings), **details)
    return _result(OK, where + "; " + tr("cơ quan: {n} ({i})").format(n=s.get("org.name"), i=org_id), **details)


def check_data(ctx: Context) -> CheckResult:
    from .errors import VanthuError
    from .store import open_store, schema
    d = Path(ctx.data_dir)
    details: dict[str, Any] = {"path": str(d)}
    try:
        d.mkdir(parents=True, exist_ok=True)
        probe = d / f".selftest-{os.getpid()}"
        with open(probe, "wb") as f:
            f.write(b"vanthu")
            f.flush()
            os.fsync(f.fileno())
        probe.unlink()
    except OSError as exc:
        return _result(ERROR, tr("Không ghi được vào thư mục dữ liệu {p}: {e}").format(p=d, e=exc.strerror or exc),
                       **details)
    free = shutil.disk_usage(d).free
    details["free_mb"] = free // (1 << 20)
    try:
        store = open_store(d, actor="self-test")
    except VanthuError as exc:
        return _result(ERROR, exc.message, **details)
    try:
        version, entries = schema.summary(store)
    finally:
        store.close()
    expected = schema.MAJOR * 1000 + len(schema.MIGRATIONS)
    details.update(schema=version, expected_schema=expected, entries=entries)
    msg = tr("{p}: ghi được, cơ sở dữ liệu mở được, lược đồ {v}, {n} văn bản, còn trống {f} MB").format(
        p=d, v=version, n=entries, f=details["free_mb"])
    if version != expected:
        return _result(WARNING, msg + tr(" (chương trình này dùng lược đồ {e})").format(e=expected), **details)
    if free < 100 << 20:
        return _result(ERROR, msg + tr(" — ổ đĩa gần đầy"), **details)
    if free < 1 << 30:
        return _result(WARNING, msg + tr(" — ổ đĩa còn ít chỗ"), **details)
    return _result(OK, msg, **details)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).lower().split())


def _sample_image(text: str):
    from PIL import Image, ImageDraw, ImageFont

    from .resources import resource_path
    font = ImageFont.truetype(str(resource_path("fonts", "LiberationSerif-Regular.ttf")), 44)
    left, top, right, bottom = font.getbbox(text)
    img = Image.new("L", (int(right - left + 80), int(bottom - top + 60)), 255)
    ImageDraw.Draw(img).text((40 - left, 30 - top), text, font=font, fill=0)
    return img


def check_tesseract(ctx: Context) -> CheckResult:
    import pytesseract
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        version = str(pytesseract.get_tesseract_version())
    except pytesseract.TesseractNotFoundError:
        hint = (tr("cài lại chương trình (bản cài đặt có kèm Tesseract)") if sys.platform == "win32"
                else tr("cài gói tesseract-ocr và tesseract-ocr-vie"))
        return _result(ERROR, tr("Không tìm thấy chương trình nhận dạng chữ Tesseract: {h}.").format(h=hint))
    langs = pytesseract.get_languages(config="")
    details: dict[str, Any] = {"version": version, "languages": langs,
               "tessdata": os.environ.get("TESSDATA_PREFIX", "")}
    if "vie" not in langs:
        return _result(ERROR, tr("Tesseract {v} không có dữ liệu tiếng Việt (vie); có: {l}.").format(
            v=version, l=", ".join(langs) or "—"), **details)
    t0 = time.monotonic()
    try:
        text = pytesseract.image_to_string(_sample_image(OCR_SAMPLE), lang="vie", config="--psm 7",
                                           timeout=max(ctx.child_timeout, 5))
    except RuntimeError as exc:     # pytesseract raises RuntimeError on its timeout
        return _result(ERROR, tr("Tesseract không nhận dạng xong ảnh thử: {e}").format(e=exc), **details)
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    details.update(expected=OCR_SAMPLE, recognized=text, ocr_seconds=round(time.monotonic() - t0, 2))
    if text == OCR_SAMPLE:
        return _result(OK, tr("Tesseract {v}, có tiếng Việt; đọc đúng dòng thử «{t}»").format(v=version, t=text),
                       **details)
    if _fold(text) == _fold(OCR_SAMPLE):
        return _result(WARNING, tr("Tesseract {v} đọc dòng thử thiếu dấu: «{t}»").format(v=version, t=text),
                       **details)
    return _result(ERROR, tr("Tesseract {v} đọc sai dòng thử «{e}»: «{t}»").format(
        v=version, e=OCR_SAMPLE, t=text), **details)


def check_fonts(ctx: Context) -> CheckResult:
    from fontTools.ttLib import TTFont

    from .resources import resource_path, resources_dir
    res = resources_dir()
    details: dict[str, Any] = {"resources": str(res)}
    missing, bad, info = [], [], []
    need = {ord(c) for c in VIETNAMESE_SAMPLE if not c.isspace()}
    for name in REQUIRED_FONTS:
        p = resource_path("fonts", name)
        if not p.is_file():
            missing.append(name)
            continue
        try:
            font = TTFont(p, lazy=True)
            cmap = font.getBestCmap() or {}
            lacking = "".join(sorted(chr(c) for c in need - set(cmap)))
            if lacking:
                bad.append(tr("{f} thiếu các chữ «{c}»").format(f=name, c=lacking))
            if name.startswith("Vanthu") and font["head"].unitsPerEm != 1000:
                bad.append(tr("{f} không ở 1000 đơn vị/em (chữ trên dấu ký số sẽ bị giãn)").format(f=name))
            font.close()
        except Exception as exc:  # noqa: BLE001 - a broken font file is reported
            bad.append(tr("{f} bị hỏng ({e})").format(f=name, e=type(exc).__name__))
    seal = resource_path("seal", "con-dau-mau.png")
    if not seal.is_file():
        missing.append("seal/con-dau-mau.png")
    configured = ctx.settings.get("sign.seal_image")
    if configured and not Path(configured).is_file():
        bad.append(tr("không thấy ảnh con dấu đã chọn {p}").format(p=configured))
    system = _system_serif()
    if system:
        details["system_serif"] = system
        info.append(tr("chữ «Times New Roman» hiển thị bằng {f}").format(f=system))
    details.update(missing=missing, problems=bad)
    if missing or bad:
        parts = ([tr("thiếu tệp: {f}").format(f=", ".join(missing))] if missing else []) + bad
        return _result(ERROR, tr("Phông chữ hoặc tài nguyên có vấn đề ({r}): {p}").format(r=res, p="; ".join(parts)),
                       **details)
    msg = tr("{n} phông chữ kèm theo đủ chữ tiếng Việt; có con dấu mẫu").format(n=len(REQUIRED_FONTS))
    if sys.platform.startswith("linux") and system and not any(s in system for s in ("Liberation", "Times")):
        return _result(WARNING, msg + "; " + info[0] + tr(" (nên cài gói fonts-liberation2)"), **details)
    return _result(OK, "; ".join([msg] + info), **details)


def _system_serif() -> str | None:
    if sys.platform == "win32":
        fonts = Path(os.environ.get("SystemRoot", r"C:\Windows")) / "Fonts" / "times.ttf"
        return "Times New Roman" if fonts.is_file() else None
    fc = shutil.which("fc-match")
    if not fc:
        return None
    try:
        cp = subprocess.run([fc, "-f", "%{family}", "Times New Roman"], capture_output=True, text=True,
                            timeout=10, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return cp.stdout.strip().split(",")[0] or None


def check_keyring(ctx: Context) -> CheckResult:
    """The credential store in use (OS keyring, encrypted file keyring or the clerk's file):
    which one, and a store/read/delete round trip with a throw-away entry."""
    import secrets

    from .sync import credentials
    from .sync.errors import NotConfigured
    server = ctx.settings.get("server.url")
    missing_status = ERROR if server else WARNING
    try:
        store, info = credentials.backend()
    except NotConfigured as exc:
        return _result(missing_status, exc.message, store="none", backend="", reason=exc.detail)
    details: dict[str, Any] = {"store": info.kind, "backend": info.backend, "path": info.path}
    name = info.label
    service, user, value = "vanthu-selftest", f"probe-{os.getpid()}", secrets.token_hex(8)
    try:
        store.set_password(service, user, value)
        ok = store.get_password(service, user) == value
        store.delete_password(service, user)
    except NotConfigured as exc:
        return _result(missing_status, exc.message, **details)
    except Exception as exc:  # noqa: BLE001 - KeyringError, D-Bus errors of the Secret Service backend, OSError
        return _result(missing_status, tr("Nơi lưu thông tin đăng nhập — {b} — báo lỗi: {e}").format(
            b=name, e=type(exc).__name__), **details)
    if not ok:
        return _result(ERROR, tr("Nơi lưu thông tin đăng nhập — {b} — không trả lại đúng giá trị vừa lưu.").format(
            b=name), **details)
    return _result(OK, tr("Thông tin đăng nhập lưu trong {b}: lưu, đọc và xóa thử được").format(b=name), **details)


def check_pkcs11(ctx: Context) -> CheckResult:
    from .sign.modules import known_modules
    configured = ctx.settings.get("token.module")
    label = ctx.settings.get("token.label")
    found = [m for m in known_modules() if os.path.isfile(m.path) and m.path != configured]
    modules_out, lines = [], []
    status = OK
    if configured:
        d = run_child("pkcs11", configured, timeout=ctx.child_timeout)
        d.update(path=configured, configured=True)
        modules_out.append(d)
        if not d.get("ok"):
            status = ERROR
            lines.append(tr("Thư viện token đã chọn {p} không dùng được: {e}").format(
                p=configured, e=str(d.get("message")).rstrip(".")))
        else:
            toks = d.get("tokens", [])
            lines.append(tr("Thư viện {p} ({l}): nạp được, {s} khe, token: {t}").format(
                p=configured, l=d.get("library") or "?", s=d.get("slots", 0), t=", ".join(toks) or tr("chưa cắm")))
            if not toks:
                status = WARNING
            elif label and label not in toks:
                status = WARNING
                lines.append(tr("không thấy token «{t}» đã chọn").format(t=label))
    else:
        status = WARNING
        lines.append(tr("Chưa chọn thư viện token (thiết lập token.module)"))
    for m in found:
        d = run_child("pkcs11", m.path, timeout=ctx.child_timeout)
        d.update(path=m.path, vendor=m.vendor, configured=False)
        modules_out.append(d)
        if d.get("ok"):
            lines.append(tr("có trên máy: {v} {p} (token: {t})").format(
                v=m.vendor, p=m.path, t=", ".join(d.get("tokens", [])) or tr("chưa cắm")))
        else:
            lines.append(tr("có trên máy nhưng không nạp được: {v} {p}: {e}").format(
                v=m.vendor, p=m.path, e=str(d.get("message")).rstrip(".")))
    if not configured and not found:
        lines.append(tr("không tìm thấy trình điều khiển token nào đã biết trên máy này"))
    return _result(status, "; ".join(lines), modules=modules_out)


def check_scanner(ctx: Context) -> CheckResult:
    import importlib.util
    if not sys.platform.startswith("linux") and importlib.util.find_spec("sane") is None:
        return _result(WARNING, tr("Không có hệ thống quét SANE trên máy này; vẫn nhập được tệp ảnh, PDF "
                                   "hoặc thư mục máy quét lưu vào."))
    d = run_child("sane", timeout=ctx.child_timeout)
    details: dict[str, Any] = {"sane_config_dir": os.environ.get("SANE_CONFIG_DIR", "")}
    if not d.get("ok"):
        if d.get("import_error"):
            return _result(ERROR, tr("Không nạp được thư viện quét SANE ({e}); cài gói libsane1.").format(
                e=d.get("message")), **details)
        return _result(WARNING, tr("Hệ thống quét SANE không liệt kê được máy quét: {e}. Vẫn nhập được tệp.")
                       .format(e=d.get("message")), **details)
    devices = d.get("devices", [])
    details.update(version=d.get("version"), devices=devices)
    names = [f"{dev[0]} ({' '.join(x for x in dev[1:3] if x)})" for dev in devices]
    wanted = ctx.settings.get("scan.device")
    if not devices:
        return _result(WARNING, tr("SANE {v}: không thấy máy quét nào; kiểm tra cáp, nguồn và trình điều khiển. "
                                   "Vẫn nhập được tệp.").format(v=d.get("version")), **details)
    if wanted and wanted not in [dev[0] for dev in devices]:
        return _result(WARNING, tr("SANE {v}: không thấy máy quét đã chọn {w}; có: {n}").format(
            v=d.get("version"), w=wanted, n=", ".join(names)), **details)
    return _result(OK, tr("SANE {v}: {n}").format(v=d.get("version"), n=", ".join(names)), **details)


def check_server(ctx: Context) -> CheckResult:
    import ssl
    from email.utils import parsedate_to_datetime

    import httpx

    from .sync.transport import DIALECTS
    url = ctx.settings.get("server.url")
    dialect = ctx.settings.get("server.dialect") or "vxp"
    if not url:
        return _result(WARNING, tr("Chưa đặt địa chỉ máy chủ liên thông (server.url): chỉ làm việc trên máy này."))
    shown = redact_url(url)
    details: dict[str, Any] = {"url": shown, "dialect": dialect}
    if dialect not in DIALECTS:
        return _result(ERROR, tr("Giao thức trục «{d}» chưa được hỗ trợ; các giao thức có: {a}.").format(
            d=dialect, a=", ".join(DIALECTS)), **details)
    if not url.lower().startswith(("http://", "https://")):
        return _result(ERROR, tr("Địa chỉ máy chủ «{u}» phải bắt đầu bằng https:// hoặc http://.").format(u=shown),
                       **details)
    verify: bool | ssl.SSLContext = True
    bundle = ctx.settings.get("server.ca_bundle")
    if bundle:
        try:
            verify = ssl.create_default_context(cafile=bundle)
        except (OSError, ssl.SSLError) as exc:
            return _result(ERROR, tr("Không đọc được tệp CA {p} (server.ca_bundle): {e}").format(p=bundle, e=exc),
                           **details)
    timeout = min(float(ctx.settings.get("server.timeout") or ctx.timeout), ctx.timeout)
    t0 = time.monotonic()
    try:
        with httpx.Client(verify=verify, timeout=httpx.Timeout(timeout), follow_redirects=False) as c:
            resp = c.get(url, headers={"User-Agent": "vanthu-selftest"})
    except httpx.TimeoutException:
        return _result(WARNING, tr("Máy chủ {u} không trả lời sau {s} giây (ngoại tuyến): văn bản vẫn được "
                                   "xếp hàng và gửi khi có mạng.").format(u=shown, s=round(timeout, 1)), **details)
    except httpx.HTTPError as exc:
        text = str(exc)
        if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text.lower():
            return _result(ERROR, tr("Chứng thư TLS của máy chủ {u} không được tin cậy; quản trị viên cần đặt "
                                     "server.ca_bundle.").format(u=shown), error=text[:300], **details)
        return _result(WARNING, tr("Không kết nối được máy chủ {u} (ngoại tuyến: {e}): văn bản vẫn được xếp hàng "
                                   "và gửi khi có mạng.").format(u=shown, e=type(exc).__name__), error=text[:300],
                       **details)
    ms = int((time.monotonic() - t0) * 1000)
    details.update(http_status=resp.status_code, milliseconds=ms)
    msg = tr("Máy chủ {u} trả lời (HTTP {c}, {ms} ms), giao thức {d}").format(
        u=shown, c=resp.status_code, ms=ms, d=dialect)
    warnings = []
    date = resp.headers.get("date")
    if date:
        try:
            skew = parsedate_to_datetime(date).timestamp() + 0.5 - (time.time() - ms / 2000)
            details["clock_skew_seconds"] = round(skew, 1)
            if abs(skew) > 120:
                warnings.append(tr("giờ máy lệch {s} giây so với máy chủ: hãy đồng bộ đồng hồ").format(s=int(skew)))
        except (TypeError, ValueError):
            pass
    try:
        from .sync import credentials
        credentials.load(url)
        details["credential"] = True
    except Exception as exc:  # noqa: BLE001 - NotConfigured or a keyring failure: a warning here
        details["credential"] = False
        warnings.append(getattr(exc, "message", tr("chưa có thông tin đăng nhập")))
    if warnings:
        return _result(WARNING, msg + "; " + "; ".join(warnings), **details)
    return _result(OK, msg + tr("; đã có thông tin đăng nhập"), **details)


def check_antivirus(ctx: Context) -> CheckResult:
    """ClamAV for the scan of outgoing files (provincial rule): clamd's socket, else clamscan."""
    from .sync import malware
    env = os.environ.get("VANTHU_CLAMD_SOCKET")
    sockets = [env] if env else list(malware.CLAMD_SOCKETS)
    sock = next((p for p in sockets if p and os.path.exists(p)), None)
    if sock:
        import socket
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.settimeout(min(ctx.timeout, 5.0))
                s.connect(sock)
                s.sendall(b"zPING\0")
                reply = s.recv(64)
        except OSError as exc:
            reply = b""
            log.info("clamd at %s: %s", sock, exc)
        if reply.rstrip(b"\0\n") == b"PONG":
            return _result(OK, tr("ClamAV (clamd) sẵn sàng quét văn bản gửi đi: {s}").format(s=sock),
                           engine="clamd", socket=sock)
        if not shutil.which("clamscan"):
            return _result(WARNING, tr("Dịch vụ ClamAV (clamd) tại {s} không trả lời: văn bản gửi đi sẽ không "
                                       "được quét virus.").format(s=sock), engine=None, socket=sock)
    exe = shutil.which("clamscan")
    if not exe:
        return _result(WARNING, tr("Không có ClamAV: văn bản gửi đi sẽ không được quét virus trước khi gửi "
                                   "(cài gói clamav)."), engine=None)
    try:
        cp = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=ctx.child_timeout,
                            stdin=subprocess.DEVNULL)
        version = cp.stdout.strip()
    except (OSError, subprocess.TimeoutExpired) as exc:
        return _result(WARNING, tr("clamscan không chạy được: {e}").format(e=type(exc).__name__), engine="clamscan")
    details: dict[str, Any] = {"engine": "clamscan", "path": exe, "version": version}
    if cp.returncode != 0 or not version:
        return _result(WARNING, tr("clamscan không chạy được (mã {c}).").format(c=cp.returncode), **details)
    # "ClamAV 1.0.7/27460/Mon Nov 23 ..." carries the signature database; without one it is the bare version
    signatures = sorted(p.name for p in Path("/var/lib/clamav").glob("*")
                        if p.suffix in (".cvd", ".cld", ".hdb", ".hsb", ".ndb", ".ldb", ".cdb")) \
        if sys.platform.startswith("linux") else []
    details["signatures"] = signatures
    if "/" not in version and not signatures:
        return _result(WARNING, tr("{v}: chưa có cơ sở dữ liệu mẫu virus (chạy freshclam).").format(v=version),
                       **details)
    return _result(OK, tr("{v} (clamscan) sẵn sàng quét văn bản gửi đi").format(v=version), **details)


def check_trust(ctx: Context) -> CheckResult:
    from datetime import datetime

    from .errors import VanthuError
    from .resources import resource_path
    from .sign import certs
    trust_dir = resource_path("trust")
    extra = ctx.settings.get("sign.trust_roots") or []
    try:
        shipped = [c for p in sorted(trust_dir.glob("*")) if p.suffix.lower() in (".pem", ".crt", ".cer", ".der")
                   for c in certs.load_certs(p)] if trust_dir.is_dir() else []
        admin = certs.trust_roots(settings_roots=extra, include_shipped=False)
    except VanthuError as exc:
        return _result(ERROR, exc.message, trust_dir=str(trust_dir), extra=extra)
    now = datetime.now(UTC)
    expired = [c.subject.human_friendly for c in shipped + admin
               if c["tbs_certificate"]["validity"]["not_after"].native < now]
    names = [c.subject.human_friendly for c in shipped + admin]
    details: dict[str, Any] = {"trust_dir": str(trust_dir), "shipped": len(shipped), "administrator": len(admin),
               "subjects": names, "expired": expired}
    msg = tr("{n} chứng thư gốc kèm theo, {m} do quản trị viên thêm").format(n=len(shipped), m=len(admin))
    if not shipped and not admin:
        return _result(WARNING, tr("Chưa có chứng thư gốc tin cậy nào ({d}): không xác minh được chữ ký số "
                                   "của văn bản đến.").format(d=trust_dir), **details)
    if expired:
        return _result(WARNING, msg + tr("; đã hết hạn: {e}").format(e="; ".join(expired)), **details)
    return _result(OK, msg, **details)


CHECKS: list[Check] = [
    Check("settings", tr("Thiết lập"), check_settings),
    Check("data", tr("Thư mục dữ liệu"), check_data),
    Check("tesseract", tr("Nhận dạng chữ (Tesseract)"), check_tesseract),
    Check("fonts", tr("Phông chữ và tài nguyên"), check_fonts),
    Check("keyring", tr("Nơi lưu thông tin đăng nhập máy chủ"), check_keyring),
    Check("pkcs11", tr("Token ký số (PKCS#11)"), check_pkcs11),
    Check("scanner", tr("Máy quét (SANE)"), check_scanner),
    Check("server", tr("Máy chủ liên thông"), check_server),
    Check("antivirus", tr("Quét virus (ClamAV)"), check_antivirus),
    Check("trust", tr("Chứng thư gốc tin cậy"), check_trust),
]


# ---------------------------------------------------------------- running and reporting

@dataclass
class Report:
    results: list[CheckResult]
    version: str
    seconds: float = 0.0
    cancelled: bool = False
    environment: dict = field(default_factory=dict)

    @property
    def status(self) -> str:
        return max((r.status for r in self.results), key=_RANK.__getitem__, default=OK)

    @property
    def exit_code(self) -> int:
        return 1 if self.status == ERROR or self.cancelled else 0

    def counts(self) -> dict:
        return {s: sum(r.status == s for r in self.results) for s in (OK, WARNING, ERROR)}

    def summary(self) -> str:
        c = self.counts()
        text = tr("Kết quả: {ok} OK, {w} cảnh báo, {e} lỗi ({s} giây).").format(
            ok=c[OK], w=c[WARNING], e=c[ERROR], s=f"{self.seconds:.1f}".replace(".", ","))
        if self.cancelled:
            text += " " + tr("Đã dừng trước khi kiểm tra xong.")
        return text

    def to_text(self) -> str:
        env = self.environment
        lines = [tr("Tự kiểm tra Văn thư {v} ({o}, Python {p}, {k})").format(
            v=self.version, o=env.get("os"), p=env.get("python"), k=env.get("build"))]
        width = max(len(status_label(s)) for s in (OK, WARNING, ERROR)) + 2
        for r in self.results:
            lines.append(f"[{r.label}]".ljust(width + 1) + f" {r.title}: {r.message}")
        lines.append(self.summary())
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {"version": self.version, "status": self.status, "exit_code": self.exit_code,
                "counts": self.counts(), "seconds": round(self.seconds, 3), "cancelled": self.cancelled,
                "environment": self.environment, "checks": [r.to_dict() for r in self.results]}


def _environment() -> dict:
    from .resources import resources_dir
    return {"os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
            "build": tr("bản đóng gói") if getattr(sys, "frozen", False) else tr("chạy từ mã nguồn"),
            "executable": sys.executable, "resources": str(resources_dir())}


def _version() -> str:
    from .cli import version
    return version()


def _run_one(check: Check, ctx: Context) -> CheckResult:
    t0 = time.monotonic()
    try:
        r = check.func(ctx)
    except Exception as exc:  # noqa: BLE001 - one broken check never hides the others
        log.exception("self-test check %s failed", check.id)
        r = _result(ERROR, tr("Kiểm tra gặp lỗi không mong đợi: {e}").format(
            e=getattr(exc, "message", None) or type(exc).__name__))
    r.id, r.title, r.seconds = check.id, check.title, time.monotonic() - t0
    log.info("self-test %s: %s %s", r.id, r.status, r.message)
    return r


def make_context(data_dir, settings=None, timeout: float = 10.0, child_timeout: float = 30.0) -> Context:
    from .errors import VanthuError
    from .settings import Settings
    error = None
    if settings is None:
        try:
            settings = Settings(data_dir)
        except VanthuError as exc:
            error, settings = exc, _Defaults()
        except Exception as exc:  # noqa: BLE001 - e.g. a JSON array instead of an object
            from .errors import ValidationError
            from .settings import machine_settings_path
            error = ValidationError(tr("Tệp thiết lập không đúng dạng: phải là một đối tượng JSON "
                                       "({{\"khóa\": giá trị, ...}}). Tệp thiết lập chung: {p}.").format(
                                           p=machine_settings_path()), repr(exc))
            settings = _Defaults()
    return Context(Path(data_dir), settings, error, timeout, child_timeout)


def run_checks(data_dir=None, settings=None, only=None, progress=None, cancelled=None,
               timeout: float = 10.0, child_timeout: float = 30.0, workers: int = 3) -> Report:
    """Run CHECKS (or those whose id is in `only`) and return a Report.

    progress(done, total) is called from the calling thread as checks finish; cancelled() is
    polled between checks (a check already running is let finish)."""
    from .settings import data_dir as default_data_dir
    t0 = time.monotonic()
    ctx = make_context(data_dir if data_dir is not None else default_data_dir(), settings, timeout, child_timeout)
    checks = [c for c in CHECKS if not only or c.id in only]
    results: dict[str, CheckResult] = {}
    was_cancelled = False
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="selftest") as pool:
        futures = {c.id: pool.submit(_run_one, c, ctx) for c in checks}
        pending = list(checks)
        while pending:
            if cancelled and cancelled():
                was_cancelled = True
                for c in pending:
                    futures[c.id].cancel()
            still = []
            for c in pending:
                f = futures[c.id]
                if f.cancelled():
                    continue
                if f.done():
                    results[c.id] = f.result()
                    if progress:
                        progress(len(results), len(checks))
                else:
                    still.append(c)
            pending = still
            if pending:
                time.sleep(0.02)
    ordered = [results[c.id] for c in checks if c.id in results]
    return Report(ordered, _version(), time.monotonic() - t0, was_cancelled, _environment())


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1:]))
