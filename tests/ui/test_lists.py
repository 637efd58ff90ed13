"""Issue 14, the lists and the window: urgency and status always in view, widths that follow
the screen and the clerk, counters, the empty-register hint, Ctrl+N as labelled, scanning in
sight, Tra cứu, the guide, small screens."""
import re
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication
from uihelpers import settle

from app.domain import clock
from app.store import entries
from app.ui.entries_model import URGENCY_ROLE


def _settle(window, qtbot, w, h):
    window.resize(w, h)
    qtbot.wait(50)
    QApplication.processEvents()


def _inside(table, model, key) -> bool:
    col = model.columns.index(key)
    if table.isColumnHidden(col):
        return False
    x = table.columnViewportPosition(col)
    return x >= 0 and x + table.columnWidth(col) <= table.viewport().width()


@pytest.mark.parametrize("size", [(1366, 768), (1280, 720)])
@pytest.mark.parametrize("kind", ["incoming", "outgoing"])
def test_urgency_and_status_inside_the_viewport(populated, window, qtbot, size, kind):
    view = window.show_view(kind)
    _settle(window, qtbot, *size)
    for key in ("urgency", "status", "summary", "reference"):
        assert _inside(view.table, view.model, key), key
    assert view.table.horizontalScrollBar().maximum() == 0
    # the summary gets the most room, enough for more than 40 characters
    col = view.model.columns.index("summary")
    assert view.table.columnWidth(col) >= view.table.fontMetrics().averageCharWidth() * 45


def test_columns_grow_on_a_wide_screen(populated, window, qtbot):
    view = window.show_view("incoming")
    col = view.model.columns.index("summary")
    _settle(window, qtbot, 1366, 768)
    narrow = view.table.columnWidth(col)
    _settle(window, qtbot, 1920, 1080)
    assert view.table.columnWidth(col) > narrow + 200
    assert view.table.horizontalScrollBar().maximum() == 0
    # the date of the document, hidden on a small screen, shows on a wide one
    assert not view.table.isColumnHidden(view.model.columns.index("issued_on"))


def test_column_width_dragged_by_the_clerk_is_kept(populated, window, qtbot):
    from app.ui.register_view import RegisterView
    view = window.show_view("incoming")
    _settle(window, qtbot, 1366, 768)
    col = view.model.columns.index("issuer")
    before = view.table.columnWidth(col)
    view.table.horizontalHeader().resizeSection(col, before + 60)      # as a drag does
    qtbot.wait(20)
    other = RegisterView(populated, "incoming")
    qtbot.addWidget(other)
    assert other.sizer.user["issuer"] == before + 60
    other.resize(window.view("incoming").size())
    other.show()
    qtbot.wait(50)
    assert other.table.columnWidth(col) > before


def test_urgent_rows_carry_a_coloured_mark(populated, window, qtbot):
    view = window.show_view("incoming")
    settle(qtbot, populated)
    m = view.model
    assert m.rowCount() == 40
    col = m.columns.index("urgency")
    marked = plain = 0
    for r in range(m.rowCount()):
        idx = m.index(r, col)
        urg = m.data(idx, URGENCY_ROLE)
        icon = m.data(idx, Qt.DecorationRole)
        if urg:
            assert icon is not None and not icon.isNull()
            assert m.data(idx, Qt.DisplayRole) in ("Khẩn", "Thượng khẩn", "Hỏa tốc")
            marked += 1
            if urg >= 2:
                assert m.data(m.index(r, 0), Qt.BackgroundRole) is not None
        else:
            assert icon is None
            plain += 1
    assert marked and plain


@pytest.mark.parametrize("kind", ["incoming", "outgoing"])
def test_new_entry_shortcut_does_what_the_button_says(window, qtbot, kind):
    view = window.show_view(kind)
    label = view.new_button.text()
    shortcut = re.search(r"\((Ctrl\+[^)]+)\)", label).group(1)
    actions = [a for a in window.findChildren(type(window.act_new_in)) if a.shortcut() == QKeySequence(shortcut)]
    assert len(actions) == 1
    window.activateWindow()
    actions[0].trigger()
    dlg = window.entry_form
    assert dlg.kind == kind
    assert ("đến" in label) == (kind == "incoming")
    assert dlg.windowTitle().split()[-1] == label.split("(")[0].split()[-1]
    dlg.reject()
    # the button opens the same form
    view.new_button.click()
    assert window.entry_form.kind == kind
    window.entry_form.reject()


def test_scanning_is_a_button_on_the_incoming_register(window, qtbot, monkeypatch):
    view = window.show_view("incoming")
    assert view.scan_button.isVisible()
    assert "Quét" in view.scan_button.text() and "Ctrl+O" in view.scan_button.text()
    asked = []
    monkeypatch.setattr(window, "intake", lambda paths=(), kind="incoming": asked.append(kind))
    view.intake_requested.disconnect()
    view.intake_requested.connect(lambda kind: window.intake(kind=kind))
    view.scan_button.click()
    assert asked == ["incoming"]


