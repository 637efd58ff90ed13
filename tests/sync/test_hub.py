"""The reference hub's own rules: authentication, OpenAPI kept current, bad requests refused."""
import json

import httpx
import pytest

from app.sync import xroad

from .conftest import ORG_A, ORG_B, SECRETS

pytestmark = pytest.mark.timeout(60)


def test_openapi_file_is_current():
    from hub.export_openapi import PATH, render
    assert json.loads(PATH.read_text(encoding="utf-8")) == json.loads(render()), \
        "hub/openapi.json is stale: run python -m hub.export_openapi"
    paths = json.loads(PATH.read_text(encoding="utf-8"))["paths"]
    for p in ("/sendEdoc", "/getReceivedEdocList", "/getEdoc", "/updateStatus", "/getAgenciesList",
              "/api/v1/changes", "/api/v1/snapshot", "/api/v1/registers/{code}/owner"):
        assert p in paths


def _headers(org, secret, **values):
    from datetime import datetime
    from app.domain.clock import VN_TZ
    return xroad.sign({"timestamp": xroad.java_timestamp(datetime.now(VN_TZ)), "systemid": org,
                       "Content-Type": "application/json", **values}, secret)


def test_hmac_is_checked(hub):
    ok = httpx.post(hub.url + "/getAgenciesList", headers=_headers(ORG_A, SECRETS[ORG_A]), timeout=10)
    assert ok.status_code == 200 and {o["id"] for o in ok.json()["data"]} >= {ORG_A, ORG_B}
    wrong = httpx.post(hub.url + "/getAgenciesList", headers=_headers(ORG_A, "not-the-secret"), timeout=10)
    assert wrong.status_code == 401
    h = _headers(ORG_A, SECRETS[ORG_A])
    h["XroadVnpt-from"] = ORG_B          # a header changed after signing
    assert httpx.post(hub.url + "/getAgenciesList", headers=h, timeout=10).status_code == 401
    other = _headers(ORG_A, SECRETS[ORG_A], **{"from": ORG_B})   # signed, but speaking for another org
    assert httpx.post(hub.url + "/getAgenciesList", headers=other, timeout=10).status_code == 403
    assert httpx.post(hub.url + "/getAgenciesList", timeout=10).status_code == 401


def test_non_ascii_header_values_are_signed_safely():
    h = xroad.sign({"docId": "1007/QĐ-UBND"}, "k")
    assert all(v.isascii() for v in h.values())
    assert xroad.verify(h, "k") and not xroad.verify(h, "x")


def test_changes_request_is_validated(hub):
    h = _headers(ORG_A, SECRETS[ORG_A], workstation="ws-1")
    bad = httpx.post(hub.url + "/api/v1/changes", headers=h, json={"items": [{"key": "k", "topic": "drop.table"}]},
                     timeout=10)
    assert bad.status_code == 422
    none = httpx.post(hub.url + "/api/v1/changes", headers=_headers(ORG_A, SECRETS[ORG_A]), json={"items": []},
                      timeout=10)
    assert none.status_code == 400


def test_send_with_wrong_hash_is_refused(hub):
    h = _headers(ORG_A, SECRETS[ORG_A], docId="k1", to=ORG_B, **{"hash-file": "0" * 64})
    r = httpx.post(hub.url + "/sendEdoc", headers=h, files={"file_doc": ("p.edxml", b"<x/>", "application/xml")},
                   timeout=10)
    assert r.status_code == 400
    assert hub.query("SELECT count(*) AS n FROM messages")[0]["n"] == 0


def test_an_organization_reads_only_its_own_files(workstation, hub, tmp_path):
    from app.store import attachments, entries
    from .helpers import make_pdf
    a = workstation(ORG_A)
    e = entries.register(a.store, "outgoing", {"summary": "Có tệp", "notation": "UBND-VP"})
    att = attachments.add(a.store, e["id"], make_pdf(tmp_path / "f.pdf"), role="scan")
    a.sync()
    url = f"{hub.url}/api/v1/files/{att['sha256']}"
    assert httpx.get(url, headers=_headers(ORG_A, SECRETS[ORG_A]), timeout=10).status_code == 200
    assert httpx.get(url, headers=_headers(ORG_B, SECRETS[ORG_B]), timeout=10).status_code == 404
