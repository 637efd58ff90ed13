"""Vietnamese working-day calendar: weekends, public holidays (incl. Tết), extra days off,
make-up working days and working hours; effective receipt time and deadlines."""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import holidays

from .clock import VN_TZ, to_vn

DEFAULT_HOURS = ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))


def parse_hours(spec: str) -> tuple[tuple[time, time], ...]:
    """'07:30-11:30,13:30-17:00' -> periods."""
    periods = []
    for part in spec.split(","):
        start, end = (time.fromisoformat(x.strip()) for x in part.split("-"))
        if end <= start:
            raise ValueError(f"period {part!r} ends before it starts")
        periods.append((start, end))
    periods.sort()
    for (_, e1), (s2, _) in zip(periods, periods[1:]):
        if s2 < e1:
            raise ValueError("working periods overlap")
    return tuple(periods)


@dataclass
class WorkCalendar:
    hours: tuple[tuple[time, time], ...] = DEFAULT_HOURS
    days_off: frozenset[date] = field(default_factory=frozenset)      # extra days off (decided each year)
    makeup_days: frozenset[date] = field(default_factory=frozenset)   # weekend days worked instead
    _holidays: dict[int, holidays.HolidayBase] = field(default_factory=dict, repr=False)

    def public_holiday(self, d: date) -> str | None:
        if d.year not in self._holidays:
            self._holidays[d.year] = holidays.country_holidays("VN", years=d.year, language="vi")
        name = self._holidays[d.year].get(d)
        return str(name) if name is not None else None

    def is_working_day(self, d: date) -> bool:
        if d in self.makeup_days:
            return True
        if d in self.days_off or d.weekday() >= 5:
            return False
        return self.public_holiday(d) is None

    def next_working_day(self, d: date) -> date:
        d += timedelta(days=1)
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d

    def _at(self, d: date, t: time) -> datetime:
        return datetime.combine(d, t, VN_TZ)

    def effective_receipt(self, dt: datetime) -> datetime:
        """Received outside working hours counts from the start of the next working period."""
        dt = to_vn(dt)
        d = dt.date()
        if self.is_working_day(d):
            for start, end in self.hours:
                if dt.time() < start:
                    return self._at(d, start)
                if dt.time() < end:
                    return dt
        return self._at(self.next_working_day(d), self.hours[0][0])

    def next_morning_deadline(self, dt: datetime) -> datetime:
        """"The same day or the next working morning at the latest": end of the first
        period of the working day after the (effective) receipt day."""
        received = self.effective_receipt(dt)
        return self._at(self.next_working_day(received.date()), self.hours[0][1])

    def add_working_days(self, d: date, n: int) -> date:
        for _ in range(n):
            d = self.next_working_day(d)
        return d

    def deadline_in_working_days(self, dt: datetime, n: int) -> datetime:
        """End of the n-th working day after the effective receipt day (n=0: the same day)."""
        received = self.effective_receipt(dt)
        return self._at(self.add_working_days(received.date(), n), self.hours[-1][1])
