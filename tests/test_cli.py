"""The `vanthu` command line: JSON contract, exit codes and Vietnamese errors."""
import json
import logging
import subprocess
import sys

import pytest


def test_register_show_list_search_json(cli, tmp_path):
    r = cli("register", "incoming", "--reference", "1007/QĐ-UBND", "--summary", "Quyết định về đê điều",
            "--issuer", "UBND tỉnh Sóc Trăng", "--issued-on", "2026-11-02", "--urgency", "Khẩn",
            "--format", "json")
    assert r.code == 0, r.err
    e = r.json()
    for key in ("id", "register", "year", "register_number", "reference", "summary", "status"):
        assert key in e
    assert (e["register"], e["register_number"], e["reference"], e["status"]) == ("den", 1, "1007/QĐ-UBND", "registered")
    shown = cli("show", e["id"], "--format", "json").json()
    assert shown["history"][0]["revision"] == 1 and shown["urgency"] == 1
    assert [x["id"] for x in cli("list", "--format", "json").json()] == [e["id"]]
    assert [x["id"] for x in cli("search", "quyet dinh de dieu", "--format", "json").json()] == [e["id"]]
    assert cli("search", "khong co gi", "--format", "json").json() == []
    text = cli("register", "incoming", "--summary", "Giấy mời", "--issuer", "Sở Tài chính")
    assert text.code == 0 and "Số đến: 02" in text.out


def test_json_import_list_with_extract_keys(cli, tmp_path):
    items = [{"reference": f"{i}/TB-UBND", "number": str(i), "notation": "TB-UBND", "issued_on": "2026-10-01",
              "place": "Sóc Trăng", "issuer": "Ủy ban nhân dân tỉnh Sóc Trăng", "doc_type": "Thông báo",
              "summary": f"Thông báo số {i}", "signer": "Nguyễn Văn A", "signer_title": "Phó Chủ tịch",
              "urgency": None, "pages": 2, "secrecy": None, "text": "toàn văn", "confidence": {"reference": 0.9},
              "receiving_unit": "Phòng Tổng hợp", "handling_deadline": "2026-12-01"} for i in range(1, 4)]
    f = tmp_path / "import.json"
    f.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    r = cli("register", "incoming", "--json", f, "--format", "json")
    assert r.code == 0, r.err
    assert [e["register_number"] for e in r.json()] == [1, 2, 3]
    r = cli("register", "incoming", "--json", "-", "--format", "json",
            stdin=json.dumps({**items[0], "reference": "8/TB-UBND", "number": "8"}))
    assert r.code == 0 and r.json()["reference"] == "08/TB-UBND"
    one = tmp_path / "one.json"
    one.write_text(json.dumps({**items[0], "reference": "9/TB-UBND", "number": "9"}), encoding="utf-8")
    assert cli("register", "incoming", "--json", one, "--format", "json").json()["register_number"] == 5


def test_errors_are_vietnamese_with_nonzero_exit(cli, tmp_path):
    r = cli("register", "incoming", "--summary", "x", "--issuer", "y", "--issued-on", "2026-02-30")
    assert r.code != 0 and "không phải là một ngày có thật" in r.err
    r = cli("register", "incoming", "--summary", "x", "--issuer", "y", "--secrecy", "Mật")
    assert r.code != 0 and "không được đăng ký" in r.err
    r = cli("register", "incoming", "--register", "khong-co", "--summary", "x", "--issuer", "y")
    assert r.code != 0 and "Không có sổ" in r.err
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    r = cli("register", "incoming", "--json", bad)
    assert r.code != 0 and "không phải JSON hợp lệ" in r.err
    r = cli("show", 999)
    assert r.code != 0 and "Không có văn bản" in r.err
    assert cli("list", "--format", "json").json() == []


