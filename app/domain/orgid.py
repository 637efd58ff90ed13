"""Organization identifiers (mã định danh): four dot-separated groups, 13 characters."""
import re

from ..errors import ValidationError
from ..i18n import tr

_ORG_ID = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")


def is_org_id(value: str | None) -> bool:
    return bool(value) and bool(_ORG_ID.match(value or ""))


def check_org_id(value: str) -> str:
    value = (value or "").strip().upper()
    if not _ORG_ID.match(value):
        raise ValidationError(
            tr("Mã định danh «{v}» không đúng dạng (ví dụ 000.00.00.H53).").format(v=value))
    return value
