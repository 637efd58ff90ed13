"""Register entries: numbering, registration, corrections (revisions), voiding and status.
Every change commits in one transaction with its revision, audit record, search index row
and outbox item, so a crash leaves either the old state or the new one."""
import json
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from ..domain import clock
from ..domain import entry as fields_rules
from ..domain.doctypes import abbreviation
from ..domain.entry import Fields
from ..domain.labels import STATUS_LABELS as STATUS_LABELS  # re-exported for old callers
from ..domain.records import STATUSES as _STATUSES
from ..domain.records import Entry, RowLike, Status
from ..domain.reference import Reference, check_notation
from ..domain.text import clean, clean_ocr_text, fold
from ..errors import DuplicateError, NotFoundError, ValidationError
from ..i18n import tr
from . import attachments, audit, outbox, registers, search
from .canonical import canonical_json, sha256_text
from .db import Progress, Store, inserted_id
from .registers import RegisterDict

FIELD_NAMES = tuple(fields_rules.FIELDS)
SYSTEM_FIELDS = ("uid", "register_id", "kind", "year", "register_number", "revision", "status",
                 "registered_at", "updated_at", "reference", "void_reason")
CONTENT_FIELDS = SYSTEM_FIELDS + FIELD_NAMES
# Legacy string tables, kept for app/ui and app/reports (use app.domain.records.STATUSES and
# app.domain.labels.STATUS_LABELS in new code).
STATUSES = {str(k): tuple(str(s) for s in v) for k, v in _STATUSES.items()}
# Legacy dict form of an entry (to_public): the `entries` columns less content_hash and dup_key,
# recipients decoded, plus the register's code. app.sync and the window take it as a plain dict.
PublicEntry = dict[str, Any]
# A change to an entry's content: mutate(content, current row) -> the keys to update.
Mutation = Callable[[dict[str, Any], sqlite3.Row], dict[str, Any] | None]
# Files already in the content store to link to an entry: (sha256, size, role, name).
FileLink = tuple[str, int, str, str | None]
_SELECT = "SELECT e.*, r.code AS register FROM entries e JOIN registers r ON r.id = e.register_id"


def content_of(row: RowLike) -> dict[str, Any]:
    """The audited content of an entry row (what its content hash covers)."""
    d = {k: row[k] for k in CONTENT_FIELDS}
    d["recipients"] = json.loads(d["recipients"]) if isinstance(d["recipients"], str) else d["recipients"]
    return d


def content_hash(content: Mapping[str, Any]) -> str:
    return sha256_text(canonical_json(content))


def to_public(row: RowLike) -> PublicEntry:
    d = dict(row)
    d["recipients"] = json.loads(d["recipients"])
    for k in ("content_hash", "dup_key"):
        d.pop(k, None)
    return d


def _row(store: Store, ref: int | str) -> sqlite3.Row:
    key = str(ref).strip()
    col = "e.id" if key.isdigit() else "e.uid"
    rows = store.query(f"{_SELECT} WHERE {col} = ?", (int(key) if key.isdigit() else key,))
    if not rows:
        raise NotFoundError(tr("Không có văn bản mã {i} trong sổ.").format(i=key))
    return rows[0]


def get_entry(store: Store, ref: int | str) -> Entry:
    """An entry by id or uid."""
    return Entry.from_row(_row(store, ref))


def get(store: Store, ref: int | str) -> PublicEntry:
    """An entry by id or uid, as a dict. Legacy: use get_entry()."""
    return to_public(_row(store, ref))


def dup_key(kind: str, f: Mapping[str, Any]) -> str | None:
    """The key that finds the same incoming document registered twice (issuer, number, notation, year)."""
    if kind != "incoming" or not (f.get("number") and f.get("notation") and (f.get("issuer") or f.get("issuer_id"))):
        return None
    year = f.get("ref_year") or (f["issued_on"][:4] if f.get("issued_on") else "")
    who = f.get("issuer_id") or " ".join(fold(f["issuer"]).split())
    return f"{who}|{f['number']}|{fold(f['notation'])}|{year}"


