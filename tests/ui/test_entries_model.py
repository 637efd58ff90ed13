"""The lazy register model against a real SQLite store; every read runs on a worker thread."""
import pytest
from PySide6.QtCore import Qt
from uihelpers import fetch_all, fetch_more, settle, wait_loaded

from app.errors import Cancelled
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


@pytest.fixture
def store(session):
    return session.store


def _model(qtbot, session, kind="incoming", page_size=None):
    return wait_loaded(qtbot, EntriesModel(session, kind, page_size=page_size))


def test_model_passes_qt_model_checks(session, qtbot, qtmodeltester):
    _bulk(session.store, 30)
    model = _model(qtbot, session, page_size=8)
    qtmodeltester.check(model, force_py=True)


def test_pages_are_fetched_lazily_newest_first(session, qtbot):
    _bulk(session.store, 600)
    model = EntriesModel(session, "incoming", page_size=256)
    assert model.rowCount() == 0 and model.is_loading()      # the first page is read off the UI thread
    wait_loaded(qtbot, model)
    assert model.rowCount() == 256
    assert model.canFetchMore()
    first = model.index(0, 0)
    assert model.data(first) == "600"          # newest first
    model.fetchMore()
    model.fetchMore()                          # one page at a time: the second ask waits for the first
    assert model.rowCount() == 256
    wait_loaded(qtbot, model)
    assert model.rowCount() == 512
    fetch_more(qtbot, model)
    assert model.rowCount() == 600
    assert not model.canFetchMore()
    assert model.data(model.index(599, 0)) == "01"   # numbers below 10 get a leading zero


def test_page_cache_is_bounded_and_rows_reload(session, qtbot):
    _bulk(session.store, 400)
    model = _model(qtbot, session, page_size=5)     # 80 pages: more than the cache keeps
    fetch_all(qtbot, model)
    assert model.rowCount() == 400
    assert model.cached_pages() <= entries_model.CACHE_PAGES
    # the first page was evicted: a placeholder row until it is read again by id, then dataChanged
    changed = []
    model.dataChanged.connect(lambda a, b, roles=(): changed.append((a.row(), b.row())))
    assert model.data(model.index(0, 0)) == "…"
    assert model.data(model.index(0, 0), ENTRY_ID_ROLE) == model.entry_id(0)
    qtbot.waitUntil(lambda: bool(changed), timeout=10_000)
    assert changed == [(0, 4)]
    assert model.data(model.index(0, 0)) == "400"


def test_search_ignores_diacritics_and_filters(session, qtbot):
    store = session.store
    _bulk(store, 20)
    entries.register(store, "incoming", {"issuer": "Bộ Nội vụ", "summary": "Hướng dẫn lưu trữ hồ sơ điện tử"})
    model = _model(qtbot, session)
    model.set_query("huong dan luu tru")
    assert model.rowCount() == 21            # the rows shown stay until the answer comes
    wait_loaded(qtbot, model)
    assert model.rowCount() == 1
    assert "Hướng dẫn lưu trữ" in model.data(model.index(0, model.columns.index("summary")))
    model.set_query("", urgency=1)
    wait_loaded(qtbot, model)
    assert model.rowCount() == 2
    model.set_query("khong co gi nhu the")
    wait_loaded(qtbot, model)
    assert model.rowCount() == 0


def test_a_newer_query_wins_over_an_older_answer(session, qtbot):
    _bulk(session.store, 20)
    model = _model(qtbot, session)
    model.set_query("", urgency=1)
    model.set_query("khong co gi nhu the")       # asked before the first answer came
    wait_loaded(qtbot, model)
    qtbot.wait(200)                              # the older answer, if it still came, changes nothing
    assert model.rowCount() == 0 and model.text == "khong co gi nhu the"


def test_sort_by_column_pages_with_keyset(session, qtbot):
    issuers = ["Sở B", "Sở A", "Sở C"]
    entries.register_many(session.store, "incoming", [{"issuer": issuers[i % 3], "summary": f"Văn bản {i}"}
                                                      for i in range(30)])
    model = _model(qtbot, session, page_size=7)
    col = model.columns.index("issuer")
    model.sort(col, Qt.AscendingOrder)
    fetch_all(qtbot, model)
    values = [model.data(model.index(r, col)) for r in range(model.rowCount())]
    assert values == sorted(values) and len(values) == 30
    ids = [model.entry_id(r) for r in range(30)]
    assert len(set(ids)) == 30                  # no row twice across page boundaries


