"""Document references (số, ký hiệu): "1007/QĐ-UBND", "37/2018/QĐ-UBND", "12/UBND-VX"."""
import re
from dataclasses import dataclass

from ..errors import ValidationError
from ..i18n import tr
from .text import nfc

MAX_NUMBER = 11
MAX_NOTATION = 30

_DASHES = re.compile(r"\s*[\u2010-\u2015\u2212]\s*|\s+-\s*|\s*-\s+")
_REF = re.compile(
    r"^(?:s[ốo]\s*:?\s*)?"            # optional "Số:" prefix
    r"(?P<number>\d{1,11}[a-zA-Z]?)"    # 1007, 05, 12a
    r"\s*/\s*(?:(?P<year>(?:19|20)\d{2})\s*/\s*)?"
    r"(?P<notation>[^\s/][^/]*?)\s*$",
    re.IGNORECASE,
)
_NOTATION = re.compile(r"^[\wĐđ]+(?:[-.][\wĐđ]+)*$")


def format_number(number: str | int) -> str:
    """Numbers below 10 get a leading zero: 5 -> '05'."""
    s = str(number).strip()
    if s.isdigit():
        return f"{int(s):02d}"
    return s


def canonical_number(number: str | int | None) -> str | None:
    """Stored form of a number: digits without leading zeros ('05' -> '5')."""
    if number is None:
        return None
    s = str(number).strip()
    if not s:
        return None
    if s.isdigit():
        return str(int(s))
    if len(s) > MAX_NUMBER or not re.fullmatch(r"\d+[a-zA-Z]?", s):
        raise ValidationError(tr("Số văn bản «{n}» không hợp lệ.").format(n=s))
    return s.lower()


def check_notation(notation: str) -> str:
    notation = _DASHES.sub("-", nfc(notation).strip())
    if len(notation) > MAX_NOTATION:
        raise ValidationError(
            tr("Ký hiệu «{k}» dài quá {m} ký tự.").format(k=notation, m=MAX_NOTATION))
    if not _NOTATION.match(notation):
        raise ValidationError(tr("Ký hiệu «{k}» không hợp lệ.").format(k=notation))
    return notation


@dataclass(frozen=True)
class Reference:
    number: str
    notation: str
    year: int | None = None  # legal normative documents carry the year

    def __str__(self) -> str:
        mid = f"/{self.year}" if self.year else ""
        return f"{format_number(self.number)}{mid}/{self.notation}"


def parse_reference(text: str) -> Reference:
    """Parse a reference as printed; raise ValidationError when it is not one."""
    raw = nfc(text or "").strip()
    m = _REF.match(_DASHES.sub("-", raw))
    if not m:
        raise ValidationError(tr("Số, ký hiệu «{r}» không đúng dạng (ví dụ 1007/QĐ-UBND).").format(r=raw))
    number = canonical_number(m["number"])
    notation = check_notation(m["notation"])
    year = int(m["year"]) if m["year"] else None
    return Reference(number or "", notation, year)
