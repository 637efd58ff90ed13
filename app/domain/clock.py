"""Vietnam time (UTC+7, no daylight saving) and ISO 8601 formatting."""
from datetime import date, datetime, timedelta, timezone, tzinfo

try:
    from zoneinfo import ZoneInfo
    VN_TZ: tzinfo = ZoneInfo("Asia/Ho_Chi_Minh")
except Exception:  # no tz database: Vietnam has had a fixed +07:00 offset since 1975
    VN_TZ = timezone(timedelta(hours=7), "ICT")


def now() -> datetime:
    return datetime.now(VN_TZ)


def to_vn(dt: datetime) -> datetime:
    """Aware datetime in Vietnam time; a naive one is taken as Vietnam local time."""
    if dt.tzinfo is None:
        return dt.replace(tzinfo=VN_TZ)
    return dt.astimezone(VN_TZ)


def iso(dt: datetime) -> str:
    """'2026-11-23T09:05:00+07:00' (seconds precision)."""
    return to_vn(dt).isoformat(timespec="seconds")


def iso_precise(dt: datetime) -> str:
    return to_vn(dt).isoformat(timespec="microseconds")


def parse_datetime(text: str) -> datetime:
    return to_vn(datetime.fromisoformat(text))


def display_date(value: date | datetime | str | None) -> str:
    """dd/mm/yyyy for the clerk (a datetime in Vietnam time; an ISO string is parsed)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if len(value) > 10 else date.fromisoformat(value)
    if isinstance(value, datetime):
        value = to_vn(value).date()
    return value.strftime("%d/%m/%Y")


def display_datetime(value: datetime | str | None) -> str:
    """dd/mm/yyyy HH:MM in Vietnam time."""
    if value is None or value == "":
        return ""
    dt = datetime.fromisoformat(value) if isinstance(value, str) else value
    return to_vn(dt).strftime("%d/%m/%Y %H:%M")


def today() -> date:
    return now().date()
