"""The first-run rules (Qt-free) and the assistant dialog over them."""
import json

import pytest

from app import firstrun
from app.errors import ValidationError
from app.settings import Settings

SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so"


def test_fresh_workstation_needs_the_assistant(data_dir):
    s = Settings(data_dir)
    assert firstrun.needs_first_run(s)
    assert firstrun.missing_required(s) == ["org.name", "org.id"]


def test_machine_file_can_fill_everything(data_dir, machine_settings):
    machine_settings({"org.id": "000.00.01.H53", "org.name": "Văn phòng UBND tỉnh", "locked": ["org.id"]})
    s = Settings(data_dir)
    assert not firstrun.needs_first_run(s)
    fields = {f.key: f for f in firstrun.fields(s)}
    assert fields["org.id"].locked and fields["org.id"].prefilled and fields["org.id"].value == "000.00.01.H53"
    assert fields["org.name"].prefilled and not fields["org.name"].locked
    assert not fields["server.url"].prefilled and fields["server.url"].value == ""


def test_partly_prefilled_still_asks_for_the_rest(data_dir, machine_settings):
    machine_settings({"server.url": "https://truc.example.vn/", "locked": ["server.url"]})
    s = Settings(data_dir)
    assert firstrun.needs_first_run(s)
    assert firstrun.missing_required(s) == ["org.name", "org.id"]


def test_validate_messages_are_vietnamese():
    errors = firstrun.validate({"org.name": "", "org.id": "12.34", "server.url": "truc tinh",
                                "server.dialect": "lgsp-x", "token.module": "/khong/co.so"})
    assert set(errors) == {"org.name", "org.id", "server.url", "server.dialect", "token.module"}
    assert "tên cơ quan" in errors["org.name"]
    assert "không đúng dạng" in errors["org.id"]
    assert "https://" in errors["server.url"]
    assert firstrun.validate({"org.name": "Sở Tư pháp", "org.id": "000.00.12.h53", "server.url": "",
                              "token.module": ""}) == {}
    assert "dài quá" in firstrun.validate({"org.name": "x" * 201})["org.name"]


def test_apply_writes_only_editable_changed_keys(data_dir, machine_settings):
    machine_settings({"server.url": "https://truc.example.vn/", "locked": ["server.url"]})
    s = Settings(data_dir)
    written = firstrun.apply(s, {"org.name": "Sở Nội vụ tỉnh", "org.id": "000.00.12.h53",
                                 "server.url": "https://khac.example.vn/", "server.dialect": "vxp",
                                 "token.module": ""})
    assert written == ["org.name", "org.id"]
    saved = json.loads((data_dir / "settings.json").read_text(encoding="utf-8"))
    assert saved == {"org.name": "Sở Nội vụ tỉnh", "org.id": "000.00.12.H53"}
    again = Settings(data_dir)
    assert not firstrun.needs_first_run(again)
    assert again.get("server.url") == "https://truc.example.vn/"
    with pytest.raises(ValidationError) as exc:
        firstrun.apply(again, {"org.id": "sai"})
    assert "không đúng dạng" in exc.value.message


# ------------------------------------------------------------------ the dialog

