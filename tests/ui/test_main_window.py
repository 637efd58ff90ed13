"""The main window driven like a clerk: navigation, shortcuts, search, status bar, reminders,
detail with history, void with a reason."""
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from uihelpers import settle, submit, type_text

from app.store import entries
from app.ui.entry_detail import EntryDetail, void_entry


def test_navigation_has_the_seven_screens_and_shortcuts(window, qtbot):
    labels = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert labels == ["Văn bản đến", "Văn bản đi", "Tra cứu", "Chờ tiếp nhận", "Hàng đợi gửi", "Sổ và in sổ",
                      "Cài đặt"]
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key_2, Qt.ControlModifier)
    assert window.current_view_name() == "outgoing"
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    assert window.current_view_name() == "search"
    qtbot.keyClick(window, Qt.Key_7, Qt.ControlModifier)
    assert window.current_view_name() == "settings"


def test_search_box_ignores_diacritics(populated, window, qtbot):
    view = window.show_view("incoming")
    assert view.model.rowCount() == 40
    type_text(view.search, "ke hoach chuyen doi so")
    view.apply_filters()
    settle(qtbot, populated)
    n = view.model.rowCount()
    assert 0 < n < 40
    col = view.model.columns.index("summary")
    for r in range(n):
        assert "chuyển đổi số" in view.model.data(view.model.index(r, col))
    assert "văn bản" in view.count_label.text()


def test_status_bar_counts_waiting_items(populated, window, qtbot):
    window.status.start()
    qtbot.waitUntil(lambda: window.status.state.get("outbox_pending") is not None, timeout=10000)
    assert window.status.state["outbox_pending"] >= 55
    assert "chờ gửi" in window.status.network.text()
    assert "chưa cấu hình máy chủ" in window.status.network.text()
    assert window.status.token.text() == "Token: chưa cấu hình"


def test_reminders_list_overdue_documents_urgent_first(populated, window, qtbot):
    window.reminders.start()
    qtbot.waitUntil(lambda: bool(window.reminders.items), timeout=10000)
    items = window.reminders.items
    urgencies = [r.urgency for r in items]
    assert urgencies == sorted(urgencies, reverse=True)
    assert "Nhắc việc (" in window.reminders.title.text()


def test_detail_shows_history_after_correction(populated, window, qtbot):
    e = entries.list_entries(populated.store, kind="incoming", limit=1)[0]
    entries.revise(populated.store, e["id"], {"summary": "Trích yếu đã sửa lại"}, "gõ nhầm trích yếu")
    dlg = EntryDetail(populated, e["id"], window)
    qtbot.addWidget(dlg)
    assert dlg.header.text() == "Đang tải…" and not dlg.void_button.isEnabled()   # read off the UI thread
    qtbot.waitUntil(dlg.is_loaded, timeout=10_000)
    assert dlg.history.rowCount() == 2 and dlg.void_button.isEnabled()
    change = dlg.history.item(1, 3).text()
    assert "gõ nhầm trích yếu" in change and "Trích yếu đã sửa lại" in change


def test_void_with_reason_keeps_the_number(populated, window, qtbot):
    e = entries.list_entries(populated.store, kind="incoming", limit=1)[0]
    got = []
    changes = []
    populated.changed.connect(changes.append)
    void_entry(window, populated, e, reason="đăng ký nhầm hai lần", done=got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=10_000)
    updated = got[0]
    assert changes and changes[0].entries           # one change notice saying what changed
    assert updated["status"] == "voided" and updated["void_reason"] == "đăng ký nhầm hai lần"
    view = window.show_view("incoming")
    row = view.model.row_of(e["id"])
    assert view.model.data(view.model.index(row, 0)) == f"{e['register_number']:02d}"
    nxt = entries.register(populated.store, "incoming", {"issuer": "Sở Y tế", "summary": "Văn bản mới"})
    assert nxt["register_number"] == e["register_number"] + 1


def test_void_dialog_requires_a_reason(populated, window, qtbot):
    from app.ui.entry_detail import ReasonDialog
    dlg = ReasonDialog("Hủy số", "Lý do", window)
    qtbot.addWidget(dlg)
    assert not dlg.ok.isEnabled()
    type_text(dlg.reason, "trùng số")
    assert dlg.ok.isEnabled()


