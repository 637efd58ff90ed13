"""Each clerk action from the window runs the same workflow as the command line: the stored
result is the same whichever way the clerk (or the admin) did it."""
from uihelpers import submit, type_text

from app.store import entries

INCOMING = {"reference": "15/SNV-VP", "summary": "Về việc tuyển dụng công chức", "issuer": "Sở Nội vụ",
            "issued_on": "2026-11-02"}


def _stored(store, entry_id):
    e = entries.get_entry(store, entry_id).to_json()
    for k in ("id", "uid", "registered_at", "updated_at", "register_number", "arrival_at"):
        e.pop(k)
    return e


def test_register_from_the_form_and_the_cli_store_the_same(session, cli, qtbot):
    from app.ui.entry_form import EntryFormDialog
    r = cli("register", "incoming", "--reference", INCOMING["reference"], "--summary", INCOMING["summary"],
            "--issuer", INCOMING["issuer"], "--issued-on", INCOMING["issued_on"], "--format", "json")
    assert r.code == 0, r.err
    dlg = EntryFormDialog(session, "incoming", show_number=False)
    qtbot.addWidget(dlg)
    ed = dlg.form.editors
    type_text(ed["number"].input, "15")
    type_text(ed["notation"].input, "SNV-VP")
    type_text(ed["issuer"].input, INCOMING["issuer"])
    type_text(ed["summary"].input, INCOMING["summary"])
    type_text(ed["issued_on"].input, "02/11/2026")
    ed["received_via"].input.setCurrentIndex(ed["received_via"].input.findData("paper"))
    entry = submit(qtbot, dlg, allow_duplicate=True)
    assert entry["register_number"] == 2
    cli_entry, ui_entry = _stored(session.store, r.json()["id"]), _stored(session.store, entry["id"])
    assert ui_entry == cli_entry


def test_correct_status_void_from_the_detail_and_the_cli(session, cli, window, qtbot):
    from app.ui.entry_detail import EntryDetail, void_entry
    from app.workflows import registering
    a = registering.register(session.store, "incoming", dict(INCOMING)).entry
    b = registering.register(session.store, "incoming", dict(INCOMING), allow_duplicate=True).entry
    r = cli("status", str(a.id), "in_progress", "--format", "json")
    assert r.code == 0, r.err
    dlg = EntryDetail(session, b.id, window)
    qtbot.addWidget(dlg)
    qtbot.waitUntil(dlg.is_loaded, timeout=10_000)
    changed = []
    dlg.changed.connect(changed.append)
    dlg.status_box.setCurrentIndex(dlg.status_box.findData("in_progress"))
    dlg.change_status()
    qtbot.waitUntil(lambda: bool(changed), timeout=10_000)
    assert changed[-1]["status"] == r.json()["status"] == "in_progress"
    r = cli("void", str(a.id), "--reason", "Đăng ký nhầm", "--format", "json")
    got = []
    void_entry(window, session, entries.get(session.store, b.id), reason="Đăng ký nhầm", done=got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=10_000)
    assert _stored(session.store, a.id) == _stored(session.store, b.id)
    assert got[0]["status"] == "voided" and got[0]["void_reason"] == "Đăng ký nhầm"


def test_a_refused_action_changes_nothing_and_says_why(session, window, qtbot):
    """The workflow's ValidationError (field=) lands under the field, not in a traceback."""
    from app.ui.entry_form import EntryFormDialog
    dlg = EntryFormDialog(session, "incoming", show_number=False)
    qtbot.addWidget(dlg)
    from app.errors import ValidationError
    assert dlg.form.show_error_for(ValidationError("Trích yếu quá dài.", field="summary"))
    assert dlg.form.editors["summary"].error.text() == "Trích yếu quá dài."
    assert not dlg.form.show_error_for(ValidationError("Lỗi chung."))


def test_the_workflow_runs_off_the_ui_thread_and_one_change_notice_follows(session, qtbot, monkeypatch):
    import threading

    from app.ui.entry_form import EntryFormDialog
    from app.workflows import registering
    threads, real = [], registering.register

    def spy(*args, **kwargs):          # the real workflow, noting the thread it runs on
        threads.append(threading.current_thread())
        return real(*args, **kwargs)
    monkeypatch.setattr(registering, "register", spy)
    notices = []
    session.changed.connect(notices.append)
    dlg = EntryFormDialog(session, "incoming", show_number=False)
    qtbot.addWidget(dlg)
    type_text(dlg.form.editors["issuer"].input, "Sở Nội vụ")
    type_text(dlg.form.editors["summary"].input, "Về việc B")
    assert submit(qtbot, dlg) is not None
    assert threads and threads[0] is not threading.main_thread()
    assert len(notices) == 1 and notices[0].entries and notices[0].outbox and not notices[0].settings
