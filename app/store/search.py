"""Full-text search over folded text: case and diacritics ignored, đ -> d, so that
"quyet dinh 1007" finds "Quyết định 1007"."""
import re

from ..domain.reference import format_number
from ..domain.text import fold

TEXT_FIELDS = ("reference", "doc_type", "summary", "issuer", "signer", "signer_title", "note",
               "receiving_unit", "handling_note", "place", "kept_by")
_TOKEN = re.compile(r"\w+")


def body_for(content: dict, texts=()) -> str:
    parts = [content.get(k) or "" for k in TEXT_FIELDS]
    if content.get("number"):
        parts.append(format_number(content["number"]))
    if content.get("register_number"):
        parts.append(str(content["register_number"]))
    parts += [r.get("name") or "" for r in content.get("recipients") or []]
    parts += list(texts)
    return fold(" ".join(p for p in parts if p))


def index(conn, entry_id: int, content: dict, texts=(), replace: bool = False) -> None:
    body = body_for(content, texts)
    if replace:
        conn.execute("DELETE FROM entries_fts WHERE rowid = ?", (entry_id,))
    conn.execute("INSERT INTO entries_fts (rowid, body) VALUES (?, ?)", (entry_id, body))


def match_expression(text: str) -> str | None:
    """Every word must appear (as a prefix): 'quyet dinh 1007' -> '"quyet"* "dinh"* "1007"*'."""
    tokens = _TOKEN.findall(fold(text))
    if not tokens:
        return None
    return " ".join(f'"{t}"*' for t in tokens[:20])


def search(store, text: str, limit: int = 50, **filters) -> list[dict]:
    """Entries matching every word of `text`, newest first, with the same filters as listing."""
    from .entries import _SELECT, filters_sql, to_public
    expr = match_expression(text)
    if not expr:
        return []
    where, params = filters_sql(store, **filters)
    if not where:
        ids = [r[0] for r in store.query(
            "SELECT rowid FROM entries_fts WHERE entries_fts MATCH ? ORDER BY rowid DESC LIMIT ?", (expr, limit))]
        if not ids:
            return []
        rows = store.query(f"{_SELECT} WHERE e.id IN ({','.join('?' * len(ids))}) ORDER BY e.id DESC", ids)
        return [to_public(r) for r in rows]
    sql = (f"{_SELECT} JOIN entries_fts f ON f.rowid = e.id WHERE entries_fts MATCH ? AND "
           f"{' AND '.join(where)} ORDER BY e.id DESC LIMIT ?")
    return [to_public(r) for r in store.query(sql, [expr, *params, limit])]


def set_text(store, entry_id: int, source: str, text: str) -> None:
    """Attach searchable text (e.g. OCR of the scan) to an entry and re-index it."""
    from . import audit
    from .canonical import sha256_text
    from .entries import content_of
    from ..domain.text import clean
    text = clean(text, "text", multiline=True) or ""
    with store.transaction() as conn:
        row = conn.execute("SELECT * FROM entries WHERE id = ?", (entry_id,)).fetchone()
        conn.execute("INSERT INTO entry_texts (entry_id, source, text) VALUES (?, ?, ?) "
                     "ON CONFLICT (entry_id, source) DO UPDATE SET text = excluded.text",
                     (entry_id, source, text))
        texts = [r[0] for r in conn.execute("SELECT text FROM entry_texts WHERE entry_id = ?", (entry_id,))]
        index(conn, entry_id, content_of(row) | {"register_number": row["register_number"]}, texts, replace=True)
        audit.append(conn, store.actor, "entry.text", "text", row["uid"],
                     {"source": source, "sha256": sha256_text(text)})
