"""`vanthu inbox import`: packages dropped in a folder (how some provincial gateways deliver),
taken into the inbox exactly as if fetched; the hand-written platform-shaped fixtures; delivery
state from getSentEdocList."""
import json
import shutil
from pathlib import Path

import pytest

from app.store import entries
from app.sync import inbox, outgoing

from .conftest import ORG_A, ORG_B
from .helpers import outgoing_with_file

pytestmark = pytest.mark.timeout(180)
FIX = Path(__file__).with_name("fixtures")
ORG_H53 = "000.00.01.H53"


def test_fixtures_go_through_the_inbox(workstation):
    ws = workstation(ORG_H53, url="http://127.0.0.1:9")
    [new] = inbox.import_files(ws.store, ws.settings, [FIX / "edoc-new.edxml"])
    assert new["state"] == "pending" and new["source"] == "folder" and new["sender_id"] == "000.00.00.G22"
    assert [a["name"] for a in new["attachments"]] == ["7816-VPCP-TTDT.pdf", "To trinh.txt"]
    assert new["warnings"] and "CodeNumber" in new["warnings"][0]
    # the 14-digit number does not fit the register: the clerk fixes it when accepting
    entry = inbox.accept(ws.store, ws.settings, new["id"], overrides={"number": "7816"})
    assert entry["doc_identifier"] == "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"
    [upd] = inbox.import_files(ws.store, ws.settings, [FIX / "edoc-update.edxml"])
    assert upd["business_type"] == 2 and upd["related_entry_id"] == entry["id"]
    [rep] = inbox.import_files(ws.store, ws.settings, [FIX / "edoc-replace.edxml"])
    assert rep["business_type"] == 3 and rep["related_entry_id"] == entry["id"]
    [rec] = inbox.import_files(ws.store, ws.settings, [FIX / "edoc-recall.edxml"])
    assert rec["business_type"] == 1 and rec["reason"].startswith("15")
    assert entries.get(ws.store, entry["id"])["status"] == "recalled"
    # the same file again is recognized
    [dup] = inbox.import_files(ws.store, ws.settings, [FIX / "edoc-new.edxml"])
    assert dup.get("duplicate")


def test_statuses_act_only_on_what_we_sent_to_that_organization(workstation, tmp_path):
    a = workstation(ORG_A, url="http://127.0.0.1:9")
    results = inbox.import_files(a.store, a.settings, [FIX / f"status-{c}.edxml" for c in ("01", "03")])
    assert [r["state"] for r in results] == ["quarantined"] * 2        # A never sent that document to H53
    e = outgoing_with_file(a, tmp_path)
    sent = outgoing.send_entry(a.store, a.settings, e["id"], [ORG_H53])
    assert sent["document_id"]
    for code in ("05", "06"):                                           # same document id as A's dispatch
        text = (FIX / f"status-{code}.edxml").read_text(encoding="utf-8").replace(
            "000.00.00.H53,2026/11/20,1007/QĐ-UBND", sent["document_id"])
        (tmp_path / f"s{code}.edxml").write_text(text, encoding="utf-8")
    results = inbox.import_files(a.store, a.settings, [tmp_path / "s05.edxml", tmp_path / "s06.edxml"])
    assert [r["state"] for r in results] == ["info", "info"]
    assert [s["code"] for s in inbox.statuses_for_entry(a.store, e["id"])] == ["05", "06"]


def test_inbox_import_by_cli(tmp_path, capsys):
    from app.cli import main
    d = tmp_path / "d"
    assert main(["--data-dir", str(d), "config", "set", "org.id", ORG_H53]) == 0
    drop = tmp_path / "drop"
    drop.mkdir()
    for name in ("edoc-new.edxml", "bad-undefined-prefix.edxml"):
        shutil.copy(FIX / name, drop / name)
    capsys.readouterr()
    code = main(["--data-dir", str(d), "inbox", "import", str(drop / "edoc-new.edxml"),
                 str(drop / "bad-undefined-prefix.edxml"), str(drop / "missing.edxml")])
    out = capsys.readouterr().out
    assert code == 1
    assert "Chờ tiếp nhận" in out and "Gói tin lỗi" in out and "không phải XML hợp lệ" in out and "Lỗi" in out
    assert main(["--data-dir", str(d), "inbox", "--state", "all", "--format", "json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert sorted(i["state"] for i in items) == ["invalid", "pending"]
    assert main(["--data-dir", str(d), "inbox", "--held"]) == 0
    assert "Không có gói tin nào bị giữ lại" in capsys.readouterr().out


def test_delivery_state_per_recipient_on_the_outgoing_entry(workstation, tmp_path):
    from .conftest import ORG_C
    a, b = workstation(ORG_A), workstation(ORG_B)
    e = outgoing_with_file(a, tmp_path)
    outgoing.send_entry(a.store, a.settings, e["id"], [ORG_B, ORG_C])
    assert [d["queued"] for d in inbox.delivery_state(a.store, e["id"])] == [True, True]
    a.sync()
    state = {d["recipient"]: d for d in inbox.delivery_state(a.store, e["id"])}
    assert state[ORG_B]["receive_status"] == "pending" and state[ORG_C]["receive_status"] == "pending"
    b.sync()
    a.sync()
    state = {d["recipient"]: d for d in inbox.delivery_state(a.store, e["id"])}
    assert state[ORG_B]["receive_status"] == "done" and state[ORG_B]["received_time"]
    assert state[ORG_C]["receive_status"] == "pending" and not state[ORG_C]["queued"]