@pytest.mark.timeout(60)
@pytest.mark.qt_log_level_fail("WARNING")
@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")
def test_dialog_locked_fields_are_read_only_and_saving_writes_settings(qtbot, data_dir, machine_settings):
    from app.ui.first_run import FirstRunDialog
    machine_settings({"org.id": "000.00.01.H53", "server.url": "https://truc.example.vn/",
                      "locked": ["org.id", "server.url"]})
    s = Settings(data_dir)
    dlg = FirstRunDialog(s)
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.editors["org.id"].isEnabled() and dlg.editors["org.id"].text() == "000.00.01.H53"
    assert not dlg.editors["server.url"].isEnabled()
    assert dlg.editors["org.name"].isEnabled() and dlg.editors["org.name"].text() == ""
    assert set(dlg.values()) == {"org.name", "org.notation", "server.dialect", "token.module"}

    dlg.save_button.click()                              # name missing: stays open with a message
    assert dlg.isVisible() and dlg.result() == 0
    assert dlg.errors["org.name"].isVisible() and "tên cơ quan" in dlg.errors["org.name"].text()

    dlg.editors["org.name"].setText("Văn phòng Ủy ban nhân dân tỉnh")
    dlg.editors["org.notation"].setText("VP UBND")           # not a notation: flagged, nothing saved
    dlg.save_button.click()
    assert dlg.errors["org.notation"].isVisible() and Settings(data_dir).get("org.name") != "Văn phòng Ủy ban nhân dân tỉnh"
    dlg.editors["org.notation"].setText("VPUBND")
    if dlg.editors["token.module"].findData(SOFTHSM) >= 0:
        dlg.editors["token.module"].setCurrentIndex(dlg.editors["token.module"].findData(SOFTHSM))
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        dlg.save_button.click()
    again = Settings(data_dir)
    assert again.get("org.name") == "Văn phòng Ủy ban nhân dân tỉnh" and again.get("org.notation") == "VPUBND"
    assert not firstrun.needs_first_run(again)
    if dlg.editors["token.module"].findData(SOFTHSM) >= 0:
        assert again.get("token.module") == SOFTHSM


@pytest.mark.timeout(60)
@pytest.mark.qt_log_level_fail("WARNING")
@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")
def test_dialog_rejects_a_bad_identifier_and_a_missing_module(qtbot, data_dir, tmp_path):
    from app.ui.first_run import FirstRunDialog
    dlg = FirstRunDialog(Settings(data_dir))
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.editors["org.name"].setText("Sở Tư pháp")
    dlg.editors["org.id"].setText("000.00.12")
    dlg.editors["token.module"].setEditText(str(tmp_path / "khong-co.so"))
    dlg.save_button.click()
    assert dlg.result() == 0
    assert "không đúng dạng" in dlg.errors["org.id"].text()
    assert "Không tìm thấy tệp" in dlg.errors["token.module"].text()
    assert not (data_dir / "settings.json").exists()
    dlg.editors["org.id"].setText("000.00.12.H53")
    dlg.editors["token.module"].setEditText("")
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        dlg.save_button.click()
    assert Settings(data_dir).get("org.id") == "000.00.12.H53"


@pytest.mark.timeout(90)
@pytest.mark.qt_log_level_fail("WARNING")
@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")
def test_dialog_detect_finds_softhsm(qtbot, data_dir):
    import os
    if not os.path.isfile(SOFTHSM):
        pytest.skip("SoftHSM2 is not installed")
    from app.ui.first_run import FirstRunDialog
    dlg = FirstRunDialog(Settings(data_dir))
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.detect_button.click()
    qtbot.waitUntil(lambda: dlg.detect_button.isEnabled(), timeout=60000)
    assert dlg.editors["token.module"].findData(SOFTHSM) >= 0
    assert dlg.value("token.module")          # a working module was chosen


@pytest.mark.timeout(60)
@pytest.mark.qt_log_level_fail("WARNING")
@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")
def test_run_if_needed_hook(qtbot, data_dir, machine_settings, qapp):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.ui.first_run import FirstRunDialog, run_if_needed

    def later(action):
        def step():
            dlg = next(w for w in QApplication.topLevelWidgets() if isinstance(w, FirstRunDialog) and w.isVisible())
            action(dlg)
        QTimer.singleShot(50, step)

    later(lambda dlg: dlg.later_button.click())                # «Để sau»: nothing saved
    assert run_if_needed(data_dir) is False
    assert not (data_dir / "settings.json").exists()

    def fill(dlg):
        dlg.editors["org.name"].setText("Ủy ban nhân dân huyện Thử")
        dlg.editors["org.id"].setText("000.12.31.H53")
        dlg.save_button.click()
    later(fill)
    assert run_if_needed(data_dir) is True
    assert run_if_needed(data_dir) is False                    # not needed any more: no dialog
    machine_settings("{ hỏng")
    assert run_if_needed(data_dir) is False                    # unreadable settings: left to the app
