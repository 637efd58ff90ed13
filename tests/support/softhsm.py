"""Real SoftHSM2 tokens in a temporary folder, with keys generated inside them.

Plain use:

    hsm = SoftHsm(tmp_dir)                         # writes softhsm2.conf, sets SOFTHSM2_CONF
    hsm.init_token("VANTHU-ORG", user_pin="123456")
    pub = hsm.generate_key("VANTHU-ORG", "to-chuc", key_id=b"\\x01")   # RSA-2048, SENSITIVE, not EXTRACTABLE
    hsm.import_cert("VANTHU-ORG", pki.issue(pub, "organization"), "to-chuc", key_id=b"\\x01")

pytest fixtures (import them into your conftest.py:
`from tests.support.softhsm import pki, pki_services, tokens  # noqa: F401`):

    pki           session: tests.support.pki.Pki, CRL/OCSP addresses on a fixed local port
    pki_services  session: the CRL/OCSP/TSA server process started (.url, .tsa_url)
    tokens        session: TestTokens with the standard set below, ready to sign

Standard set (`make_standard_tokens`), all under one SOFTHSM2_CONF, module `MODULE`
(a test that enters a wrong PIN leaves SoftHSM's COUNT_LOW flag set on the shared token: call
`tokens.reset_pin_counters()` after it, or before a test that logs in without confirmation):
    token "VANTHU-ORG", PIN "123456": certificate labels
        "to-chuc"     the organization's certificate (valid, trusted root)
        "het-han"     an organization certificate that expired 30 days ago
        "gia-mao"     an organization certificate from an untrusted root
    token "LANH-DAO", PIN "654321": "lanh-dao", the leader's personal certificate;
                                    "thu-hoi", a personal certificate revoked at the CA
    both tokens also hold the issuing CA's certificate (label "ca")

SoftHSM reads its token list at C_Initialize: after creating tokens in a process that has
already loaded the module, call `reload_module()`. The module is loaded once per process for
all tests, so every test of a session shares one SOFTHSM2_CONF: use the `tokens` fixture
rather than creating another SoftHsm in the same process.
"""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

MODULE = os.environ.get("VANTHU_TEST_PKCS11_MODULE", "/usr/lib/softhsm/libsofthsm2.so")
SO_PIN = "12345678"
ORG_TOKEN, ORG_PIN = "VANTHU-ORG", "123456"
LEADER_TOKEN, LEADER_PIN = "LANH-DAO", "654321"


def reload_module(module: str = MODULE) -> None:
    """Make an already-loaded module see tokens created since (C_Finalize + C_Initialize)."""
    import pkcs11
    lib = pkcs11.lib(module)
    lib.reinitialize()


class SoftHsm:
    def __init__(self, directory, module: str = MODULE):
        self.dir = Path(directory)
        self.module = module
        (self.dir / "tokens").mkdir(parents=True, exist_ok=True)
        self.conf = self.dir / "softhsm2.conf"
        self.conf.write_text(f"directories.tokendir = {self.dir / 'tokens'}\n"
                             "objectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n")
        os.environ["SOFTHSM2_CONF"] = str(self.conf)
        self.pins: dict[str, str] = {}

    @property
    def env(self) -> dict:
        return {"SOFTHSM2_CONF": str(self.conf)}

    def init_token(self, label: str, user_pin: str, so_pin: str = SO_PIN) -> None:
        subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", label,
                        "--so-pin", so_pin, "--pin", user_pin],
                       env={**os.environ, **self.env}, check=True, capture_output=True, timeout=30)
        self.pins[label] = user_pin
        reload_module(self.module)

    def _session(self, label: str):
        import pkcs11
        token = pkcs11.lib(self.module).get_token(token_label=label)
        return token.open(rw=True, user_pin=self.pins[label])

    def generate_key(self, label: str, key_label: str, key_id: bytes, bits: int = 2048):
        """RSA key pair generated inside the token; returns the public key (cryptography)."""
        from cryptography.hazmat.primitives.serialization import load_der_public_key
        from pkcs11 import Attribute, KeyType
        from pkcs11.util.rsa import encode_rsa_public_key
        with self._session(label) as s:
            pub, _priv = s.generate_keypair(
                KeyType.RSA, bits, id=key_id, label=key_label, store=True,
                public_template={Attribute.VERIFY: True},
                private_template={Attribute.SENSITIVE: True, Attribute.EXTRACTABLE: False,
                                  Attribute.SIGN: True})
            der = encode_rsa_public_key(pub)
        from asn1crypto import keys as akeys
        spki = akeys.PublicKeyInfo({"algorithm": {"algorithm": "rsa"},
                                    "public_key": akeys.RSAPublicKey.load(der)})
        return load_der_public_key(spki.dump())

    def import_cert(self, label: str, cert, cert_label: str, key_id: bytes) -> None:
        from cryptography.hazmat.primitives import serialization
        from pkcs11 import Attribute, CertificateType, ObjectClass
        value = cert.public_bytes(serialization.Encoding.DER)
        with self._session(label) as s:
            s.create_object({
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True, Attribute.PRIVATE: False,
                Attribute.LABEL: cert_label, Attribute.ID: key_id,
                Attribute.SUBJECT: cert.subject.public_bytes(),
                Attribute.ISSUER: cert.issuer.public_bytes(),
                Attribute.SERIAL_NUMBER: _der_int(cert.serial_number),
                Attribute.VALUE: value,
            })

    def add_signing_key(self, label: str, key_label: str, key_id: bytes, pki, kind: str, **issue_kw):
        pub = self.generate_key(label, key_label, key_id)
        cert = pki.issue(pub, kind, **issue_kw)
        self.import_cert(label, cert, key_label, key_id)
        return cert


