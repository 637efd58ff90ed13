"""Reminders: "the same day or the next working morning", urgent ones at once (no Qt)."""
from datetime import datetime

from app.domain.calendar import WorkCalendar
from app.domain.clock import VN_TZ
from app.store import entries
from app.ui.reminders import overdue


def at(*args):
    return datetime(*args, tzinfo=VN_TZ)


def test_incoming_not_forwarded_is_due_next_working_morning(store):
    cal = WorkCalendar()
    friday = at(2026, 11, 20, 16, 0)
    e = entries.register(store, "incoming", {"issuer": "Sở Nội vụ", "summary": "Công văn thường"}, now=friday)
    assert overdue(store, cal, now=at(2026, 11, 23, 11, 0))[0] == []        # Monday morning: still in time
    late, _ = overdue(store, cal, now=at(2026, 11, 23, 11, 31))
    assert [r.entry_id for r in late] == [e["id"]]
    entries.set_status(store, e["id"], "forwarded")
    assert overdue(store, cal, now=at(2026, 11, 23, 15, 0))[0] == []


def test_urgent_first_and_due_at_once(store):
    cal = WorkCalendar()
    t = at(2026, 11, 23, 9, 0)
    normal = entries.register(store, "incoming", {"issuer": "A", "summary": "thường"}, now=at(2026, 11, 18, 9, 0))
    urgent = entries.register(store, "incoming", {"issuer": "B", "summary": "hỏa tốc", "urgency": 3}, now=t)
    out = entries.register(store, "outgoing", {"summary": "đi", "notation": "UBND-VP"}, now=t)
    late, _ = overdue(store, cal, now=at(2026, 11, 23, 9, 5))
    assert [r.entry_id for r in late] == [urgent["id"], normal["id"]]
    assert out["id"] not in [r.entry_id for r in late]
    # 24 November is a public holiday (Ngày Văn hóa Việt Nam) in the calendar: due Wednesday
    late, _ = overdue(store, cal, now=at(2026, 11, 25, 11, 31))
    assert out["id"] in [r.entry_id for r in late]


def test_extra_days_off_move_the_deadline(store):
    from datetime import date
    cal = WorkCalendar(days_off=frozenset({date(2026, 11, 23)}))
    entries.register(store, "incoming", {"issuer": "A", "summary": "x"}, now=at(2026, 11, 20, 16, 0))
    assert overdue(store, cal, now=at(2026, 11, 23, 15, 0))[0] == []
    assert overdue(store, cal, now=at(2026, 11, 25, 11, 0))[0] == []    # 24th is a holiday too
    assert len(overdue(store, cal, now=at(2026, 11, 25, 11, 31))[0]) == 1
