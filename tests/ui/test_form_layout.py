"""Issue 14, the form: the summary shows its whole text, short fields stay short, completion
lists come from the register's history, the form fits the screen."""
from PySide6.QtWidgets import QApplication
from uihelpers import type_text

from app.ui.entry_form import EntryFormDialog

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


def _scan_pdf(tmp_path):
    """A one-page PDF drawn like a scanned letter (header at the top)."""
    import pymupdf
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((60, 80), "UBND TINH SOC TRANG", fontsize=12)
    page.insert_text((60, 300), "V/v trien khai ke hoach", fontsize=12)
    out = tmp_path / "document.pdf"
    doc.save(str(out))
    doc.close()
    return out


def test_scan_is_shown_beside_the_form_with_the_suggestion_highlighted(session, qtbot, tmp_path):
    pdf = _scan_pdf(tmp_path)
    boxes = {"issuer": {"page": 1, "box": [0.09, 0.07, 0.45, 0.11]},
             "summary": {"page": 1, "box": [0.09, 0.33, 0.5, 0.37]}}
    dlg = EntryFormDialog(session, "incoming", {"issuer": "UBND tỉnh Sóc Trăng"}, (), show_number=False,
                          attachments=[(pdf, "scan")], extra={"text": "x", "_boxes": boxes})
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.resize(1340, 730)             # as on a 1366×768 screen (the test screen is smaller)
    view = dlg.page_view
    assert view is not None and "_boxes" not in dlg.extra
    # the clerk is told plainly what will be stored
    assert "document.pdf" in dlg.attachment_note.text() and "bản số hóa" in dlg.attachment_note.text()
    qtbot.waitUntil(lambda: view.image is not None, timeout=10_000)
    assert view.label.text() == "Trang 1/1"
    # the page is large: wider than the thumbnails of before (120 px)
    qtbot.waitUntil(lambda: view.picture.pixmap().width() > 450, timeout=5_000)
    dlg.activateWindow()
    dlg.form.editors["summary"].input.setFocus()
    QApplication.processEvents()
    view.highlight("summary")        # what focusing the field does (offscreen focus is unreliable)
    rect = view.highlighted_rect()
    assert rect is not None
    h = view.image.height()
    assert 0.30 * h < rect.center().y() < 0.40 * h
    # the highlight is drawn: red pixels at the box edge
    img = view.picture.pixmap().toImage()
    scale = img.width() / view.image.width()
    y = int(rect.center().y() * scale)
    edge = [img.pixelColor(x, y) for x in range(int((rect.left() - 4) * scale), int((rect.left() + 8) * scale))]
    assert any(c.red() > 150 and c.green() < 120 for c in edge)
    view.highlight("signer")          # not read from the page: no highlight
    assert view.highlighted_rect() is None


def _js_pdf(tmp_path):
    """A PDF that runs a script when opened (hand-made, the way a hostile sender would)."""
    import pymupdf
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((60, 80), "Cong van", fontsize=12)
    doc.xref_set_key(doc.pdf_catalog(), "OpenAction", "<</S/JavaScript/JS(app.alert\\('x'\\))>>")
    out = tmp_path / "cv-js.pdf"
    doc.save(str(out))
    doc.close()
    return out


def test_form_warns_about_a_pdf_with_active_content(session, qtbot, tmp_path):
    pdf = _js_pdf(tmp_path)
    dlg = EntryFormDialog(session, "incoming", show_number=False, attachments=[(pdf, "original")])
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.active_warning.isVisible(), timeout=10_000)
    assert "cv-js.pdf" in dlg.active_warning.text()
    clean = EntryFormDialog(session, "incoming", show_number=False, attachments=[(_scan_pdf(tmp_path), "scan")])
    qtbot.addWidget(clean)
    clean.show()
    qtbot.waitUntil(lambda: clean.active_op.result is not None, timeout=10_000)
    assert not clean.active_warning.isVisible()
