"""Seal placement over the leader's signature on documents made in a word processor (python-docx +
LibreOffice, tests/corpus/office.py), where the signing block is not on the last page: a decision
followed by the regulation or plan it promulgates. Signed on a real SoftHSM2 token."""
import pytest

from tests.corpus import office

from .test_signing import red_box

pytestmark = pytest.mark.timeout(300)
MM = 72 / 25.4


def _name_rect(pdf, page, name):
    import pymupdf
    with pymupdf.open(pdf) as doc:
        hits = doc[page].search_for(name)
    assert hits, name
    return hits[0]


@pytest.mark.parametrize("split,case", [("tune", "decision_annex"), ("tune", "decision_annex_long"),
                                        ("held", "decision_annex"), ("held", "decision_annex_long"),
                                        ("held", "plan_annex_district")])
def test_auto_position_on_a_decision_followed_by_its_annex(cli, tokens, tmp_path, monkeypatch, split, case):
    import io
    import sys
    doc = office.of_case(split, case)[0]
    assert doc.truth["pages"] > doc.signature_page + 1          # the annex follows the signing block
    monkeypatch.setattr(sys, "stdin", io.StringIO(tokens.org_pin + "\n"))
    r = cli("sign", doc.pdf, "--as", "organization", "--position", "auto", "--module", tokens.module,
            "--token-label", tokens.org_token, "--cert-label", "to-chuc", "--pin-stdin",
            "--out-dir", tmp_path, "--format", "json")
    assert r.code == 0, r.err
    res = r.json()["results"][0]
    assert res["status"] == "signed" and res["placement"]["page"] == doc.signature_page + 1
    out = res["output"]
    for p in range(doc.truth["pages"]):
        if p != doc.signature_page:
            assert red_box(out, p) is None, f"seal on page {p + 1}"
    x0, y0, x1, y1 = red_box(out, doc.signature_page)
    name = _name_rect(out, doc.signature_page, doc.truth["signer"])
    # over the leader's signature: above the name, below the title, covering the left third of
    # a signature centred on the name
    assert name.y0 - 40 * MM < (y0 + y1) / 2 < name.y0
    assert abs(x1 - ((name.x0 + name.x1) / 2 - 22.5 * MM + 15 * MM)) < 3


def test_first_block_is_the_leaders_when_the_annex_is_signed_too(tmp_path):
    """Two signing blocks (the decision's, then one under the annex): the decision's is used."""
    import pymupdf

    from app.domain.pagelayout import leader_block
    from app.sign.placement import page_layouts

    from .docs import BLOCK_CX, NAME_Y, TITLE_Y, _text, make_decision
    src = make_decision(tmp_path / "qd.pdf", pages=2)
    doc = pymupdf.open(src)
    page = doc.new_page(width=doc[0].rect.width, height=doc[0].rect.height)
    _text(page, 105 * MM, 30 * MM, "QUY CHẾ", bold=True, center=True)
    _text(page, 105 * MM, 37 * MM, "(Ban hành kèm theo Quyết định số 1007/QĐ-UBND)", center=True)
    _text(page, BLOCK_CX, 150 * MM, "KT. CHỦ TỊCH", bold=True, center=True)
    _text(page, BLOCK_CX, 156 * MM, "PHÓ CHỦ TỊCH", bold=True, center=True)
    _text(page, BLOCK_CX, 190 * MM, "Trần Thị Bình", bold=True, center=True)
    block = leader_block(page_layouts(doc))
    assert block.page == 1 and block.name.text == "Nguyễn Văn An"
    assert block.area[1] > TITLE_Y - 2 and block.area[3] < NAME_Y
    doc.close()
