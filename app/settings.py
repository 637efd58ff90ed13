"""Settings: a small typed JSON file in the data folder, layered over an optional machine-wide
file that the provincial IT officer can pre-fill and lock. Secrets never live here (keyring)."""
import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import platformdirs

from .errors import ValidationError
from .i18n import tr
from .jsonfile import write_atomic

log = logging.getLogger(__name__)

APP = "vanthu"
SETTINGS_FILE = "settings.json"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def data_dir(arg: str | None = None) -> Path:
    """--data-dir, else $VANTHU_DATA_DIR, else the platform's user data folder."""
    return Path(arg or os.environ.get("VANTHU_DATA_DIR") or default_data_dir()).expanduser()


def machine_settings_path() -> Path:
    """$VANTHU_MACHINE_SETTINGS, else the first system config folder (all of $XDG_CONFIG_DIRS on
    Linux, e.g. /etc/xdg/xdg-ubuntu then /etc/xdg) holding vanthu/settings.json."""
    env = os.environ.get("VANTHU_MACHINE_SETTINGS")
    if env:
        return Path(env)
    dirs = [Path(d) for d in platformdirs.site_config_dir(APP, appauthor=False, multipath=True).split(os.pathsep)]
    for d in dirs:
        if (d / SETTINGS_FILE).exists():
            return d / SETTINGS_FILE
    return dirs[-1] / SETTINGS_FILE


def _bool(v):
    if isinstance(v, bool):
        return v
    if str(v).lower() in ("1", "true", "yes", "on", "có"):
        return True
    if str(v).lower() in ("0", "false", "no", "off", "không"):
        return False
    raise ValueError(v)


def _str_list(v):
    if isinstance(v, list):
        return [str(x) for x in v]
    return [x.strip() for x in str(v).split(",") if x.strip()]


def _date_list(v):
    from datetime import date
    return [date.fromisoformat(x).isoformat() for x in _str_list(v)]


def _credential_store(v):
    if str(v) not in ("keyring", "cryptfile", "file"):
        raise ValueError(v)
    return str(v)


def _notation(v):
    from .domain.reference import check_notation
    return check_notation(str(v))


def _hours(v):
    from .domain.calendar import parse_hours
    parse_hours(str(v))
    return str(v)


# key: (converter, default, description)
KEYS: dict[str, tuple[Callable[[Any], Any], Any, str]] = {
    "org.id": (str, None, "Mã định danh cơ quan (000.00.00.H53)"),
    "org.name": (str, "Cơ quan chưa đặt tên", "Tên cơ quan"),
    "org.parent": (str, None, "Tên cơ quan chủ quản"),
    "org.place": (str, None, "Địa danh (dòng ngày tháng)"),
    "org.notation": (_notation, None, "Ký hiệu viết tắt của cơ quan trong số, ký hiệu văn bản đi (ví dụ UBND)"),
    "server.url": (str, None, "Địa chỉ trục liên thông / máy chủ tỉnh"),
    "server.dialect": (str, "vxp", "Giao thức trục (vxp, ...)"),
    "server.ca_bundle": (str, None, "Tệp CA bổ sung để xác thực TLS"),
    "server.timeout": (float, 30.0, "Thời gian chờ (giây)"),
    "server.date_format": (str, "yyyy/MM/dd", "Định dạng ngày trong gói edXML"),
    "provincial.url": (str, None, "Địa chỉ máy chủ tỉnh (sao lưu sổ, khôi phục); để trống nếu không có"),
    "provincial.ca_bundle": (str, None, "Tệp CA bổ sung để xác thực TLS của máy chủ tỉnh"),
    "credentials.store": (_credential_store, "keyring", "Nơi giữ khóa bí mật máy chủ (keyring, cryptfile, file)"),
    "credentials.path": (str, None, "Tệp giữ khóa bí mật (cryptfile, file)"),
    "credentials.key_file": (str, None, "Tệp khóa mở tệp bí mật (cryptfile)"),
    "sync.interval": (int, 60, "Chu kỳ kiểm tra văn bản đến (giây)"),
    "work.hours": (_hours, "07:30-11:30,13:30-17:00", "Giờ làm việc"),
    "work.days_off": (_date_list, [], "Ngày nghỉ thêm (YYYY-MM-DD, ...)"),
    "work.makeup_days": (_date_list, [], "Ngày làm bù (YYYY-MM-DD, ...)"),
    "token.module": (str, None, "Đường dẫn thư viện PKCS#11"),
    "token.label": (str, None, "Nhãn token"),
    "token.cert_label": (str, None, "Nhãn chứng thư số của cơ quan"),
    "sign.tsa_url": (str, None, "Máy chủ cấp dấu thời gian (RFC 3161)"),
    "sign.seal_image": (str, None, "Ảnh con dấu (PNG trong suốt)"),
    "sign.seal_diameter_mm": (float, 36.0, "Đường kính con dấu (mm)"),
    "sign.trust_roots": (_str_list, [], "Chứng thư gốc tin cậy bổ sung"),
    "scan.device": (str, None, "Máy quét mặc định"),
    "scan.source": (str, "flatbed", "Nguồn giấy (flatbed, adf, duplex)"),
    "scan.dpi": (int, 300, "Độ phân giải (dpi)"),
    "scan.mode": (str, "gray", "Chế độ màu (gray, color)"),
    "ui.language": (str, "vi", "Ngôn ngữ giao diện (vi, en)"),
}


