"""The command line: extract --json contract, intake into the register, import, secrecy."""
import json

import pytest

from app.scan.intake import FIELD_KEYS


@pytest.mark.timeout(300)
def test_extract_json_contract(cli, corpus):
    doc = corpus.doc(6, pages=1)
    r = cli("extract", corpus.file(6, fmt="png", pages=1), "--json")
    assert r.code == 0, r.err
    assert r.out.count("\n") == 1                     # exactly one JSON object on stdout
    obj = r.json()
    assert tuple(obj) == FIELD_KEYS
    for k in ("reference", "number", "notation", "issued_on", "place", "issuer", "doc_type", "summary",
              "signer", "signer_title", "urgency", "pages"):
        assert obj[k] == doc.truth[k], k
    assert obj["secrecy"] is None
    assert isinstance(obj["pages"], int) and isinstance(obj["text"], str)
    assert set(obj["confidence"]) == set(FIELD_KEYS) - {"pages", "text", "confidence"}
    assert all(0 <= v <= 1 for v in obj["confidence"].values())
    assert obj["confidence"]["reference"] > 0.8 and obj["confidence"]["secrecy"] == 0


@pytest.mark.timeout(300)
def test_extract_shows_the_clerk_a_vietnamese_date(cli, corpus):
    doc = corpus.doc(3, pages=1)
    r = cli("extract", corpus.file(3, fmt="pdf", pages=1))
    assert r.code == 0, r.err
    y, m, d = doc.truth["issued_on"].split("-")
    assert f"Ngày tháng văn bản: {d}/{m}/{y}  [" in r.out
    assert doc.truth["issued_on"] not in r.out


@pytest.mark.timeout(300)
def test_intake_registers_with_scan_attached_and_text_searchable(cli, corpus, store):
    from app.store import attachments, entries, search
    doc = corpus.doc(7)                                # a 2-page Công văn with its V/v line
    assert doc.truth["doc_type"] == "Công văn"
    r = cli("intake", corpus.file(7, fmt="pdf"), "--register", "den")
    assert r.code == 0, r.err
    assert "Số đến: 01" in r.out
    [e] = entries.list_entries(store, register="den")
    assert e["reference"] == doc.truth["reference"]
    assert e["issuer"] == doc.truth["issuer"] and e["summary"] == doc.truth["summary"]
    assert e["doc_type"] == "Công văn"
    [a] = attachments.list_for(store, e["id"])
    assert a["role"] == "scan" and a["name"].endswith(".pdf")
    assert attachments.path(store, a["sha256"]).read_bytes().startswith(b"%PDF-1.")
    # the OCR text (motto, body, page 2) is searchable, folded: no diacritics
    assert [x["id"] for x in search.search(store, "cong hoa xa hoi chu nghia")] == [e["id"]]
    assert [x["id"] for x in search.search(store, "Noi nhan")] == [e["id"]]


@pytest.mark.timeout(300)
def test_secret_document_is_refused_and_nothing_stored(cli, corpus, store, tmp_path):
    from app.store import entries
    from tests.corpus.generate import make_document, write_document
    doc = make_document(40, secrecy="Mật", pages=1)
    path = write_document(doc, tmp_path, "png")
    r = cli("intake", path, "--register", "den")
    assert r.code == 2
    assert "Mật" in r.err and "không được đưa vào hệ thống" in r.err
    assert entries.list_entries(store) == []
    r = cli("extract", path, "--json")
    assert r.code == 0 and r.json()["secrecy"] == "Mật"


@pytest.mark.timeout(300)
def test_import_writes_pdf_and_fields_and_reports_bad_files(cli, corpus, tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 garbage")
    out = tmp_path / "out"
    r = cli("import", corpus.file(6, fmt="png", pages=1), bad, "--out-dir", out, "--format", "json")
    assert r.code == 1
    res = r.json()
    assert res[1]["error"] and "hỏng" in res[1]["error"]
    fields = json.loads((out / (corpus.file(6, fmt="png", pages=1).stem + ".json")).read_text("utf-8"))
    assert fields["reference"] == corpus.doc(6, pages=1).truth["reference"]
    assert (out / (corpus.file(6, fmt="png", pages=1).stem + ".pdf")).read_bytes().startswith(b"%PDF")
    assert "hỏng" in r.err


def test_cli_keys_match_the_core():
    from app.commands.scan import JSON_KEYS
    assert JSON_KEYS == FIELD_KEYS


def test_import_needs_a_target(cli, tmp_path):
    r = cli("import", tmp_path / "x.pdf")
    assert r.code == 2 and "--register" in r.err


def test_extract_missing_file(cli, tmp_path):
    r = cli("extract", tmp_path / "nope.pdf", "--json")
    assert r.code == 2 and "Không tìm thấy" in r.err and r.out == ""


@pytest.mark.timeout(300)
def test_import_into_register_then_duplicate_is_refused(cli, corpus, store):
    from app.store import entries
    f = corpus.file(6, fmt="png", pages=1)
    r = cli("import", f, "--register", "den")
    assert r.code == 0, r.err
    assert "Số đến: 01" in r.out
    r = cli("import", f, "--register", "den")       # the same letter again: flagged, nothing stored
    assert r.code == 1 and r.err
    assert len(entries.list_entries(store)) == 1
