"""Tokens through a real SoftHSM2 module: listing, certificates, PIN flags, module loading."""
import struct
import time

import pytest

from app.sign import modules
from app.sign import tokens as tk
from app.sign.errors import (
    CertificateNotFoundError,
    ModuleLoadError,
    PinError,
    PinLockedError,
    PinWarningError,
    TokenNotFoundError,
)

pytestmark = pytest.mark.timeout(60)


def test_lists_initialized_tokens_only(tokens):
    labels = [t.label for t in tk.list_tokens(tokens.module, refresh=True)]
    assert sorted(labels) == sorted([tokens.org_token, tokens.leader_token])
    assert "" not in labels            # SoftHSM's spare uninitialized slot is skipped


def test_certificates_are_described_and_classified(tokens):
    certs = {c.label: c for c in tk.list_certificates(tokens.module, tokens.org_token)}
    assert set(certs) == {"to-chuc", "het-han", "gia-mao", "ca"}
    org = certs["to-chuc"].info
    assert org.subject == "Ủy ban nhân dân tỉnh Sóc Trăng"
    assert org.kind == "organization"
    assert org.issuer.startswith("CA phục vụ các cơ quan Nhà nước G2")
    assert "non_repudiation" in org.key_usage
    assert certs["ca"].info.kind == "ca"
    leader = {c.label: c for c in tk.list_certificates(tokens.module, tokens.leader_token)}["lanh-dao"].info
    assert leader.kind == "personal" and leader.subject == "Nguyễn Văn An" and leader.title == "Chủ tịch"


def test_choose_organization_certificate(tokens):
    certs = tk.list_certificates(tokens.module, tokens.org_token)
    assert tk.choose_organization_certificate(certs, "to-chuc").label == "to-chuc"
    # two valid organization certificates (one from an untrusted root): the clerk must choose
    with pytest.raises(CertificateNotFoundError) as e:
        tk.choose_organization_certificate(certs)
    assert "to-chuc" in e.value.message and "gia-mao" in e.value.message
    with pytest.raises(CertificateNotFoundError):
        tk.choose_organization_certificate(certs, "khong-co")
    only_expired = [c for c in certs if c.label in ("het-han", "ca")]
    with pytest.raises(CertificateNotFoundError) as e:
        tk.choose_organization_certificate(only_expired)
    assert "còn hạn" in e.value.message


def test_login_and_wrong_pin(tokens, caplog):
    s = tk.login(tokens.module, tokens.org_token, tokens.org_pin)
    s.close()
    with pytest.raises(PinError) as e:
        tk.login(tokens.module, tokens.org_token, "000000")
    assert e.value.message == "Mã PIN không đúng."
    assert "000000" not in caplog.text and tokens.org_pin not in caplog.text
    # SoftHSM raises COUNT_LOW after a failure: the next login needs an explicit confirmation
    status = tk.pin_status(tokens.module, tokens.org_token)
    if status.count_low:
        with pytest.raises(PinWarningError):
            tk.login(tokens.module, tokens.org_token, tokens.org_pin)
    tk.login(tokens.module, tokens.org_token, tokens.org_pin, confirmed=True).close()   # resets the counter


def test_missing_token(tokens):
    with pytest.raises(TokenNotFoundError) as e:
        tk.login(tokens.module, "KHONG-CO", "123456")
    assert "KHONG-CO" in e.value.message


@pytest.mark.parametrize("flags,error", [
    (tk.PinStatus(count_low=True), PinWarningError),
    (tk.PinStatus(final_try=True), PinWarningError),
    (tk.PinStatus(locked=True), PinLockedError),
])
def test_pin_flags_stop_before_any_attempt(tokens, monkeypatch, flags, error):
    """SoftHSM never sets FINAL_TRY/LOCKED: a test double of the flags reader stands in."""
    monkeypatch.setattr(tk, "pin_status_reader", lambda token: flags)
    # a wrong PIN would raise PinError if a login were attempted
    with pytest.raises(error) as e:
        tk.login(tokens.module, tokens.org_token, "000000")
    if flags.final_try:
        assert "lần nhập PIN cuối cùng" in e.value.message
    if flags.locked:
        assert "khóa" in e.value.message
        with pytest.raises(PinLockedError):     # confirmation does not unlock it
            tk.login(tokens.module, tokens.org_token, tokens.org_pin, confirmed=True)
    else:
        tk.login(tokens.module, tokens.org_token, tokens.org_pin, confirmed=True).close()


def test_module_missing_and_wrong_architecture(tmp_path):
    with pytest.raises(ModuleLoadError) as e:
        modules.load(str(tmp_path / "nothing.so"))
    assert "Không tìm thấy thư viện token" in e.value.message
    elf32 = tmp_path / "bit4xpki32.so"
    elf32.write_bytes(b"\x7fELF\x01\x01\x01" + b"\0" * 100)
    with pytest.raises(ModuleLoadError) as e:
        modules.load(str(elf32))
    assert "32 bit" in e.value.message and "64 bit" in e.value.message
    # a Windows DLL for i386 is recognized too
    pe = bytearray(b"MZ" + b"\0" * 0x3A + struct.pack("<I", 0x80) + b"\0" * (0x80 - 0x40) + b"PE\0\0"
                   + struct.pack("<H", 0x14C) + b"\0" * 40)
    (tmp_path / "x.dll").write_bytes(bytes(pe))
    assert modules.binary_bits(tmp_path / "x.dll") == 32
    assert modules.binary_bits(modules.known_modules("linux")[-2].path) in (64, None)