def _der_int(n: int) -> bytes:
    from asn1crypto.core import Integer
    return Integer(n).dump()


@dataclass
class TestTokens:
    __test__ = False
    hsm: SoftHsm
    pki: object
    module: str = MODULE
    certs: dict = field(default_factory=dict)     # key label -> x509.Certificate
    org_token: str = ORG_TOKEN
    org_pin: str = ORG_PIN
    leader_token: str = LEADER_TOKEN
    leader_pin: str = LEADER_PIN

    def reset_pin_counters(self) -> None:
        """A correct login clears SoftHSM's failed-PIN counter (and its COUNT_LOW flag), which a
        wrong-PIN test leaves behind on these shared tokens."""
        import pkcs11
        lib = pkcs11.lib(self.module)
        for label, pin in ((self.org_token, self.org_pin), (self.leader_token, self.leader_pin)):
            tok = lib.get_token(token_label=label)
            if tok.flags & pkcs11.TokenFlag.USER_PIN_COUNT_LOW:
                tok.open(user_pin=pin).close()


def make_standard_tokens(directory, pki, module: str = MODULE) -> TestTokens:
    hsm = SoftHsm(directory, module)
    hsm.init_token(ORG_TOKEN, ORG_PIN)
    hsm.init_token(LEADER_TOKEN, LEADER_PIN)
    t = TestTokens(hsm, pki, module)
    t.certs["to-chuc"] = hsm.add_signing_key(ORG_TOKEN, "to-chuc", b"\x01", pki, "organization", name="to-chuc")
    t.certs["het-han"] = hsm.add_signing_key(ORG_TOKEN, "het-han", b"\x02", pki, "organization",
                                             expired=True, name="het-han")
    t.certs["gia-mao"] = hsm.add_signing_key(ORG_TOKEN, "gia-mao", b"\x03", pki, "organization",
                                             issuer=pki.rogue_root, name="gia-mao")
    t.certs["lanh-dao"] = hsm.add_signing_key(LEADER_TOKEN, "lanh-dao", b"\x11", pki, "personal", name="lanh-dao")
    t.certs["thu-hoi"] = hsm.add_signing_key(LEADER_TOKEN, "thu-hoi", b"\x12", pki, "personal",
                                             cn="Trần Thị Bình", name="thu-hoi")
    pki.revoke(t.certs["thu-hoi"])
    # real tokens carry the issuing CA beside the signer's certificate
    for label in (ORG_TOKEN, LEADER_TOKEN):
        hsm.import_cert(label, pki.ca.cert, "ca", b"\xca")
    return t


# -- pytest fixtures ----------------------------------------------------------------------------
# Several conftest files may import these fixtures; pytest then sees separate definitions. The
# objects are cached per process so that every test of a run shares one PKI, one SOFTHSM2_CONF
# and one services process (a second SoftHsm would re-initialize the module under the first).
_shared: dict = {}


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    if "pki" not in _shared:
        from .pki import free_port, make_pki
        port = free_port()
        p = make_pki(tmp_path_factory.mktemp("pki"), base_url=f"http://127.0.0.1:{port}")
        p.port = port
        _shared["pki"] = p
    return _shared["pki"]


@pytest.fixture(scope="session")
def pki_services(pki):
    if "services" not in _shared:
        import atexit

        from .pki import PkiServices
        services = PkiServices(pki, pki.port).start()
        atexit.register(services.stop)
        _shared["services"] = services
    return _shared["services"]


@pytest.fixture(scope="session")
def tokens(tmp_path_factory, pki):
    if "tokens" not in _shared:
        _shared["tokens"] = make_standard_tokens(tmp_path_factory.mktemp("softhsm"), pki)
    return _shared["tokens"]
