"""Incoming paper mail through the window: a generated scan read by the real Tesseract, the
SANE test device, blank pages flagged and left out of the digitized copy."""
import pytest
from PIL import Image
from uihelpers import submit, type_text

from app.store import attachments, search
from app.ui import intake


@pytest.fixture(scope="module")
def letter(tmp_path_factory):
    """One realistic page (ND30 layout) as a scan, with its ground truth."""
    from tests.corpus.generate import make_document, write_document
    doc = make_document(11, pages=1, stamp=False)
    folder = tmp_path_factory.mktemp("letter")
    return write_document(doc, folder, "png"), doc.truth


@pytest.fixture(autouse=True)
def _ocr_pool():
    yield
    from app.scan import ocr
    ocr.reset_pool()


def _wait_read(qtbot, dlg, timeout=90_000):
    qtbot.waitUntil(lambda: dlg.result is not None or (dlg.worker is None and dlg.status.text() ==
                                                        "Không thực hiện được."), timeout=timeout)
    assert dlg.result is not None, dlg.status.text()


@pytest.mark.timeout(150)
def test_imported_scan_fills_the_form_and_registers_with_its_pdf(window, session, qtbot, letter):
    path, truth = letter
    dlg = window.intake([path])
    qtbot.waitUntil(lambda: dlg.pages.count() == 1, timeout=10_000)     # counted off the UI thread
    qtbot.waitUntil(lambda: not dlg.pages.item(0).icon().isNull(), timeout=10_000)   # drawn off the UI thread
    _wait_read(qtbot, dlg)
    assert dlg.form_button.isEnabled()
    forms = []
    dlg.form_requested.connect(lambda *a: forms.append(a))
    dlg.to_form()
    form = window.entry_form
    ed = form.form.editors
    assert ed["issuer"].input.text(), "issuer suggested"
    assert ed["notation"].input.text() == truth["notation"]
    assert ed["summary"].input.text()
    form.show_number = False
    entry = submit(qtbot, form)
    assert entry is not None
    files = attachments.list_for(session.store, entry["id"])
    assert [f["role"] for f in files] == ["scan"] and files[0]["name"].endswith(".pdf")
    word = truth["summary"].split()[-1]
    assert any(e["id"] == entry["id"] for e in search.search(session.store, word))


@pytest.mark.timeout(150)
def test_blank_page_is_flagged_and_left_out(window, session, qtbot, letter, tmp_path):
    path, _ = letter
    blank = tmp_path / "blank.png"
    with Image.open(path) as im:
        Image.new("L", im.size, 255).save(blank, dpi=(300, 300))
    dlg = window.intake([path, blank])
    _wait_read(qtbot, dlg)
    assert dlg.result.blank_pages == [2]
    assert dlg.pages.item(1).text().endswith("trắng?")
    assert dlg.dropped_pages() == [2]
    assert "Trang 2" in dlg.blank_note.text()
    values, uncertain, files, extra = dlg.prepared()
    import pymupdf
    with pymupdf.open(str(files[0][0])) as kept:
        assert len(kept) == 1
    assert values["pages"] == 1
    from PySide6.QtCore import Qt
    dlg.pages.item(1).setCheckState(Qt.Checked)      # the clerk keeps it after all
    _, _, files, _ = dlg.prepared()
    with pymupdf.open(str(files[0][0])) as kept:
        assert len(kept) == 2
    dlg.pages.item(1).setCheckState(Qt.Unchecked)
    dlg.to_form()                                    # the kept PDF is written off the UI thread
    qtbot.waitUntil(lambda: getattr(window, "entry_form", None) is not None, timeout=20_000)
    ((kept_pdf, role),) = window.entry_form.attachments
    assert role == "scan" and kept_pdf.name == "document-kept.pdf"
    with pymupdf.open(str(kept_pdf)) as kept:
        assert len(kept) == 1
    window.entry_form.reject()


@pytest.mark.timeout(150)
def test_sane_test_device_flow(window, session, qtbot, tmp_path, monkeypatch):
    from app.scan import sources
    monkeypatch.setenv("VANTHU_SANE_CONFIG_DIR", str(sources.test_config(tmp_path / "sane")))
    dlg = window.intake()
    dlg.find_devices()
    qtbot.waitUntil(lambda: dlg.device.count() > 0, timeout=30_000)
    assert dlg.device.findData("test:0") >= 0
    dlg.device.setCurrentIndex(dlg.device.findData("test:0"))
    dlg.dpi.setValue(200)
    dlg.source.setCurrentIndex(dlg.source.findData("flatbed"))
    dlg.scan()
    qtbot.waitUntil(lambda: dlg.pages.count() == 1, timeout=60_000)
    _wait_read(qtbot, dlg)
    values, uncertain, files, extra = dlg.prepared()
    dlg.to_form()
    form = window.entry_form
    from uihelpers import submit, type_text
    type_text(form.form.editors["issuer"].input, "Sở Tư pháp")
    form.form.editors["summary"].input.clear()
    type_text(form.form.editors["summary"].input, "Công văn quét thử từ máy quét")
    form.show_number = False
    entry = submit(qtbot, form)
    assert entry and attachments.list_for(session.store, entry["id"])[0]["role"] == "scan"