def find_duplicates(conn: sqlite3.Connection, kind: str, f: Mapping[str, Any], exclude_id: int | None = None) -> list[int]:
    conds: list[str] = []
    params: list[Any] = []
    if f.get("doc_identifier"):
        conds.append("doc_identifier = ?")
        params.append(f["doc_identifier"])
    key = dup_key(kind, f)
    if key:
        conds.append("dup_key = ?")
        params.append(key)
    if not conds:
        return []
    sql = f"SELECT id FROM entries WHERE status != 'voided' AND kind = ? AND ({' OR '.join(conds)})"
    ids = [r[0] for r in conn.execute(sql, [kind, *params])]
    return [i for i in ids if i != exclude_id]


def _prepare(store: Store, kind: str, data: dict[str, Any], register: str | None, now: datetime,
             default_notation: str | None = None) -> tuple[Fields, RegisterDict]:
    f = fields_rules.normalize(kind, data, now=now)
    reg = registers.resolve(store, kind, register, f.get("doc_type"))
    if reg["doc_types"] and f.get("doc_type") not in reg["doc_types"]:
        raise ValidationError(tr("Sổ «{r}» chỉ dành cho {t}, không dùng cho {d}.").format(
            r=reg["code"], t=", ".join(reg["doc_types"]), d=f.get("doc_type") or "?"))
    if kind == "incoming":
        f.setdefault("arrival_at", clock.iso(now))
        f.setdefault("received_via", "paper")
    else:
        f.setdefault("issued_on", now.date().isoformat())
        if not f.get("notation"):
            org = reg["notation"] or (check_notation(default_notation) if default_notation else None)
            if not org:
                raise ValidationError(tr("Chưa có ký hiệu cơ quan cho số, ký hiệu văn bản đi: đặt ký hiệu cơ quan "
                                         "(ví dụ UBND) trong Cài đặt › Cơ quan, hoặc ký hiệu riêng cho sổ «{r}», "
                                         "hoặc nhập ký hiệu văn bản.").format(r=reg["code"]))
            abbr = abbreviation(f.get("doc_type") or "")
            f["notation"] = f"{abbr}-{org}" if abbr else org
    return f, reg


def _registered_at(data: Mapping[str, Any], now: datetime) -> datetime | None:
    """An explicit registration time (importing an old register), else None."""
    if not data.get("registered_at"):
        return None
    at = fields_rules.parse_datetime(data["registered_at"], "registered_at")
    if at is None:
        return None
    if at > now:
        raise ValidationError(tr("Thời điểm đăng ký {d} ở tương lai.").format(d=clock.display_datetime(at)),
                              field="registered_at", code="future_date")
    return at


