"""One test per hostile case of issue 15, each through the real CLI in-process (or the real
component) with the data folder compared before and after a refusal."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import struct
import zlib
from datetime import timedelta

import pytest

from app.domain import clock
from tests.fuzz.harness import check_run, folder_digest, is_vietnamese, run_cli

pytestmark = pytest.mark.timeout(300)
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"


def _png(width: int, height: int, idat: bytes) -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


@pytest.fixture
def data(tmp_path):
    d = tmp_path / "data"
    assert run_cli(d, "config", "set", "org.notation", "UBND").code == 0
    r = run_cli(d, "register", "incoming", "--summary", "Có sẵn", "--issuer", "UBND tỉnh", "--issued-on", "2026-01-05")
    assert r.code == 0, r.err
    return d


def _refused(data, *args, stdin=None):
    before = folder_digest(data)
    r = run_cli(data, *args, stdin=stdin)
    check_run(r, before, data)
    assert r.code not in (0, 70), r.out
    return r


# ------------------------------------------------------------------ images whose header lies

@pytest.mark.parametrize("command", [["extract", "{f}", "--json"], ["import", "{f}", "--register", "den"],
                                     ["intake", "{f}"]])
@pytest.mark.parametrize("kind", ["little_data", "truncated_stream"])
def test_png_promising_5000x5000_gives_the_clear_message(data, tmp_path, command, kind):
    if kind == "little_data":       # the tester's file: a 5000 x 5000 header over a few bytes
        png = _png(5000, 5000, zlib.compress(b"\x00" * 100))
    else:                           # plausible size, but the stream stops half way
        full = zlib.compress(b"\x00" * (5001 * 5000))
        png = _png(5000, 5000, full[:len(full) // 2])
    f = tmp_path / "bom.png"
    f.write_bytes(png)
    r = _refused(data, *[a.format(f=f) for a in command])
    assert "bom.png" in r.err and "không đọc được" in r.err


# ------------------------------------------------------------------ JSON imports

@pytest.mark.parametrize("depth", [5_000, 100_000])
@pytest.mark.parametrize("bracket", ["[]", "{}"])
def test_deeply_nested_json_import_is_refused(data, tmp_path, depth, bracket):
    f = tmp_path / "deep.json"
    if bracket == "[]":
        f.write_text("[" * depth + "]" * depth)
    else:
        f.write_text('{"a":' * depth + "1" + "}" * depth)
    r = _refused(data, "register", "incoming", "--json", f)
    assert "lồng nhau quá sâu" in r.err


def test_json_import_over_the_size_limit_is_refused(data, tmp_path, monkeypatch):
    from app import jsonlimits
    monkeypatch.setattr(jsonlimits, "MAX_BYTES", 1000)
    f = tmp_path / "big.json"
    f.write_text(json.dumps([{"summary": "x" * 100, "issuer": "UBND"}] * 20))
    r = _refused(data, "register", "incoming", "--json", f)
    assert "quá lớn" in r.err
    r = _refused(data, "register", "incoming", "--json", "-", stdin=f.read_text())
    assert "quá lớn" in r.err


@pytest.mark.parametrize("key,value", [("summary", {"a": 1}), ("summary", ["a"]), ("summary", 5), ("summary", True),
                                       ("issuer", {"a": 1}), ("place", 3.5), ("note", []), ("issued_on", 20260105),
                                       ("reference", {"n": 1}), ("secrecy", 1), ("text", {"p": "x"}),
                                       ("pages", [1]), ("urgency", {}),
                                       ("recipients", {"name": "x"})])
def test_imported_keys_have_strict_types(data, tmp_path, key, value):
    item = {"summary": "Về việc thử", "issuer": "UBND tỉnh", "issued_on": "2026-01-05", key: value}
    f = tmp_path / "typed.json"
    f.write_text(json.dumps(item))
    r = _refused(data, "register", "incoming", "--json", f)
    assert "phải là" in r.err
    assert "{'a': 1}" not in r.err


def test_summary_given_as_object_is_never_stored_as_its_repr(data, tmp_path):
    f = tmp_path / "obj.json"
    f.write_text(json.dumps({"summary": {"a": 1}, "issuer": "UBND"}))
    _refused(data, "register", "incoming", "--json", f)
    from app.store import open_store
    with open_store(data, actor="t") as s:
        assert not s.conn.execute("SELECT 1 FROM entries WHERE summary LIKE '%{%'").fetchone()


# ------------------------------------------------------------------ dates the law puts in the past

@pytest.mark.parametrize("kind,key", [("outgoing", "dispatched_on"), ("incoming", "transferred_on"),
                                      ("incoming", "issued_on"), ("outgoing", "issued_on")])
def test_dates_in_the_future_are_refused(data, key, kind):
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()      # Vietnam time, as the workstation
    r = _refused(data, "register", kind, "--summary", "Về việc thử", "--issuer", "UBND tỉnh",
                 "--" + key.replace("_", "-"), tomorrow)
    assert "ở tương lai" in r.err
    today = clock.today().isoformat()
    ok = run_cli(data, "register", kind, "--summary", "Về việc thử", "--issuer", "UBND tỉnh",
                 "--" + key.replace("_", "-"), today, "--allow-duplicate", "--format", "json")
    assert ok.code == 0, ok.err
    assert json.loads(ok.out)[key] == today


# ------------------------------------------------------------------ bidirectional controls

def test_bidi_controls_are_removed_from_fields_and_file_names(data, tmp_path):
    summary = "Về việc \u202egnáht\u202c kế hoạch \u2066năm\u2069 2026\u200f"
    f = tmp_path / "bidi.json"
    f.write_text(json.dumps({"summary": summary, "issuer": "UBND \u202etỉnh", "recipients": None,
                             "note": "ghi\u200e chú"}))
    r = run_cli(data, "register", "incoming", "--json", f, "--format", "json")
    assert r.code == 0, r.err
    e = json.loads(r.out)
    assert e["summary"] == "Về việc gnáht kế hoạch năm 2026"
    assert e["issuer"] == "UBND tỉnh" and e["note"] == "ghi chú"
    # a control between a letter and its combining mark: the stored text is still NFC (found by fuzzing)
    from app.domain.text import clean
    assert clean("Quye\u202e\u0302\u0301t đi\u200f\u0323nh") == "Quyết định"
    # a file name that would display reversed ("...fdp.exe" shown as "...exe.pdf")
    import pymupdf

    from tests.fuzz.mutators import PDF_LINES
    doc = pymupdf.open()
    page = doc.new_page()
    for i, line in enumerate(PDF_LINES):
        page.insert_text((60, 60 + 14 * i), line)
    pdf = tmp_path / "cong-van-\u202efdp.exe"
    doc.save(pdf)
    r = run_cli(data, "intake", pdf, "--format", "json")
    assert r.code == 0, r.err
    shown = json.loads(run_cli(data, "show", json.loads(r.out)["id"], "--format", "json").out)
    names = [a["name"] for a in shown["attachments"]]
    assert names and not any(c in n for n in names for c in BIDI), names


# ------------------------------------------------------------------ OCR text length

def test_ocr_text_is_capped_with_a_note(data, tmp_path):
    from app.domain import text as textmod
    from app.store import open_store
    long_text = ("Nội dung trang văn bản dài. " * 20_000)          # 560,000 characters
    f = tmp_path / "long.json"
    f.write_text(json.dumps({"summary": "Về việc văn bản dài", "issuer": "UBND tỉnh", "text": long_text}))
    r = run_cli(data, "register", "incoming", "--json", f, "--format", "json")
    assert r.code == 0, r.err
    with open_store(data, actor="t") as s:
        stored = s.conn.execute("SELECT text FROM entry_texts WHERE entry_id = ?", (json.loads(r.out)["id"],)).fetchone()[0]
    assert len(stored) < textmod.OCR_TEXT_MAX + 200
    assert stored.startswith("Nội dung trang văn bản dài.")
    assert "phần sau đã bị cắt bớt" in stored.splitlines()[-1]
    short = run_cli(data, "register", "incoming", "--summary", "Về việc ngắn", "--issuer", "UBND tỉnh",
                    "--format", "json")
    assert short.code == 0


# ------------------------------------------------------------------ active PDF content

def _active_pdf(path, js=False, launch=False, exe=False, goto=False):
    import pymupdf

    from tests.fuzz.mutators import PDF_LINES
    doc = pymupdf.open()
    page = doc.new_page()
    for i, line in enumerate(PDF_LINES):
        page.insert_text((60, 60 + 14 * i), line)
    cat = doc.pdf_catalog()
    if js:
        doc.xref_set_key(cat, "OpenAction", "<</S/JavaScript/JS(app.alert\\('x'\\))>>")
    if goto:       # what Word and LibreOffice write: open at page 1 (not active content)
        doc.xref_set_key(cat, "OpenAction", f"[{page.xref} 0 R /Fit]")
    if launch:
        x = doc.get_new_xref()
        doc.update_object(x, "<</S/Launch/F(calc.exe)>>")
        doc.xref_set_key(page.xref, "AA", f"<</O {x} 0 R>>")
    if exe:
        doc.embfile_add("update.exe", b"MZ\x90\x00" + b"\x00" * 100, filename="update.exe")
    doc.save(path)


@pytest.mark.parametrize("feature", ["js", "launch", "exe"])
def test_active_pdf_is_warned_and_a_stripped_copy_kept_for_viewing(data, tmp_path, feature):
    from app.scan.safety import pdf_active_content
    pdf = tmp_path / "cong-van.pdf"
    _active_pdf(pdf, **{feature: True})
    original = pdf.read_bytes()
    r = run_cli(data, "intake", pdf, "--format", "json")
    assert r.code == 0, r.err
    assert "nội dung chủ động" in r.err                      # the warning on the terminal (one line)
    shown = json.loads(run_cli(data, "show", json.loads(r.out)["id"], "--format", "json").out)
    assert shown["note"].startswith("CẢNH BÁO: tệp PDF có nội dung chủ động")
    roles = {a["role"]: a for a in shown["attachments"]}
    assert roles["original"]["sha256"] == hashlib.sha256(original).hexdigest()
    assert pdf.read_bytes() == original
    view = data / "files" / roles["view"]["sha256"][:2] / roles["view"]["sha256"]
    assert pdf_active_content(pdf) and not pdf_active_content(view)
    import pymupdf
    with pymupdf.open(view) as v:
        assert "1234/UBND-VP" in v[0].get_text()              # the text layer is kept


def test_an_ordinary_pdf_is_not_flagged(data, tmp_path):
    from app.scan.safety import pdf_active_content
    pdf = tmp_path / "thuong.pdf"
    _active_pdf(pdf, goto=True)
    assert not pdf_active_content(pdf)
    r = run_cli(data, "intake", pdf, "--format", "json")
    assert r.code == 0 and "nội dung chủ động" not in r.err
    shown = json.loads(run_cli(data, "show", json.loads(r.out)["id"], "--format", "json").out)
    assert [a["role"] for a in shown["attachments"]] == ["original"]


def test_signing_refuses_what_intake_warns_about(tmp_path):
    from app.sign.errors import UnsafePdfError
    from app.sign.safety import check_safe_to_sign
    pdf = tmp_path / "js.pdf"
    _active_pdf(pdf, js=True)
    with pytest.raises(UnsafePdfError) as e:
        check_safe_to_sign(pdf)
    assert "JavaScript" in e.value.message


# ------------------------------------------------------------------ credentials

@pytest.fixture
def server(data):
    assert run_cli(data, "config", "set", "server.url", "http://127.0.0.1:9").code == 0
    return data


def test_login_when_the_keyring_backend_cannot_load(server, monkeypatch):
    import keyring.core
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "nonexistent.module.Keyring")
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    r = _refused(server, "login", "--system-id", "VT01", "--secret-stdin", stdin="bi-mat-123\n")
    assert "không có kho khóa của hệ điều hành" in r.err and "credentials.store" in r.err
    assert "bi-mat-123" not in r.err


def test_no_os_keyring_explains_and_the_file_alternative_works(server, tmp_path, monkeypatch):
    import keyring
    from keyring.backends import fail
    old = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        r = _refused(server, "login", "--system-id", "VT01", "--secret-stdin", stdin="bi-mat-123\n")
        assert "Quản trị viên cần bật kho khóa" in r.err
        cred = tmp_path / "cred" / "credentials.json"
        cred.parent.mkdir()
        monkeypatch.setenv("VANTHU_CREDENTIAL_STORE", "file")
        monkeypatch.setenv("VANTHU_CREDENTIAL_PATH", str(cred))
        ok = run_cli(server, "login", "--system-id", "VT01", "--secret-stdin", stdin="bi-mat-123\n")
        assert ok.code == 0 and "tệp thông tin đăng nhập riêng" in ok.out, ok.err
        assert oct(cred.stat().st_mode & 0o777) == "0o600"
        from app.sync import credentials
        assert credentials.load("http://127.0.0.1:9").secret == "bi-mat-123"
        os.chmod(cred, 0o640)                    # readable by the group: refused, not used
        r = _refused(server, "login", "--system-id", "VT01", "--secret-stdin", stdin="khac\n")
        assert "không an toàn" in r.err
        os.chmod(cred, 0o600)
        from app import selftest
        from app.settings import Settings
        res = selftest.check_keyring(selftest.Context(server, Settings(server)))
        assert res.status == selftest.OK and res.details["store"] == "file" and str(cred) in res.message
        for p in (server / "logs").rglob("*"):
            assert "bi-mat-123" not in p.read_text(errors="replace")
    finally:
        keyring.set_keyring(old)


def test_encrypted_file_keyring_alternative(server, tmp_path, monkeypatch):
    pytest.importorskip("keyrings.cryptfile")
    key = tmp_path / "k" / "credentials.key"
    key.parent.mkdir()
    key.write_text("mat-khau-mo-khoa-dai")
    os.chmod(key, 0o600)
    store = tmp_path / "k" / "credentials.cfg"
    monkeypatch.setenv("VANTHU_CREDENTIAL_STORE", "cryptfile")
    monkeypatch.setenv("VANTHU_CREDENTIAL_PATH", str(store))
    monkeypatch.setenv("VANTHU_CREDENTIAL_KEY_FILE", str(key))
    ok = run_cli(server, "login", "--system-id", "VT01", "--secret-stdin", stdin="bi-mat-456\n")
    assert ok.code == 0 and "tệp khóa mã hóa" in ok.out, ok.err
    assert b"bi-mat-456" not in store.read_bytes()
    from app.sync import credentials
    assert credentials.load("http://127.0.0.1:9").secret == "bi-mat-456"
    key.write_text("sai-mat-khau")
    from app.sync.errors import NotConfigured
    with pytest.raises(NotConfigured) as e:
        credentials.load("http://127.0.0.1:9")
    assert is_vietnamese(e.value.message) and "không mở được" in e.value.message


# ------------------------------------------------------------------ library warnings

def test_library_warnings_reach_the_terminal_as_one_line(tmp_path, monkeypatch, capsys):
    from app import logs
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    monkeypatch.delattr(root, "_vanthu_configured", raising=False)
    logs.setup(tmp_path, verbose=False)
    lib = logging.getLogger("pyhanko.sign.validation.generic_cms")
    try:
        raise ValueError("No path to a trust root\nsecond line")
    except ValueError as exc:
        for _ in range(3):     # as pyHanko does for each certificate it cannot build a path for
            lib.warning("Validation error [cert context: Ủy ban]: path building failed", exc_info=exc)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines == ["WARNING pyhanko.sign.validation.generic_cms: Validation error [cert context: Ủy ban]: "
                     "path building failed"], lines
    for h in root.handlers:
        h.flush()
    log = (tmp_path / "logs" / "vanthu.log").read_text()
    assert log.count("Traceback") == 3 and "No path to a trust root" in log


def test_installed_file_keyrings_are_not_taken_for_the_os_keyring(server, monkeypatch):
    """keyrings.cryptfile registers itself with keyring's automatic choice: without this check,
    `vanthu login` on a machine without Secret Service asked for a keyring password on the terminal."""
    import keyring.core
    from keyring.backend import get_all_keyring
    if any(not type(b).__module__.startswith(("keyrings.", "keyring.backends.fail", "keyring.backends.chainer"))
           for b in get_all_keyring() if b.priority > 0):
        pytest.skip("this machine has an OS keyring")
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    assert any(type(b).__module__.startswith("keyrings.cryptfile") for b in get_all_keyring())
    from keyrings.cryptfile.cryptfile import CryptFileKeyring
    monkeypatch.setattr(CryptFileKeyring, "file_path", str(server.parent / "cryptfile_pass.cfg"), raising=False)
    asked = []
    monkeypatch.setattr("getpass.getpass", lambda *a, **k: asked.append(a) or "x")
    r = _refused(server, "login", "--system-id", "VT01", "--secret-stdin", stdin="bi-mat-789\n")
    assert "không có kho khóa của hệ điều hành" in r.err
    assert not asked and not (server.parent / "cryptfile_pass.cfg").exists()