def test_suggestions_mark_low_confidence_fields():
    values, uncertain = intake.suggested({"issuer": "Sở Y tế", "summary": "Về việc x", "reference": None,
                                          "urgency": 0, "confidence": {"issuer": 0.95, "summary": 0.4}})
    assert values == {"issuer": "Sở Y tế", "summary": "Về việc x"}
    assert uncertain == ["summary"]


@pytest.mark.timeout(150)
def test_closing_the_window_during_ocr_cancels_cleanly(window, session, qtbot, letter, data_dir):
    path, _ = letter
    dlg = window.intake([path])
    qtbot.waitUntil(lambda: dlg.worker is not None, timeout=10_000)   # reading starts once the pages are counted
    worker = dlg.worker
    dlg.reject()                                   # the clerk closes the intake window
    assert worker.is_cancelled()
    qtbot.waitUntil(lambda: worker not in session.jobs.running, timeout=60_000)
    assert not list((data_dir / "logs").glob("crash-*.log"))
    assert session.store.query("SELECT count(*) FROM entries")[0][0] == 0


def test_page_tools_rotate_reorder_delete_insert(window, session, qtbot, tmp_path, monkeypatch):
    """NAPS2-like page handling: the large view follows the selection; rotating, moving and
    deleting pages give the pipeline one PDF in the clerk's order and orientation."""
    import pymupdf
    from PIL import ImageDraw
    files = []
    for n in range(3):
        im = Image.new("L", (850, 1100), 255)
        ImageDraw.Draw(im).rectangle((100, 100 + 200 * n, 700, 160 + 200 * n), fill=0)
        p = tmp_path / f"p{n + 1}.png"
        im.save(p, dpi=(100, 100))
        files.append(p)
    reads = []
    monkeypatch.setattr(intake.IntakeDialog, "read", lambda self: reads.append(self.inputs()))
    dlg = window.intake(files)
    qtbot.waitUntil(lambda: dlg.pages.count() == 3, timeout=10_000)    # counted off the UI thread
    assert reads[-1] == files                                        # untouched: the files as given
    qtbot.waitUntil(lambda: dlg.big.image is not None, timeout=10_000)
    assert dlg.big.image.height() > dlg.big.image.width() > 600     # a page to read, not a thumbnail
    dlg.pages.setCurrentRow(1)
    dlg.page_tool("right")
    qtbot.waitUntil(lambda: dlg.big.image is not None and dlg.big.image.width() > dlg.big.image.height(),
                    timeout=10_000)                                  # the view shows it turned
    dlg.page_tool("up")                                              # page 2 becomes the first
    assert [p.name for p, _, _ in dlg.page_list] == ["p2.png", "p1.png", "p3.png"]
    dlg.pages.setCurrentRow(2)
    dlg.page_tool("delete")
    assert dlg.pages.count() == 2
    (pdf,) = reads[-1]
    with pymupdf.open(str(pdf)) as doc:
        assert len(doc) == 2
        assert doc[0].rotation == 90 and doc[1].rotation == 0
    # a rescanned page goes after the selected one
    dlg.pages.setCurrentRow(0)
    extra = tmp_path / "rescan.png"
    Image.new("L", (850, 1100), 255).save(extra, dpi=(100, 100))
    dlg.add_files([extra], at=1)
    qtbot.waitUntil(lambda: len(dlg.page_list) == 3, timeout=10_000)
    assert [p.name for p, _, _ in dlg.page_list] == ["p2.png", "rescan.png", "p1.png"]
    assert dlg.pages.item(1).text() == "Trang 2"
    dlg.reject()