def _insert(store: Store, conn: sqlite3.Connection, kind: str, f: Fields, reg: RegisterDict,
            data: Mapping[str, Any], at: datetime | None, allow_duplicate: bool) -> int:
    """`at` None means "now", read inside the transaction: another process may have registered
    while this one waited for the lock, and numbers must follow time order."""
    if not allow_duplicate:
        dups = find_duplicates(conn, kind, f)
        if dups:
            raise DuplicateError(
                tr("Văn bản này có vẻ đã được đăng ký (mã {ids}). Kiểm tra lại; nếu đúng là văn bản "
                   "khác, đăng ký lại với tùy chọn cho phép trùng.").format(ids=", ".join(map(str, dups))),
                existing=dups)
    given = at is not None
    at = at or clock.now()
    year = at.year
    at_iso = clock.iso(at)
    row = conn.execute("SELECT last_number, last_registered_at FROM counters WHERE register_id = ? AND year = ?",
                       (reg["id"], year)).fetchone()
    last = row[0] if row else 0
    if row and at_iso < row[1] and not given:  # the system clock stepped back: keep time order
        at_iso = row[1]
    elif row and at_iso < row[1]:
        raise ValidationError(tr("Thời điểm đăng ký {d} sớm hơn văn bản đã đăng ký gần nhất của sổ ({p}): "
                                 "số phải theo thứ tự thời gian.").format(d=clock.display_datetime(at_iso),
                                                                         p=clock.display_datetime(row[1])),
                              field="registered_at", code="out_of_order")
    n = last + 1
    wanted = data.get("register_number")
    if kind != "incoming" and wanted is None and f.get("number"):
        wanted = f["number"]
    if wanted not in (None, "") and str(wanted).lstrip("0") != str(n):
        raise ValidationError(tr("Số {w} không phải số kế tiếp của sổ «{r}» năm {y} (số kế tiếp là {n:02d}). "
                                 "Số được cấp tự động, liên tục, không bỏ trống.").format(
                                     w=wanted, r=reg["code"], y=year, n=n))
    if kind != "incoming":
        f["number"] = str(n)
        f["reference"] = str(Reference(str(n), f["notation"], year if reg["with_year"] else None))
    elif f.get("number") and f.get("notation"):
        f["reference"] = str(Reference(f["number"], f["notation"], f.get("ref_year")))
    conn.execute("INSERT INTO counters (register_id, year, last_number, last_registered_at) VALUES (?, ?, ?, ?)"
                 " ON CONFLICT (register_id, year) DO UPDATE SET last_number = excluded.last_number,"
                 " last_registered_at = excluded.last_registered_at", (reg["id"], year, n, at_iso))
    if kind == "outgoing" and conn.execute(
            "SELECT 1 FROM entries WHERE kind = 'outgoing' AND year = ? AND number = ? AND notation = ?",
            (year, f["number"], f["notation"])).fetchone():
        raise DuplicateError(tr("Số, ký hiệu {r} đã được dùng trong năm {y} ở một sổ khác.").format(
            r=f["reference"], y=year))
    row = {k: f.get(k) for k in FIELD_NAMES}
    row.update(uid=str(uuid.uuid4()), register_id=reg["id"], kind=kind, year=year, register_number=n,
               revision=1, status="registered", registered_at=at_iso, updated_at=at_iso,
               reference=f.get("reference"), void_reason=None)
    row["recipients"] = f.get("recipients") or []
    digest = content_hash({k: row[k] for k in CONTENT_FIELDS})
    db_row = dict(row, recipients=json.dumps(row["recipients"], ensure_ascii=False),
                  dup_key=dup_key(kind, f), content_hash=digest)
    cols = ", ".join(db_row)
    cur = conn.execute(f"INSERT INTO entries ({cols}) VALUES ({', '.join('?' * len(db_row))})",
                       list(db_row.values()))
    entry_id = inserted_id(cur)
    _after_change(store, conn, entry_id, row, digest, "entry.registered", None, reg["code"])
    text, _cut = clean_ocr_text(data.get("text"))   # capped, with a note when cut (issue 15)
    if text:
        conn.execute("INSERT INTO entry_texts (entry_id, source, text) VALUES (?, 'ocr', ?)", (entry_id, text))
    search.index(conn, entry_id, dict(row, register_number=n), [text] if text else [])
    return entry_id


def _after_change(store: Store, conn: sqlite3.Connection, entry_id: int, content: Mapping[str, Any], digest: str, topic: str,
                  reason: str | None, register_code: str) -> None:
    """Revision, audit record and outbox item for a change already written to `entries`."""
    snapshot = {k: content[k] for k in CONTENT_FIELDS}
    conn.execute("INSERT INTO entry_revisions (entry_id, revision, at, actor, reason, data) VALUES (?, ?, ?, ?, ?, ?)",
                 (entry_id, content["revision"], content["updated_at"], store.actor, reason,
                  canonical_json(snapshot)))
    audit.append(conn, store.actor, topic, "entry", content["uid"],
                 {"id": entry_id, "register": register_code, "year": content["year"],
                  "register_number": content["register_number"], "revision": content["revision"],
                  "status": content["status"], "content_hash": digest, "reason": reason})
    # The outbox item points at the revision it carries (readers get the full snapshot back:
    # outbox.expand); the few keys kept inline serve readers of the raw row.
    stub = {k: content[k] for k in outbox.ENTRY_STUB_KEYS}
    outbox.enqueue(conn, topic, {"rev": [entry_id, content["revision"]], "entry": stub, "register": register_code,
                                 "reason": reason, "workstation": store.workstation_id},
                   register_id=content["register_id"], entity_id=content["uid"])


