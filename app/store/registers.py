"""Registers (sổ): several per organization, each with its own yearly counter."""
import json
import re
import sqlite3
from typing import NotRequired, TypedDict

from ..domain import clock
from ..domain.doctypes import canonical_type
from ..domain.labels import KIND_LABELS as _KIND_LABELS
from ..domain.records import Register
from ..domain.reference import check_notation
from ..domain.text import clean, fold
from ..errors import NotFoundError, ValidationError
from ..i18n import tr
from . import audit
from .db import Store, inserted_id

_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
KIND_LABELS = {k: tr(v) for k, v in _KIND_LABELS.items()}


class RegisterDict(TypedDict):
    """A row of `registers` decoded (legacy dict form of Register; the command line prints it)."""

    id: int
    code: str
    kind: str
    title: str
    notation: str | None
    doc_types: list[str]
    with_year: bool
    is_default: bool
    owner: str | None
    created_at: str
    counters: NotRequired[dict[int, int]]    # {year: last number}, added by `vanthu register list`


def _as_dict(row: sqlite3.Row) -> RegisterDict:
    return RegisterDict(id=row["id"], code=row["code"], kind=row["kind"], title=row["title"],
                        notation=row["notation"], doc_types=json.loads(row["doc_types"]),
                        with_year=bool(row["with_year"]), is_default=bool(row["is_default"]),
                        owner=row["owner"], created_at=row["created_at"])


def all_registers(store: Store) -> list[Register]:
    return [Register.from_row(r) for r in store.query("SELECT * FROM registers ORDER BY id")]


def get_register(store: Store, name: str) -> Register:
    """A register by code, title (any case or diacritics) or id."""
    return Register.from_row(get(store, name))


def register_by_id(store: Store, register_id: int) -> Register:
    return Register.from_row(get_by_id(store, register_id))


def list_registers(store: Store) -> list[RegisterDict]:
    """Legacy dict form of all_registers()."""
    return [_as_dict(r) for r in store.query("SELECT * FROM registers ORDER BY id")]


def get(store: Store, name: str) -> RegisterDict:
    """A register by code, title (any case or diacritics) or id."""
    name = (name or "").strip()
    for reg in list_registers(store):
        if name == str(reg["id"]) or name.lower() == reg["code"] or fold(name) == fold(reg["title"]):
            return reg
    raise NotFoundError(tr("Không có sổ «{n}». Các sổ hiện có: {all}.").format(
        n=name, all=", ".join(r["code"] for r in list_registers(store))))


def get_by_id(store: Store, register_id: int) -> RegisterDict:
    rows = store.query("SELECT * FROM registers WHERE id = ?", (register_id,))
    if not rows:
        raise NotFoundError(tr("Không có sổ số {n}.").format(n=register_id))
    return _as_dict(rows[0])


def resolve(store: Store, kind: str, name: str | None = None, doc_type: str | None = None) -> RegisterDict:
    """The register to write to: the one named, else the series covering the type, else the default."""
    if name:
        reg = get(store, name)
        if reg["kind"] != kind:
            raise ValidationError(tr("Sổ «{n}» là sổ {k}, không dùng cho {w}.").format(
                n=reg["code"], k=KIND_LABELS[reg["kind"]], w=KIND_LABELS[kind]))
        return reg
    candidates = [r for r in list_registers(store) if r["kind"] == kind]
    if doc_type:
        for reg in candidates:
            if doc_type in reg["doc_types"]:
                return reg
    for reg in candidates:
        if reg["is_default"] or not reg["doc_types"]:
            return reg
    raise NotFoundError(tr("Chưa có sổ {k} nào. Hãy tạo sổ trước.").format(k=KIND_LABELS[kind]))


def create(store: Store, code: str, kind: str, title: str, notation: str | None = None,
           doc_types: list[str] | None = None, with_year: bool = False) -> RegisterDict:
    code = (code or "").strip().lower()
    if not _CODE.match(code):
        raise ValidationError(tr("Mã sổ «{c}» chỉ gồm chữ thường không dấu, chữ số, - và _ (tối đa 32).")
                              .format(c=code))
    if kind not in KIND_LABELS:
        raise ValidationError(tr("Loại sổ phải là incoming, outgoing hoặc copy."))
    title = clean(title, "title") or ""
    if not title or len(title) > 200:
        raise ValidationError(tr("Tên sổ phải có từ 1 đến 200 ký tự."))
    types = []
    for t in doc_types or []:
        canon = canonical_type(t)
        if not canon:
            raise ValidationError(tr("Tên loại văn bản «{t}» không có trong danh mục.").format(t=t))
        types.append(canon)
    notation = check_notation(notation) if notation else None
    with store.transaction() as conn:
        if conn.execute("SELECT 1 FROM registers WHERE code = ?", (code,)).fetchone():
            raise ValidationError(tr("Đã có sổ mã «{c}».").format(c=code))
        has_default = conn.execute("SELECT 1 FROM registers WHERE kind = ? AND is_default = 1",
                                   (kind,)).fetchone()
        cur = conn.execute(
            "INSERT INTO registers (code, kind, title, notation, doc_types, with_year, is_default,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (code, kind, title, notation, json.dumps(types, ensure_ascii=False), int(with_year),
             0 if has_default or types else 1, clock.iso(clock.now())))
        audit.append(conn, store.actor, "register.create", "register", code,
                     {"kind": kind, "title": title, "notation": notation, "doc_types": types,
                      "with_year": with_year})
    return get_by_id(store, inserted_id(cur))


def set_notation(store: Store, name: str, notation: str) -> RegisterDict:
    reg = get(store, name)
    notation = check_notation(notation)
    with store.transaction() as conn:
        conn.execute("UPDATE registers SET notation = ? WHERE id = ?", (notation, reg["id"]))
        audit.append(conn, store.actor, "register.notation", "register", reg["code"],
                     {"notation": notation})
    return get_by_id(store, reg["id"])


def counters(store: Store, register_id: int) -> dict[int, int]:
    return {r[0]: r[1] for r in store.query(
        "SELECT year, last_number FROM counters WHERE register_id = ? ORDER BY year", (register_id,))}
