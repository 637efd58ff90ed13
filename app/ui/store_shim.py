"""Read-only queries the window needs that app/store does not offer yet (requested from i12 in
/work/coord/requests.md). The one place in app/ui with SQL; delete once the store has them."""
import json
from collections import Counter

COMPLETION_FIELDS = ("issuer", "signer", "signer_title", "receiving_unit", "recipients", "kept_by")
SCAN_ROWS = 20_000          # the newest entries give the completion lists


def frequent_values(store, kind: str, field: str, limit: int = 300) -> list[str]:
    """Distinct non-empty values of `field` in the newest entries of `kind`, most frequent first."""
    if field not in COMPLETION_FIELDS:
        raise ValueError(field)
    rows = store.query(f"SELECT {field} FROM entries WHERE kind = ? AND {field} IS NOT NULL "
                       f"ORDER BY id DESC LIMIT ?", (kind, SCAN_ROWS))
    counts: Counter = Counter()
    for (value,) in rows:
        if field == "recipients":
            try:
                items = json.loads(value) or []
            except ValueError:
                continue
            counts.update((r.get("name") or "").strip() for r in items if isinstance(r, dict))
        else:
            counts[value.strip()] += 1
    counts.pop("", None)
    return [v for v, _ in counts.most_common(limit)]


def register_total(store, kind: str) -> int:
    """Entries of `kind`: the sum of the gapless counters, without counting rows."""
    rows = store.query("SELECT sum(c.last_number) FROM counters c JOIN registers r ON r.id = c.register_id "
                       "WHERE r.kind = ?", (kind,))
    return rows[0][0] if rows and rows[0][0] is not None else 0


def nav_counts(store) -> dict[str, int]:
    """The navigation badges: incoming not yet handed over, outgoing not yet released, inbox
    items waiting, outbox document sends waiting or failed."""
    out = {}
    out["incoming"] = store.query("SELECT count(*) FROM entries WHERE kind = 'incoming' "
                                  "AND status = 'registered'")[0][0]
    out["outgoing"] = store.query("SELECT count(*) FROM entries WHERE kind = 'outgoing' "
                                  "AND status IN ('registered', 'signed')")[0][0]
    out["inbox"] = store.query("SELECT count(*) FROM inbox WHERE state = 'pending'")[0][0]
    out["outbox"] = store.query(f"SELECT count(*) FROM outbox WHERE state IN ('pending', 'parked') "
                                f"AND topic NOT IN ({','.join('?' * len(MIRROR_TOPICS))})", MIRROR_TOPICS)[0][0]
    return out


# outbox topics that only mirror the register to the provincial server (not a document sent)
MIRROR_TOPICS = ("entry.registered", "entry.revised", "entry.voided", "entry.status", "attachment.added")


def outbox_items(store, state: str | None, mirror: bool, limit: int = 500) -> list[dict]:
    where, params = [], []
    if state:
        where.append("state = ?")
        params.append(state)
    where.append(f"topic {'IN' if mirror else 'NOT IN'} ({','.join('?' * len(MIRROR_TOPICS))})")
    params += MIRROR_TOPICS
    order = "seq DESC" if state == "done" else "seq"
    return [dict(r) for r in store.query(f"SELECT * FROM outbox WHERE {' AND '.join(where)} "
                                         f"ORDER BY {order} LIMIT ?", [*params, limit])]


def mirror_summary(store) -> dict[str, int]:
    """{state: count} of the register-mirror items."""
    return {r[0]: r[1] for r in store.query(
        f"SELECT state, count(*) FROM outbox WHERE topic IN ({','.join('?' * len(MIRROR_TOPICS))}) "
        f"GROUP BY state", MIRROR_TOPICS)}


def latest_entry_id(store) -> int | None:
    rows = store.query("SELECT max(id) FROM entries")
    return rows[0][0] if rows else None


def entries_by_uid(store, uids) -> dict[str, dict]:
    uids = list(dict.fromkeys(u for u in uids if u))
    if not uids:
        return {}
    rows = store.query(f"SELECT uid, id, register_number, year, reference, doc_type, summary, urgency, status "
                       f"FROM entries WHERE uid IN ({','.join('?' * len(uids))})", uids)
    return {r["uid"]: dict(r) for r in rows}