def register(store: Store, kind: str, data: dict[str, Any], register: str | None = None,
             allow_duplicate: bool = False, now: datetime | None = None,
             default_notation: str | None = None) -> PublicEntry:
    """Register one document; returns the stored entry with its number. Legacy dict form of
    register_entries()."""
    return get(store, register_ids(store, kind, [data], register, allow_duplicate, now,
                                   default_notation=default_notation)[0])


def register_many(store: Store, kind: str, items: Sequence[dict[str, Any]], register: str | None = None,
                  allow_duplicate: bool = False, now: datetime | None = None, progress: Progress = None,
                  default_notation: str | None = None) -> list[PublicEntry]:
    """Legacy dict form of register_entries()."""
    ids = register_ids(store, kind, items, register, allow_duplicate, now, progress, default_notation)
    return [to_public(r) for r in _rows_by_id(store, ids)]


def register_entries(store: Store, kind: str, items: Sequence[dict[str, Any]], register: str | None = None,
                     allow_duplicate: bool = False, now: datetime | None = None, progress: Progress = None,
                     default_notation: str | None = None,
                     files: Sequence[Iterable[FileLink]] | None = None) -> list[Entry]:
    """Register documents in one transaction (all or none); the stored entries, in order.
    `files[i]` lists (sha256, size, role, name) of files already in the content store to link
    to item i inside the same transaction."""
    ids = register_ids(store, kind, items, register, allow_duplicate, now, progress, default_notation,
                       files=files)
    return [Entry.from_row(r) for r in _rows_by_id(store, ids)]


def entries_by_id(store: Store, ids: Sequence[int]) -> list[Entry]:
    """Entries for ids, in the order given (unknown ids left out)."""
    return [Entry.from_row(r) for r in _rows_by_id(store, ids)]


def _rows_by_id(store: Store, ids: Sequence[int]) -> list[sqlite3.Row]:
    rows: dict[int, sqlite3.Row] = {}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk:chunk + 500]
        for r in store.query(f"{_SELECT} WHERE e.id IN ({','.join('?' * len(part))})", part):
            rows[r["id"]] = r
    return [rows[i] for i in ids if i in rows]


def register_ids(store: Store, kind: str, items: Sequence[dict[str, Any]], register: str | None = None,
                 allow_duplicate: bool = False, now: datetime | None = None, progress: Progress = None,
                 default_notation: str | None = None, files: Sequence[Iterable[FileLink]] | None = None) -> list[int]:
    """Register several documents in one transaction: all or none (bulk import); their ids.
    `default_notation` is the organization's notation (setting org.notation), used for outgoing
    documents when the register has none of its own."""
    live = now is None
    now = clock.to_vn(now) if now else clock.now()
    prepared = []
    for i, data in enumerate(items):
        try:
            f, reg = _prepare(store, kind, data, register, now, default_notation)
            at = _registered_at(data, now) or (None if live else now)
            prepared.append((f, reg, data, at))
        except ValidationError as exc:
            if len(items) > 1:
                exc.message = tr("Văn bản thứ {i}: ").format(i=i + 1) + exc.message
            raise
    ids: list[int] = []
    with store.transaction() as conn:
        for i, (f, reg, data, at) in enumerate(prepared):
            try:
                ids.append(_insert(store, conn, kind, f, reg, data, at, allow_duplicate))
                for sha, size, role, name in (files[i] if files else ()):
                    attachments.link_in(conn, store, ids[-1], sha, size, role, name)
            except (ValidationError, DuplicateError) as exc:
                if len(items) > 1:
                    exc.message = tr("Văn bản thứ {i}: ").format(i=i + 1) + exc.message
                raise
            if progress:
                progress(i + 1, len(prepared))
    return ids