def test_empty_register_says_what_to_do_first(window, qtbot):
    view = window.show_view("incoming")
    settle(qtbot, window.session)
    assert view.empty_hint.isVisible()
    assert "Ctrl+O" in view.empty_hint.text() and "Ctrl+N" in view.empty_hint.text()
    entries.register(window.session.store, "incoming", {"issuer": "Sở Nội vụ", "summary": "Về việc A"})
    view.refresh()
    settle(qtbot, window.session)
    assert not view.empty_hint.isVisible()


def test_navigation_shows_counters(populated, window, qtbot):
    window.counter.refresh()
    qtbot.waitUntil(lambda: bool(window.counts), timeout=10_000)
    assert window.counts["incoming"] == 40           # none handed over yet
    text = window.nav.item(0).text()
    assert text == "Văn bản đến  (40)"
    assert "chưa chuyển xử lý" in window.nav.item(0).toolTip()
    # the outbox badge counts documents being sent, not register-mirror items
    assert window.counts["outbox"] == 0


def test_small_screen_scrolls_instead_of_cutting_off(populated, window, qtbot):
    _settle(window, qtbot, 1024, 600)
    assert window.width() <= 1024 and window.height() <= 600
    # the content keeps a usable size; the window scrolls to reach it
    split = window.split
    assert split.width() >= 980 - 2 or window.scroller.horizontalScrollBar().maximum() > 0
    view = window.view("incoming")
    assert _inside(view.table, view.model, "status")


def test_lookup_by_date_range_urgency_and_words(populated, window, qtbot):
    view = window.show_view("search")
    store = populated.store
    entries.register(store, "incoming", {"issuer": "Sở Tư pháp", "summary": "Về việc thẩm định văn bản",
                                         "urgency": 3, "doc_type": "Công văn"})
    today = clock.now().date()
    view.date_from.setText((today - timedelta(days=1)).strftime("%d/%m/%Y"))
    view.date_to.setText(today.strftime("%d/%m/%Y"))
    view.urgency.setCurrentIndex(view.urgency.findData(3))
    view.text.setText("tham dinh")
    assert view.run()
    settle(qtbot, populated)
    assert view.model.rowCount() == 1
    assert "thẩm định" in view.model.data(view.model.index(0, view.model.columns.index("summary")))
    view.text.clear()
    # the issuer filter looks at the issuer, not at a summary that names it
    entries.register(store, "incoming", {"issuer": "Sở Nội vụ", "summary": "Góp ý dự thảo gửi Sở Tư pháp",
                                         "urgency": 3, "doc_type": "Công văn"})
    view.issuer.setText("tu phap")
    assert view.run()
    settle(qtbot, populated)
    assert view.model.rowCount() == 1
    assert view.model.data(view.model.index(0, view.model.columns.index("issuer"))) == "Sở Tư pháp"
    # a wrong date is said in Vietnamese, dd/mm/yyyy
    view.date_from.setText("2026-11-01")
    assert not view.run()
    assert "ngày/tháng/năm" in view.error.text()
    view.date_from.setText("30/11/2026")
    view.date_to.setText("01/11/2026")
    assert not view.run() and "30/11/2026" in view.error.text()


def test_lookup_type_and_status(populated, window, qtbot):
    view = window.show_view("search")
    view.kind_box.setCurrentIndex(view.kind_box.findData("outgoing"))
    view.doc_type.setCurrentIndex(view.doc_type.findData("Quyết định"))
    assert view.run()
    settle(qtbot, populated)
    n = view.model.rowCount()
    expected = populated.store.query("SELECT count(*) FROM entries WHERE kind='outgoing' AND doc_type='Quyết định'")[0][0]
    assert n == expected > 0
    view.status.setCurrentIndex(view.status.findData("voided"))
    assert view.run()
    settle(qtbot, populated)
    assert view.model.rowCount() == 0


def test_help_opens_the_clerks_guide_offline(window, qtbot, tmp_path):
    from app.ui.guide import GuideDialog
    guide = tmp_path / "huong-dan.md"
    guide.write_text("# Hướng dẫn\n\n## Đăng ký văn bản đến\n\n1. Bấm **Quét**.\n", encoding="utf-8")
    dlg = GuideDialog(window, guide)
    qtbot.addWidget(dlg)
    assert dlg.found
    assert "Đăng ký văn bản đến" in dlg.browser.toPlainText()
    action = window.findChild(type(window.act_new_in), "actGuide")
    assert action.text() == "Hướng dẫn sử dụng" and action.shortcut() == QKeySequence("F1")
    shown = window.show_guide()
    assert shown.isVisible()
    shown.close()


def test_reminders_never_cut_a_word(session, qtbot):
    from app.ui.reminders_panel import shorten
    text = "V/v triển khai thực hiện Kế hoạch chuyển đổi số năm 2026 của Ủy ban nhân dân tỉnh Sóc Trăng về"
    out = shorten(text, 60)
    assert out.endswith(" …") and len(out) <= 62
    assert text.startswith(out[:-2])
    assert text[len(out) - 2] == " "