def test_registers_void_and_audit(cli):
    assert cli("registers", "create", "qd", "--kind", "outgoing", "--title", "Sổ Quyết định",
               "--notation", "UBND", "--doc-type", "Quyết định").code == 0
    regs = cli("registers", "list", "--format", "json").json()
    assert [r["code"] for r in regs] == ["den", "di", "qd"]
    e = cli("register", "outgoing", "--doc-type", "Quyết định", "--summary", "Về việc A", "--format", "json").json()
    assert (e["register"], e["reference"]) == ("qd", "01/QĐ-UBND")
    r = cli("void", e["id"], "--reason", "Đăng ký nhầm")
    assert r.code == 0 and "không được dùng lại" in r.out
    assert cli("show", e["id"], "--format", "json").json()["status"] == "voided"
    assert cli("audit", "verify").code == 0


def test_audit_verify_exits_nonzero_on_tampering(cli, data_dir):
    cli("register", "incoming", "--summary", "Văn bản", "--issuer", "Sở Y tế")
    import sqlite3
    conn = sqlite3.connect(data_dir / "vanthu.sqlite3")
    conn.execute("UPDATE entries SET issuer = 'Sở khác'")
    conn.commit()
    r = cli("audit", "verify")
    assert r.code != 0 and "nội dung đã bị sửa" in r.err


def test_outgoing_uses_the_organization_notation(cli):
    r = cli("register", "outgoing", "--doc-type", "Kế hoạch", "--summary", "Kế hoạch năm 2027")
    assert r.code != 0 and "Cài đặt › Cơ quan" in r.err
    assert cli("config", "set", "org.notation", "UB ND").code != 0
    assert cli("config", "set", "org.notation", "UBND").code == 0
    e = cli("register", "outgoing", "--doc-type", "Kế hoạch", "--summary", "Kế hoạch năm 2027", "--format", "json").json()
    assert e["reference"] == "01/KH-UBND"


def test_config_roundtrip_and_validation(cli):
    assert cli("config", "set", "org.id", "000.00.00.h53").code == 0
    assert cli("config", "get", "org.id").out.strip() == "000.00.00.H53"
    r = cli("config", "set", "org.id", "H53")
    assert r.code != 0 and "Mã định danh" in r.err
    assert cli("config", "set", "no.such", "1").code != 0


@pytest.mark.timeout(60)
def test_console_script_and_env_data_dir(tmp_path):
    exe = [sys.executable, "-m", "app.cli"]
    env = {"VANTHU_DATA_DIR": str(tmp_path / "d"), "PATH": "/usr/bin:/bin"}
    r = subprocess.run([*exe, "register", "incoming", "--summary", "Công văn", "--issuer", "Sở Xây dựng",
                        "--format", "json"], capture_output=True, text=True, env=env, timeout=50)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["register_number"] == 1
    assert (tmp_path / "d" / "vanthu.sqlite3").exists()
    r = subprocess.run([*exe, "--version"], capture_output=True, text=True, env=env, timeout=50)
    assert r.stdout.startswith("vanthu ")


def test_working_calendar_settings(cli, data_dir):
    from datetime import date

    from app.settings import Settings
    assert cli("config", "set", "work.days_off", "2026-11-23, 2026-12-31").code == 0
    assert cli("config", "set", "work.makeup_days", "2026-11-21").code == 0
    assert cli("config", "set", "work.hours", "08:00-12:00,13:00-17:00").code == 0
    for key, bad in (("work.hours", "17:00-08:00"), ("work.days_off", "2026-02-30")):
        r = cli("config", "set", key, bad)
        assert r.code != 0 and "không hợp lệ" in r.err
    cal = Settings(data_dir).work_calendar()
    assert not cal.is_working_day(date(2026, 11, 23)) and cal.is_working_day(date(2026, 11, 21))
    assert cal.hours[0][0].hour == 8


def test_log_lines_go_to_the_current_stderr(monkeypatch, tmp_path):
    import io

    from app import logs
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    monkeypatch.delattr(root, "_vanthu_configured", raising=False)
    logs.setup(tmp_path, verbose=False)
    for _ in range(2):  # e.g. the CLI run twice in one process, each time with its own stderr
        fresh = io.StringIO()
        monkeypatch.setattr("sys.stderr", fresh)
        logging.getLogger("vanthu.test").warning("dòng nhật ký")
        assert "dòng nhật ký" in fresh.getvalue()
