"""Domain rules: references, types, marks, identifiers, calendar, entry fields."""
import unicodedata
from datetime import UTC, date, datetime

import pytest

from app.domain import calendar, clock, entry, marks, orgid, reference, text
from app.domain.doctypes import DOC_TYPES, abbreviation, canonical_type, type_from_notation
from app.errors import SecretDocumentError, ValidationError

VN = clock.VN_TZ


@pytest.mark.parametrize("raw, number, notation, year, formatted", [
    ("1007/QĐ-UBND", "1007", "QĐ-UBND", None, "1007/QĐ-UBND"),
    ("37/2018/QĐ-UBND", "37", "QĐ-UBND", 2018, "37/2018/QĐ-UBND"),
    ("12/UBND-VX", "12", "UBND-VX", None, "12/UBND-VX"),
    ("05/TB-VPUBND", "5", "TB-VPUBND", None, "05/TB-VPUBND"),
    ("Số: 5/TB-VPUBND", "5", "TB-VPUBND", None, "05/TB-VPUBND"),
    ("5 / KH – UBND", "5", "KH-UBND", None, "05/KH-UBND"),
])
def test_reference_parse_and_format(raw, number, notation, year, formatted):
    ref = reference.parse_reference(raw)
    assert (ref.number, ref.notation, ref.year) == (number, notation, year)
    assert str(ref) == formatted


@pytest.mark.parametrize("raw", ["", "QĐ-UBND", "1007", "abc/QĐ", "1007/" + "X" * 31, "123456789012/QĐ-UBND"])
def test_reference_rejects_garbage(raw):
    with pytest.raises(ValidationError):
        reference.parse_reference(raw)


def test_number_padding():
    assert reference.format_number(5) == "05"
    assert reference.format_number("09") == "09"
    assert reference.format_number(10) == "10"
    assert reference.canonical_number("007") == "7"


def test_doc_types_table():
    assert len(DOC_TYPES) >= 31
    assert abbreviation("quyet dinh") == "QĐ"
    assert abbreviation("Công văn") is None
    assert canonical_type("KẾ HOẠCH") == "Kế hoạch"
    assert type_from_notation("QĐ-UBND") == "Quyết định"
    assert type_from_notation("QyĐ-UBND") == "Quy định"
    assert type_from_notation("CTr-UBND") == "Chương trình"
    assert type_from_notation("UBND-VX") is None


def test_urgency_and_secrecy():
    assert marks.parse_urgency("HỎA TỐC") == marks.Urgency.HOA_TOC
    assert marks.parse_urgency("thuong khan") == marks.Urgency.THUONG_KHAN
    assert marks.parse_urgency(None) == marks.Urgency.NORMAL
    assert marks.parse_urgency("4").label == "Hỏa tốc hẹn giờ"
    with pytest.raises(ValidationError):
        marks.parse_urgency("rất gấp")
    for mark in ("Mật", "TỐI MẬT", "tuyet mat"):
        with pytest.raises(SecretDocumentError):
            marks.refuse_secret(mark)
    marks.refuse_secret(None)


def test_org_id_shape():
    assert orgid.is_org_id("000.00.00.H53")
    assert orgid.is_org_id("000.12.31.H53")
    assert orgid.check_org_id(" 000.00.01.g01 ") == "000.00.01.G01"
    for bad in ("000.00.00.53H", "00.00.00.H53", "000.00.00.H5", "000-00-00-H53"):
        assert not orgid.is_org_id(bad)
        with pytest.raises(ValidationError):
            orgid.check_org_id(bad)


def test_text_folding_and_nfc():
    decomposed = unicodedata.normalize("NFD", "Quyết định")
    assert text.clean(decomposed) == "Quyết định"
    assert unicodedata.is_normalized("NFC", text.clean(decomposed))
    assert text.fold("Quyết Định Đê điều") == "quyet dinh de dieu"
    assert text.clean("  a\u200b  b\x00 ") == "a b"


CAL = calendar.WorkCalendar()


def test_holidays_including_tet():
    assert not CAL.is_working_day(date(2026, 2, 17))      # Tết
    assert not CAL.is_working_day(date(2026, 9, 2))       # Quốc khánh
    assert not CAL.is_working_day(date(2026, 11, 21))     # Saturday
    assert CAL.is_working_day(date(2026, 11, 23))
    assert "Tết" in CAL.public_holiday(date(2026, 2, 17))