def test_new_entry_from_the_window_selects_it(session, window, qtbot, monkeypatch):
    dlg = window.new_entry("incoming")
    dlg.show_number = False
    type_text(dlg.form.editors["issuer"].input, "Văn phòng Chính phủ")
    type_text(dlg.form.editors["summary"].input, "Thông báo kết luận của Thủ tướng")
    entry = submit(qtbot, dlg)
    assert dlg.result() == QDialog.Accepted
    view = window.views["incoming"]
    # selected once the register has read its new first page (off the UI thread)
    qtbot.waitUntil(lambda: view.current_entry_id() == entry["id"], timeout=10_000)


def test_crash_logs_of_the_previous_run_are_reported_once(session, qtbot, data_dir):
    from app.ui import crash
    from app.ui.main_window import MainWindow
    try:
        raise RuntimeError("hỏng giữa chừng")
    except RuntimeError as exc:
        path = crash.write_crash_log(data_dir, type(exc), exc, exc.__traceback__)
    assert "hỏng giữa chừng" in path.read_text(encoding="utf-8")
    w = MainWindow(session)
    qtbot.addWidget(w)
    reported = w.report_previous_crashes()
    assert reported == [path]
    assert "hỏng giữa chừng" in w.crash_report_dialog.detail
    assert crash.pending_reports(data_dir) == []
    assert w.report_previous_crashes() == []
    w.crash_report_dialog.close()


def test_unexpected_exception_writes_a_crash_log_and_tells_the_clerk(session, window, qtbot, data_dir):
    from app.ui import crash
    handler = crash.CrashHandler(data_dir)
    handler.notify = window.notify_crash
    try:
        {}["absent"]
    except KeyError as exc:
        handler.handle(type(exc), exc, exc.__traceback__)
    logs = list((data_dir / "logs").glob("crash-*.log"))
    assert len(logs) == 1 and "KeyError" in logs[0].read_text(encoding="utf-8")
    assert crash.pending_reports(data_dir) == []     # the clerk was told already
    dialogs = [w for w in window.findChildren(QDialog) if w.objectName() == "crashDialog"]
    assert dialogs and dialogs[0].isVisible()
    dialogs[0].copy_detail()
    from PySide6.QtWidgets import QApplication
    assert "KeyError" in QApplication.clipboard().text()
    dialogs[0].close()


def test_outbox_view_lists_waiting_items(populated, window, qtbot):
    view = window.show_view("outbox")
    view.reload()
    settle(qtbot, populated)
    # 55 registrations mirrored to the provincial server: one line, not 55 "sends"
    assert view.table.rowCount() == 0
    assert "55 mục chờ gửi" in view.mirror.text() and "không phải văn bản gửi đi" in view.mirror.text()
    assert "Văn bản chờ gửi: 0" in view.summary.text()
    view.show_mirror.setChecked(True)
    settle(qtbot, populated)
    assert view.table.rowCount() >= 55
    assert view.table.item(0, 4).text() == "Chờ gửi"
    assert view.table.item(0, 1).text().startswith("Đồng bộ sổ")


def test_outbox_lists_a_document_being_sent_by_its_reference(populated, window, qtbot):
    from app.store import outbox as store_outbox
    e = entries.list_entries(populated.store, kind="outgoing", limit=1)[0]
    with populated.store.transaction() as conn:
        store_outbox.enqueue(conn, "edoc.send", {"entry": e["uid"], "to": ["000.00.00.H53"]},
                             register_id=None, entity_id=e["uid"])
    view = window.show_view("outbox")
    view.reload()
    settle(qtbot, populated)
    assert view.table.rowCount() == 1
    assert view.table.item(0, 1).text() == "Gửi văn bản"
    assert e["reference"] in view.table.item(0, 2).text() and e["summary"] in view.table.item(0, 2).text()
    assert "Văn bản chờ gửi: 1" in view.summary.text()


def test_scrolling_the_table_to_the_bottom_fetches_every_page(session, qtbot, monkeypatch):
    """The view asks for pages as the clerk scrolls; hundreds of fetches must not leak
    references (the conftest fixture checks True and None)."""
    from PySide6.QtWidgets import QApplication

    from app.ui import entries_model
    from app.ui.register_view import RegisterView
    monkeypatch.setattr(entries_model, "PAGE", 8)
    entries.register_many(session.store, "incoming", [{"issuer": "Sở Nội vụ", "summary": f"Công văn {i}"}
                                                      for i in range(1200)])
    view = RegisterView(session, "incoming")
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    while view.model.canFetchMore():
        view.table.scrollToBottom()
        QApplication.processEvents()
    assert view.model.rowCount() == 1200
    assert view.count_label.text().startswith("1.200 văn bản")


