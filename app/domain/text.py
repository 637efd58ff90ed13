"""Vietnamese text: NFC normalization on the way in and folding for search.

Every free-text field and every stored file name goes through `clean`: it accepts a string
only, and removes control and format characters, among them the bidirectional controls
(U+202A-202E, U+2066-2069, U+200E/200F) that make a name display reversed."""
import re
import unicodedata

from ..errors import ValidationError
from ..i18n import tr

# Control characters (Cc) other than tab and newline, and every format character (Cf, Unicode 14):
# zero-width, bidirectional (U+202A-202E, U+2066-2069, U+200E/200F), tags... have no place in a register.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
                      "\xad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
                      "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
                      "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
                      "\U000e0020-\U000e007f]")
_SPACES = re.compile(r"[ \t\u00a0]+")

OCR_TEXT_MAX = 200_000        # characters of OCR text kept per document (~100 dense pages)
OCR_CUT_NOTE = "[… văn bản nhận dạng dài quá {m} ký tự, phần sau đã bị cắt bớt]"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def strip_controls(text: str) -> str:
    """`text` without control, zero-width and bidirectional format characters (tab/newline kept)."""
    return _CONTROL.sub("", text)


def clean(value: object, field: str = "", multiline: bool = False) -> str | None:
    """NFC-normalize, trim and check a free-text value; empty becomes None. Only a string is
    accepted: an object, list, number or boolean is refused, never stored as its repr."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(tr("Trường «{f}» phải là chuỗi chữ, không phải {t}.").format(
            f=_label(field), t=_type_name(value)), f"{field}: {type(value).__name__}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValidationError(tr("Trường «{f}» chứa ký tự không hợp lệ.").format(f=field), str(exc)) from None
    value = nfc(value).replace("\u2028", "\n").replace("\u2029", "\n")
    if not multiline:
        value = value.replace("\r", " ").replace("\n", " ")
    value = nfc(strip_controls(value))    # again: a removed control may have separated a letter and its mark
    value = "\n".join(_SPACES.sub(" ", line).strip() for line in value.splitlines()) if multiline \
        else _SPACES.sub(" ", value).strip()
    return value or None


def clean_ocr_text(value: object, limit: int = OCR_TEXT_MAX) -> tuple[str | None, bool]:
    """OCR text for the register: cleaned, cut at `limit` characters with a note saying so.
    Returns (text, cut)."""
    text = clean(value, "text", multiline=True)
    if not text or len(text) <= limit:
        return text, False
    return text[:limit].rstrip() + "\n" + tr(OCR_CUT_NOTE).format(m=f"{limit:,}".replace(",", ".")), True


def _label(field: str) -> str:
    from .entry import FIELDS  # lazy: entry imports this module
    return FIELDS[field][3] if field in FIELDS else field


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return tr("giá trị đúng/sai")
    if isinstance(value, (int, float)):
        return tr("số")
    if isinstance(value, dict):
        return tr("đối tượng")
    if isinstance(value, (list, tuple)):
        return tr("danh sách")
    return type(value).__name__


def fold(text: str | None) -> str:
    """Lower case, no diacritics, đ→d: "Quyết định" -> "quyet dinh"."""
    if not text:
        return ""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()
