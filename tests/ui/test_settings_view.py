"""Settings: values checked by app.settings, errors next to the field, registers created."""
import json

from PySide6.QtCore import Qt
from uihelpers import settle, type_text

from app.store import registers
from app.ui.settings_view import SettingsView
from tests.support.softhsm import pki, tokens  # noqa: F401  (session fixtures)


def _page(view, key):
    for page in view.pages.values():
        if key in page.inputs:
            return page
    raise KeyError(key)


def test_bad_org_id_is_refused_next_to_the_field(session, qtbot, data_dir):
    view = SettingsView(session)
    qtbot.addWidget(view)
    view.show()
    page = _page(view, "org.id")
    page.inputs["org.id"].setText("123")
    page.inputs["org.name"].clear()
    type_text(page.inputs["org.name"], "Ủy ban nhân dân tỉnh Sóc Trăng")
    assert not page.save()
    assert page.errors["org.id"].isVisible()
    assert "không đúng dạng" in page.errors["org.id"].text()
    saved = json.loads((data_dir / "settings.json").read_text(encoding="utf-8"))
    assert saved["org.name"] == "Ủy ban nhân dân tỉnh Sóc Trăng"    # the good value is kept
    assert "org.id" not in saved
    page.inputs["org.id"].setText("000.00.00.h53")
    assert page.save()
    assert session.settings.get("org.id") == "000.00.00.H53"


def test_working_hours_and_days_off(session, qtbot):
    view = SettingsView(session)
    qtbot.addWidget(view)
    view.show()
    page = _page(view, "work.hours")
    page.inputs["work.hours"].setText("17:00-07:00")
    assert not page.save()
    assert "Giờ làm việc" in page.errors["work.hours"].text()
    page.inputs["work.hours"].setText("07:00-11:00,13:00-16:30")
    # dates are typed and shown day/month/year, as everywhere else
    assert "ngày/tháng/năm" in page.inputs["work.days_off"].placeholderText()
    page.inputs["work.days_off"].setText("31/12/2026, 2/1/2027")
    assert page.save()
    cal = session.calendar()
    assert cal.hours[0][0].hour == 7 and cal.hours[1][1].minute == 30
    from datetime import date
    assert not cal.is_working_day(date(2026, 12, 31)) and not cal.is_working_day(date(2027, 1, 2))
    page.load()
    assert page.inputs["work.days_off"].text() == "31/12/2026, 02/01/2027"
    page.inputs["work.days_off"].setText("31/13/2026")
    assert not page.save()
    err = page.errors["work.days_off"].text()
    assert "ngày/tháng/năm" in err and "YYYY" not in err


def test_create_register_from_settings(session, qtbot):
    view = SettingsView(session)
    qtbot.addWidget(view)
    view.show()
    page = view.registers
    settle(qtbot, session)                  # the registers are read off the UI thread
    rows = page.table.rowCount()
    assert rows >= 2
    page.code.setText("qd")
    page.kind.setCurrentIndex(page.kind.findData("outgoing"))
    type_text(page.title, "Sổ quyết định")
    page.notation.setText("UBND")
    page.doc_type.setCurrentIndex(page.doc_type.findData("Quyết định"))
    changes = []
    session.changed.connect(changes.append)
    op = page.create()          # the registers workflow, off the UI thread
    qtbot.waitUntil(lambda: page.table.rowCount() == rows + 1, timeout=10_000)
    assert op.error is None and op.result.code == "qd"
    reg = registers.get(session.store, "qd")
    assert reg["doc_types"] == ["Quyết định"] and reg["notation"] == "UBND"
    assert any(c.registers for c in changes)          # the other screens re-read their registers


