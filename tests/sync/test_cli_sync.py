"""The exchange through the command line, with the hub as a real process."""
import io
import json
import re
import sys

import pytest

from .conftest import ORG_A, ORG_B, SECRETS
from .helpers import make_pdf

pytestmark = pytest.mark.timeout(180)


@pytest.fixture
def run(capsys, monkeypatch):
    from app.cli import main

    def _run(data, *args, stdin=None):
        capsys.readouterr()
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(["--data-dir", str(data), *map(str, args)])
        out = capsys.readouterr()
        return code, out.out, out.err
    return _run


def _setup(run, data, org, name, url):
    for k, v in (("org.id", org), ("org.name", name), ("server.url", url), ("server.timeout", "5"),
                 ("provincial.url", url)):
        assert run(data, "config", "set", k, v)[0] == 0
    code, out, _ = run(data, "login", "--system-id", org, "--secret-stdin", stdin=SECRETS[org] + "\n")
    assert code == 0 and "kho khóa" in out
    code, out, _ = run(data, "login", "--provincial", "--system-id", org, "--secret-stdin", stdin=SECRETS[org] + "\n")
    assert code == 0


def _all_bytes(folder):
    for p in folder.rglob("*"):
        if p.is_file():
            yield p, p.read_bytes()


def test_send_receive_accept_reject_restore_by_cli(run, hub, tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    _setup(run, a, ORG_A, "UBND tỉnh Sóc Trăng", hub.url)
    _setup(run, b, ORG_B, "Văn phòng UBND tỉnh", hub.url)
    code, out, _ = run(a, "register", "outgoing", "--summary", "Về việc thử nghiệm dòng lệnh",
                       "--notation", "UBND-VP", "--format", "json")
    assert code == 0
    first = json.loads(out)
    code, out, _ = run(a, "register", "outgoing", "--summary", "Văn bản thứ hai", "--notation", "UBND-VP",
                       "--format", "json")
    second = json.loads(out)
    from app.store import attachments, open_store
    with open_store(a) as s:
        for e in (first, second):
            attachments.add(s, e["id"], make_pdf(tmp_path / f"{e['id']}.pdf"), role="signed")
    for e in (first, second):
        code, out, err = run(a, "send", e["id"], "--to", ORG_B)
        assert code == 0 and "hàng đợi gửi" in out, err
    code, out, _ = run(a, "outbox", "--format", "json")
    assert code == 0 and [i["topic"] for i in json.loads(out)].count("edoc.send") == 2
    code, out, _ = run(a, "outbox")
    assert "chờ gửi" in out and "Gửi văn bản" in out
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", out) and not re.search(r"\d{4}-\d\d-\d\d", out)   # dd/mm/yyyy
    code, out, _ = run(a, "sync", "--format", "json")
    assert code == 0 and json.loads(out)["status"]["waiting"] == 0
    code, out, _ = run(a, "sync", "--status")
    assert code == 0 and out.startswith("Trực tuyến")

    code, out, _ = run(a, "outbox", "--entry", first["id"])
    assert code == 0 and ORG_B in out and "chờ nơi nhận tải về" in out

    code, out, _ = run(b, "sync")
    assert code == 0 and "nhận 2 văn bản mới" in out
    run(a, "sync")
    code, out, _ = run(a, "outbox", "--entry", first["id"], "--format", "json")
    assert [(d["recipient"], d["receive_status"]) for d in json.loads(out)] == [(ORG_B, "done")]
    code, out, _ = run(b, "inbox", "--format", "json")
    items = json.loads(out)
    assert len(items) == 2 and all(i["state"] == "pending" for i in items)
    by_summary = {i["summary"]: i for i in items}
    code, out, _ = run(b, "inbox")
    assert "Chờ tiếp nhận" in out and "Về việc thử nghiệm dòng lệnh" in out
    code, out, _ = run(b, "accept", by_summary["Về việc thử nghiệm dòng lệnh"]["id"])
    assert code == 0 and "số đến 01" in out
    code, out, _ = run(b, "reject", by_summary["Văn bản thứ hai"]["id"], "--reason", "Gửi nhầm đơn vị")
    assert code == 0
    code, _, err = run(b, "accept", by_summary["Văn bản thứ hai"]["id"])
    assert code == 2 and "Đã từ chối" in err
    assert run(b, "sync")[0] == 0
    assert run(a, "sync")[0] == 0
    code, out, _ = run(a, "inbox", "--state", "info", "--format", "json")
    assert sorted(i["status_code"] for i in json.loads(out)) == ["01", "01", "02", "03"]

    # the secret is only in the keyring: not in settings, database, files or logs
    secret = SECRETS[ORG_A].encode()
    leaks = [str(p) for p, data in _all_bytes(a) if secret in data]
    assert leaks == []

    # a new machine of organization A restores everything from the server
    _setup(run, c, ORG_A, "UBND tỉnh Sóc Trăng", hub.url)
    code, out, err = run(c, "restore", "--from-server", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["entries"] == 2
    code, out, _ = run(c, "list", "--format", "json")
    assert sorted(e["summary"] for e in json.loads(out)) == ["Văn bản thứ hai", "Về việc thử nghiệm dòng lệnh"]
    assert all(e["status"] == "dispatched" for e in json.loads(out))


def test_cli_errors_are_clear(run, tmp_path):
    d = tmp_path / "d"
    code, _, err = run(d, "sync")
    assert code == 2 and "server.url" in err
    run(d, "config", "set", "server.url", "http://127.0.0.1:9")
    run(d, "config", "set", "org.id", ORG_A)
    code, _, err = run(d, "sync")
    assert code == 2 and "vanthu login" in err
    code, _, err = run(d, "login", "--system-id", ORG_A, "--secret-stdin", stdin="\n")
    assert code == 2 and "stdin" in err
    run(d, "login", "--system-id", ORG_A, "--secret-stdin", stdin="s3cret-value\n")
    code, out, _ = run(d, "sync")
    assert code == 6 and "Ngoại tuyến" in out       # offline is a state, not a crash
    code, _, err = run(d, "accept", "999")
    assert code == 3 and "999" in err
    code, _, err = run(d, "send", "1", "--to", ORG_B)
    assert code == 3
    bad = tmp_path / "orgs.txt"
    bad.write_text("000.00.00.H53 secret-without-equals\n")
    code, _, err = run(d, "hub", "--data", str(tmp_path / "h"), "--orgs-file", str(bad))
    assert code == 2 and "ORGID=SECRET" in err and "secret-without-equals" not in err
    code, _, err = run(d, "hub", "--data", str(tmp_path / "h"), "--org", f"{ORG_A}=on-the-command-line")
    assert code == 2                                   # secrets are never taken from the command line


def test_handover_and_retry_by_cli(run, hub, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    _setup(run, one, ORG_A, "UBND tỉnh", hub.url)
    _setup(run, two, ORG_A, "UBND tỉnh", hub.url)
    run(one, "register", "outgoing", "--summary", "Máy một", "--notation", "UBND-VP")
    assert run(one, "sync")[0] == 0
    run(two, "register", "outgoing", "--summary", "Máy hai", "--notation", "UBND-VP")
    code, out, _ = run(two, "sync")
    assert "Bị từ chối" in out and "máy trạm" in out
    code, out, _ = run(two, "outbox", "--state", "parked", "--format", "json")
    assert len(json.loads(out)) == 1
    from app.store import open_store
    with open_store(two) as s:
        ws_two = s.workstation_id
    code, out, err = run(one, "sync", "--handover", "di", "--to", ws_two)
    assert code == 0 and ws_two in out, err
    assert "1" in run(two, "sync", "--retry", "all")[1]
    code, out, _ = run(two, "sync", "--format", "json")
    assert json.loads(out)["status"]["parked"] == 0 and json.loads(out)["status"]["waiting"] == 0
