"""The manual registration form: typing Vietnamese, per-field messages, the number shown big,
refusals that leave the register unchanged."""
import unicodedata

from PySide6.QtWidgets import QMessageBox
from uihelpers import close_modal_later, submit, type_text

from app.store import entries
from app.ui.entry_form import ArrivalNumberDialog, EntryFormDialog, parse_vn_datetime


def _form(session, qtbot, kind="incoming", **kw):
    dlg = EntryFormDialog(session, kind, show_number=False, **kw)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def test_register_incoming_typed_in_vietnamese(session, qtbot):
    dlg = _form(session, qtbot)
    ed = dlg.form.editors
    type_text(ed["issuer"].input, "Sở Tài chính tỉnh Sóc Trăng")
    type_text(ed["summary"].input, "V/v hướng dẫn quyết toán ngân sách năm 2026")
    type_text(ed["number"].input, "1007")
    type_text(ed["notation"].input, "QĐ-UBND")
    type_text(ed["issued_on"].input, "20/11/2026")
    ed["urgency"].input.setCurrentIndex(2)
    entry = submit(qtbot, dlg)
    assert entry is not None
    stored = entries.get(session.store, entry["id"])
    assert stored["issuer"] == "Sở Tài chính tỉnh Sóc Trăng"
    assert unicodedata.is_normalized("NFC", stored["summary"])
    assert stored["reference"] == "1007/QĐ-UBND"
    assert stored["doc_type"] == "Quyết định"
    assert stored["urgency"] == 2
    assert stored["issued_on"] == "2026-11-20"
    assert stored["register_number"] == 1


def test_field_errors_appear_under_the_field_and_nothing_is_stored(session, qtbot):
    dlg = _form(session, qtbot)
    ed = dlg.form.editors
    type_text(ed["issued_on"].input, "31/02/2026")
    type_text(ed["issuer"].input, "Sở Nội vụ")
    assert submit(qtbot, dlg) is None
    assert ed["issued_on"].error.isVisible()
    assert "không phải là một ngày có thật" in ed["issued_on"].error.text()
    assert ed["summary"].error.isVisible()          # required and empty
    assert "trích yếu" in ed["summary"].error.text()
    assert session.store.query("SELECT count(*) FROM entries")[0][0] == 0
    # correcting the field clears its message
    ed["issued_on"].input.clear()
    type_text(ed["issued_on"].input, "28/02/2026")
    dlg.form.check_field("issued_on")
    assert not ed["issued_on"].error.isVisible()


def test_secret_document_is_refused(session, qtbot):
    dlg = _form(session, qtbot)
    ed = dlg.form.editors
    type_text(ed["issuer"].input, "Bộ Công an")
    type_text(ed["summary"].input, "Kế hoạch bảo vệ")
    ed["secrecy"].input.setCurrentIndex(1)          # Mật
    assert ed["secrecy"].error.isVisible()
    assert "không được đăng ký" in ed["secrecy"].error.text()
    assert submit(qtbot, dlg) is None
    assert session.store.query("SELECT count(*) FROM entries")[0][0] == 0


def test_duplicate_asks_and_refusing_keeps_register_unchanged(session, qtbot):
    data = {"issuer": "Sở Nội vụ", "summary": "Thông báo tuyển dụng", "reference": "12/TB-SNV",
            "issued_on": "2026-11-02"}
    entries.register(session.store, "incoming", data)
    dlg = _form(session, qtbot)
    dlg.form.prefill(data)
    seen = close_modal_later(qtbot, lambda box: box.button(QMessageBox.No).click())
    assert submit(qtbot, dlg) is None
    assert "đã được đăng ký" in seen["text"]
    assert session.store.query("SELECT count(*) FROM entries")[0][0] == 1
    close_modal_later(qtbot, lambda box: box.button(QMessageBox.Yes).click())
    entry = submit(qtbot, dlg)
    assert entry and entry["register_number"] == 2


def test_outgoing_gets_its_number_and_reference(populated, qtbot):
    session = populated
    dlg = _form(session, qtbot, kind="outgoing")
    ed = dlg.form.editors
    ed["doc_type"].input.setCurrentText("Thông báo")
    type_text(ed["summary"].input, "Thông báo lịch nghỉ Tết Nguyên đán")
    type_text(ed["recipients"].input, "000.00.00.H53 UBND tỉnh\nSở Tài chính")
    entry = submit(qtbot, dlg)
    assert entry["reference"] == "16/TB-UBND"
    assert entry["recipients"] == [{"id": "000.00.00.H53", "name": "UBND tỉnh"},
                                   {"id": None, "name": "Sở Tài chính"}]


def test_prefill_highlights_uncertain_fields_until_edited(session, qtbot):
    dlg = _form(session, qtbot, prefill={"reference": "37/2018/QĐ-UBND", "issuer": "UBND tỉnh"},
                uncertain=("issuer",))
    ed = dlg.form.editors
    assert ed["notation"].input.text() == "QĐ-UBND"
    assert ed["issuer"].is_uncertain() and "background" in ed["issuer"].input.styleSheet()
    type_text(ed["issuer"].input, " Sóc Trăng")
    assert not ed["issuer"].is_uncertain()


def test_arrival_number_is_big(session, qtbot):
    e = entries.register(session.store, "incoming", {"issuer": "Sở Y tế", "summary": "Công văn về phòng dịch"})
    dlg = ArrivalNumberDialog(e)
    qtbot.addWidget(dlg)
    assert dlg.number_label.text() == "01"
    assert dlg.number_label.font().pointSize() >= 48


def test_vietnamese_date_time_input():
    assert parse_vn_datetime("23/11/2026 09:05") == "2026-11-23T09:05:00+07:00"
    assert parse_vn_datetime("") is None


def test_handling_deadline_in_working_days(session, qtbot):
    dlg = _form(session, qtbot)
    form = dlg.form
    type_text(form.editors["arrival_at"].input, "20/11/2026 16:00")      # a Friday afternoon
    form.deadline_days.setValue(2)
    # Monday 23, then Tuesday 24 November is a public holiday (Ngày Văn hóa Việt Nam): Wednesday 25
    assert form.compute_deadline() == "2026-11-25"
    assert form.editors["handling_deadline"].input.text() == "25/11/2026"
    session.settings.set("work.days_off", ["2026-11-25"])
    session.reload_settings()
    assert form.compute_deadline() == "2026-11-26"