def _change(store: Store, entry_id: int | str, mutate: Mutation, topic: str, reason: str | None) -> int:
    """Apply `mutate(row_dict)` to an entry as a new revision."""
    with store.transaction() as conn:
        rows = conn.execute(f"{_SELECT} WHERE e.id = ?", (int(entry_id),)).fetchall()
        if not rows:
            raise NotFoundError(tr("Không có văn bản mã {i} trong sổ.").format(i=entry_id))
        current = rows[0]
        if current["status"] == "voided":
            raise ValidationError(tr("Văn bản số {n} đã bị hủy số, không thay đổi được nữa.").format(
                n=current["register_number"]))
        content = content_of(current)
        updates = mutate(content, current) or {}
        dup_key = updates.pop("dup_key", current["dup_key"])
        content.update(updates)
        content["revision"] = current["revision"] + 1
        content["updated_at"] = max(clock.iso(clock.now()), current["updated_at"])
        digest = content_hash(content)
        values = dict(content, recipients=json.dumps(content["recipients"], ensure_ascii=False),
                      dup_key=dup_key, content_hash=digest)
        conn.execute(f"UPDATE entries SET {', '.join(f'{k} = ?' for k in values)} WHERE id = ?",
                     [*values.values(), current["id"]])
        _after_change(store, conn, current["id"], content, digest, topic, reason, current["register"])
        texts = [r[0] for r in conn.execute("SELECT text FROM entry_texts WHERE entry_id = ?", (current["id"],))]
        search.index(conn, current["id"], content, texts, replace=True)
    return int(current["id"])


def _reason(reason: str | None, what: str) -> str:
    reason = clean(reason, "reason")
    if not reason or len(reason) < 3:
        raise ValidationError(tr("Cần ghi lý do {w}.").format(w=what), field="reason", code="required")
    if len(reason) > 500:
        raise ValidationError(tr("Lý do dài quá 500 ký tự."), field="reason", code="too_long")
    return reason


def revise(store: Store, entry_id: int | str, changes: dict[str, Any], reason: str) -> PublicEntry:
    """Legacy dict form of correct()."""
    return to_public(_row(store, _revise(store, entry_id, changes, reason)))


def correct(store: Store, entry_id: int | str, changes: dict[str, Any], reason: str) -> Entry:
    """Correct fields of an entry; the previous content stays in its revision history."""
    return get_entry(store, _revise(store, entry_id, changes, reason))


def _revise(store: Store, entry_id: int | str, changes: dict[str, Any], reason: str) -> int:
    reason = _reason(reason, tr("sửa"))
    forbidden = sorted(set(changes) & {"register_number", "registered_at", "secrecy"})
    if forbidden:
        raise ValidationError(tr("Không được sửa: {k}.").format(k=", ".join(forbidden)))

    def mutate(content: dict[str, Any], current: sqlite3.Row) -> dict[str, Any]:
        kind = current["kind"]
        f = fields_rules.normalize(kind, changes, partial=True)
        if kind != "incoming" and "number" in f and f["number"] != current["number"]:
            raise ValidationError(tr("Số của văn bản đi do sổ cấp, không sửa được; hãy hủy số và đăng ký lại."))
        f.pop("ref_year", None)
        updates = {k: v for k, v in f.items() if k in FIELD_NAMES}
        merged = {**content, **updates}
        if not merged.get("summary"):
            raise ValidationError(tr("Thiếu trích yếu nội dung văn bản."))
        if "number" in updates or "notation" in updates:
            if merged.get("number") and merged.get("notation"):
                reg = registers.get_by_id(store, current["register_id"])
                year = current["year"] if kind != "incoming" and reg["with_year"] else None
                updates["reference"] = str(Reference(merged["number"], merged["notation"], year))
            else:
                updates["reference"] = None
        if kind == "incoming":
            updates["dup_key"] = dup_key(kind, merged)
        return updates

    return _change(store, entry_id, mutate, "entry.revised", reason)


def void(store: Store, entry_id: int | str, reason: str) -> PublicEntry:
    """Legacy dict form of void_entry()."""
    return to_public(_row(store, _void(store, entry_id, reason)))


def void_entry(store: Store, entry_id: int | str, reason: str) -> Entry:
    """Void a mistaken entry: it keeps its number, which is never reused."""
    return get_entry(store, _void(store, entry_id, reason))