def _convert(key: str, value):
    if key not in KEYS:
        raise ValidationError(tr("Không có thiết lập «{k}». Các thiết lập: {all}.").format(
            k=key, all=", ".join(KEYS)))
    if value is None:
        return None
    try:
        return KEYS[key][0](value)
    except (TypeError, ValueError):
        raise ValidationError(tr("Giá trị «{v}» không hợp lệ cho thiết lập {k}.").format(v=value, k=key)) from None


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise ValidationError(tr("Tệp thiết lập {p} bị hỏng.").format(p=path), str(exc)) from exc
    if not isinstance(data, dict):
        raise ValidationError(tr("Tệp thiết lập {p} bị hỏng: phải là một đối tượng JSON "
                                 "({{\"khóa\": giá trị, ...}}).").format(p=path), "not a JSON object")
    return data


class Settings:
    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / SETTINGS_FILE
        machine = _read(machine_settings_path())
        self.locked = set(machine.pop("locked", []))
        self.machine = machine
        self.user = _read(self.path)

    def get(self, key: str):
        if key not in KEYS:
            _convert(key, None)
        layers = (self.machine,) if key in self.locked else (self.user, self.machine)
        for layer in layers:
            if key in layer:
                try:
                    return _convert(key, layer[key])
                except ValidationError:
                    log.warning("setting %s: invalid value %r in %s; using the default", key, layer[key],
                                "the machine-wide file" if layer is self.machine else self.path)
        return KEYS[key][1]

    def set(self, key: str, value) -> None:
        value = _convert(key, value)
        if key in self.locked:
            raise ValidationError(tr("Thiết lập {k} do quản trị viên khóa, không thay đổi được.").format(k=key))
        if key == "org.id" and value:
            from .domain.orgid import check_org_id
            value = check_org_id(value)
        self.user[key] = value
        write_atomic(self.path, self.user, indent=2)

    def work_calendar(self):
        """The working calendar these settings describe; a value that is not valid (e.g. a
        hand-edited file) falls back to the default with a log line."""
        from datetime import date

        from .domain.calendar import WorkCalendar, parse_hours
        kwargs = {}
        try:
            kwargs["hours"] = parse_hours(self.get("work.hours"))
        except (ValueError, TypeError) as exc:
            log.warning("work.hours invalid (%s); using the default hours", exc)
        for key, name in (("work.days_off", "days_off"), ("work.makeup_days", "makeup_days")):
            days = set()
            for text in self.get(key) or []:
                try:
                    days.add(date.fromisoformat(text))
                except ValueError:
                    log.warning("%s: ignoring %r (not a date)", key, text)
            kwargs[name] = frozenset(days)
        return WorkCalendar(**kwargs)

    def as_dict(self) -> dict:
        return {k: self.get(k) for k in KEYS}
