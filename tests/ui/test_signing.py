"""The outgoing flow with a real SoftHSM2 token through PKCS#11: the leader's PDF, the seal
placed and dragged, the PIN for this batch only, signed and verified, then queued for dispatch."""
import pytest
from uihelpers import submit

from app.store import attachments, entries, outbox
from app.ui import signing
from tests.support.softhsm import ORG_PIN, pki, tokens  # noqa: F401  (session fixtures)

pytestmark = [pytest.mark.timeout(180)]


@pytest.fixture
def outgoing_entry(session, tokens, tmp_path):  # noqa: F811
    from tests.sign.docs import make_decision
    s = session.settings
    s.set("token.module", tokens.module)
    s.set("token.label", tokens.org_token)
    s.set("token.cert_label", "to-chuc")
    s.set("org.id", "000.00.00.H53")
    s.set("org.name", "Ủy ban nhân dân tỉnh Sóc Trăng")
    s.set("sign.trust_roots", [str(tokens.pki.trust_root_pem)])
    session.reload_settings()
    e = entries.register(session.store, "outgoing", {
        "summary": "Quyết định phê duyệt kế hoạch chuyển đổi số", "doc_type": "Quyết định", "notation": "QĐ-UBND",
        "signer": "Nguyễn Văn An", "signer_title": "Chủ tịch",
        "recipients": [{"id": "000.00.01.H53", "name": "Văn phòng UBND tỉnh"}]})
    attachments.add(session.store, e["id"], make_decision(tmp_path / "qd.pdf"), role="original")
    return e


def test_sign_with_token_then_queue_dispatch(session, qtbot, outgoing_entry):
    dlg = signing.SignDialog(session, outgoing_entry["id"])
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.file_label.text() == "Đang tải…" and not dlg.sign_button.isEnabled()   # read off the UI thread
    qtbot.waitUntil(dlg.is_ready, timeout=20_000)
    assert dlg.pdf is not None and dlg.sign_button.isEnabled()
    page, x, y = dlg.preview.position()
    assert page == 2                                   # the signing block is on the last page
    r = dlg.preview.seal_rect()
    dlg.preview.move_seal_to(r.center() + type(r.center())(-10, 0))
    assert dlg.preview.position()[1] < x               # dragged to the left
    qtbot.waitUntil(lambda: dlg.sigs.count() >= 1 and "Đang kiểm tra" not in dlg.sigs.item(0).text(),
                    timeout=60_000)
    dlg.ask_pin_and_sign(pin=ORG_PIN, confirmed=True)
    qtbot.waitUntil(lambda: dlg.signed_path is not None or (dlg.worker is None and dlg.result is not None),
                    timeout=90_000)
    assert dlg.signed_path is not None, dlg.status.text()
    roles = [a["role"] for a in attachments.list_for(session.store, outgoing_entry["id"])]
    assert roles == ["original", "signed"]
    assert entries.get(session.store, outgoing_entry["id"])["status"] == "signed"
    from app.sign.verify import verify_pdf

    report = verify_pdf(dlg.signed_path, extra_roots=session.settings.get("sign.trust_roots"))
    assert [s.kind for s in report.signatures] == ["organization"] and report.signatures[0].intact
    # the viewer draws the seal (PyMuPDF renders signature appearances) and lists the signature
    from app.ui.viewer import ViewerDialog
    viewer = ViewerDialog(dlg.signed_path)
    qtbot.addWidget(viewer)
    v = viewer.viewer
    qtbot.waitUntil(v.is_ready, timeout=20_000)          # read and drawn off the UI thread
    assert v.page_count() == 2 and v.thumbs.count() == 2
    qtbot.waitUntil(lambda: v.signatures.count() >= 2, timeout=60_000)
    assert "Chữ ký cơ quan" in v.signatures.item(1).text()
    width = v.image.pixmap().width()
    v.step_zoom(1)
    qtbot.waitUntil(lambda: v.is_ready() and v.image.pixmap().width() > width, timeout=20_000)
    assert dlg.recipient_ids() == ["000.00.01.H53"]
    before = outbox.counts(session.store).get("pending", 0)
    dlg.dispatch()
    qtbot.waitUntil(lambda: dlg.worker is None and "hàng đợi" in dlg.status.text(), timeout=60_000)
    assert entries.get(session.store, outgoing_entry["id"])["status"] == "dispatched"
    assert outbox.counts(session.store).get("pending", 0) > before