def test_voided_rows_are_struck_through(store, session, qtbot):
    _bulk(store, 3)
    entries.void(store, 2, "đăng ký nhầm")
    model = _model(qtbot, session)
    row = model.row_of(2)
    assert model.data(model.index(row, 0), Qt.FontRole).strikeOut()
    assert model.data(model.index(row, model.columns.index("status"))) == "Đã hủy số"


@pytest.mark.slow
def test_scroll_through_a_large_register(store, session, qtbot):
    _bulk(store, 20_000)
    model = _model(qtbot, session)
    while model.canFetchMore():
        fetch_more(qtbot, model)
        model.data(model.index(model.rowCount() - 1, 5))
    assert model.rowCount() == 20_000


def test_search_pages_walk_all_hits_newest_first(store, session, qtbot):
    items = [{"issuer": "Sở Xây dựng", "summary": ("Giấy phép xây dựng" if i % 3 == 0 else "Báo cáo tháng") + f" {i}",
              "urgency": 1 if i % 2 else 0} for i in range(900)]
    entries.register_many(store, "incoming", items)
    model = _model(qtbot, session, page_size=40)
    model.set_query("giay phep", urgency=1)
    fetch_all(qtbot, model)
    ids = [model.entry_id(r) for r in range(model.rowCount())]
    expected = [r[0] for r in store.query(
        "SELECT id FROM entries WHERE summary LIKE 'Giấy phép%' AND urgency >= 1 ORDER BY id DESC")]
    assert ids == expected and len(ids) == 150


def test_an_empty_kind_next_to_a_big_one_uses_the_register_index(store, session, qtbot, monkeypatch):
    monkeypatch.setattr(listing, "SPARSE_ROWS", 0)
    _bulk(store, 50)
    model = _model(qtbot, session, "outgoing")
    assert model.rowCount() == 0 and "e.id IN (SELECT id FROM entries WHERE register_id" in " ".join(model.query._where)
    model = _model(qtbot, session)
    assert model.rowCount() == 50 and not any("SELECT id FROM entries WHERE" in w for w in model.query._where)


def test_sorted_fetches_ask_for_several_pages_at_once(store, session, qtbot):
    entries.register_many(store, "incoming", [{"issuer": f"Sở {i % 7}", "summary": f"Văn bản {i}"}
                                              for i in range(100)])
    model = _model(qtbot, session, page_size=4)
    assert model.rowCount() == 4
    model.sort(model.columns.index("issuer"), Qt.DescendingOrder)
    wait_loaded(qtbot, model)
    assert model.rowCount() == 4 * entries_model.SORTED_PAGES
    fetch_all(qtbot, model)
    col = model.columns.index("issuer")
    values = []
    for r in range(model.rowCount()):            # evicted pages are read again by id
        index = model.index(r, col)
        if model.data(index) is None:
            qtbot.waitUntil(lambda i=index: model.data(i) is not None, timeout=10_000)
        values.append(model.data(index))
    assert len(values) == 100 and values == sorted(values, reverse=True)


def test_closing_with_a_read_in_flight_does_not_crash(data_dir, qtbot):
    """The session closes while a page is being read: the read is interrupted, its connection
    closed by its own thread (closing it under the query crashed SQLite before)."""
    from app.ui.session import Session
    s = Session(data_dir)
    _bulk(s.store, 2000)
    model = EntriesModel(s, "incoming", page_size=2000)
    model.sort(model.columns.index("summary"), Qt.AscendingOrder)
    s.close()
    assert s.readers.busy() == 0
    with pytest.raises(Cancelled), s.readers.borrow():
        pass


def test_a_failed_read_says_why_and_does_not_retry_in_a_loop(session, qtbot, monkeypatch):
    """The database locked by another program while the register is read: the count line says
    so in Vietnamese, no error dialog, no endless retries; the next refresh reads again."""
    from app.errors import DatabaseLockedError
    from app.ui.register_view import RegisterView
    _bulk(session.store, 5)
    calls = []

    def locked(self, *args, **kwargs):
        calls.append(1)
        raise DatabaseLockedError("Cơ sở dữ liệu đang được một chương trình khác sử dụng.", "database is locked")
    page = listing.Listing.page
    monkeypatch.setattr(listing.Listing, "page", locked)
    view = RegisterView(session, "incoming")
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: "Không đọc được sổ" in view.count_label.text(), timeout=10_000)
    settle(qtbot, session)
    assert "chương trình khác" in view.count_label.text() and len(calls) == 1
    assert not view.model.canFetchMore() and not view.model.is_loading()
    monkeypatch.setattr(listing.Listing, "page", page)
    view.refresh()
    wait_loaded(qtbot, view.model)
    assert view.model.rowCount() == 5 and "5 văn bản" in view.count_label.text()
