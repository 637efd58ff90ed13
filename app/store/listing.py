"""Listing and searching entries for a screen that pages through them (the window's register
table): keyset pages in any sort order, the full-text walk for newest-first searches, re-reading
rows by id, and cheap counts. Rows are plain tuples of LIST_FIELDS (fast to cache by the page)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .db import Store
from .entries import filters_sql
from .registers import all_registers, get_register
from .search import match_expression

LIST_FIELDS = ("id", "register_number", "year", "arrival_at", "issuer", "reference", "issued_on",
               "doc_type", "summary", "receiving_unit", "urgency", "status", "signer", "recipients",
               "registered_at", "register")
FIELD_INDEX = {name: i for i, name in enumerate(LIST_FIELDS)}
_SELECT = ("SELECT e.id, e.register_number, e.year, e.arrival_at, e.issuer, e.reference, e.issued_on, "
           "e.doc_type, e.summary, e.receiving_unit, e.urgency, e.status, e.signer, e.recipients, "
           "e.registered_at, r.code FROM entries e JOIN registers r ON r.id = e.register_id")

# sort key: (SQL expression, substitute for NULL so that keyset comparisons work)
SORT_KEYS: dict[str, tuple[str, str | None]] = {
    "register_number": ("e.register_number", None), "arrival_number": ("e.register_number", None),
    "arrival_at": ("e.arrival_at", "''"), "issuer": ("e.issuer", "''"), "reference": ("e.reference", "''"),
    "issued_on": ("e.issued_on", "''"), "summary": ("e.summary", "''"),
    "receiving_unit": ("e.receiving_unit", "''"), "signer": ("e.signer", "''"),
    "recipients": ("e.recipients", "''"), "urgency": ("e.urgency", None), "status": ("e.status", None),
    "register": ("r.code", None),
}
SPARSE_ROWS = 20_000
FIRST_CHUNK = 200
MAX_CHUNK = 20_000

Row = tuple[Any, ...]


class Listing:
    """One query (kind, search text, filters, sort) compiled once; page() reads the page after a
    key, newest first by default. Filters: register, year, status, doc_type, urgency (minimum),
    date_from, date_to."""

    def __init__(self, store: Store, kind: str | None, text: str | None = None,
                 filters: dict[str, Any] | None = None, sort: str | None = None, descending: bool = True):
        if sort is not None and sort not in SORT_KEYS:
            raise ValueError(f"unknown sort key {sort!r}")
        self.store, self.kind, self.sort, self.descending = store, kind, sort, descending
        self.filters = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
        self.text = (text or "").strip()
        where, params = filters_sql(store, kind=kind, **self.filters)
        sparse = self._sparse_registers()
        if sparse is not None:
            reg_ids, year = sparse
            cond = f"register_id IN ({','.join('?' * len(reg_ids))})" + (" AND year = ?" if year else "")
            where.append(f"e.id IN (SELECT id FROM entries WHERE {cond})")
            params += [*reg_ids, *([year] if year else [])]
        self._plain_where, self._plain_params = list(where), list(params)
        self.match = match_expression(self.text) if self.text else None
        if self.text and not self.match:
            where.append("0")
        elif self.match:
            where.append("e.id IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?)")
            params.append(self.match)
        self._where, self._params = where, params

    def _sparse_registers(self) -> tuple[list[int], int | None] | None:
        """(register ids, year) when the rows asked for are few among many: walking the table
        newest first would then read the whole table to fill one page, while the register index
        finds them directly. The counters, gapless, give the sizes without counting rows."""
        regs = [r for r in all_registers(self.store) if self.kind is None or r.kind == self.kind]
        wanted = self.filters.get("register")
        if wanted:
            regs = [get_register(self.store, wanted)]
        year = self.filters.get("year")
        ids = [r.id for r in regs]
        if not ids:
            return None
        sql = (f"SELECT coalesce(sum(last_number), 0) FROM counters WHERE register_id IN "
               f"({','.join('?' * len(ids))})" + (" AND year = ?" if year else ""))
        mine = self.store.query(sql, [*ids, *([int(year)] if year else [])])[0][0]
        total = self.store.query("SELECT coalesce(sum(last_number), 0) FROM counters")[0][0]
        if mine <= SPARSE_ROWS or mine * 20 < total:
            return ids, int(year) if year else None
        return None

    def key_of(self, row: Row) -> tuple[Any, int]:
        """The keyset position of a row returned by page(): pass the last one as `after`."""
        if self.sort is None:
            return row[0], row[0]
        field = {"arrival_number": "register_number"}.get(self.sort, self.sort)
        value = row[FIELD_INDEX[field]]
        return (value if value is not None or not SORT_KEYS[self.sort][1] else ""), row[0]

    def page(self, after: tuple[Any, int] | None = None, limit: int = 256, store: Store | None = None) -> list[Row]:
        """Up to `limit` rows after the position `after` (None: from the start); `store`: another
        connection to the same data (a compiled query may be paged from another thread)."""
        store = store or self.store
        if self.match and self.sort is None and self.descending:
            return self._search_page(store, after[1] if after else None, limit)
        expr, null = SORT_KEYS[self.sort] if self.sort else ("e.id", None)
        if null:
            expr = f"COALESCE({expr}, {null})"
        direction = "DESC" if self.descending else "ASC"
        cmp = "<" if self.descending else ">"
        where, params = list(self._where), list(self._params)
        if after is not None:
            if self.sort is None:
                where.append(f"e.id {cmp} ?")
                params.append(after[1])
            else:
                where.append(f"({expr}, e.id) {cmp} (?, ?)")
                params += list(after)
        order = f"e.id {direction}" if self.sort is None else f"{expr} {direction}, e.id {direction}"
        sql = f"{_SELECT}{' WHERE ' + ' AND '.join(where) if where else ''} ORDER BY {order} LIMIT ?"
        return [tuple(r) for r in store.query(sql, [*params, limit])]

    def _search_page(self, store: Store, upper: int | None, limit: int) -> list[Row]:
        return [tuple(r) for r in fts_walk(store, self.match or "", _SELECT, self._plain_where,
                                           self._plain_params, limit, upper)]


def fts_walk(store: Store, expr: str, select: str, where: Sequence[str], params: Sequence[Any], limit: int,
             upper: int | None = None, first_chunk: int | None = None) -> list[Any]:
    """Newest-first search: walk the full-text hits below `upper` in growing chunks and keep those
    that pass `where`, so that a word found in half a million entries costs what one page shows,
    not what matches."""
    found: list[Any] = []
    chunk = max(limit, (first_chunk or FIRST_CHUNK) if where else limit)
    while len(found) < limit:
        bound = " AND rowid < ?" if upper else ""
        ids = [r[0] for r in store.query(
            f"SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?{bound} ORDER BY rowid DESC LIMIT ?",
            (expr, upper, chunk) if upper else (expr, chunk))]
        if not ids:
            break
        cond = " AND ".join([f"e.id IN ({','.join('?' * len(ids))})", *where])
        found += store.query(f"{select} WHERE {cond} ORDER BY e.id DESC LIMIT ?", [*ids, *params, limit])
        if len(ids) < chunk:
            break
        upper, chunk = ids[-1], min(chunk * 4, MAX_CHUNK)
    return found[:limit]


def page(store: Store, kind: str | None, *, text: str | None = None, filters: dict[str, Any] | None = None,
         sort: str | None = None, descending: bool = True, after: tuple[Any, int] | None = None,
         limit: int = 256) -> list[Row]:
    """One page of LIST_FIELDS rows (see Listing; keep a Listing to page without recompiling)."""
    return Listing(store, kind, text, filters, sort, descending).page(after, limit)


def rows_by_ids(store: Store, ids: Sequence[int]) -> list[Row]:
    """LIST_FIELDS rows for ids (any order; unknown ids left out), e.g. to refill an evicted page."""
    out: list[Row] = []
    for i in range(0, len(ids), 500):
        part = list(ids[i:i + 500])
        out += [tuple(r) for r in store.query(f"{_SELECT} WHERE e.id IN ({','.join('?' * len(part))})", part)]
    return out


def total(store: Store, kind: str | None = None, register: str | None = None, year: int | None = None) -> int:
    """Entries in the registers of `kind` (or one register, or one year): the sum of the gapless
    counters, without counting rows."""
    where: list[str] = []
    params: list[Any] = []
    if kind:
        where.append("r.kind = ?")
        params.append(kind)
    if register:
        where.append("r.id = ?")
        params.append(get_register(store, register).id)
    if year:
        where.append("c.year = ?")
        params.append(int(year))
    rows = store.query("SELECT coalesce(sum(c.last_number), 0) FROM counters c JOIN registers r ON "
                       f"r.id = c.register_id{' WHERE ' + ' AND '.join(where) if where else ''}", params)
    return int(rows[0][0])


_FREQUENT = {"issuer", "signer", "signer_title", "receiving_unit", "place", "kept_by", "doc_type"}


def frequent_values(store: Store, kind: str | None, field: str, limit: int = 200,
                    scan: int = 20_000) -> list[str]:
    """Distinct non-empty values of `field` (issuer, signer, signer_title, receiving_unit, place,
    kept_by, doc_type, or "recipients" for recipient names) among the latest `scan` entries of
    `kind`, most frequent first: the completion list of a form field."""
    if field != "recipients" and field not in _FREQUENT:
        raise ValueError(f"no completion for field {field!r}")
    kind_cond = "WHERE kind = ?" if kind else ""
    params: list[Any] = [kind] if kind else []
    recent = f"SELECT * FROM entries {kind_cond} ORDER BY id DESC LIMIT ?"
    if field == "recipients":
        sql = (f"SELECT json_extract(j.value, '$.name') AS v, count(*) AS n FROM ({recent}) e, "
               "json_each(e.recipients) j WHERE v IS NOT NULL AND v != '' GROUP BY v ORDER BY n DESC, v LIMIT ?")
    else:
        sql = (f"SELECT {field} AS v, count(*) AS n FROM ({recent}) WHERE v IS NOT NULL AND v != '' "
               "GROUP BY v ORDER BY n DESC, v LIMIT ?")
    return [r[0] for r in store.query(sql, [*params, scan, limit])]


def nav_counts(store: Store) -> dict[str, int]:
    """Cheap counters for the navigation badges: incoming entries still to hand over
    (registered), outgoing entries signed but not yet dispatched, received documents waiting,
    pending deferred jobs."""
    row = store.query(
        "SELECT (SELECT count(*) FROM entries WHERE status = 'registered' AND kind = 'incoming'),"
        " (SELECT count(*) FROM entries WHERE status = 'signed' AND kind = 'outgoing'),"
        " (SELECT count(*) FROM jobs WHERE state = 'pending')")[0]
    inbox = store.query("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'inbox'")[0][0]
    pending = store.query("SELECT count(*) FROM inbox WHERE state = 'pending'")[0][0] if inbox else 0
    return {"incoming_registered": int(row[0]), "outgoing_signed": int(row[1]), "inbox_pending": int(pending),
            "jobs_pending": int(row[2])}


PENDING_FIELDS = ("id", "register_number", "year", "reference", "summary", "urgency", "since")


def pending_entries(store: Store, kind: str, statuses: Sequence[str], limit: int = 5000) -> list[Row]:
    """Entries of `kind` in one of `statuses`, most urgent first then oldest first, as tuples of
    PENDING_FIELDS; `since` is when the clock started (arrival for incoming, else registration)."""
    marks = ",".join("?" * len(statuses))
    since = "COALESCE(e.arrival_at, e.registered_at)" if kind == "incoming" else "e.registered_at"
    rows = store.query(
        f"SELECT e.id, e.register_number, e.year, e.reference, e.summary, e.urgency, {since} AS since "
        f"FROM entries e WHERE e.kind = ? AND e.status IN ({marks}) ORDER BY e.urgency DESC, e.id ASC LIMIT ?",
        (kind, *statuses, limit))
    return [tuple(r) for r in rows]


def latest_entry_id(store: Store) -> int | None:
    rows = store.query("SELECT max(id) FROM entries")
    return rows[0][0] if rows else None
