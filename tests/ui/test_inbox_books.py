"""Received electronic documents against the reference hub (a real process): fetch, accept,
return with a reason, statuses back to the sender. Register books: preview, print, save."""
import keyring
import pytest
from uihelpers import settle

from app.ui import books_view, inbox_view

pytestmark = pytest.mark.timeout(180)


@pytest.fixture
def memory_keyring():
    from tests.support.keyring_memory import MemoryKeyring
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)


def test_accept_and_return_through_the_hub(window, session, qtbot, tmp_path, memory_keyring):
    from app.store import entries
    from app.sync import credentials, inbox, outgoing
    from tests.sync.conftest import ORG_A, ORG_B, SECRETS, Workstation
    from tests.sync.helpers import outgoing_with_file
    from tests.sync.hubproc import Hub
    hub = Hub(tmp_path / "hub", dict(SECRETS)).start()
    try:
        sender = Workstation(tmp_path / "sender", ORG_A, "UBND tỉnh Sóc Trăng", hub.url)
        for summary in ("Về việc tổ chức hội nghị tổng kết", "Về việc gửi nhầm đơn vị"):
            e = outgoing_with_file(sender, tmp_path, summary=summary)
            outgoing.send_entry(sender.store, sender.settings, e["id"], [ORG_B])
        assert sender.sync().online
        s = session.settings
        s.set("org.id", ORG_B)
        s.set("org.name", "Văn phòng UBND tỉnh")
        s.set("server.url", hub.url)
        s.set("server.timeout", 5)
        credentials.save(hub.url, ORG_B, SECRETS[ORG_B], ORG_B)
        session.reload_settings()
        window.start_background()          # status poll and the periodic exchange with the hub
        assert window.sync_watcher.thread is not None
        qtbot.waitUntil(lambda: window.status.state.get("online") is True, timeout=60_000)
        assert window.status.network.text().startswith("Trực tuyến")

        view = window.show_view("inbox")
        assert isinstance(view, inbox_view.InboxView)
        view.fetch()
        qtbot.waitUntil(lambda: view.table.rowCount() == 2 and view.fetch_button.isEnabled(), timeout=60_000)
        col = {name: i for i, name in enumerate(inbox_view.COLUMNS)}
        summaries = {view.table.item(r, col["summary"]).text().split(": ", 1)[-1]: r for r in range(2)}
        assert view.table.item(0, col["verdict"]).text() in ("Không có chữ ký số", "Chưa kiểm tra được")
        # urgency, the document's date and the reference exactly as the sender wrote them
        row = summaries["Về việc tổ chức hội nghị tổng kết"]
        assert view.table.item(row, col["reference"]).text() == view.items[row]["reference"]
        assert "/" in view.table.item(row, col["issued_on"]).text() or not view.items[row]["header"].get("promulgation")
        view.select_row(row)
        assert view.accept_button.isEnabled()
        got = []
        view.accept_current(show_number=False, done=got.append)
        qtbot.waitUntil(lambda: bool(got), timeout=30_000)
        entry = got[0]
        assert entry["register_number"] == 1 and entry["received_via"] == "electronic"
        settle(qtbot, session)
        assert view.table.rowCount() == 1                     # the list shows what still waits
        view.select_row(0)
        got.clear()
        view.reject_current("Gửi nhầm đơn vị, đề nghị gửi Sở Nội vụ", done=got.append)
        qtbot.waitUntil(lambda: bool(got), timeout=30_000)
        assert got[0].state == "rejected"
        assert inbox.counts(session.store).get("pending", 0) == 0
        settle(qtbot, session)
        assert window.views["incoming"].model.rowCount() == 1
        # the answers (03 registered, 02 returned) reach the sender through the hub
        view.fetch()
        qtbot.waitUntil(lambda: view.fetch_button.isEnabled(), timeout=60_000)
        sender.sync()
        codes = sorted(i["status_code"] for i in inbox.list_items(sender.store, "info"))
        assert "02" in codes and "03" in codes
        # the sender's clerk sees each recipient's answer on the outgoing entry
        from app.ui.entry_detail import EntryDetail
        from app.ui.session import Session
        sender.close()
        sender_session = Session(tmp_path / "sender")
        try:
            sent = entries.list_entries(sender_session.store, kind="outgoing", limit=2)
            answers = []
            for e in sent:
                dlg = EntryDetail(sender_session, e["id"])
                qtbot.addWidget(dlg)
                qtbot.waitUntil(dlg.is_loaded, timeout=10_000)
                answers += [dlg.deliveries.item(r, 1).text() for r in range(dlg.deliveries.rowCount())]
            assert any(a.startswith("03") for a in answers) and any(a.startswith("02") for a in answers)
        finally:
            sender_session.close()
    finally:
        hub.stop()


def test_book_preview_print_and_save(populated, window, qtbot, tmp_path):
    from app.domain import clock
    view = window.show_view("books")
    assert isinstance(view, books_view.BooksView)
    view.year.setValue(clock.today().year)            # the workstation's today (Vietnam time)
    view.period.setCurrentIndex(view.period.findData((clock.today().month - 1) // 3 + 1))
    view.build()
    qtbot.waitUntil(lambda: view.result is not None, timeout=60_000)
    qtbot.waitUntil(view.viewer.is_ready, timeout=20_000)      # the preview is drawn off the UI thread
    assert view.viewer.page_count() >= 2 and view.print_button.isEnabled()
    assert view.result.entries == 40
    saved = view.save_to(tmp_path / "so-den")
    assert saved.read_bytes()[:5] == b"%PDF-"
    from PySide6.QtPrintSupport import QPrinter
    printer = view.make_printer()
    printer.setOutputFormat(QPrinter.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    op = view.print_job(printer)                     # painted off the UI thread
    qtbot.waitUntil(lambda: op.result is not None or op.error is not None, timeout=60_000)
    n = op.result
    assert n == view.viewer.page_count() and "Đã gửi" in view.info.text()
    import pymupdf
    with pymupdf.open(str(tmp_path / "printed.pdf")) as printed:
        assert len(printed) == n


def test_recipients_complete_from_the_platforms_organization_list(session, qtbot, tmp_path, memory_keyring):
    """The exchange platform's getAgenciesList (the real hub process) feeds the recipient
    completion as "ID name" lines, after the register's own history."""
    from app.sync import credentials
    from app.ui import session as ui_session
    from app.ui.entry_form import EntryFormDialog
    from tests.sync.conftest import ORG_A, ORG_B, SECRETS
    from tests.sync.hubproc import Hub
    hub = Hub(tmp_path / "hub", dict(SECRETS)).start()
    try:
        s = session.settings
        s.set("org.id", ORG_A)
        s.set("server.url", hub.url)
        s.set("server.timeout", 5)
        credentials.save(hub.url, ORG_A, SECRETS[ORG_A], ORG_A)
        session.reload_settings()
        ui_session._AGENCIES.clear()
        dlg = EntryFormDialog(session, "outgoing", show_number=False)
        qtbot.addWidget(dlg)
        qtbot.waitUntil(lambda: getattr(dlg.form, "recipient_add", None) is not None, timeout=30_000)
        names = dlg.form.recipient_add.completer().model().stringList()
        assert any(n.startswith(ORG_B) for n in names), names
        line = next(n for n in names if n.startswith(ORG_B))
        dlg.form.recipient_add.setText(line)
        dlg.form.add_recipient()
        assert dlg.form.editors["recipients"].value()[0]["id"] == ORG_B
    finally:
        hub.stop()
        ui_session._AGENCIES.clear()
