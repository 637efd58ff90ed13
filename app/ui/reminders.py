"""Reminders (no Qt): incoming documents registered but not forwarded, and outgoing documents
not dispatched, past "the same day or the next working morning" (urgent ones at once);
urgent first, then the longest overdue."""
from dataclasses import dataclass
from datetime import datetime

from ..domain import clock
from ..store import listing

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
        for entry_id, number, year, reference, summary, urgency, since_text in listing.pending_entries(
                store, kind, statuses, SCAN_LIMIT):
            looked += 1
            since = clock.parse_datetime(since_text)
            due = due_time(calendar, kind, since, urgency or 0)
            if due <= now:
                found.append(Reminder(entry_id, kind, number, year, reference, summary, urgency or 0, since, due))
    found.sort(key=lambda x: (-x.urgency, x.due))
    return found[:limit], looked