@pytest.mark.timeout(150)
def test_form_opens_when_page_one_is_read_and_stores_the_scan_when_done(window, session, qtbot, letter,
                                                                         tmp_path):
    path, truth = letter
    pages = [path]
    for n in (2, 3):              # later pages: copies of the letter, to keep the reader busy
        copy = tmp_path / f"page{n}.png"
        copy.write_bytes(path.read_bytes())
        pages.append(copy)
    dlg = window.intake(pages)
    qtbot.waitUntil(lambda: dlg.form_button.isEnabled() or dlg.result is not None, timeout=90_000)
    if dlg.result is not None:
        pytest.skip("the three pages were read before page 1's suggestions could be used")
    assert "vẫn đọc tiếp" in dlg.form_button.text()
    dlg.to_form()
    form = window.entry_form
    assert form.pending is dlg and not dlg.isVisible()
    assert form.form.editors["notation"].input.text() == truth["notation"]     # page 1's suggestions
    assert not form.ok_button.isEnabled() and form.page_view is not None
    form.form.editors["signer"].input.clear()
    type_text(form.form.editors["signer"].input, "Nguyễn Văn Bình")               # the clerk works meanwhile
    qtbot.waitUntil(lambda: form.pending is None, timeout=120_000)
    assert form.ok_button.isEnabled()
    assert form.form.editors["signer"].input.text() == "Nguyễn Văn Bình"          # kept
    assert "bản số hóa" in form.attachment_note.text()
    form.show_number = False
    entry = submit(qtbot, form)
    files = attachments.list_for(session.store, entry["id"])
    assert [f["role"] for f in files] == ["scan"]
    import pymupdf

    from app.store import files as content
    with pymupdf.open(str(content.path_for(session.store, files[0]["sha256"]))) as doc:
        assert len(doc) == 3


def test_scanner_profiles_are_saved_and_applied(window, session, qtbot):
    dlg = window.intake()
    dlg.device.addItem("test:0", "test:0")
    dlg.device.setCurrentIndex(dlg.device.findData("test:0"))
    dlg.source.setCurrentIndex(dlg.source.findData("duplex"))
    dlg.dpi.setValue(200)
    assert dlg.save_profile("Công văn hai mặt")
    dlg.reject()
    again = window.intake()
    assert again.profile.findData("Công văn hai mặt") > 0
    assert again.apply_profile("Công văn hai mặt")
    assert (again.device.currentData(), again.source.currentData(), again.dpi.value()) == ("test:0", "duplex", 200)
    again.reject()


@pytest.mark.timeout(150)
def test_pdf_with_a_script_is_kept_with_a_safe_viewing_copy(window, session, qtbot, tmp_path):
    """Through the intake workflow (app.workflows.intake): the original is stored untouched, a
    stripped copy beside it, the warning in the note; the detail opens the safe copy."""
    import pymupdf
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((60, 80), "UBND TINH SOC TRANG", fontsize=12)
    page.insert_text((60, 300), "V/v thu nghiem tep co ma chay", fontsize=12)
    doc.xref_set_key(doc.pdf_catalog(), "OpenAction", "<</S/JavaScript/JS(app.alert\\('x'\\))>>")
    pdf = tmp_path / "cv-js.pdf"
    doc.save(str(pdf))
    doc.close()
    dlg = window.intake([pdf])
    _wait_read(qtbot, dlg)
    dlg.to_form()
    form = window.entry_form
    qtbot.waitUntil(lambda: form.active_warning.isVisible(), timeout=10_000)
    form.form.editors["issuer"].input.setText("UBND tỉnh Sóc Trăng")
    form.form.editors["summary"].input.setText("V/v thử nghiệm tệp có mã chạy")
    form.show_number = False
    entry = submit(qtbot, form)
    assert entry is not None, form.op.error
    roles = sorted(a["role"] for a in attachments.list_for(session.store, entry["id"]))
    assert roles == ["original", "view"]
    assert "CẢNH BÁO" in (entry.get("note") or "")
    from app.ui.entry_detail import EntryDetail
    detail = EntryDetail(session, entry["id"], window)
    qtbot.addWidget(detail)
    qtbot.waitUntil(detail.is_loaded, timeout=10_000)
    for i in range(detail.files.count()):
        if "Tệp gốc" in detail.files.item(i).text():
            detail.files.setCurrentRow(i)
    viewer = detail.open_file()
    assert viewer is not None and "bản xem an toàn" in viewer.windowTitle()
    viewer.close()


@pytest.mark.timeout(120)
def test_opening_intake_starts_the_ocr_workers_off_the_ui_thread(window, session, qtbot):
    """The workers (Tesseract's model loaded) are ready before the first page arrives."""
    from app.scan import ocr
    ocr.reset_pool()
    dlg = window.intake()
    qtbot.waitUntil(lambda: ocr._pool is not None and len(ocr._pool._processes or {}) == ocr.workers()
                    and not session.jobs.running, timeout=90_000)
    assert session.jobs.busy() == 0                       # not counted as the clerk's job
    dlg.reject()