def test_first_run_assistant_opens_before_work_when_the_organization_is_missing(session, window, qtbot):
    from uihelpers import close_modal_later

    from app.ui.main import first_run

    def fill(dlg):
        dlg.editors["org.name"].setText("Ủy ban nhân dân huyện Kế Sách")
        dlg.editors["org.id"].setText("000.12.31.H53")
        dlg.save()
    seen = close_modal_later(qtbot, fill)
    first_run(window)
    assert seen["dialog"].objectName() == "firstRunDialog"
    assert session.settings.get("org.id") == "000.12.31.H53"
    assert "Kế Sách" in window.windowTitle()
    first_run(window)          # nothing missing any more: no dialog


@pytest.mark.timeout(120)
def test_help_menu_self_test_reports_off_the_ui_thread(window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown.append(text))
    action = window.findChild(type(window.act_find), "actSelfTest")
    assert action is not None
    window.run_self_test()
    qtbot.waitUntil(lambda: bool(shown), timeout=90_000)
    assert "[OK]        Thư mục dữ liệu" in shown[0] and "Tesseract" in shown[0]
    assert "Kết quả:" in shown[0]


def test_open_option_is_parsed_for_the_pdf_association():
    from app.ui.main import parse_args
    args, qt_args = parse_args(["--open", "công văn.pdf", "-platform", "offscreen"])
    assert args.open == "công văn.pdf" and qt_args == ["-platform", "offscreen"]


def test_history_and_dialogs_speak_the_clerks_language(populated, window, qtbot):
    """No internal codes (den/di, root, status codes) and no ISO dates in the detail."""
    e = entries.list_entries(populated.store, kind="incoming", limit=1)[0]
    entries.revise(populated.store, e["id"], {"handling_deadline": "2026-12-30", "urgency": 2}, "bổ sung hạn")
    entries.set_status(populated.store, e["id"], "forwarded")
    dlg = EntryDetail(populated, e["id"], window)
    qtbot.addWidget(dlg)
    qtbot.waitUntil(dlg.is_loaded, timeout=10_000)
    texts = [dlg.history.item(r, c).text() for r in range(dlg.history.rowCount()) for c in range(4)]
    joined = " | ".join(texts)
    assert "30/12/2026" in joined and "2026-12-30" not in joined
    assert "Thượng khẩn" in joined and "Đã chuyển xử lý" in joined
    assert "forwarded" not in joined and "root" not in joined
    import re
    assert not re.search(r"\b(den|di)\b", " ".join(
        dlg.fields_form.itemAt(i).widget().text() for i in range(dlg.fields_form.count())
        if hasattr(dlg.fields_form.itemAt(i).widget(), "text")))


def test_outgoing_detail_shows_each_recipients_delivery(populated, window, qtbot):
    from app.store import exchange
    e = entries.list_entries(populated.store, kind="outgoing", limit=1)[0]
    with populated.store.transaction() as conn:
        exchange.add_sent(conn, "k1", e["id"], "DOC-1", ["000.00.01.H53", "000.00.02.H53"], "ab", {})
    exchange.mark_sent(populated.store, "k1", "77")
    exchange.record_deliveries(populated.store, [{"hub_doc_id": "77", "recipient": "000.00.01.H53",
                                                  "receive_status": "done", "received_time": "2026-11-21T09:00:00+07:00"}])
    dlg = EntryDetail(populated, e["id"], window)
    qtbot.addWidget(dlg)
    qtbot.waitUntil(dlg.is_loaded, timeout=10_000)
    rows = {dlg.deliveries.item(r, 0).text(): dlg.deliveries.item(r, 1).text() for r in range(dlg.deliveries.rowCount())}
    assert rows["000.00.01.H53"] == "Trục: nơi nhận đã nhận"
    assert rows["000.00.02.H53"] == "Trục: chưa có tin từ trục"
    assert dlg.deliveries.item(0, 2).text() == "21/11/2026 09:00"
