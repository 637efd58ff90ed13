"""Urgency (độ khẩn) and secrecy (độ mật) marks."""
from enum import IntEnum

from ..errors import SecretDocumentError, ValidationError
from ..i18n import tr
from .text import fold


class Urgency(IntEnum):
    """Codes match edXML OtherInfo/Priority (0-4)."""
    NORMAL = 0
    KHAN = 1
    THUONG_KHAN = 2
    HOA_TOC = 3
    HOA_TOC_HEN_GIO = 4

    @property
    def label(self) -> str | None:
        return _URGENCY_LABELS[self]


_URGENCY_LABELS = {
    Urgency.NORMAL: None,
    Urgency.KHAN: "Khẩn",
    Urgency.THUONG_KHAN: "Thượng khẩn",
    Urgency.HOA_TOC: "Hỏa tốc",
    Urgency.HOA_TOC_HEN_GIO: "Hỏa tốc hẹn giờ",
}
_URGENCY_BY_FOLD = {fold(v): k for k, v in _URGENCY_LABELS.items() if v}
_URGENCY_BY_FOLD.update({"thuong": Urgency.NORMAL, "binh thuong": Urgency.NORMAL, "": Urgency.NORMAL})

SECRECY_LABELS = ("Mật", "Tối mật", "Tuyệt mật")
_SECRECY_BY_FOLD = {fold(v): v for v in SECRECY_LABELS}

SECRECY_RULE = tr(
    "Văn bản mật (Mật, Tối mật, Tuyệt mật) không được đưa vào hệ thống này; "
    "xử lý theo quy định về bảo vệ bí mật nhà nước.")


def parse_urgency(value: object) -> Urgency:
    if value is None:
        return Urgency.NORMAL
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return Urgency(value)
        except ValueError:
            pass
    else:
        key = fold(str(value)).strip()
        if key.isdigit() and int(key) in Urgency._value2member_map_:
            return Urgency(int(key))
        if key in _URGENCY_BY_FOLD:
            return _URGENCY_BY_FOLD[key]
    raise ValidationError(tr("Độ khẩn «{v}» không hợp lệ (Khẩn, Thượng khẩn, Hỏa tốc).").format(v=value))


def parse_secrecy(value: object) -> str | None:
    """Return the secrecy mark if any; unknown non-empty values are treated as secret-looking."""
    if value in (None, "", 0, "0"):
        return None
    key = fold(str(value)).strip()
    if key in ("thuong", "khong", "khong mat"):
        return None
    return _SECRECY_BY_FOLD.get(key, str(value))


def refuse_secret(value: object) -> None:
    mark = parse_secrecy(value)
    if mark:
        raise SecretDocumentError(
            tr("Văn bản có dấu độ mật «{m}»: không được đăng ký. ").format(m=mark) + SECRECY_RULE,
            f"secrecy mark {mark!r}")
