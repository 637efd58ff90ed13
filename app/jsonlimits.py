"""JSON from outside (imports): size and nesting depth checked before parsing, and strict types
for every key of an imported entry (a string field accepts a string, nothing else)."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from .errors import ValidationError
from .i18n import tr

MAX_BYTES = 64 << 20          # 100,000 entries of ~600 bytes
MAX_DEPTH = 20                # an import needs 4: list > entry > recipients > recipient

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def depth(text: str) -> int:
    """The deepest nesting of [ and { in a JSON text (brackets inside strings are skipped)."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    d = deepest = 0
    for c in brackets:
        if c in "[{":
            d += 1
            if d > deepest:
                deepest = d
        else:
            d -= 1
    return deepest


def loads(text: str, name: str = "JSON", max_depth: int = MAX_DEPTH):
    """Parse `text` after checking its nesting depth."""
    n = depth(text)
    if n > max_depth:
        raise ValidationError(tr("Tệp {p} lồng nhau quá sâu ({n} cấp; tối đa {m}).").format(
            p=name, n=n, m=max_depth), f"{name}: JSON depth {n} > {max_depth}")
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ValidationError(tr("Tệp {p} không phải JSON hợp lệ: {e}").format(p=name, e=exc), str(exc))


def load_file(path: str, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH, stdin=None):
    """Read and parse a JSON file ('-' is standard input) within the size and depth limits."""
    try:
        if path == "-":
            stream = stdin or sys.stdin
            raw = stream.read(max_bytes + 1)
            if isinstance(raw, bytes):
                raw = raw.decode("utf-8-sig")
        else:
            p = Path(path)
            size = p.stat().st_size
            if size > max_bytes:
                raise ValidationError(tr("Tệp {p} quá lớn ({n} MB; tối đa {m} MB).").format(
                    p=path, n=size >> 20, m=max_bytes >> 20), f"{path}: {size} bytes")
            raw = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ValidationError(tr("Không tìm thấy tệp {p}.").format(p=path))
    except IsADirectoryError:
        raise ValidationError(tr("{p} là một thư mục, không phải tệp JSON.").format(p=path))
    except UnicodeDecodeError as exc:
        raise ValidationError(tr("Tệp {p} không phải JSON hợp lệ: {e}").format(p=path, e=exc), str(exc))
    except OSError as exc:
        raise ValidationError(tr("Không đọc được tệp {p}: {e}").format(p=path, e=exc.strerror or exc), str(exc))
    if len(raw) > max_bytes:
        raise ValidationError(tr("Dữ liệu JSON quá lớn (tối đa {m} MB).").format(m=max_bytes >> 20))
    return loads(raw, path, max_depth)


# ---------------------------------------------------------------- strict types of an imported entry

_STR, _INT, _NUM = "str", "int", "num"
_FIELD_TYPES = {"text": (_STR,), "multiline": (_STR,), "notation": (_STR,), "date": (_STR,),
                "datetime": (_STR,), "orgid": (_STR,), "via": (_STR,), "number": (_STR, _INT),
                "int": (_INT, _STR), "urgency": (_INT, _STR)}
_INPUT_TYPES = {"reference": (_STR,), "secrecy": (_STR,), "text": (_STR,), "registered_at": (_STR,),
                "register_number": (_INT,)}


def _is(value, kinds) -> bool:
    if isinstance(value, bool):
        return False
    return ((_STR in kinds and isinstance(value, str)) or (_INT in kinds and isinstance(value, int))
            or (_NUM in kinds and isinstance(value, (int, float))))


def _type_name(value) -> str:
    from .domain.text import _type_name as name
    return name(value)


def _wrong(where: str, label: str, kinds, value) -> ValidationError:
    want = " hoặc ".join({_STR: tr("chuỗi chữ"), _INT: tr("số nguyên"), _NUM: tr("số")}[k] for k in kinds)
    return ValidationError(_cap(tr("{w}trường «{f}» phải là {k}, không phải {t}.").format(
        w=where, f=label, k=want, t=_type_name(value))), f"{label}: {type(value).__name__}")


def _cap(msg: str) -> str:
    return msg[:1].upper() + msg[1:]


def check_entry_types(data, where: str = "") -> None:
    """Refuse an entry whose keys have the wrong JSON type. Unknown keys are left to the
    domain validation (which names them)."""
    from .domain.entry import FIELDS
    if not isinstance(data, dict):
        raise ValidationError(_cap(where + tr("mỗi văn bản phải là một đối tượng JSON.")))
    for key, value in data.items():
        if value is None:
            continue
        if key in FIELDS:
            kind, label = FIELDS[key][0], FIELDS[key][3]
            if kind == "recipients":
                _check_recipients(value, where, label)
                continue
            kinds = _FIELD_TYPES.get(kind, (_STR,))
        elif key in _INPUT_TYPES:
            label, kinds = key, _INPUT_TYPES[key]
        elif key == "confidence":
            if not isinstance(value, dict) or not all(
                    isinstance(k, str) and (v is None or _is(v, (_NUM,))) for k, v in value.items()):
                raise ValidationError(_cap(where + tr("trường «confidence» phải là đối tượng {{tên trường: số}}.")))
            continue
        else:
            continue
        if not _is(value, kinds):
            raise _wrong(where, label, kinds, value)


def _check_recipients(value, where: str, label: str) -> None:
    if isinstance(value, str):
        return
    if not isinstance(value, list):
        raise ValidationError(_cap(where + tr("trường «{f}» phải là danh sách.").format(f=label)))
    for item in value:
        if isinstance(item, str):
            continue
        if not isinstance(item, dict):
            raise _wrong(where, label, (_STR,), item)
        for k in ("id", "name"):
            if item.get(k) is not None and not isinstance(item[k], str):
                raise _wrong(where, f"{label} / {k}", (_STR,), item[k])


def check_import(data) -> list[dict]:
    """An import: one entry object or a list of them, each with strict key types."""
    items = data if isinstance(data, list) else [data]
    for i, item in enumerate(items, 1):
        check_entry_types(item, tr("Văn bản thứ {i}: ").format(i=i) if len(items) > 1 else "")
    return items