def test_inbox_row_shows_urgency_date_type_and_exact_reference(session, window, qtbot):
    """A received package written by hand in the edXML header's shape: '04' stays '04'."""
    import json

    from app.ui import inbox_view
    header = {"from": {"organ_id": "000.00.00.H53", "organ_name": "UBND tỉnh Sóc Trăng"},
              "code": {"number": "04", "notation": "UBND-VX"}, "promulgation": {"place": "Sóc Trăng",
                                                                                 "date": "2026-11-20"},
              "doc_type": {"type": "1", "type_name": "Công văn"}, "subject": "Về việc A",
              "other": {"priority": "3"}}
    with session.store.transaction() as conn:
        conn.execute("INSERT INTO inbox (package_id, kind, sender_id, sender_name, reference, summary, received_at,"
                     " package_sha256, package_size, header, attachments, state) VALUES"
                     " ('p1', 'edoc', '000.00.00.H53', 'UBND tỉnh Sóc Trăng', '4/UBND-VX', 'Về việc A',"
                     " '2026-11-21T08:00:00+07:00', 'x', 10, ?, ?, 'pending')",
                     (json.dumps(header), json.dumps([{"name": "cv.pdf", "sha256": "ab", "size": 1532516}])))
    view = window.show_view("inbox")
    view.reload()
    settle(qtbot, session)
    col = {name: i for i, name in enumerate(inbox_view.COLUMNS)}
    assert view.table.item(0, col["urgency"]).text() == "Hỏa tốc"
    assert not view.table.item(0, col["urgency"]).icon().isNull()
    assert view.table.item(0, col["reference"]).text() == "04/UBND-VX"
    assert view.table.item(0, col["issued_on"]).text() == "20/11/2026"
    assert view.table.item(0, col["summary"]).text() == "Công văn: Về việc A"
    view.select_row(0)
    assert view.files.item(0).text() == "cv.pdf (1,5 MB)"
    _settle(window, qtbot, 1366, 768)
    for key in ("urgency", "state", "summary"):
        c = col[key]
        assert view.table.columnViewportPosition(c) + view.table.columnWidth(c) <= view.table.viewport().width()


def test_inbox_shows_held_packages_with_the_reason(session, window, qtbot):
    from app.store import exchange
    from app.ui import inbox_view
    exchange.quarantine_add(session.store, {
        "package_id": "q1", "source": "platform", "transport_sender": "000.00.09.H53",
        "claimed_sender": "000.00.00.H53", "kind": "edoc", "business_type": 1, "status_code": None,
        "document_id": "D-1", "reason": "Nơi gửi khai là 000.00.00.H53 nhưng trục báo 000.00.09.H53.",
        "package_sha256": "ab", "package_size": 10, "received_at": "2026-11-21T08:00:00+07:00"})
    view = window.show_view("inbox")
    view.state_box.setCurrentIndex(view.state_box.findData("quarantined"))
    settle(qtbot, session)
    assert view.table.rowCount() == 1
    col = {name: i for i, name in enumerate(inbox_view.COLUMNS)}
    assert "trục báo 000.00.09.H53" in view.table.item(0, col["summary"]).text()
    assert view.table.item(0, col["state"]).text() == "Bị giữ lại"
    view.select_row(0)
    assert not view.accept_button.isEnabled()        # nothing is ever acted on from the quarantine


def test_reminder_items_are_broken_between_words_to_the_panels_width(populated, window, qtbot):
    from app.ui.reminders_panel import compute
    window.reminders.show_items(compute(populated, populated.store)[0])
    assert window.reminders.list.count() > 0
    fm = window.reminders.list.fontMetrics()
    for i, r in enumerate(window.reminders.items):
        lines = window.reminders.list.item(i).text().split("\n")
        assert 2 <= len(lines) <= 6
        for line in lines:
            assert fm.horizontalAdvance(line) <= window.reminders.list.viewport().width()
        joined = " ".join(lines)
        summary = " ".join(r.summary.split())
        start = joined.index(summary.split()[0] + " " + summary.split()[1])
        shown = joined[start:].removesuffix(" …")
        assert summary.startswith(shown)
        assert len(shown) == len(summary) or summary[len(shown)] == " "     # never a word cut in two


def test_help_opens_the_shipped_guide_with_its_screenshots(window, qtbot):
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QTextDocument

    from app.ui.guide import GUIDE
    if not GUIDE.is_file():
        pytest.skip("the clerk's guide (branch i12docs) is not in this tree")
    dlg = window.show_guide()
    assert dlg.found and "Nhận văn bản giấy và quét" in dlg.browser.toPlainText()
    img = dlg.browser.document().resource(QTextDocument.ResourceType.ImageResource,
                                          QUrl.fromLocalFile(str(GUIDE.parent / "img" / "van-ban-den.png")))
    shown = img if img is not None else dlg.browser.loadResource(
        QTextDocument.ResourceType.ImageResource, QUrl("img/van-ban-den.png"))
    assert shown is not None and not getattr(shown, "isNull", lambda: False)()
    dlg.close()
