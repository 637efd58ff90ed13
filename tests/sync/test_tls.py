"""TLS: verification is on; a server certificate from an unknown CA is refused with a clear message;
the administrator's CA bundle (server.ca_bundle) makes it trusted."""
import datetime as dt
import ipaddress

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.store import entries, outbox

from .conftest import ORG_A, SECRETS
from .hubproc import Hub

pytestmark = pytest.mark.timeout(120)


def _tls_files(d):
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CA máy chủ tỉnh (thử nghiệm)")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
          .not_valid_after(now + dt.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    d.mkdir(parents=True, exist_ok=True)
    (d / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (d / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (d / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption()))
    return d / "ca.pem", d / "cert.pem", d / "key.pem"


def test_tls_verified_with_administrator_ca_bundle(workstation, tmp_path):
    ca, cert, key = _tls_files(tmp_path / "tls")
    hub = Hub(tmp_path / "hub-tls", dict(SECRETS), tls=(cert, key), ca=ca).start()
    try:
        a = workstation(ORG_A, url=hub.url, sub="tls")
        entries.register(a.store, "outgoing", {"summary": "Qua HTTPS", "notation": "UBND-VP"})
        r = a.sync()
        assert not r.online and "TLS" in r.error and "server.ca_bundle" in r.error
        assert outbox.counts(a.store) == {"pending": 1}
        a.settings.set("server.ca_bundle", str(ca))
        r = a.sync()
        assert r.online and r.sent == 1
    finally:
        hub.stop()