def test_extra_days_off_and_makeup_days():
    cal = calendar.WorkCalendar(days_off=frozenset({date(2026, 11, 23)}),
                                makeup_days=frozenset({date(2026, 11, 21)}))
    assert not cal.is_working_day(date(2026, 11, 23))
    assert cal.is_working_day(date(2026, 11, 21))


def test_effective_receipt():
    at = lambda *a: datetime(*a, tzinfo=VN)
    assert CAL.effective_receipt(at(2026, 11, 23, 9, 0)) == at(2026, 11, 23, 9, 0)
    assert CAL.effective_receipt(at(2026, 11, 23, 6, 0)) == at(2026, 11, 23, 7, 30)
    assert CAL.effective_receipt(at(2026, 11, 23, 12, 0)) == at(2026, 11, 23, 13, 30)
    assert CAL.effective_receipt(at(2026, 11, 23, 18, 0)) == at(2026, 11, 25, 7, 30)   # 24/11 is a holiday
    assert CAL.effective_receipt(at(2026, 11, 21, 10, 0)) == at(2026, 11, 23, 7, 30)   # Saturday
    assert CAL.effective_receipt(at(2026, 2, 13, 17, 30)) == at(2026, 2, 23, 7, 30)    # over Tết
    # UTC input is converted to Vietnam time first: 01:00 UTC is 08:00 in Hà Nội
    assert CAL.effective_receipt(datetime(2026, 11, 23, 1, 0, tzinfo=UTC)) == at(2026, 11, 23, 8, 0)


def test_deadlines():
    at = lambda *a: datetime(*a, tzinfo=VN)
    assert CAL.next_morning_deadline(at(2026, 11, 20, 15, 0)) == at(2026, 11, 23, 11, 30)  # Fri -> Mon
    assert CAL.deadline_in_working_days(at(2026, 11, 23, 9, 0), 3) == at(2026, 11, 27, 17, 0)
    assert CAL.add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 3)


def test_working_hours_parsing():
    assert calendar.parse_hours("08:00-12:00, 13:00-17:30")[1][1].hour == 17
    with pytest.raises(ValueError):
        calendar.parse_hours("12:00-08:00")


def test_entry_normalize_rules():
    now = datetime(2026, 11, 23, 10, 0, tzinfo=VN)
    f = entry.normalize("incoming", {"reference": "1007/QĐ-UBND", "summary": " Về  việc ", "issuer": "UBND",
                                     "issued_on": "20/11/2026", "urgency": "Khẩn"}, now=now)
    assert f == {"number": "1007", "notation": "QĐ-UBND", "doc_type": "Quyết định", "summary": "Về việc",
                 "issuer": "UBND", "issued_on": "2026-11-20", "urgency": 1}
    bad = [
        {"summary": "x", "issuer": "y", "issued_on": "2026-02-30"},           # impossible date
        {"summary": "x", "issuer": "y", "issued_on": "31/04/2026"},
        {"summary": "x" * 501, "issuer": "y"},                                 # over-long
        {"summary": "x", "issuer": "y" * 201},
        {"summary": "x", "issuer": "y", "signer": "z" * 51},
        {"summary": "x", "issuer": "y", "issued_on": "2026-12-01"},           # future
        {"summary": "x", "issuer": "y", "unknown_field": 1},
        {"summary": "x"},                                                       # no issuer
        {"summary": "x", "issuer": "y", "recipients": ["A"]},                  # outgoing-only field
        {"summary": "x", "issuer": "y", "reference": "1007/QĐ-UBND", "number": "1008"},
    ]
    for data in bad:
        with pytest.raises(ValidationError):
            entry.normalize("incoming", data, now=now)
    with pytest.raises(SecretDocumentError):
        entry.normalize("incoming", {"summary": "x", "issuer": "y", "secrecy": "Mật"}, now=now)


def test_display_dates_for_the_clerk():
    from datetime import date, datetime

    from app.domain import clock
    assert clock.display_date("2026-11-02") == "02/11/2026"
    assert clock.display_date(date(2026, 1, 5)) == "05/01/2026"
    # 20:30 UTC is the next morning in Vietnam
    assert clock.display_date(datetime(2026, 11, 2, 20, 30, tzinfo=UTC)) == "03/11/2026"
    assert clock.display_datetime("2026-11-02T20:30:00+00:00") == "03/11/2026 03:30"
    assert clock.display_date(None) == "" and clock.display_datetime("") == ""
