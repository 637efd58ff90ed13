"""Certificates: a readable description (subject, issuer, validity, key usage) and telling an
organization's certificate from a person's by its subject, and loading trust roots."""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as ax509

from ..domain.text import fold
from ..errors import ValidationError
from ..i18n import tr

log = logging.getLogger("vanthu.sign.certs")

TRUST_DIR = Path(__file__).resolve().parents[2] / "resources" / "trust"

# Words that start the name of a Vietnamese state body (folded: no diacritics, lower case).
_ORG_WORDS = ("uy ban", "ubnd", "hoi dong", "so ", "bo ", "van phong", "phong ", "ban ", "cuc ", "tong cuc",
              "chi cuc", "trung tam", "truong ", "benh vien", "cong an", "toa an", "vien ", "tinh uy",
              "huyen uy", "thanh uy", "dang uy", "kho bac", "thanh tra", "bao hiem", "cong ty", "doan ",
              "mat tran", "hoi ", "quan uy", "bo chi huy", "kiem sat", "chi nhanh", "co quan")


@dataclass
class CertInfo:
    subject: str          # common name
    subject_full: str     # whole distinguished name, human readable
    organization: str
    title: str
    issuer: str
    serial: str
    not_before: str
    not_after: str
    key_usage: list
    kind: str             # "organization" | "personal" | "ca"
    sha256: str

    def to_dict(self) -> dict:
        return asdict(self)

    def valid_at(self, when: dt.datetime) -> bool:
        return dt.datetime.fromisoformat(self.not_before) <= when <= dt.datetime.fromisoformat(self.not_after)


def _attr(name: ax509.Name, key: str) -> str:
    try:
        v = name.native.get(key)
    except Exception:  # noqa: BLE001
        return ""
    if isinstance(v, list):
        v = v[-1] if v else ""
    return str(v or "")


def classify(cert: ax509.Certificate) -> str:
    """'personal' when the subject names a person (personal id, title, given name, e-mail, a CN
    other than the organization), 'organization' when it names the body itself."""
    try:
        if cert.ca:
            return "ca"
    except Exception:  # noqa: BLE001
        pass
    subj = cert.subject
    uid = fold(_attr(subj, "user_id") or _attr(subj, "0.9.2342.19200300.100.1.1"))
    if uid.startswith(("cmnd", "cccd", "hc:", "hc ", "pid")):
        return "personal"
    if uid.startswith(("mst", "mns", "mdv")):
        return "organization"
    if _attr(subj, "given_name") or _attr(subj, "surname") or _attr(subj, "title"):
        return "personal"
    cn, o = fold(_attr(subj, "common_name")), fold(_attr(subj, "organization_name"))
    if cn and o and cn == o:
        return "organization"
    if cn.startswith(_ORG_WORDS):
        return "organization"
    return "personal"


def describe(cert) -> CertInfo:
    """`cert`: asn1crypto Certificate, cryptography Certificate or DER bytes."""
    if isinstance(cert, (bytes, bytearray)):
        cert = ax509.Certificate.load(bytes(cert))
    elif not isinstance(cert, ax509.Certificate):
        from cryptography.hazmat.primitives.serialization import Encoding
        cert = ax509.Certificate.load(cert.public_bytes(Encoding.DER))
    ku = []
    try:
        if cert.key_usage_value is not None:
            ku = sorted(cert.key_usage_value.native)
    except Exception:  # noqa: BLE001
        pass
    return CertInfo(
        subject=_attr(cert.subject, "common_name") or cert.subject.human_friendly,
        subject_full=cert.subject.human_friendly,
        organization=_attr(cert.subject, "organization_name"),
        title=_attr(cert.subject, "title"),
        issuer=_attr(cert.issuer, "common_name") or cert.issuer.human_friendly,
        serial=format(cert.serial_number, "x"),
        not_before=cert.not_valid_before.isoformat(),
        not_after=cert.not_valid_after.isoformat(),
        key_usage=ku,
        kind=classify(cert),
        sha256=cert.sha256.hex(),
    )


def load_certs(path) -> list[ax509.Certificate]:
    """Every certificate in a PEM or DER file."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ValidationError(tr("Không đọc được tệp chứng thư {p}.").format(p=path), str(exc)) from exc
    try:
        if pem.detect(data):
            return [ax509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
        c = ax509.Certificate.load(data)
        c.native  # noqa: B018 - force parsing
        return [c]
    except Exception as exc:  # noqa: BLE001
        raise ValidationError(tr("Tệp {p} không phải chứng thư số hợp lệ.").format(p=path), str(exc)) from exc


def trust_roots(extra=(), settings_roots=(), include_shipped: bool = True) -> list[ax509.Certificate]:
    """Shipped roots (resources/trust/*.pem|crt|cer|der), administrator's roots, then `extra`."""
    paths = []
    if include_shipped and TRUST_DIR.is_dir():
        paths += sorted(p for p in TRUST_DIR.iterdir() if p.suffix.lower() in (".pem", ".crt", ".cer", ".der"))
    paths += [Path(p) for p in settings_roots]
    paths += [Path(p) for p in extra]
    out, seen = [], set()
    for p in paths:
        for c in load_certs(p):
            if c.sha256 not in seen:
                seen.add(c.sha256)
                out.append(c)
    return out
