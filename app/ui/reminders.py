"""Reminders (no Qt): incoming documents registered but not forwarded, and outgoing documents
not dispatched, past "the same day or the next working morning" (urgent ones at once);
urgent first, then the longest overdue."""
from dataclasses import dataclass
from datetime import datetime

from ..domain import clock

PENDING = {"incoming": ("registered",), "outgoing": ("registered", "signed")}
SCAN_LIMIT = 2000


@dataclass(frozen=True)
class Reminder:
    entry_id: int
    kind: str
    register_number: int
    year: int
    reference: str | None
    summary: str
    urgency: int
    since: datetime        # arrival (incoming) or registration (outgoing)
    due: datetime

    @property
    def urgent(self) -> bool:
        return self.urgency > 0


def due_time(calendar, kind: str, since: datetime, urgency: int) -> datetime:
    """Urgent documents are due at once (the effective receipt time), others by the end of the
    next working morning."""
    if urgency > 0:
        return calendar.effective_receipt(since)
    return calendar.next_morning_deadline(since)


def overdue(store, calendar, now: datetime | None = None,
            limit: int = 200) -> tuple[list[Reminder], int]:
    """(the reminders to show, how many pending entries were looked at). Looks at the oldest
    pending entries first; SCAN_LIMIT bounds the work on very large registers."""
    now = clock.to_vn(now) if now else clock.now()
    found: list[Reminder] = []
    looked = 0
    for kind, statuses in PENDING.items():
        marks = ",".join("?" * len(statuses))
        time_col = "COALESCE(e.arrival_at, e.registered_at)" if kind == "incoming" else "e.registered_at"
        rows = store.query(
            f"SELECT e.id, e.register_number, e.year, e.reference, e.summary, e.urgency, {time_col} AS since "
            f"FROM entries e WHERE e.kind = ? AND e.status IN ({marks}) "
            f"ORDER BY e.urgency DESC, e.id ASC LIMIT ?", (kind, *statuses, SCAN_LIMIT))
        for r in rows:
            looked += 1
            since = clock.parse_datetime(r["since"])
            due = due_time(calendar, kind, since, r["urgency"] or 0)
            if due <= now:
                found.append(Reminder(r["id"], kind, r["register_number"], r["year"], r["reference"],
                                      r["summary"], r["urgency"] or 0, since, due))
    found.sort(key=lambda x: (-x.urgency, x.due))
    return found[:limit], looked