def test_wrong_pin_signs_nothing(session, qtbot, outgoing_entry):
    from PySide6.QtWidgets import QDialog
    dlg = signing.SignDialog(session, outgoing_entry["id"])
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(dlg.is_ready, timeout=20_000)
    dlg.ask_pin_and_sign(pin="000000")             # the token is read off the UI thread, then signing

    def errors():
        return [d for d in dlg.findChildren(QDialog) if d.objectName() == "errorDialog"]
    qtbot.waitUntil(lambda: bool(errors()) and dlg.worker is None, timeout=60_000)
    assert "PIN" in errors()[0].message_label.text()
    assert [a["role"] for a in attachments.list_for(session.store, outgoing_entry["id"])] == ["original"]
    assert entries.get(session.store, outgoing_entry["id"])["status"] == "registered"


def test_pin_dialog_hands_the_pin_over_once(qapp):
    dlg = signing.PinDialog("VANTHU-ORG", warning="Lần nhập cuối")
    dlg.field.setText("123456")
    assert not dlg.ok.isEnabled()                      # the final-try warning needs a confirmation
    dlg.confirm.setChecked(True)
    assert dlg.ok.isEnabled()
    assert dlg.take() == "123456" and dlg.field.text() == ""


def test_outgoing_from_the_leaders_pdf_suggests_fields_then_signs(window, session, qtbot, tokens, tmp_path):  # noqa: F811
    from app.store import registers
    from tests.sign.docs import make_decision
    registers.set_notation(session.store, "di", "UBND")
    s = session.settings
    s.set("token.module", tokens.module)
    s.set("token.label", tokens.org_token)
    s.set("token.cert_label", "to-chuc")
    session.reload_settings()
    pdf = make_decision(tmp_path / "qd-lanh-dao.pdf")
    dlg = window.intake([pdf], kind="outgoing")
    qtbot.waitUntil(lambda: dlg.result is not None, timeout=60_000)
    assert dlg.result.kept_original
    values, uncertain, files, extra = dlg.prepared()
    assert files == [(pdf, "original")] and "number" not in values
    dlg.to_form()
    form = window.entry_form
    if not form.form.editors["summary"].input.text():
        form.form.editors["summary"].input.setText("Quyết định thử nghiệm")
    form.show_number = False
    entry = submit(qtbot, form)
    assert entry and entry["kind"] == "outgoing"
    qtbot.waitUntil(lambda: getattr(window, "sign_dialog", None) is not None, timeout=10_000)
    sign = window.sign_dialog
    qtbot.waitUntil(sign.is_ready, timeout=20_000)
    assert sign.pdf is not None and sign.entry["id"] == entry["id"]
    sign.close()


def test_digitized_copy_signed_from_the_number_dialog(session, qtbot, tokens, tmp_path):  # noqa: F811
    from PySide6.QtWidgets import QDialog

    from app.ui.entry_form import ArrivalNumberDialog
    from tests.sync.helpers import make_pdf
    s = session.settings
    s.set("token.module", tokens.module)
    s.set("token.label", tokens.org_token)
    s.set("token.cert_label", "to-chuc")
    s.set("org.name", "Ủy ban nhân dân tỉnh Sóc Trăng")
    session.reload_settings()
    e = entries.register(session.store, "incoming", {"issuer": "Sở Tư pháp", "summary": "Công văn giấy đã quét"})
    attachments.add(session.store, e["id"], make_pdf(tmp_path / "scan.pdf"), role="scan")
    dlg = ArrivalNumberDialog(e, session=session)
    qtbot.addWidget(dlg)
    assert dlg.sign_button is not None
    qtbot.waitUntil(lambda: not dlg.sign_button.isHidden(), timeout=10_000)   # the scan, read off the UI thread
    dlg.sign_copy(pin=ORG_PIN, confirmed=True)   # an earlier test's wrong PIN set COUNT_LOW
    # the token's PIN flags are read off the UI thread, then the signing runs
    qtbot.waitUntil(lambda: dlg.sign_button.text() in ("Đã ký số bản số hóa", "Chưa ký được.") or any(
        d.objectName() == "errorDialog" for d in dlg.findChildren(QDialog)), timeout=60_000)
    assert dlg.sign_button.text() == "Đã ký số bản số hóa"
    qtbot.waitUntil(lambda: any(a["role"] == "signed" for a in attachments.list_for(session.store, e["id"])),
                    timeout=10_000)
    signed = [a for a in attachments.list_for(session.store, e["id"]) if a["role"] == "signed"][0]
    from app.sign.verify import verify_pdf
    report = verify_pdf(attachments.path(session.store, signed["sha256"]))
    assert len(report.signatures) == 1 and report.signatures[0].intact
