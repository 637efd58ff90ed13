"""`vanthu token`, `vanthu sign`, `vanthu verify` run in-process against real SoftHSM2 tokens."""
import io
import sys

import pytest

from .docs import make_decision

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def pin_stdin(monkeypatch):
    def feed(text):
        monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    return feed


def test_token_list_json_and_text(cli, tokens):
    r = cli("token", "list", "--module", tokens.module, "--format", "json")
    assert r.code == 0, r.err
    data = r.json()
    org = next(t for t in data["tokens"] if t["label"] == tokens.org_token)
    kinds = {c["label"]: c["kind"] for c in org["certificates"]}
    assert kinds == {"to-chuc": "organization", "het-han": "organization", "gia-mao": "organization"}
    r = cli("token", "list", "--module", tokens.module)
    assert "Ủy ban nhân dân tỉnh Sóc Trăng" in r.out and "cơ quan" in r.out and "Nguyễn Văn An" in r.out
    expired_line = next(line for line in r.out.splitlines() if "[het-han]" in line)
    assert "ĐÃ HẾT HẠN" in expired_line
    assert "ĐÃ HẾT HẠN" not in next(line for line in r.out.splitlines() if "[to-chuc]" in line)


def test_token_list_with_a_broken_module_says_why(cli, tmp_path):
    r = cli("token", "list", "--module", str(tmp_path / "khong-co.so"))
    assert r.code == 6 and "Không tìm thấy thư viện token" in r.err


def test_token_choose_remembers_choice_never_pin(cli, tokens, data_dir):
    r = cli("token", "choose", "--module", tokens.module, "--token-label", tokens.org_token,
            "--cert-label", "to-chuc")
    assert r.code == 0, r.err
    text = (data_dir / "settings.json").read_text(encoding="utf-8")
    assert '"token.cert_label": "to-chuc"' in text and tokens.org_pin not in text


def test_sign_with_entry_then_verify_json(cli, tokens, tmp_path, pin_stdin, store, caplog):
    from app.store import attachments, entries
    entry = entries.register(store, "incoming", {"reference": "12/SNV-VP", "summary": "Về việc số hóa",
                                                 "issuer": "Sở Nội vụ", "issued_on": "2026-11-02"})
    src = make_decision(tmp_path / "qd.pdf")
    pin_stdin(tokens.org_pin + "\n")
    r = cli("sign", src, "--as", "copy", "--module", tokens.module, "--token-label", tokens.org_token,
            "--cert-label", "to-chuc", "--pin-stdin", "--entry", entry["id"], "--out-dir", tmp_path / "out",
            "--format", "json")
    assert r.code == 0, r.err
    res = r.json()["results"][0]
    assert res["status"] == "signed" and res["output"].startswith(str(tmp_path / "out"))
    linked = attachments.list_for(store, entry["id"])
    assert [a["role"] for a in linked] == ["signed"]
    r = cli("verify", res["output"], "--trust-root", tokens.pki.trust_root_pem, "--json")
    assert r.code == 0, r.err
    rep = r.json()
    assert rep["verdict"] == "warning"                     # one signature: the provincial rule warns
    sig = rep["signatures"][0]
    for key in ("signer_subject", "kind", "signing_time", "intact", "trusted", "revocation", "coverage"):
        assert key in sig
    assert (sig["kind"], sig["intact"], sig["trusted"], sig["revocation"]) == \
        ("organization", True, True, "not_checked_offline")
    r = cli("verify", res["output"])
    assert "HỢP LỆ, CÓ CẢNH BÁO" in r.out and "không thuộc chuỗi tin cậy" in r.out
    assert tokens.org_pin not in caplog.text


def test_sign_wrong_pin_exit_code_and_message(cli, tokens, tmp_path, pin_stdin, caplog):
    src = make_decision(tmp_path / "qd.pdf")
    pin_stdin("99999999\n")
    r = cli("sign", src, "--as", "organization", "--module", tokens.module, "--token-label", tokens.org_token,
            "--cert-label", "to-chuc", "--pin-stdin", "--confirm-pin-warning")
    assert r.code == 7 and "Mã PIN không đúng" in r.err
    assert "99999999" not in caplog.text and "PinIncorrect" in caplog.text
    assert list(tmp_path.glob("*.signed*")) == []
    from app.sign import tokens as tk
    tk.login(tokens.module, tokens.org_token, tokens.org_pin, confirmed=True).close()


def test_sign_refuses_javascript_and_bad_position(cli, tokens, tmp_path, pin_stdin):
    src = make_decision(tmp_path / "js.pdf", javascript=True)
    pin_stdin(tokens.org_pin + "\n")
    r = cli("sign", src, "--as", "organization", "--module", tokens.module, "--token-label", tokens.org_token,
            "--cert-label", "to-chuc", "--pin-stdin")
    assert r.code == 1 and "JavaScript" in r.out
    r = cli("sign", src, "--as", "organization", "--position", "hai,3", "--module", tokens.module, "--pin-stdin")
    assert r.code == 2 and "TRANG,X,Y" in r.err


def test_verify_unsigned_and_not_pdf(cli, tmp_path):
    plain = make_decision(tmp_path / "plain.pdf", pages=1)
    r = cli("verify", plain, "--json")
    assert r.code == 1 and r.json()["verdict"] == "unsigned"
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.7 garbage")
    r = cli("verify", junk)
    assert r.code == 2 and "không phải PDF" in r.err
