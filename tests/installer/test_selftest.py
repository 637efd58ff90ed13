"""`vanthu self-test`: every check against the real component, and each failure made to happen."""
import json
import os
import sqlite3
import sys
import time
from email.utils import formatdate
from pathlib import Path

import pytest

from app import selftest
from app.selftest import ERROR, OK, WARNING, run_checks

ROOT = Path(__file__).resolve().parents[2]


def check(data_dir, cid, **kw):
    report = run_checks(data_dir, only=[cid], **kw)
    assert [r.id for r in report.results] == [cid]
    return report.results[0]


# ------------------------------------------------------------------ whole report

@pytest.mark.timeout(120)
def test_all_checks_run_in_order_and_warnings_keep_exit_code_zero(data_dir, memory_keyring, sane_test_device):
    report = run_checks(data_dir)
    assert [r.id for r in report.results] == [c.id for c in selftest.CHECKS]
    statuses = {r.id: r.status for r in report.results}
    assert statuses["data"] == OK and statuses["tesseract"] == OK and statuses["fonts"] == OK
    assert statuses["keyring"] == OK and statuses["scanner"] == OK
    assert statuses["settings"] == WARNING          # organization not set yet: first run pending
    assert statuses["server"] == WARNING            # no server configured: local only
    assert ERROR not in statuses.values()
    assert report.exit_code == 0
    text = report.to_text()
    assert "[OK]" in text and "[CẢNH BÁO]" in text and "Kết quả:" in text
    d = report.to_dict()
    assert json.loads(json.dumps(d))["checks"][0]["id"] == "settings"
    assert d["counts"][OK] + d["counts"][WARNING] == len(selftest.CHECKS)


@pytest.mark.timeout(60)
def test_an_error_makes_exit_code_non_zero_and_other_checks_still_run(data_dir, machine_settings, memory_keyring):
    machine_settings("{ not json")
    report = run_checks(data_dir, only=["settings", "fonts"])
    by = {r.id: r for r in report.results}
    assert by["settings"].status == ERROR and "bị hỏng" in by["settings"].message
    assert by["fonts"].status == OK
    assert report.exit_code == 1 and report.status == ERROR


def test_machine_file_that_is_not_an_object(data_dir, machine_settings):
    machine_settings("[1, 2]")
    report = run_checks(data_dir, only=["settings", "data"])
    assert [r.status for r in report.results] == [ERROR, OK]
    assert "đối tượng JSON" in report.results[0].message and "{" in report.results[0].message


@pytest.mark.timeout(60)
def test_a_check_that_raises_is_reported_not_propagated(data_dir, monkeypatch):
    def boom(ctx):
        raise RuntimeError("unexpected")
    monkeypatch.setattr(selftest, "CHECKS", [selftest.Check("boom", "Thử", boom), selftest.CHECKS[3]])
    report = run_checks(data_dir)
    assert [r.status for r in report.results] == [ERROR, OK]
    assert "không mong đợi" in report.results[0].message


@pytest.mark.timeout(60)
def test_cancel_stops_and_is_an_error_exit(data_dir):
    seen = []
    report = run_checks(data_dir, cancelled=lambda: True, progress=lambda d, t: seen.append((d, t)), workers=1)
    assert report.cancelled and report.exit_code == 1
    assert len(report.results) < len(selftest.CHECKS)
    assert "Đã dừng" in report.summary()


@pytest.mark.timeout(60)
def test_progress_reports_each_check(data_dir):
    seen = []
    run_checks(data_dir, only=["fonts", "data"], progress=lambda d, t: seen.append((d, t)))
    assert seen == [(1, 2), (2, 2)]


# ------------------------------------------------------------------ settings

def test_machine_file_values_are_validated(data_dir, machine_settings):
    machine_settings({"org.id": "000.00.00.H53", "org.name": "UBND tỉnh Thử", "server.timeout": "nhanh",
                      "bogus.key": 1, "locked": ["org.id", "token.module"]})
    r = check(data_dir, "settings")
    assert r.status == ERROR
    assert "server.timeout" in r.message and "bogus.key" in r.message and "token.module" in r.message
    assert r.details["locked"] == ["org.id", "token.module"]


