"""app.store.listing: the pages the window's register table reads (all SQL in the store)."""
from datetime import datetime, timedelta

import pytest

from app.domain import clock
from app.store import entries, listing, outbox, registers, search


@pytest.fixture
def filled(store):
    start = datetime(2026, 3, 1, 8, tzinfo=clock.VN_TZ)
    issuers = ["Sở Nội vụ", "Sở Tài chính", "Sở Nội vụ", "Ủy ban nhân dân huyện Mỹ Xuyên"]
    items = [{"reference": f"{n}/CV-X", "summary": f"Công văn số {n} về việc {'đê điều' if n % 3 else 'thủy lợi'}",
              "issuer": issuers[n % 4], "issued_on": "2026-02-27", "urgency": n % 3,
              "registered_at": (start + timedelta(minutes=n)).isoformat()} for n in range(1, 41)]
    entries.register_many(store, "incoming", items, now=start + timedelta(days=1))
    entries.register(store, "outgoing", {"summary": "Quyết định về việc đê điều", "notation": "UBND",
                                         "recipients": ["Sở Tài chính", "Sở Nội vụ"]})
    return store


def _all_pages(lst, limit):
    rows, after = [], None
    while True:
        page = lst.page(after, limit)
        rows += page
        if len(page) < limit:
            return rows
        after = lst.key_of(page[-1])


def test_newest_first_pages_match_the_list(filled):
    lst = listing.Listing(filled, "incoming")
    rows = _all_pages(lst, 7)
    assert [r[0] for r in rows] == [e["id"] for e in entries.list_entries(filled, kind="incoming", limit=100)]
    assert len(rows) == 40 and rows[0][listing.FIELD_INDEX["register"]] == "den"


@pytest.mark.parametrize("sort", ["issuer", "urgency", "reference", "arrival_number"])
@pytest.mark.parametrize("descending", [True, False])
def test_sorted_keyset_pages_cover_every_row_once(filled, sort, descending):
    lst = listing.Listing(filled, "incoming", sort=sort, descending=descending)
    rows = _all_pages(lst, 6)
    assert sorted(r[0] for r in rows) == sorted(r[0] for r in _all_pages(listing.Listing(filled, "incoming"), 100))
    keys = [lst.key_of(r) for r in rows]
    assert keys == sorted(keys, reverse=descending)


def test_search_pages_match_store_search_and_filters(filled):
    lst = listing.Listing(filled, "incoming", text="de dieu", filters={"urgency": 2})
    rows = _all_pages(lst, 3)
    expected = search.search(filled, "de dieu", limit=100, kind="incoming", urgency=2)
    assert [r[0] for r in rows] == [e["id"] for e in expected] and rows
    assert listing.page(filled, "incoming", text="!!!") == []


def test_rows_by_ids_total_and_counts(filled):
    ids = [r[0] for r in listing.page(filled, "incoming", limit=5)]
    assert sorted(r[0] for r in listing.rows_by_ids(filled, ids)) == sorted(ids)
    assert listing.total(filled, "incoming") == 40 and listing.total(filled, "outgoing") == 1
    assert listing.total(filled, register="den", year=2026) == 40
    assert listing.frequent_values(filled, "incoming", "issuer")[0] == "Sở Nội vụ"
    assert set(listing.frequent_values(filled, "outgoing", "recipients")) == {"Sở Tài chính", "Sở Nội vụ"}
    with pytest.raises(ValueError):
        listing.frequent_values(filled, "incoming", "summary; DROP TABLE entries")
    counts = listing.nav_counts(filled)
    assert counts["incoming_registered"] == 40 and counts["outgoing_signed"] == 0


def test_outbox_mirror_split(filled):
    mirror = outbox.outbox_items(filled, "pending", mirror=True)
    assert mirror and all(i.topic.startswith("entry.") for i in mirror)
    assert outbox.outbox_items(filled, "pending", mirror=False) == []
    assert outbox.mirror_summary(filled) == {"pending": 41}
    newest = outbox.items(filled, newest_first=True, limit=2)
    assert newest[0]["seq"] > newest[1]["seq"]
    assert registers.get_register(filled, "den").code == "den"


def test_issuer_filter_ignores_case_and_diacritics(filled):
    rows = listing.page(filled, "incoming", filters={"issuer": "so noi vu"}, limit=100)
    assert len(rows) == 20 and {r[listing.FIELD_INDEX["issuer"]] for r in rows} == {"Sở Nội vụ"}
    # words found elsewhere in the entry (the summary) do not make it the issuer
    assert listing.page(filled, "incoming", filters={"issuer": "thuy loi"}) == []
    assert len(entries.list_entries(filled, issuer="MỸ XUYÊN", limit=100)) == 10


def test_pending_entries_most_urgent_then_oldest(filled):
    rows = listing.pending_entries(filled, "incoming", ["registered"], limit=5)
    urg = listing.PENDING_FIELDS.index("urgency")
    assert [r[urg] for r in rows] == [2, 2, 2, 2, 2] and rows[0][0] < rows[1][0]
    since = rows[0][listing.PENDING_FIELDS.index("since")]
    assert since.startswith("2026-03-02")   # the arrival (set at registration), not registered_at
