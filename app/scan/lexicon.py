"""Vietnamese words of two syllables, as evidence against a mark misread by OCR.

Tesseract reads a hook above (hỏi) as an acute (sắc) now and then, or adds a bar to d, at full
confidence, and the result is still a valid syllable: 'đấy mạnh' for 'đẩy mạnh', 'Tố chức',
'đữ liệu'. The syllable checker (syllables.py) cannot see it; a word list can: neither neighbour
makes a word with the syllable as read, but one does with hỏi for sắc (or d for đ). The list is
Viet74K, a general dictionary that has nothing to do with our corpus (resources/lexicon/NOTICE;
tools/make_lexicon.py).

Pairs are compared by letters and tone, so 'hoà' and 'hòa' (old and new tone placement) match."""
from __future__ import annotations

import functools
import gzip
import logging
import unicodedata
from dataclasses import dataclass

from ..resources import resource_path
from .syllables import PUNCT, TONES, is_checkable, is_syllable, split_tone

log = logging.getLogger("vanthu.scan.lexicon")

_TONES: tuple[str | None, ...] = (None, "huyen", "sac", "hoi", "nga", "nang")
_MARK = {tone: mark for mark, tone in TONES.items()}
_PUNCT = PUNCT + "-!?…"


def key(word: str) -> str:
    """'Đẩy' -> 'đây3': the letters without the tone mark, and the tone as a digit (_TONES)."""
    base, tone = split_tone(word.lower())
    return f"{base}{_TONES.index(tone)}"


@functools.cache
def _pairs() -> frozenset[str]:
    """The word list's pairs as 'key key' (tools/make_lexicon.py), read once (~30 ms)."""
    path = resource_path("lexicon", "vi-pairs.txt.gz")
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return frozenset(f.read().splitlines())
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        log.warning("word list %s unreadable (%s): misread marks are not put back", path, exc)
        return frozenset()


# The confusions measured on Tesseract's `vie` model (read -> meant), in 300 held-out scans:
# a hook above read as an acute ('đấy mạnh', 'Tố chức', 'phân bố'; 16 of 22 wrong summaries),
# a bar added to d ('đữ liệu'). Other tone swaps are left alone: with no word
# frequencies, a common word standing alone ('không dùng tiền mặt trong …') would be 'corrected'.
_MISREAD_TONE = {"sac": "hoi"}


def _variants(k: str) -> list[str]:
    """What a syllable read as key `k` may have been: hỏi for sắc, d for đ."""
    base, tone = k[:-1], _TONES[int(k[-1])]
    out = [f"{base}{_TONES.index(_MISREAD_TONE[tone])}"] if tone in _MISREAD_TONE else []
    if base[:1] == "đ":
        out.append("d" + k[1:])
    return out


def _respell(word: str, k: str) -> str:
    """`word` (as read, in its case) rewritten to key `k`: the new tone mark on the vowel that
    carried the old one, d for đ."""
    tone = _TONES[int(k[-1])]
    d = list(unicodedata.normalize("NFD", word))
    at = next((i for i, ch in enumerate(d) if ch in _MARK.values()), None)
    if at is not None:
        del d[at]
        if tone:
            end = at
            while end < len(d) and unicodedata.combining(d[end]):
                end += 1                     # after the vowel's other marks (ộ = o + ̣ + ̂)
            d.insert(end, _MARK[tone])
    out = unicodedata.normalize("NFC", "".join(d))
    if k[0] == "d" and out[:1] in "đĐ":
        out = ("D" if out[0] == "Đ" else "d") + out[1:]
    return out


@dataclass(frozen=True)
class Suspect:
    index: int                  # in text.split()
    word: str                   # as read
    suggestion: str | None      # the one spelling that makes a word with a neighbour, if only one


def suspects(text: str) -> list[Suspect]:
    """The syllables of `text` that make no word with either neighbour while hỏi for sắc (or d
    for đ) would make one with a neighbour that is alone too."""
    tokens = text.split()
    core = [t.strip(_PUNCT) for t in tokens]
    word = [bool(c) and is_checkable(c) and not c.isupper() and is_syllable(c) for c in core]
    # two syllables form a pair only when nothing stands between them
    joined = [word[i] and word[i + 1] and tokens[i] == tokens[i].rstrip(_PUNCT)
              and tokens[i + 1] == tokens[i + 1].lstrip(_PUNCT) for i in range(len(tokens) - 1)]
    pairs = _pairs()
    keys = [key(c) if w else "" for c, w in zip(core, word)]
    nb = [((keys[i - 1] if i > 0 and joined[i - 1] else ""), (keys[i + 1] if i + 1 < len(keys) and joined[i] else ""))
          for i in range(len(keys))]

    def pairs_with(k: str, left: str, right: str) -> bool:
        return bool(left and f"{left} {k}" in pairs) or bool(right and f"{k} {right}" in pairs)

    alone = [bool(k) and not pairs_with(k, *nb[i]) for i, k in enumerate(keys)]
    out = []
    for i, k in enumerate(keys):
        if not alone[i]:
            continue
        # a misread syllable leaves its neighbour alone too ('đấy mạnh thanh': 'mạnh' pairs with
        # nothing); a word standing alone next to words that pair ('đã nhận văn bản') is no clue
        left = nb[i][0] if i > 0 and alone[i - 1] else ""
        right = nb[i][1] if i + 1 < len(keys) and alone[i + 1] else ""
        fits = [v for v in _variants(k) if pairs_with(v, left, right)]
        if fits:
            out.append(Suspect(i, core[i], _respell(core[i], fits[0]) if len(fits) == 1 else None))
    return out


def corrected(text: str) -> tuple[str, list[Suspect]]:
    """`text` with each suspect that has one suggestion put right, and the suspects."""
    found = suspects(text)
    tokens = text.split()
    for s in found:
        if s.suggestion:
            tokens[s.index] = tokens[s.index].replace(s.word, s.suggestion, 1)
    return " ".join(tokens), found