def test_machine_file_complete_is_ok(data_dir, machine_settings):
    machine_settings({"org.id": "000.00.01.H53", "org.name": "Văn phòng UBND tỉnh", "locked": ["org.id"]})
    r = check(data_dir, "settings")
    assert r.status == OK, r.message
    assert "000.00.01.H53" in r.message and "1 bị khóa" in r.message


def test_bad_org_id_in_user_settings_is_an_error(data_dir, user_settings):
    user_settings({"org.id": "12.34", "org.name": "Sở Nội vụ"})
    r = check(data_dir, "settings")
    assert r.status == ERROR and "không đúng dạng" in r.message


# ------------------------------------------------------------------ data folder

def test_data_folder_reports_schema(data_dir):
    from app.store import schema
    r = check(data_dir, "data")
    assert r.status == OK
    assert r.details["schema"] == schema.MAJOR * 1000 + len(schema.MIGRATIONS)
    assert (data_dir / "vanthu.sqlite3").exists()
    assert not list(data_dir.glob(".selftest-*"))


def test_data_folder_not_writable(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    r = check(blocker / "data", "data")
    assert r.status == ERROR and "Không ghi được" in r.message


def test_database_from_a_newer_program(data_dir):
    data_dir.mkdir(parents=True)
    conn = sqlite3.connect(data_dir / "vanthu.sqlite3")
    conn.execute("PRAGMA user_version = 9001")
    conn.close()
    r = check(data_dir, "data")
    assert r.status == ERROR and "mới hơn" in r.message


# ------------------------------------------------------------------ Tesseract

@pytest.mark.timeout(60)
def test_tesseract_reads_the_vietnamese_sample(data_dir):
    r = check(data_dir, "tesseract")
    assert r.status == OK, r.message
    assert r.details["recognized"] == selftest.OCR_SAMPLE
    assert "vie" in r.details["languages"]


@pytest.mark.timeout(60)
def test_tesseract_without_vietnamese_data(data_dir, tmp_path, monkeypatch):
    tessdata = tmp_path / "tessdata"
    tessdata.mkdir()
    eng = next(Path(p) for p in ("/usr/share/tesseract-ocr/5/tessdata/eng.traineddata",
                                 "/usr/share/tesseract-ocr/4.00/tessdata/eng.traineddata") if Path(p).exists())
    (tessdata / "eng.traineddata").symlink_to(eng)
    monkeypatch.setenv("TESSDATA_PREFIX", str(tessdata))
    r = check(data_dir, "tesseract")
    assert r.status == ERROR and "tiếng Việt" in r.message and "eng" in r.message


@pytest.mark.timeout(60)
def test_tesseract_missing(data_dir, monkeypatch):
    import pytesseract
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    r = check(data_dir, "tesseract")
    assert r.status == ERROR and "Không tìm thấy chương trình" in r.message


# ------------------------------------------------------------------ fonts and resources

def test_fonts_cover_vietnamese(data_dir):
    r = check(data_dir, "fonts")
    assert r.status == OK, r.message
    assert r.details["missing"] == [] and r.details["problems"] == []


def test_missing_and_broken_fonts(data_dir, resources_copy):
    (resources_copy / "fonts" / "LiberationSerif-Bold.ttf").unlink()
    (resources_copy / "fonts" / "LiberationSerif-Italic.ttf").write_bytes(b"not a font")
    r = check(data_dir, "fonts")
    assert r.status == ERROR
    assert "LiberationSerif-Bold.ttf" in r.message and "LiberationSerif-Italic.ttf bị hỏng" in r.message


def test_font_without_vietnamese_glyphs(data_dir, resources_copy):
    from fontTools.ttLib import TTFont
    p = resources_copy / "fonts" / "LiberationSerif-Regular.ttf"
    font = TTFont(p)
    for table in font["cmap"].tables:
        table.cmap.pop(ord("ệ"), None)
    font.save(p)
    r = check(data_dir, "fonts")
    assert r.status == ERROR and "ệ" in r.message


# ------------------------------------------------------------------ keyring

def test_keyring_round_trip(data_dir, memory_keyring):
    r = check(data_dir, "keyring")
    assert r.status == OK and "MemoryKeyring" in r.details["backend"]
    assert memory_keyring._store == {}      # the probe entry was removed


def test_no_keyring_is_a_warning_without_server_and_an_error_with_one(data_dir, fail_keyring, user_settings):
    assert check(data_dir, "keyring").status == WARNING
    user_settings({"server.url": "https://truc.example.vn/"})
    r = check(data_dir, "keyring")
    assert r.status == ERROR and "Secret Service" in r.message


# ------------------------------------------------------------------ PKCS#11

@pytest.mark.timeout(90)
def test_configured_softhsm_module_lists_its_token(data_dir, softhsm_token, user_settings):
    user_settings({"token.module": "/usr/lib/softhsm/libsofthsm2.so", "token.label": softhsm_token})
    r = check(data_dir, "pkcs11")
    assert r.status == OK, r.message
    mod = r.details["modules"][0]
    assert mod["configured"] and mod["ok"] and softhsm_token in mod["tokens"] and mod["slots"] >= 2
    assert "SoftHSM" in mod["library"]


@pytest.mark.timeout(90)
def test_token_not_plugged_in_is_a_warning(data_dir, softhsm_token, user_settings):
    user_settings({"token.module": "/usr/lib/softhsm/libsofthsm2.so", "token.label": "KHONG-CO"})
    r = check(data_dir, "pkcs11")
    assert r.status == WARNING and "KHONG-CO" in r.message


@pytest.mark.timeout(90)
def test_module_faults_are_reported_never_raised(data_dir, user_settings, broken_modules, tmp_path):
    user_settings({"token.module": str(tmp_path / "khong-co.so")})
    r = check(data_dir, "pkcs11")
    assert r.status == ERROR and "Không tìm thấy thư viện token" in r.message

    user_settings({"token.module": broken_modules["crash"]})
    r = check(data_dir, "pkcs11")
    assert r.status == ERROR and r.details["modules"][0].get("crashed")

    user_settings({"token.module": broken_modules["hang"]})
    t0 = time.monotonic()
    r = check(data_dir, "pkcs11", child_timeout=3)
    assert r.status == ERROR and r.details["modules"][0].get("timeout")
    assert time.monotonic() - t0 < 60


@pytest.mark.timeout(90)
def test_a_library_that_is_not_pkcs11(data_dir, user_settings):
    libz = next((p for p in ("/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib/x86_64-linux-gnu/libz.so.1")
                 if os.path.exists(p)), None)
    if not libz:
        pytest.skip("no libz")
    user_settings({"token.module": libz})
    r = check(data_dir, "pkcs11")
    assert r.status == ERROR and "PKCS#11" in r.message


@pytest.mark.timeout(90)
def test_no_module_configured_lists_what_is_installed(data_dir, softhsm_token):
    r = check(data_dir, "pkcs11")
    assert r.status == WARNING and "token.module" in r.message
    softhsm = [m for m in r.details["modules"] if m["path"] == "/usr/lib/softhsm/libsofthsm2.so"]
    assert softhsm and softhsm[0]["ok"] and softhsm_token in softhsm[0]["tokens"]


# ------------------------------------------------------------------ scanner

@pytest.mark.timeout(60)
def test_sane_test_device_is_listed(data_dir, sane_test_device):
    r = check(data_dir, "scanner")
    assert r.status == OK, r.message
    assert any(d[0].startswith("test:") for d in r.details["devices"])


@pytest.mark.timeout(60)
def test_chosen_scanner_missing(data_dir, sane_test_device, user_settings):
    user_settings({"scan.device": "epson2:libusb:001:004"})
    r = check(data_dir, "scanner")
    assert r.status == WARNING and "epson2:libusb:001:004" in r.message


@pytest.mark.timeout(60)
def test_no_scanner(data_dir, sane_no_device):
    r = check(data_dir, "scanner")
    assert r.status == WARNING and "không thấy máy quét" in r.message


# ------------------------------------------------------------------ server

@pytest.mark.timeout(30)
def test_server_reachable_with_credentials(data_dir, http_server, memory_keyring, user_settings):
    from app.sync import credentials
    url = http_server(date_header=formatdate(usegmt=True))
    user_settings({"server.url": url})
    credentials.save(url, "he-thong-1", "bi-mat")
    r = check(data_dir, "server")
    assert r.status == OK, r.message
    assert r.details["http_status"] == 404 and r.details["credential"] is True
    assert abs(r.details["clock_skew_seconds"]) < 5
    assert "bi-mat" not in json.dumps(r.to_dict(), ensure_ascii=False)


@pytest.mark.timeout(30)
def test_server_reachable_without_login_and_with_a_wrong_clock(data_dir, http_server, memory_keyring, user_settings):
    url = http_server(date_header=formatdate(time.time() + 3600, usegmt=True))
    user_settings({"server.url": url})
    r = check(data_dir, "server")
    assert r.status == WARNING
    assert "lệch" in r.message and "vanthu login" in r.message


@pytest.mark.timeout(30)
def test_server_offline_is_a_warning(data_dir, closed_port_url, user_settings):
    user_settings({"server.url": closed_port_url})
    r = check(data_dir, "server")
    assert r.status == WARNING and "ngoại tuyến" in r.message


@pytest.mark.timeout(30)
def test_server_silent_times_out(data_dir, silent_server, user_settings):
    user_settings({"server.url": silent_server, "server.timeout": 1})
    t0 = time.monotonic()
    r = check(data_dir, "server")
    assert r.status == WARNING and "không trả lời" in r.message
    assert time.monotonic() - t0 < 10


def test_server_configuration_errors(data_dir, user_settings, tmp_path):
    user_settings({"server.url": "https://truc.example.vn/", "server.dialect": "bkav-cu"})
    assert check(data_dir, "server").status == ERROR
    user_settings({"server.url": "ftp://truc.example.vn/"})
    assert check(data_dir, "server").status == ERROR
    user_settings({"server.url": "https://truc.example.vn/", "server.ca_bundle": str(tmp_path / "none.pem")})
    assert "server.ca_bundle" in check(data_dir, "server").message


@pytest.mark.timeout(30)
def test_password_in_url_is_never_shown(data_dir, closed_port_url, user_settings):
    url = closed_port_url.replace("http://", "http://admin:matkhau123@")
    user_settings({"server.url": url})
    r = check(data_dir, "server")
    assert "matkhau123" not in json.dumps(r.to_dict(), ensure_ascii=False)
    assert selftest.redact_url(url) == closed_port_url


# ------------------------------------------------------------------ antivirus

def test_clamscan_found(data_dir, monkeypatch):
    import shutil
    monkeypatch.setenv("VANTHU_CLAMD_SOCKET", "/nonexistent/clamd.ctl")
    r = check(data_dir, "antivirus")
    if not shutil.which("clamscan"):
        assert r.status == WARNING and "clamav" in r.message
        return
    assert r.details["engine"] == "clamscan" and r.details["version"].startswith("ClamAV")
    assert r.status == (OK if "/" in r.details["version"] or r.details["signatures"] else WARNING)


def test_no_antivirus_is_a_warning(data_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("VANTHU_CLAMD_SOCKET", str(tmp_path / "none.ctl"))
    monkeypatch.setenv("PATH", str(tmp_path))
    r = check(data_dir, "antivirus")
    assert r.status == WARNING and "không được quét virus" in r.message


@pytest.mark.timeout(30)
def test_clamd_socket_answers_or_not(data_dir, monkeypatch, tmp_path):
    import socket
    import threading
    path = str(tmp_path / "clamd.ctl")
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(1)

    def answer():
        conn, _ = srv.accept()
        with conn:
            if conn.recv(64) == b"zPING\0":
                conn.sendall(b"PONG\0")
    t = threading.Thread(target=answer, daemon=True)
    t.start()
    monkeypatch.setenv("VANTHU_CLAMD_SOCKET", path)
    monkeypatch.setenv("PATH", str(tmp_path))
    r = check(data_dir, "antivirus")
    assert r.status == OK and r.details["engine"] == "clamd"
    t.join(5)
    srv.close()                                  # a stale socket file: nobody answers
    r = check(data_dir, "antivirus")
    assert r.status == WARNING and "không trả lời" in r.message


# ------------------------------------------------------------------ trust roots

def _cert(path, days):
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "RootCA thử nghiệm")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=400))
            .not_valid_after(now + dt.timedelta(days=days)).sign(key, hashes.SHA256()))
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def test_trust_roots(data_dir, resources_copy, user_settings, tmp_path):
    trust = resources_copy / "trust"
    trust.mkdir(exist_ok=True)
    for p in trust.iterdir():
        p.unlink()
    assert check(data_dir, "trust").status == WARNING
    _cert(trust / "root.pem", 3650)
    r = check(data_dir, "trust")
    assert r.status == OK and r.details["shipped"] == 1
    _cert(tmp_path / "old.pem", -1)
    user_settings({"sign.trust_roots": [str(tmp_path / "old.pem")]})
    r = check(data_dir, "trust")
    assert r.status == WARNING and r.details["administrator"] == 1 and "hết hạn" in r.message
    (trust / "rac.pem").write_text("rác")
    assert check(data_dir, "trust").status == ERROR


