"""Issue 14, the form: the summary shows its whole text, short fields stay short, completion
lists come from the register's history, the form fits the screen."""
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.ui.entry_form import EntryFormDialog
from uihelpers import type_text

SUMMARY_500 = ("V/v triển khai thực hiện Kế hoạch chuyển đổi số năm 2026 của Ủy ban nhân dân tỉnh, "
               "trong đó yêu cầu các sở, ban, ngành, Ủy ban nhân dân các huyện, thị xã, thành phố "
               "rà soát, cập nhật danh mục thủ tục hành chính, bố trí cán bộ đầu mối, báo cáo kết quả "
               "thực hiện định kỳ hằng quý về Sở Thông tin và Truyền thông trước ngày 20 của tháng cuối "
               "quý, đồng thời đề xuất kinh phí thực hiện năm 2027 gửi Sở Tài chính tổng hợp, trình Ủy "
               "ban nhân dân tỉnh xem xét, quyết định theo đúng quy định của pháp luật hiện hành nhé")[:500]


def _dialog(session, qtbot, kind="incoming", size=(1366, 768)):
    dlg = EntryFormDialog(session, kind, show_number=False)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def test_summary_500_characters_is_shown_whole(session, qtbot):
    assert len(SUMMARY_500) == 500
    dlg = _dialog(session, qtbot)
    box = dlg.form.editors["summary"].input
    type_text(box, SUMMARY_500)
    QApplication.processEvents()
    assert box.toPlainText() == SUMMARY_500
    # every line of the text lies inside the box: no scrolling needed to proofread it
    assert box.verticalScrollBar().maximum() == 0
    assert box.lines_needed() >= 3
    rect = box.cursorRect(box.textCursor())        # the cursor is after the last character
    assert rect.bottom() <= box.viewport().height()


def test_enter_in_summary_moves_on_and_pasted_breaks_become_spaces(session, qtbot):
    dlg = _dialog(session, qtbot)
    box = dlg.form.editors["summary"].input
    type_text(box, "Về việc A\nB")
    assert "\n" not in box.toPlainText()
    from PySide6.QtCore import QMimeData
    box.clear()
    mime = QMimeData()
    mime.setText("Về việc\ntriển khai\n  kế hoạch")
    box.insertFromMimeData(mime)
    assert dlg.form.editors["summary"].value() == "Về việc triển khai kế hoạch"


def test_field_sizes_follow_their_use(session, qtbot):
    dlg = _dialog(session, qtbot)
    ed = dlg.form.editors
    summary_w = ed["summary"].input.width()
    assert ed["number"].input.width() < summary_w / 3
    assert ed["issued_on"].input.width() < summary_w / 3
    assert ed["summary"].input.height() > ed["note"].input.height() - 1
    # the summary is wider than any less used field
    for name in ("note", "handling_note", "pages", "notation"):
        assert ed[name].input.width() <= summary_w


def test_form_fits_a_768_pixel_screen(session, qtbot):
    dlg = _dialog(session, qtbot)
    screen = dlg.screen().availableGeometry()
    assert dlg.height() <= screen.height()
    assert dlg.width() <= screen.width()


def test_completion_lists_from_history_most_frequent_first(populated, qtbot):
    from app.store import entries
    entries.register(populated.store, "incoming", {"issuer": "Sở Tư pháp tỉnh Sóc Trăng", "summary": "Về việc X"})
    populated._forget_completions()
    dlg = EntryFormDialog(populated, "incoming", show_number=False)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.form.editors["issuer"].input.completer() is not None, timeout=10_000)
    comp = dlg.form.editors["issuer"].input.completer()
    values = comp.model().stringList()
    assert "Sở Tư pháp tỉnh Sóc Trăng" in values
    # counted from the sample data: the first offered is the most frequent
    rows = populated.store.query("SELECT issuer, count(*) n FROM entries WHERE kind='incoming' "
                                 "GROUP BY issuer ORDER BY n DESC")
    assert values[0] == rows[0][0]
    # typing part of a word offers the names that contain it
    comp.setCompletionPrefix("tư pháp")
    assert comp.currentCompletion() == "Sở Tư pháp tỉnh Sóc Trăng"


def test_recipients_completed_and_added_as_lines(populated, qtbot):
    dlg = EntryFormDialog(populated, "outgoing", show_number=False)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: getattr(dlg.form, "recipient_add", None) is not None, timeout=10_000)
    names = dlg.form.recipient_add.completer().model().stringList()
    assert "Sở Tài chính" in names
    # (typing would open the completion popup, which the offscreen platform warns about)
    dlg.form.recipient_add.setText("Sở Tài chính")
    dlg.form.add_recipient()
    dlg.form.recipient_add.setText("Sở Nội vụ")
    dlg.form.add_recipient()
    assert dlg.form.editors["recipients"].value() == [{"name": "Sở Tài chính"}, {"name": "Sở Nội vụ"}]


def test_computed_deadline_is_shown_day_month_year(session, qtbot):
    dlg = _dialog(session, qtbot)
    type_text(dlg.form.editors["arrival_at"].input, "23/11/2026 09:00")
    dlg.form.compute_deadline()
    text = dlg.form.editors["handling_deadline"].input.text()
    assert text.count("/") == 2 and "-" not in text
