"""Vietnamese text: NFC normalization on the way in and folding for search."""
import re
import unicodedata

from ..errors import ValidationError
from ..i18n import tr

# Control characters other than tab and newline have no place in a register.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0]+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean(value, field: str = "", multiline: bool = False) -> str | None:
    """NFC-normalize, trim and check a free-text value; empty becomes None."""
    if value is None:
        return None
    if not isinstance(value, str):
        value = str(value)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValidationError(tr("Trường «{f}» chứa ký tự không hợp lệ.").format(f=field), str(exc))
    value = nfc(value)
    if not multiline:
        value = value.replace("\r", " ").replace("\n", " ")
    value = _CONTROL.sub("", value)
    value = "\n".join(_SPACES.sub(" ", line).strip() for line in value.splitlines()) if multiline \
        else _SPACES.sub(" ", value).strip()
    return value or None


def fold(text: str | None) -> str:
    """Lower case, no diacritics, đ→d: "Quyết định" -> "quyet dinh"."""
    if not text:
        return ""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()