# ------------------------------------------------------------------ child processes and the CLI

def test_child_command_source_and_frozen(monkeypatch):
    assert selftest.child_command("sane")[1:] == ["-m", "app.selftest", "sane"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert selftest.child_command("pkcs11", "/x.so") == [sys.executable, selftest.CHILD_FLAG, "pkcs11", "/x.so"]


def test_child_command_frozen_windows_prefers_the_console_executable(monkeypatch, tmp_path):
    gui, cli = tmp_path / "vanthu-gui.exe", tmp_path / "vanthu.exe"
    gui.write_bytes(b"MZ")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(sys, "executable", str(gui))
    assert selftest.child_command("sane")[0] == str(gui)
    cli.write_bytes(b"MZ")
    assert selftest.child_command("sane") == [str(cli), selftest.CHILD_FLAG, "sane"]


def test_cli_json_and_exit_codes(cli, machine_settings):
    res = cli("self-test", "--format", "json", "--only", "fonts", "data")
    assert res.code == 0
    d = res.json()
    assert [c["id"] for c in d["checks"]] == ["data", "fonts"] and d["status"] == OK
    machine_settings("[1, 2")
    res = cli("self-test", "--only", "settings")
    assert res.code == 1 and "[LỖI]" in res.out and "Kết quả: 0 OK, 0 cảnh báo, 1 lỗi" in res.out


def test_cli_rejects_unknown_check(cli):
    with pytest.raises(SystemExit) as exc:
        cli("self-test", "--only", "gpu")
    assert exc.value.code == 2


@pytest.mark.timeout(120)
def test_source_tree_commands_in_a_fresh_process(tmp_path):
    """`vanthu --version` and `vanthu self-test --format json` as a program, from the source tree."""
    import subprocess
    env = {**os.environ, "VANTHU_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(ROOT),
           "VANTHU_MACHINE_SETTINGS": str(tmp_path / "none.json"),
           "PYTHON_KEYRING_BACKEND": "tests.support.keyring_memory.MemoryKeyring"}
    cp = subprocess.run([sys.executable, "-m", "app.cli", "--version"], capture_output=True, text=True,
                        env=env, cwd=ROOT, timeout=60)
    assert cp.returncode == 0 and cp.stdout.startswith("vanthu ")
    cp = subprocess.run([sys.executable, "-m", "app.cli", "self-test", "--format", "json",
                         "--only", "data", "keyring", "fonts"],
                        capture_output=True, text=True, env=env, cwd=ROOT, timeout=100)
    assert cp.returncode == 0, cp.stderr
    d = json.loads(cp.stdout)
    assert {c["id"]: c["status"] for c in d["checks"]} == {"data": OK, "keyring": OK, "fonts": OK}
