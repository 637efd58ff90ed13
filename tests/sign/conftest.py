"""Fixtures for signing tests: the shared test PKI, SoftHSM2 tokens and PKI services."""
import pytest

from tests.support.softhsm import pki, pki_services, tokens  # noqa: F401

from .docs import make_decision


@pytest.fixture(autouse=True)
def _fresh_pin_counters(request):
    """Other tests of the run may have left a failed-PIN count on the shared tokens."""
    if "tokens" in request.fixturenames:
        request.getfixturevalue("tokens").reset_pin_counters()


@pytest.fixture
def decision(tmp_path):
    return make_decision(tmp_path / "quyet-dinh.pdf")


@pytest.fixture
def options(tokens):  # noqa: F811
    from app.sign.certs import load_certs
    from app.sign.signer import SignOptions
    return SignOptions(module=tokens.module, token_label=tokens.org_token, cert_label="to-chuc",
                       org_name="Ủy ban nhân dân tỉnh Sóc Trăng", main_reference="1007/QĐ-UBND",
                       trust_roots=load_certs(tokens.pki.trust_root_pem))
