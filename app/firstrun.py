"""First run: the few settings a workstation needs before the clerk's first day, and which of them
the provincial IT officer already filled in the machine-wide file. No Qt here: the dialog in
app/ui/first_run.py is a thin face over these functions.

    if needs_first_run(settings):          # organization name or identifier still missing
        FirstRunDialog(settings, parent).exec()
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from .errors import ValidationError
from .i18n import tr
from .settings import KEYS

# In the order the assistant asks for them.
FIRST_RUN_KEYS = ("org.name", "org.id", "org.notation", "server.url", "server.dialect", "token.module")
REQUIRED_KEYS = ("org.name", "org.id")
DEFAULT_ORG_NAME = KEYS["org.name"][1]
ORG_NAME_MAX = 200      # issuer name, ND30 Appendix VI

LABELS = {
    "org.name": tr("Tên cơ quan"),
    "org.id": tr("Mã định danh cơ quan"),
    "org.notation": tr("Ký hiệu cơ quan"),
    "server.url": tr("Địa chỉ trục liên thông"),
    "server.dialect": tr("Giao thức trục"),
    "token.module": tr("Thư viện token ký số"),
}
HINTS = {
    "org.name": tr("Ví dụ: Ủy ban nhân dân tỉnh Sóc Trăng"),
    "org.id": tr("13 ký tự, ví dụ 000.00.00.H53"),
    "org.notation": tr("Dùng trong số, ký hiệu văn bản đi, ví dụ UBND trong 05/QĐ-UBND"),
    "server.url": tr("Ví dụ: https://truc.tinh.gov.vn/ (để trống nếu chưa kết nối)"),
    "server.dialect": tr("vxp: trục liên thông quốc gia"),
    "token.module": tr("Tệp PKCS#11 của trình điều khiển; để trống nếu chưa có token"),
}


@dataclass
class Field:
    key: str
    label: str
    hint: str
    value: str
    required: bool
    locked: bool        # set and locked by the machine-wide file: shown, not editable
    prefilled: bool     # present in the machine-wide file


def _text(value) -> str:
    if value is None:
        return ""
    return ", ".join(value) if isinstance(value, list) else str(value)


def missing_required(settings) -> list[str]:
    """The required keys that still have no usable value (in either layer)."""
    from .domain.orgid import is_org_id
    out = []
    name = (settings.get("org.name") or "").strip()
    if not name or name == DEFAULT_ORG_NAME:
        out.append("org.name")
    if not is_org_id((settings.get("org.id") or "").strip()):
        out.append("org.id")
    return out


def needs_first_run(settings) -> bool:
    """True while the organization's name or identifier is missing: the GUI then opens the
    first-run assistant before the main window. Server and token may stay empty (offline office,
    token not yet delivered) and are asked for again only from the Settings screen."""
    return bool(missing_required(settings))


def fields(settings) -> list[Field]:
    machine = getattr(settings, "machine", {}) or {}
    locked: set[str] = getattr(settings, "locked", set()) or set()
    out = []
    for key in FIRST_RUN_KEYS:
        value = settings.get(key)
        if key == "org.name" and value == DEFAULT_ORG_NAME:
            value = None
        out.append(Field(key, LABELS[key], HINTS[key], _text(value), key in REQUIRED_KEYS,
                         key in locked and key in machine, key in machine))
    return out


def dialects() -> list[str]:
    from .sync.transport import DIALECTS
    return list(DIALECTS)


def token_module_choices(platform: str | None = None) -> list[tuple[str, str]]:
    """(vendor, path) of the catalogue modules present on this machine."""
    from .sign.modules import known_modules
    return [(m.vendor, m.path) for m in known_modules(platform) if os.path.isfile(m.path)]


def validate(values: dict) -> dict[str, str]:
    """Clerk-facing messages per key for the values typed in the assistant; empty when all good."""
    from .domain.orgid import check_org_id
    errors = {}
    name = (values.get("org.name") or "").strip()
    if "org.name" in values:
        if not name or name == DEFAULT_ORG_NAME:
            errors["org.name"] = tr("Hãy nhập tên cơ quan.")
        elif len(name) > ORG_NAME_MAX:
            errors["org.name"] = tr("Tên cơ quan dài quá {n} ký tự.").format(n=ORG_NAME_MAX)
    if "org.id" in values:
        try:
            check_org_id(values.get("org.id") or "")
        except ValidationError as exc:
            errors["org.id"] = exc.message
    notation = (values.get("org.notation") or "").strip()
    if notation:
        from .domain.reference import check_notation
        try:
            check_notation(notation)
        except ValidationError as exc:
            errors["org.notation"] = exc.message
    url = (values.get("server.url") or "").strip()
    if url:
        try:
            parts = urlsplit(url)
            ok = parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in url
        except ValueError:
            ok = False
        if not ok:
            errors["server.url"] = tr("Địa chỉ máy chủ phải có dạng https://tên-máy-chủ/…")
    dialect = (values.get("server.dialect") or "").strip()
    if dialect and dialect not in dialects():
        errors["server.dialect"] = tr("Giao thức «{d}» chưa được hỗ trợ; có: {a}.").format(
            d=dialect, a=", ".join(dialects()))
    module = (values.get("token.module") or "").strip()
    if module and not os.path.isfile(module):
        errors["token.module"] = tr("Không tìm thấy tệp {p}. Trình điều khiển token đã được cài chưa?").format(
            p=module)
    return errors


def apply(settings, values: dict) -> list[str]:
    """Validate, then save every editable value that changed. Returns the keys written.
    Raises ValidationError (message for the clerk) when a value is not acceptable."""
    errors = validate(values)
    if errors:
        raise ValidationError(" ".join(errors.values()), "; ".join(f"{k}: {v}" for k, v in errors.items()))
    locked: set[str] = getattr(settings, "locked", set()) or set()
    written = []
    for key in FIRST_RUN_KEYS:
        if key not in values or key in locked:
            continue
        value = (values.get(key) or "").strip() or None
        if key == "org.id" and value:
            value = value.upper()
        if key == "server.dialect" and value is None:
            continue
        if value == settings.get(key) or (value is None and settings.get(key) in (None, "")):
            continue
        settings.set(key, value)
        written.append(key)
    return written
