"""A test certificate hierarchy shaped like the Vietnamese government one, and its services.

    pki = make_pki(tmp_dir, base_url="http://127.0.0.1:PORT")   # base_url optional
    pki.root.cert, pki.ca.cert                 # cryptography x509.Certificate
    cert = pki.issue(public_key, "organization")  # or "personal", expired=True, issuer=pki.rogue_root
    pki.trust_root_pem                          # path of the root certificate (PEM)

With `base_url`, issued certificates carry a CRL distribution point and an OCSP address under
it, and `PkiServices(pki).start()` runs a real HTTP server process on 127.0.0.1 that answers
CRL, OCSP and RFC 3161 time-stamp requests (`/tsa`). `pki.revoke(cert)` is seen by the
running server at its next request.

Keys of the certification authorities live in memory and in the folder (PEM, for the server
process); keys of signers are normally generated inside a SoftHSM token (tests/support/softhsm.py)
and only their public half is given to `issue`.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

UTC = dt.UTC
ORG_NAME = "Ủy ban nhân dân tỉnh Sóc Trăng"
LEADER_NAME = "Nguyễn Văn An"


def _name(cn: str, o: str | None = None, ou: str | None = None, title: str | None = None,
          uid: str | None = None, locality: str | None = None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if locality:
        attrs.append(x509.NameAttribute(NameOID.LOCALITY_NAME, locality))
    if o:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, o))
    if ou:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou))
    if title:
        attrs.append(x509.NameAttribute(NameOID.TITLE, title))
    if uid:
        attrs.append(x509.NameAttribute(NameOID.USER_ID, uid))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def new_key(bits: int = 2048):
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


@dataclass
class Authority:
    name: str                       # short file name: root, ca, rogue_root, tsa
    cert: x509.Certificate
    key: object = field(repr=False)

    @property
    def subject(self) -> str:
        return self.cert.subject.rfc4514_string()


def _now() -> dt.datetime:
    return dt.datetime.now(UTC).replace(microsecond=0)


class Pki:
    def __init__(self, directory: Path, base_url: str | None = None):
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.base_url = base_url.rstrip("/") if base_url else None
        now = _now()
        self.root = self._self_signed("root", _name("RootCA chuyên dùng Chính phủ G2 (THỬ NGHIỆM)",
                                                    "Ban Cơ yếu Chính phủ"), now)
        self.ca = self._intermediate("ca", _name("CA phục vụ các cơ quan Nhà nước G2 (THỬ NGHIỆM)",
                                                 "Ban Cơ yếu Chính phủ"), self.root, now)
        self.rogue_root = self._self_signed("rogue_root", _name("RootCA giả mạo", "Tổ chức không tin cậy"), now)
        tsa_key = new_key()
        tsa_cert = self._build(_name("Dịch vụ cấp dấu thời gian (THỬ NGHIỆM)", "Ban Cơ yếu Chính phủ"),
                               tsa_key.public_key(), self.ca, now - dt.timedelta(days=30),
                               now + dt.timedelta(days=3650), ca=False,
                               eku=[ExtendedKeyUsageOID.TIME_STAMPING])
        self.tsa = Authority("tsa", tsa_cert, tsa_key)
        self._save_key(self.tsa)
        self._write_pem("tsa", tsa_cert)
        self._write_revoked({})

    # -- building blocks ------------------------------------------------------------------
    def _self_signed(self, name, subject, now) -> Authority:
        key = new_key()
        b = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
             .public_key(key.public_key()).serial_number(x509.random_serial_number())
             .not_valid_before(now - dt.timedelta(days=3650)).not_valid_after(now + dt.timedelta(days=7300))
             .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
             .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
             .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
        auth = Authority(name, b.sign(key, hashes.SHA256()), key)
        self._write_pem(name, auth.cert)
        self._save_key(auth)
        return auth

    def _intermediate(self, name, subject, issuer: Authority, now) -> Authority:
        key = new_key()
        cert = self._build(subject, key.public_key(), issuer, now - dt.timedelta(days=1800),
                           now + dt.timedelta(days=3650), ca=True)
        auth = Authority(name, cert, key)
        self._write_pem(name, cert)
        self._save_key(auth)
        return auth

    def _build(self, subject, public_key, issuer: Authority, not_before, not_after, ca: bool,
               eku=None, key_usage=None) -> x509.Certificate:
        b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer.cert.subject)
             .public_key(public_key).serial_number(x509.random_serial_number())
             .not_valid_before(not_before).not_valid_after(not_after)
             .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
             .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
             .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
                            critical=False))
        if ca:
            b = b.add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                                critical=True)
        elif key_usage is not None:
            b = b.add_extension(key_usage, critical=True)
        else:
            b = b.add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False),
                                critical=True)
        if eku:
            b = b.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
        if self.base_url and issuer.name != "rogue_root" and issuer.cert.subject != subject:
            b = b.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                [x509.UniformResourceIdentifier(f"{self.base_url}/crl/{issuer.name}.crl")], None, None, None)]),
                critical=False)
            b = b.add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(
                x509.oid.AuthorityInformationAccessOID.OCSP,
                x509.UniformResourceIdentifier(f"{self.base_url}/ocsp/{issuer.name}"))]), critical=False)
        return b.sign(issuer.key, hashes.SHA256())

    def _write_pem(self, name: str, cert: x509.Certificate) -> Path:
        p = self.dir / f"{name}.pem"
        p.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return p

    def _save_key(self, auth: Authority) -> None:
        (self.dir / f"{auth.name}.key").write_bytes(auth.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))

    def _write_revoked(self, data: dict) -> None:
        (self.dir / "revoked.json").write_text(json.dumps(data))

    # -- public API -------------------------------------------------------------------------
    @property
    def trust_root_pem(self) -> Path:
        return self.dir / "root.pem"

    @property
    def rogue_root_pem(self) -> Path:
        return self.dir / "rogue_root.pem"

    @property
    def ca_pem(self) -> Path:
        return self.dir / "ca.pem"

    def issue(self, public_key, kind: str = "organization", *, cn: str | None = None, expired: bool = False,
              issuer: Authority | None = None, name: str | None = None) -> x509.Certificate:
        """A signing certificate for `public_key`: kind "organization" (subject = the organization)
        or "personal" (a leader: name, title, personal id). `expired` ends it 30 days ago."""
        issuer = issuer or self.ca
        now = _now()
        if kind == "organization":
            subject = _name(cn or ORG_NAME, ORG_NAME, locality="Sóc Trăng", uid="MNS:1234567")
        elif kind == "personal":
            subject = _name(cn or LEADER_NAME, ORG_NAME, title="Chủ tịch", uid="CCCD:094080001234",
                            locality="Sóc Trăng")
        else:
            raise ValueError(kind)
        if expired:
            nb, na = now - dt.timedelta(days=800), now - dt.timedelta(days=30)
        else:
            nb, na = now - dt.timedelta(days=10), now + dt.timedelta(days=1095)
        cert = self._build(subject, public_key, issuer, nb, na, ca=False)
        if name:
            self._write_pem(name, cert)
        return cert

    def revoke(self, cert: x509.Certificate) -> None:
        data = json.loads((self.dir / "revoked.json").read_text())
        data[str(cert.serial_number)] = _now().isoformat()
        self._write_revoked(data)

    def chain(self, issuer: Authority | None = None) -> list[x509.Certificate]:
        """Intermediate certificates to embed in a signature (not the root)."""
        return [self.ca.cert] if (issuer or self.ca) is self.ca else []


def make_pki(directory, base_url: str | None = None) -> Pki:
    return Pki(Path(directory), base_url)


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PkiServices:
    """CRL, OCSP and TSA over HTTP in a separate process on 127.0.0.1 (a real server)."""

    def __init__(self, pki: Pki, port: int):
        self.pki, self.port, self.proc = pki, port, None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def tsa_url(self) -> str:
        return self.url + "/tsa"

    def start(self, timeout: float = 20.0) -> PkiServices:
        root = Path(__file__).resolve().parents[2]
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.support.pki", str(self.pki.dir), str(self.port)],
                                     cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("PKI services exited: " + self.proc.stderr.read().decode(errors="replace"))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise TimeoutError("PKI services did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


# -- the server process ---------------------------------------------------------------------
def _serve(directory: Path, port: int) -> None:  # pragma: no cover - runs in a subprocess
    import asyncio
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from asn1crypto import keys as akeys
    from asn1crypto import tsp
    from asn1crypto import x509 as ax509
    from cryptography.hazmat.primitives.serialization import load_pem_private_key
    from cryptography.x509 import ocsp
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    def load(name):
        cert = x509.load_pem_x509_certificate((directory / f"{name}.pem").read_bytes())
        key = load_pem_private_key((directory / f"{name}.key").read_bytes(), None)
        return cert, key

    auths = {n: load(n) for n in ("root", "ca")}
    tsa_cert, tsa_key = load("tsa")
    stamper = DummyTimeStamper(
        tsa_cert=ax509.Certificate.load(der(tsa_cert)),
        tsa_key=akeys.PrivateKeyInfo.load(tsa_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
        certs_to_embed=[ax509.Certificate.load(der(auths["ca"][0]))])

    def revoked():
        return {int(k): dt.datetime.fromisoformat(v)
                for k, v in json.loads((directory / "revoked.json").read_text()).items()}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def _send(self, body: bytes, ctype: str, code: int = 200):
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if self.path.startswith("/crl/"):
                name = self.path[5:].removesuffix(".crl")
                if name not in auths:
                    return self._send(b"", "text/plain", 404)
                cert, key = auths[name]
                now = _now()
                b = (x509.CertificateRevocationListBuilder().issuer_name(cert.subject)
                     .last_update(now - dt.timedelta(minutes=5)).next_update(now + dt.timedelta(days=7)))
                for serial, when in revoked().items():
                    b = b.add_revoked_certificate(x509.RevokedCertificateBuilder().serial_number(serial)
                                                  .revocation_date(when).build())
                crl = b.sign(key, hashes.SHA256())
                return self._send(crl.public_bytes(serialization.Encoding.DER), "application/pkix-crl")
            self._send(b"", "text/plain", 404)

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.path == "/tsa":
                req = tsp.TimeStampReq.load(body)
                resp = asyncio.run(stamper.async_request_tsa_response(req))
                return self._send(resp.dump(), "application/timestamp-reply")
            if self.path.startswith("/ocsp/"):
                name = self.path[6:]
                if name not in auths:
                    return self._send(b"", "text/plain", 404)
                cert, key = auths[name]
                req = ocsp.load_der_ocsp_request(body)
                rev = revoked().get(req.serial_number)
                now = _now()
                b = ocsp.OCSPResponseBuilder()
                b = b.add_response_by_hash(
                    issuer_name_hash=req.issuer_name_hash, issuer_key_hash=req.issuer_key_hash,
                    serial_number=req.serial_number, algorithm=req.hash_algorithm,
                    cert_status=ocsp.OCSPCertStatus.REVOKED if rev else ocsp.OCSPCertStatus.GOOD,
                    this_update=now - dt.timedelta(minutes=1), next_update=now + dt.timedelta(days=1),
                    revocation_time=rev, revocation_reason=None)
                b = b.responder_id(ocsp.OCSPResponderEncoding.HASH, cert)
                resp = b.sign(key, hashes.SHA256())
                return self._send(resp.public_bytes(serialization.Encoding.DER), "application/ocsp-response")
            self._send(b"", "text/plain", 404)

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":  # pragma: no cover
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    _serve(Path(sys.argv[1]), int(sys.argv[2]))