def test_register_from_settings_and_cli_store_the_same(session, cli, qtbot):
    """Creating a register and setting its notation: the Settings view and `vanthu registers`
    call the same workflow functions and store the same thing."""
    r = cli("registers", "create", "qd", "--kind", "outgoing", "--title", "Sổ quyết định", "--notation", "UBND",
            "--doc-type", "Quyết định")
    assert r.code == 0, r.err
    assert cli("registers", "set-notation", "qd", "SNV").code == 0
    view = SettingsView(session)
    qtbot.addWidget(view)
    page = view.registers
    qtbot.waitUntil(lambda: page.table.rowCount() >= 3, timeout=10_000)
    page.code.setText("qd2")
    page.kind.setCurrentIndex(page.kind.findData("outgoing"))
    type_text(page.title, "Sổ quyết định")
    page.notation.setText("UBND")
    page.doc_type.setCurrentIndex(page.doc_type.findData("Quyết định"))
    op = page.create()
    qtbot.waitUntil(lambda: op.result is not None or op.error is not None, timeout=10_000)
    qtbot.waitUntil(lambda: bool(page.table.findItems("qd2", Qt.MatchExactly)), timeout=10_000)
    page.table.setCurrentCell(page.table.row(page.table.findItems("qd2", Qt.MatchExactly)[0]), 0)
    page.set_notation_edit.setText("SNV")
    op = page.set_notation()
    qtbot.waitUntil(lambda: op.result is not None or op.error is not None, timeout=10_000)
    assert op.error is None
    cli_reg, ui_reg = registers.get(session.store, "qd"), registers.get(session.store, "qd2")
    for k in ("id", "code", "created_at", "is_default"):
        cli_reg.pop(k), ui_reg.pop(k)
    assert ui_reg == cli_reg and ui_reg["notation"] == "SNV"


def test_a_refused_register_says_why_and_stores_nothing(session, qtbot, monkeypatch):
    from app.ui import settings_view
    shown = []
    monkeypatch.setattr(settings_view, "show_error", lambda parent, exc, *a, **k: shown.append(exc))
    view = SettingsView(session)
    qtbot.addWidget(view)
    page = view.registers
    before = session.store.query("SELECT count(*) FROM registers")[0][0]
    page.code.setText("Sổ mới")            # not a code: lower-case ascii only
    type_text(page.title, "Sổ mới")
    op = page.create()
    qtbot.waitUntil(lambda: op.error is not None, timeout=10_000)
    assert shown and "Mã sổ" in shown[0].message and page.create_button.isEnabled()
    assert session.store.query("SELECT count(*) FROM registers")[0][0] == before


def test_hub_credential_goes_to_the_keyring_not_to_disk(session, qtbot, data_dir):
    import keyring

    from app.sync import credentials
    from tests.support.keyring_memory import MemoryKeyring
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        session.settings.set("server.url", "http://127.0.0.1:9")
        session.settings.set("org.id", "000.00.00.H53")
        session.reload_settings()
        view = SettingsView(session)
        qtbot.addWidget(view)
        box = view.credentials
        box.system_id.setText("000.00.00.H53")
        box.secret.setText("bi-mat-0123456789")
        op = box.save()                                     # the keyring is written off the UI thread
        assert box.secret.text() == ""
        qtbot.waitUntil(lambda: box.state.text() == "Đã lưu tài khoản.", timeout=10_000)
        assert op.error is None and "bi-mat" not in repr(op.args) + repr(op.kwargs)
        assert credentials.load("http://127.0.0.1:9", "000.00.00.H53").secret == "bi-mat-0123456789"
        on_disk = b"".join(p.read_bytes() for p in data_dir.rglob("*") if p.is_file())
        assert b"bi-mat-0123456789" not in on_disk
    finally:
        keyring.set_keyring(previous)


def test_detect_token_modules(session, qtbot):
    from tests.support.softhsm import MODULE
    view = SettingsView(session)
    qtbot.addWidget(view)
    tools = view.token_tools
    session.settings.set("token.module", MODULE)
    tools.detect()
    qtbot.waitUntil(lambda: tools.detect_button.isEnabled() and tools.note.text() != "Đang dò…", timeout=60_000)
    assert tools.found.findData(MODULE) >= 0
    tools.found.setCurrentIndex(tools.found.findData(MODULE))
    tools.use()
    assert session.settings.get("token.module") == MODULE


def test_choose_the_organization_certificate_from_the_token(session, qtbot, tokens):
    view = SettingsView(session)
    qtbot.addWidget(view)
    tools = view.token_tools
    session.settings.set("token.module", tokens.module)
    session.settings.set("token.label", tokens.org_token)
    assert tools.list_certificates() is not None
    qtbot.waitUntil(lambda: tools.certs.count() > 0, timeout=30_000)
    assert tools.certs.findData("to-chuc") >= 0
    tools.certs.setCurrentIndex(tools.certs.findData("to-chuc"))
    tools.use_certificate()
    assert session.settings.get("token.cert_label") == "to-chuc"
