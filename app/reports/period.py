"""The period a book or a statistic covers: a quarter, a date range or a whole year; always
within one calendar year (a book is one year)."""
from dataclasses import dataclass
from datetime import date

from ..errors import ValidationError
from ..i18n import tr

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Period:
    year: int
    start: date
    end: date
    quarter: int | None = None

    @property
    def whole_year(self) -> bool:
        return self.start == date(self.year, 1, 1) and self.end == date(self.year, 12, 31) and not self.quarter

    @property
    def label(self) -> str:
        if self.quarter:
            return tr("Quý {q} năm {y}").format(q=ROMAN[self.quarter], y=self.year)
        if self.whole_year:
            return tr("Năm {y}").format(y=self.year)
        return tr("Từ ngày {a} đến ngày {b}").format(a=dmy(self.start), b=dmy(self.end))


def dmy(d: date | str | None) -> str:
    if not d:
        return ""
    if isinstance(d, str):
        d = date.fromisoformat(d[:10])
    return d.strftime("%d/%m/%Y")


def quarter_bounds(year: int, q: int) -> tuple[date, date]:
    start = date(year, 3 * q - 2, 1)
    end = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


def resolve(year: int | None = None, quarter: int | None = None, date_from: date | None = None,
            date_to: date | None = None) -> Period:
    """Check and complete the period; raises ValidationError with a message for the clerk."""
    if quarter is not None and (date_from or date_to):
        raise ValidationError(tr("Chọn quý hoặc khoảng ngày, không chọn cả hai."))
    if year is None:
        anchor = date_from or date_to
        if not anchor:
            raise ValidationError(tr("Cần chọn năm của sổ."))
        year = anchor.year
    if not 1945 <= int(year) <= 2200:
        raise ValidationError(tr("Năm {y} không hợp lệ.").format(y=year))
    year = int(year)
    if quarter is not None:
        if int(quarter) not in ROMAN:
            raise ValidationError(tr("Quý phải là 1, 2, 3 hoặc 4 (nhận được {q}).").format(q=quarter))
        start, end = quarter_bounds(year, int(quarter))
        return Period(year, start, end, int(quarter))
    start = date_from or date(year, 1, 1)
    end = date_to or date(year, 12, 31)
    if start > end:
        raise ValidationError(tr("Ngày bắt đầu {a} sau ngày kết thúc {b}.").format(a=dmy(start), b=dmy(end)))
    if start.year != year or end.year != year:
        raise ValidationError(tr("Khoảng ngày {a} – {b} trải qua hai năm: mỗi sổ chỉ gồm văn bản của "
                                 "một năm ({y}). Hãy lập riêng từng năm.").format(a=dmy(start), b=dmy(end), y=year))
    return Period(year, start, end)
