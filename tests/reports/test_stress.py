"""A large year: every entry once and in order, continuous numbering, each quarter's print
identical to its pages in the volume. The normal suite runs it on 240 entries; `make stress`
(VANTHU_STRESS=1, marked slow) on 4,000."""
import re

import pytest

from app.reports.books import build_book

from . import pdfcheck
from .conftest import incoming_items, token


def _check_year(tmp_path, n: int) -> None:
    from app.settings import Settings
    from app.store import entries, open_store
    data = tmp_path / "data"
    Settings(data).set("org.name", "Văn phòng Sở Nội vụ")
    with open_store(data, actor="test") as store:
        entries.register_many(store, "incoming", incoming_items(n, skip_q3=False), allow_duplicate=True)
        vol = build_book(store, None, "incoming", year=2025, out=tmp_path / "vol.pdf")
        texts = pdfcheck.page_texts(vol.path)
        found = [t for page in texts for t in re.findall(r"VB\d{4}Z", page)]
        assert found == [token(i) for i in range(1, n + 1)]
        numbers = [pdfcheck.page_number(t) for t in texts[2:-1]]
        assert numbers == list(range(1, len(numbers) + 1))
        for q, sec in enumerate(vol.sections, start=1):
            qb = build_book(store, None, "incoming", year=2025, quarter=q, out=tmp_path / f"q{q}.pdf")
            assert (qb.first_page, qb.last_page) == (sec.first_page, sec.last_page)
            qtexts = pdfcheck.page_texts(qb.path)[1:]
            assert qtexts == texts[2 + sec.first_page - 1: 2 + sec.last_page]


@pytest.mark.timeout(300)
def test_year_of_240_entries(tmp_path):
    _check_year(tmp_path, 240)


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_year_of_4000_entries(tmp_path):
    _check_year(tmp_path, 4000)