def test_not_a_pkcs11_library(tmp_path):
    import ctypes.util
    libz = ctypes.util.find_library("z")
    import glob
    path = next(iter(glob.glob("/lib/x86_64-linux-gnu/libz.so*") + glob.glob("/usr/lib/x86_64-linux-gnu/libz.so*")),
                None)
    if not (libz and path):
        pytest.skip("no libz to stand in for a non-PKCS#11 library")
    with pytest.raises(ModuleLoadError):
        modules.load(path)
    r = modules.probe(path)
    assert not r.ok and r.message


@pytest.mark.timeout(120)
def test_detect_finds_softhsm_in_a_child_process(tokens, tmp_path):
    bad = tmp_path / "broken.so"
    bad.write_bytes(b"\x7fELF\x02\x01\x01" + b"\0" * 100)
    results = {r.path: r for r in modules.detect(extra_paths=[str(bad)])}
    assert not results[str(bad)].ok and results[str(bad)].message
    soft = results[tokens.module]
    assert soft.ok and tokens.org_token in soft.tokens, soft
    assert all(m.path for m in modules.known_modules("win32")) and modules.known_modules("darwin")


def test_listing_during_a_batch_does_not_reinitialize_the_module(tokens, tmp_path):
    """The UI may list tokens while a batch signs on a worker thread: the listing must not
    C_Finalize the module under the open session."""
    from app.sign import signer
    from app.sign.certs import load_certs

    from .docs import make_decision
    files = [make_decision(tmp_path / f"d{i}.pdf", pages=1) for i in range(3)]
    opts = signer.SignOptions(module=tokens.module, token_label=tokens.org_token, cert_label="to-chuc",
                              org_name="Ủy ban nhân dân tỉnh Sóc Trăng",
                              trust_roots=load_certs(tokens.pki.trust_root_pem))
    batch = signer.sign_batch(files, "organization", tokens.org_pin, opts,
                              progress=lambda d, t: tk.list_tokens(tokens.module, refresh=True))
    assert batch.ok, batch.to_dict()
    assert tk._busy == 0


@pytest.mark.timeout(120)
def test_a_crashing_module_only_crashes_the_probe(tmp_path):
    """A driver whose C_GetFunctionList crashes (segfault) is reported, the application lives on."""
    import shutil
    import subprocess
    if not shutil.which("cc"):
        pytest.skip("no C compiler to build a crashing module")
    c = tmp_path / "crash.c"
    c.write_text("int C_GetFunctionList(void **p) { volatile int *x = 0; *x = 1; return 0; }\n")
    so = tmp_path / "libcrash-pkcs11.so"
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(so), str(c)], check=True, timeout=60)
    r = modules.probe(str(so), "thử")
    assert not r.ok and "dừng" in r.message
    assert [x.ok for x in modules.detect(extra_paths=[str(so)], platform="none")] == [False]


# ------------------------------------------------------------------ refresh vs. login race (issue 15)

def _login_and_sign(tokens, rounds: int, errors: list) -> None:
    """What the signer does: busy(), log in, find the key, sign, close."""
    from pkcs11 import Attribute, Mechanism, ObjectClass
    for _ in range(rounds):
        try:
            with tk.busy():
                s = tk.login(tokens.module, tokens.org_token, tokens.org_pin, confirmed=True)
                try:
                    key = next(s.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY}))
                    assert len(key.sign(b"van thu", mechanism=Mechanism.SHA256_RSA_PKCS)) == 256
                    tk.list_certificates(tokens.module, session=s)
                finally:
                    s.close()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(f"login/sign: {type(exc).__name__}: {exc}")


def test_refresh_in_a_loop_never_breaks_a_login_or_a_signature(tokens, monkeypatch):
    """The status bar refreshes the token list (re-initializing the module) while a batch logs
    in and signs: the refresh waits or skips, the session is never closed under the signer, and
    the module is never called from two threads at once (SoftHSM crashed the process then)."""
    import threading
    errors: list = []
    stop = threading.Event()
    refreshes, reinits = [0], [0]
    real_refresh = tk._refresh

    def counting_refresh(lib):
        with tk._module_lock:
            if not tk._busy:
                reinits[0] += 1
            real_refresh(lib)
    monkeypatch.setattr(tk, "_refresh", counting_refresh)

    def refresher():
        while not stop.is_set():
            try:
                labels = [t.label for t in tk.list_tokens(tokens.module, refresh=True)]
                assert tokens.org_token in labels
                refreshes[0] += 1
            except Exception as exc:  # noqa: BLE001
                errors.append(f"refresh: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=refresher, daemon=True) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        # Under load the refreshers may be starved for a while: keep logging in and signing until
        # they have run often enough (bounded), so the counts below do not depend on scheduling.
        deadline = time.monotonic() + 120
        _login_and_sign(tokens, 40, errors)
        while (refreshes[0] <= 40 or reinits[0] <= 5) and time.monotonic() < deadline:
            _login_and_sign(tokens, 5, errors)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
    assert not errors, errors[:5]
    assert refreshes[0] > 40          # the listing ran all along
    assert reinits[0] > 5             # and re-initialized the module between the logins
    # idle again: a refresh re-initializes the module (a token plugged in now is seen)
    assert tk._busy == 0
    tk.list_tokens(tokens.module, refresh=True)
