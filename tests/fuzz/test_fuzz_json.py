"""JSON imports (`vanthu register KIND --json FILE`): hostile structure, types, text and dates."""
from __future__ import annotations

import json
import unicodedata
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import clock
from tests.fuzz.harness import STRESS, check_run, folder_digest, fuzz_settings, run_cli, tick, timed

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
TEXT_KEYS = ("summary", "issuer", "place", "signer", "signer_title", "note", "doc_type", "kept_by")
TODAY = clock.today()        # the workstation's today: Vietnam time (17:00 UTC is already tomorrow)

viet = st.text(alphabet=st.sampled_from("aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọ"
                                        "ồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ ỦQĐ-/" + BIDI), min_size=1, max_size=80)
any_text = st.one_of(viet, st.text(max_size=60), st.text(alphabet=st.sampled_from(BIDI + "ab\u0301\ufeff\x00\n\t"),
                                                        max_size=20))
wrong_type = st.one_of(st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True),
                       st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))
dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
past = st.dates(min_value=date(2026, 1, 5), max_value=TODAY)
date_text = st.one_of(past.map(date.isoformat), past.map(lambda d: d.strftime("%d/%m/%Y")), past.map(date.isoformat),
                      dates.map(date.isoformat), dates.map(lambda d: d.strftime("%d/%m/%Y")),
                      st.sampled_from(["2026-02-30", "31/04/2026", "", "hôm qua", "9999-99-99", "2026-13-01"]),
                      st.just((TODAY + timedelta(days=1)).isoformat()), st.just(TODAY.isoformat()))


DATE_KEYS = {"incoming": ("issued_on", "arrival_at", "handling_deadline", "transferred_on"),
             "outgoing": ("issued_on", "dispatched_on", "reply_deadline")}


@st.composite
def entry(draw, kind):
    d = {"summary": draw(viet), "issuer": draw(viet), "issued_on": draw(st.sampled_from(["2026-01-05", "05/01/2026"]))}
    for key in draw(st.lists(st.sampled_from(TEXT_KEYS[:-1] if kind == "incoming" else TEXT_KEYS),
                             max_size=4, unique=True)):
        d[key] = draw(any_text)
    for key in draw(st.lists(st.sampled_from(DATE_KEYS[kind]), max_size=2, unique=True)):
        d[key] = draw(date_text)
    if draw(st.integers(0, 6)) == 0:           # a key of the wrong JSON type
        d[draw(st.sampled_from(TEXT_KEYS[:-1] + ("issued_on", "number", "pages", "urgency", "text", "reference",
                                                 "secrecy", DATE_KEYS[kind][1])))] = draw(wrong_type)
    if kind == "outgoing" and draw(st.integers(0, 3)) == 0:
        d["recipients"] = draw(st.one_of(st.lists(st.one_of(viet, st.fixed_dictionaries({"name": viet}),
                                                             st.fixed_dictionaries({"name": wrong_type}), wrong_type),
                                                   max_size=3), viet))
    if draw(st.integers(0, 5)) == 0:
        d["text"] = draw(st.text(max_size=200))
    if draw(st.integers(0, 12)) == 0:
        d[draw(st.text(min_size=1, max_size=8))] = draw(viet)       # unknown key
    return d


def _nest(text: str, depth: int) -> str:
    return "[" * depth + text + "]" * depth