def _void(store: Store, entry_id: int | str, reason: str) -> int:
    reason = _reason(reason, tr("hủy số"))
    return _change(store, entry_id, lambda c, cur: {"status": "voided", "void_reason": reason},
                   "entry.voided", reason)


def set_status(store: Store, entry_id: int | str, status: str, note: str | None = None) -> PublicEntry:
    """Legacy dict form of change_status()."""
    return to_public(_row(store, _set_status(store, entry_id, status, note)))


def change_status(store: Store, entry_id: int | str, status: Status | str, note: str | None = None) -> Entry:
    """Move an entry to another status of its kind (not "voided": see void_entry())."""
    return get_entry(store, _set_status(store, entry_id, status, note))


def _set_status(store: Store, entry_id: int | str, status: Status | str, note: str | None = None) -> int:
    status = str(status)

    def mutate(content: dict[str, Any], current: sqlite3.Row) -> dict[str, Any]:
        if status not in STATUSES[current["kind"]] or status == "voided":
            raise ValidationError(tr("Trạng thái «{s}» không hợp lệ cho văn bản này.").format(s=status),
                                  field="status", code="bad_status")
        return {"status": status}
    return _change(store, entry_id, mutate, "entry.status", clean(note, "note"))


def history(store: Store, entry_id: int | str) -> list[dict[str, Any]]:
    return [dict(r, data=json.loads(r["data"])) for r in store.query(
        "SELECT revision, at, actor, reason, data FROM entry_revisions WHERE entry_id = ? ORDER BY revision",
        (int(entry_id),))]


def list_entries(store: Store, register: str | None = None, year: int | None = None, status: str | None = None,
                 doc_type: str | None = None, urgency: int | None = None, date_from: date | None = None,
                 date_to: date | None = None, kind: str | None = None, limit: int = 100,
                 before_id: int | None = None, offset: int = 0, issuer: str | None = None) -> list[PublicEntry]:
    """Entries newest first, filtered; page with `before_id` (keyset) or `offset`."""
    where, params = filters_sql(store, register, year, status, doc_type, urgency, date_from, date_to, kind,
                                issuer)
    if before_id:
        where.append("e.id < ?")
        params.append(before_id)
    sql = f"{_SELECT}{' WHERE ' + ' AND '.join(where) if where else ''} ORDER BY e.id DESC LIMIT ? OFFSET ?"
    return [to_public(r) for r in store.query(sql, [*params, limit, offset])]


def filters_sql(store: Store, register: str | None = None, year: int | str | None = None,
                status: str | None = None, doc_type: str | None = None, urgency: int | None = None,
                date_from: date | None = None, date_to: date | None = None, kind: str | None = None,
                issuer: str | None = None) -> tuple[list[str], list[Any]]:
    """WHERE conditions for listing filters; `issuer` matches the issuer's name (case and
    diacritics ignored, every word) or its organization id."""
    where: list[str] = []
    params: list[Any] = []
    if issuer:
        from .search import match_expression
        words = match_expression(issuer)
        folded = " ".join(fold(str(issuer)).split())
        if words:   # the index narrows to entries with these words, vn_fold() checks they are the issuer's
            where.append("(e.issuer_id = ? OR (e.id IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?)"
                         " AND vn_fold(e.issuer) LIKE ?))")
            params += [str(issuer).strip(), words, f"%{folded}%"]
        else:
            where.append("e.issuer_id = ?")
            params.append(str(issuer).strip())
    if register:
        where.append("e.register_id = ?")
        params.append(registers.get(store, register)["id"])
    if kind:
        where.append("e.kind = ?")
        params.append(kind)
    if year:
        where.append("e.year = ?")
        params.append(int(year))
    if status:
        where.append("e.status = ?")
        params.append(status)
    if doc_type:
        where.append("e.doc_type = ?")
        params.append(doc_type)
    if urgency is not None:
        where.append("e.urgency >= ?")
        params.append(int(urgency))
    if date_from:
        where.append("e.registered_at >= ?")
        params.append(date_from.isoformat())
    if date_to:
        where.append("e.registered_at < date(?, '+1 day')")
        params.append(date_to.isoformat())
    return where, params
