"""The lazy register model against a real SQLite store."""
import pytest
from PySide6.QtCore import Qt

from app.store import entries, listing
from app.ui import entries_model
from app.ui.entries_model import ENTRY_ID_ROLE, EntriesModel


@pytest.fixture(autouse=True, params=["dense", "sparse"])
def plan(request, monkeypatch):
    """Run every test with both query plans: walking the table newest first (a big register)
    and going through the register index (few rows among many)."""
    monkeypatch.setattr(listing, "SPARSE_ROWS", 10**9 if request.param == "sparse" else -1)
    return request.param


def _bulk(store, n, kind="incoming"):
    items = [{"issuer": "Sở Tài chính", "summary": f"Quyết định phân bổ kinh phí số {i}",
              "urgency": 1 if i % 10 == 0 else 0} for i in range(n)]
    entries.register_many(store, kind, items)


def test_model_passes_qt_model_checks(store, qtmodeltester):
    _bulk(store, 30)
    model = EntriesModel(store, "incoming", page_size=8)
    qtmodeltester.check(model, force_py=True)


def test_pages_are_fetched_lazily_newest_first(store, qapp):
    _bulk(store, 600)
    model = EntriesModel(store, "incoming", page_size=256)
    assert model.rowCount() == 256
    assert model.canFetchMore()
    first = model.index(0, 0)
    assert model.data(first) == "600"          # newest first
    model.fetchMore()
    assert model.rowCount() == 512
    model.fetchMore()
    assert model.rowCount() == 600
    assert not model.canFetchMore()
    assert model.data(model.index(599, 0)) == "01"   # numbers below 10 get a leading zero


def test_page_cache_is_bounded_and_rows_reload(store, qapp):
    _bulk(store, 400)
    model = EntriesModel(store, "incoming", page_size=10)
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 400
    assert model.cached_pages() <= entries_model.CACHE_PAGES
    # the first page was evicted; reading it again fetches it by id
    assert model.data(model.index(0, 0)) == "400"
    assert model.data(model.index(0, 0), ENTRY_ID_ROLE) == model.entry_id(0)


def test_search_ignores_diacritics_and_filters(store, qapp):
    _bulk(store, 20)
    entries.register(store, "incoming", {"issuer": "Bộ Nội vụ", "summary": "Hướng dẫn lưu trữ hồ sơ điện tử"})
    model = EntriesModel(store, "incoming")
    model.set_query("huong dan luu tru")
    assert model.rowCount() == 1
    assert "Hướng dẫn lưu trữ" in model.data(model.index(0, model.columns.index("summary")))
    model.set_query("", urgency=1)
    assert model.rowCount() == 2
    model.set_query("khong co gi nhu the")
    assert model.rowCount() == 0


def test_sort_by_column_pages_with_keyset(store, qapp):
    issuers = ["Sở B", "Sở A", "Sở C"]
    entries.register_many(store, "incoming", [{"issuer": issuers[i % 3], "summary": f"Văn bản {i}"}
                                              for i in range(30)])
    model = EntriesModel(store, "incoming", page_size=7)
    col = model.columns.index("issuer")
    model.sort(col, Qt.AscendingOrder)
    while model.canFetchMore():
        model.fetchMore()
    values = [model.data(model.index(r, col)) for r in range(model.rowCount())]
    assert values == sorted(values) and len(values) == 30
    ids = [model.entry_id(r) for r in range(30)]
    assert len(set(ids)) == 30                  # no row twice across page boundaries


def test_voided_rows_are_struck_through(store, qapp):
    _bulk(store, 3)
    entries.void(store, 2, "đăng ký nhầm")
    model = EntriesModel(store, "incoming")
    row = model.row_of(2)
    assert model.data(model.index(row, 0), Qt.FontRole).strikeOut()
    assert model.data(model.index(row, model.columns.index("status"))) == "Đã hủy số"


@pytest.mark.slow
def test_scroll_through_a_large_register(store, qapp):
    _bulk(store, 20_000)
    model = EntriesModel(store, "incoming")
    while model.canFetchMore():
        model.fetchMore()
        model.data(model.index(model.rowCount() - 1, 5))
    assert model.rowCount() == 20_000


def test_search_pages_walk_all_hits_newest_first(store, qapp):
    items = [{"issuer": "Sở Xây dựng", "summary": ("Giấy phép xây dựng" if i % 3 == 0 else "Báo cáo tháng") + f" {i}",
              "urgency": 1 if i % 2 else 0} for i in range(900)]
    entries.register_many(store, "incoming", items)
    model = EntriesModel(store, "incoming", page_size=40)
    model.set_query("giay phep", urgency=1)
    while model.canFetchMore():
        model.fetchMore()
    ids = [model.entry_id(r) for r in range(model.rowCount())]
    expected = [r[0] for r in store.query(
        "SELECT id FROM entries WHERE summary LIKE 'Giấy phép%' AND urgency >= 1 ORDER BY id DESC")]
    assert ids == expected and len(ids) == 150


def test_an_empty_kind_next_to_a_big_one_uses_the_register_index(store, qapp, monkeypatch):
    monkeypatch.setattr(listing, "SPARSE_ROWS", 0)
    _bulk(store, 50)
    model = EntriesModel(store, "outgoing")
    assert model.rowCount() == 0 and "e.id IN (SELECT id FROM entries WHERE register_id" in " ".join(model.query._where)
    model = EntriesModel(store, "incoming")
    assert model.rowCount() == 50 and not any("SELECT id FROM entries WHERE" in w for w in model.query._where)


def test_sorted_fetches_ask_for_several_pages_at_once(store, qapp):
    entries.register_many(store, "incoming", [{"issuer": f"Sở {i % 7}", "summary": f"Văn bản {i}"}
                                              for i in range(100)])
    model = EntriesModel(store, "incoming", page_size=4)
    assert model.rowCount() == 4
    model.sort(model.columns.index("issuer"), Qt.DescendingOrder)
    assert model.rowCount() == 4 * entries_model.SORTED_PAGES
    while model.canFetchMore():
        model.fetchMore()
    col = model.columns.index("issuer")
    values = [model.data(model.index(r, col)) for r in range(model.rowCount())]
    assert len(values) == 100 and values == sorted(values, reverse=True)
    assert model.data(model.index(99, 0)) is not None       # evicted pages reload by id
