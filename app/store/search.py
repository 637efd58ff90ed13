"""Full-text search over folded text: case and diacritics ignored, đ -> d, so that
"quyet dinh 1007" finds "Quyết định 1007"."""
import re
import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from ..domain.reference import format_number
from ..domain.text import clean, fold
from .db import Progress, Store

TEXT_FIELDS = ("reference", "doc_type", "summary", "issuer", "signer", "signer_title", "note",
               "receiving_unit", "handling_note", "place", "kept_by")
_TOKEN = re.compile(r"\w+")
FIRST_CHUNK = 200


def body_for(content: Mapping[str, Any], texts: Iterable[str] = ()) -> str:
    parts = [content.get(k) or "" for k in TEXT_FIELDS]
    if content.get("number"):
        parts.append(format_number(content["number"]))
    if content.get("register_number"):
        parts.append(str(content["register_number"]))
    parts += [r.get("name") or "" for r in content.get("recipients") or []]
    parts += list(texts)
    return fold(" ".join(p for p in parts if p))


def index(conn: sqlite3.Connection, entry_id: int, content: Mapping[str, Any], texts: Iterable[str] = (),
          replace: bool = False) -> None:
    body = body_for(content, texts)
    if replace:
        conn.execute("DELETE FROM entries_fts WHERE rowid = ?", (entry_id,))
    conn.execute("INSERT INTO entries_fts (rowid, body) VALUES (?, ?)", (entry_id, body))


def match_expression(text: str) -> str | None:
    """Every word must appear; the last one may be unfinished (prefix), as the clerk types:
    'quyet dinh 10' -> '"quyet" "dinh" "10"*'. Quoting neutralizes FTS syntax."""
    tokens = _TOKEN.findall(fold(text))[:20]
    if not tokens:
        return None
    return " ".join(f'"{t}"' for t in tokens[:-1]) + f' "{tokens[-1]}"*'


def search(store: Store, text: str, limit: int = 50, **filters: Any) -> list[dict[str, Any]]:
    """Entries matching every word of `text`, newest first, with the same filters as listing.
    FTS hits are walked newest first in growing chunks and filtered against the entries, so the
    cost stays proportional to what is shown, not to everything that matches."""
    from .entries import _SELECT, filters_sql, to_public
    from .listing import fts_walk
    expr = match_expression(text)
    if not expr:
        return []
    where, params = filters_sql(store, **filters)
    return [to_public(r) for r in fts_walk(store, expr, _SELECT, where, params, limit, first_chunk=FIRST_CHUNK)]


def set_text(store: Store, entry_id: int, source: str, text: str) -> None:
    """Attach searchable text (e.g. OCR of the scan) to an entry and re-index it."""
    from . import audit
    from .canonical import sha256_text
    text = clean(text, "text", multiline=True) or ""
    with store.transaction() as conn:
        row = conn.execute("SELECT * FROM entries WHERE id = ?", (entry_id,)).fetchone()
        conn.execute("INSERT INTO entry_texts (entry_id, source, text) VALUES (?, ?, ?) "
                     "ON CONFLICT (entry_id, source) DO UPDATE SET text = excluded.text",
                     (entry_id, source, text))
        _reindex(conn, row)
        audit.append(conn, store.actor, "entry.text", "text", row["uid"],
                     {"source": source, "sha256": sha256_text(text)})


def _reindex(conn: sqlite3.Connection, row: sqlite3.Row, replace: bool = True) -> None:
    from .entries import content_of
    texts = [r[0] for r in conn.execute("SELECT text FROM entry_texts WHERE entry_id = ?", (row["id"],))]
    index(conn, row["id"], content_of(row) | {"register_number": row["register_number"]}, texts, replace)


def rebuild(store: Store, progress: Progress = None, batch: int = 10_000) -> int:
    """Rebuild the whole index from the entries (after a change of folding rules)."""
    total = store.query("SELECT count(*) FROM entries")[0][0]
    done, last = 0, 0
    with store.transaction() as conn:
        conn.execute("DELETE FROM entries_fts")
    while True:
        with store.transaction() as conn:
            rows = conn.execute("SELECT * FROM entries WHERE id > ? ORDER BY id LIMIT ?", (last, batch)).fetchall()
            for row in rows:
                _reindex(conn, row, replace=False)
        if not rows:
            break
        last, done = rows[-1]["id"], done + len(rows)
        if progress:
            progress(done, total)
    with store.transaction() as conn:
        conn.execute("INSERT INTO entries_fts (entries_fts) VALUES ('optimize')")
    return done