@st.composite
def document(draw):
    """(kind, JSON text, the items when the text is a plain object/list of entries)"""
    kind = draw(st.sampled_from(["incoming", "outgoing"]))
    items = draw(st.lists(entry(kind), min_size=1, max_size=draw(st.sampled_from([1, 1, 1, 3]))))
    body = items if len(items) > 1 or draw(st.booleans()) else items[0]
    text = json.dumps(body, ensure_ascii=draw(st.booleans()))
    shape = draw(st.integers(0, 11))
    if shape == 0:                                   # deep nesting: 5,000-100,000 levels, or just over the limit
        text = _nest(text, draw(st.one_of(st.integers(19, 40), st.integers(5_000, 100_000))))
        return kind, text, None
    if shape == 1:                                   # structure-aware byte mutation
        pos = draw(st.integers(0, max(len(text) - 1, 0)))
        op = draw(st.sampled_from(["cut", "insert", "delete"]))
        junk = draw(st.sampled_from(["{", "[", "]", "}", '"', ",", ":", "\\", "\x00", "\ud800", "NaN", "1e999"]))
        text = text[:pos] if op == "cut" else text[:pos] + junk + text[pos:] if op == "insert" else \
            text[:pos] + text[pos + 1:]
        try:                                         # still valid (e.g. "{" inside a string): no expectation
            json.loads(text)
            return kind, text, False
        except (ValueError, RecursionError):
            return kind, text, None
    if shape == 2:                                   # not an object or list of objects
        return kind, json.dumps(draw(st.one_of(st.integers(), viet, st.lists(st.integers(), max_size=2),
                                               st.just([]), st.just(None)))), None
    return kind, text, items if isinstance(body, list) else [body]


def _expect_refusal(kind: str, items) -> str | None:
    """Why this import must be refused, when the rules of issue 15 say so."""
    for it in items:
        for k in TEXT_KEYS + ("issued_on", "dispatched_on", "transferred_on", "reference", "secrecy", "text"):
            if k in it and it[k] is not None and not isinstance(it[k], str):
                return f"{k} is a {type(it[k]).__name__}"
        if kind == "outgoing":
            try:
                v = it.get("dispatched_on")
                d = date.fromisoformat(v) if v and "-" in v else None
            except ValueError:
                d = None
            if d and d > TODAY:
                return "dispatched_on in the future"
    return None


def _visible(text: str) -> str:
    """The text as a reader sees it: NFC, without format/control characters and white space."""
    text = unicodedata.normalize("NFC", text)
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) not in ("Cf", "Cc"))


def _check_stored(kind: str, items, out: str) -> None:
    result = json.loads(out)
    stored = result if isinstance(result, list) else [result]
    assert len(stored) == len(items)
    for given_, e in zip(items, stored):
        for key in TEXT_KEYS:
            value = e.get(key)
            if isinstance(value, str):
                assert not any(c in value for c in BIDI), f"{key} keeps a bidi control: {value!r}"
                assert not any(unicodedata.category(c) in ("Cf", "Cc") and c not in "\t\n" for c in value), value
                assert unicodedata.is_normalized("NFC", value)
        assert isinstance(e["summary"], str) and _visible(e["summary"]) == _visible(given_["summary"])
        for key in ("issued_on", "dispatched_on", "transferred_on"):
            if e.get(key):
                assert date.fromisoformat(e[key]) <= TODAY, f"{key} {e[key]} in the future was stored"


def _fuzz(data_dir, tmp_path_factory, name):
    folder = tmp_path_factory.mktemp("json")

    @given(document())
    def example(doc):
        kind, text, items = doc
        tick(name)
        f = folder / "import.json"
        f.write_text(text, encoding="utf-8", errors="surrogatepass")
        before = folder_digest(data_dir)
        r = run_cli(data_dir, "register", kind, "--json", f, "--format", "json", "--allow-duplicate")
        check_run(r, before, data_dir)
        if items is None:
            assert r.code != 0, "malformed, too deep or wrongly shaped JSON was accepted"
            return
        if items is False:
            return
        why = _expect_refusal(kind, items)
        if why:
            assert r.code != 0, f"accepted although {why}"
        if r.code == 0:
            _check_stored(kind, items, r.out)
    return example


@pytest.mark.timeout(600)
def test_fuzz_json_import(fuzz_data, tmp_path_factory):
    with timed("json import"):
        fuzz_settings(150)(_fuzz(fuzz_data, tmp_path_factory, "json import"))()


@pytest.mark.slow
@pytest.mark.timeout(6 * 3600)
@pytest.mark.skipif(not STRESS, reason="VANTHU_STRESS=1 (make stress)")
def test_fuzz_json_import_stress(fuzz_data, tmp_path_factory):
    with timed("json import (stress)"):
        fuzz_settings(10_000)(_fuzz(fuzz_data, tmp_path_factory, "json import (stress)"))()
