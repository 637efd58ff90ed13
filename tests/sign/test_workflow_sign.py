"""Signing an entry (app.workflows.signing.sign_entry): the same result from `vanthu sign --entry`
and from a direct call — signed file stored with the entry AND status "signed"."""
import io
import sys

import pytest

from app.domain.records import AttachmentRole, Status
from app.settings import Settings
from app.store import attachments, entries
from app.workflows import registering, signing

from .docs import make_decision

pytestmark = pytest.mark.timeout(120)


def _outgoing(store):
    return registering.register(store, "outgoing", {"summary": "Quyết định về việc đê điều", "notation": "UBND",
                                                    "recipients": ["Sở Tài chính"]}).entry


def _settings(data_dir, tokens):
    s = Settings(data_dir)
    s.set("token.module", tokens.module)
    s.set("token.label", tokens.org_token)
    s.set("token.cert_label", "to-chuc")
    s.set("org.name", "Ủy ban nhân dân tỉnh Sóc Trăng")
    return s


def test_cli_sign_entry_sets_status_signed(cli, tokens, tmp_path, store, data_dir, monkeypatch):
    e = _outgoing(store)
    _settings(data_dir, tokens)
    src = make_decision(tmp_path / "qd.pdf")
    monkeypatch.setattr(sys, "stdin", io.StringIO(tokens.org_pin + "\n"))
    r = cli("sign", src, "--as", "organization", "--pin-stdin", "--entry", e.id,
            "--out-dir", tmp_path / "out", "--offline", "--format", "json")
    assert r.code == 0, r.err
    assert r.json()["results"][0]["status"] == "signed"
    after = entries.get_entry(store, e.id)
    assert after.status is Status.SIGNED                       # the CLI used to forget this
    assert [a.role for a in attachments.attachments_of(store, e.id)] == [AttachmentRole.SIGNED]


def test_direct_sign_entry_signs_its_stored_document(tokens, tmp_path, store, data_dir):
    e = registering.register(store, "outgoing", {"summary": "Công văn về việc kiểm tra", "notation": "UBND"},
                             files=[registering.FileToAttach(make_decision(tmp_path / "cv.pdf"),
                                                             AttachmentRole.ORIGINAL)]).entry
    cfg = _settings(data_dir, tokens)
    opts = signing.sign_options(cfg, online=False)
    done = signing.sign_entry(store, cfg, e.id, tokens.org_pin, options=opts)
    assert done.ok and done.entry.status is Status.SIGNED and done.entry.revision == 2
    roles = [a.role for a in attachments.attachments_of(store, e.id)]
    assert roles == [AttachmentRole.ORIGINAL, AttachmentRole.SIGNED]
    assert done.attachments[0].sha256 == attachments.attachments_of(store, e.id)[1].sha256
    assert done.to_json()["entry"]["status"] == "signed"
    # a second signature does not move the status again
    again = signing.sign_entry(store, cfg, e.id, tokens.org_pin, options=signing.sign_options(cfg, online=False))
    assert again.entry.status is Status.SIGNED and again.entry.revision == 2


def test_sign_options_from_settings_and_overrides(data_dir, tokens):
    cfg = _settings(data_dir, tokens)
    cfg.set("sign.seal_diameter_mm", 40)
    o = signing.sign_options(cfg, cert_label="khac", position=(1, 20.0, 30.0))
    assert (o.module, o.token_label, o.cert_label, o.seal_diameter_mm, o.position) == \
        (tokens.module, tokens.org_token, "khac", 40.0, (1, 20.0, 30.0))
    assert o.org_name == "Ủy ban nhân dân tỉnh Sóc Trăng"


def test_sign_voided_entry_refused_without_touching_the_token(store, data_dir, tokens):
    e = _outgoing(store)
    registering.void(store, e.id, "Đăng ký nhầm")
    from app.errors import ValidationError
    with pytest.raises(ValidationError) as info:
        signing.sign_entry(store, _settings(data_dir, tokens), e.id, "wrong-pin")
    assert info.value.code == "not_signable"
    assert entries.get_entry(store, e.id).status is Status.VOIDED
    assert attachments.attachments_of(store, e.id) == []


def test_network_failures_told_by_type():

    import aiohttp
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError

    from app.sign.signer import _is_network
    assert _is_network(TimestampRequestError("TSA answered 503"))
    assert _is_network(TimeoutError())
    try:
        try:
            raise aiohttp.ServerTimeoutError("slow OCSP responder")
        except aiohttp.ClientError as exc:
            raise RuntimeError("validation failed") from exc
    except RuntimeError as wrapped:
        assert _is_network(wrapped)
    assert not _is_network(ValueError("connection refused"))    # the words alone say nothing
