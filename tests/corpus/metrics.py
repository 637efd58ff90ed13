"""Measures against the generator's ground truth: character error rate of a text layer
(robust to reading order: each true line is matched to its best place in the recognized
text) and field accuracy."""
import difflib
import re
import unicodedata

FIELDS = ("reference", "number", "notation", "issued_on", "place", "issuer", "doc_type", "summary",
          "signer", "signer_title", "urgency", "secrecy", "pages")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def substring_distance(pattern: str, text: str) -> int:
    """Smallest edit distance between `pattern` and any substring of `text` (Sellers)."""
    prev = [0] * (len(text) + 1)
    for i, pc in enumerate(pattern, 1):
        cur = [i] + [0] * len(text)
        for j, tc in enumerate(text, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (pc != tc))
        prev = cur
    return min(prev)


def cer(true_lines: list[str], recognized: str) -> tuple[int, int]:
    """(errors, characters) of the true lines found in the recognized text."""
    text = _norm(recognized)
    errors = chars = 0
    for line in true_lines:
        line = _norm(line)
        if not line:
            continue
        chars += len(line)
        m = difflib.SequenceMatcher(None, text, line, autojunk=False).find_longest_match(
            0, len(text), 0, len(line))
        if m.size == 0:
            errors += len(line)
            continue
        start = max(0, m.a - m.b - 10)
        window = text[start:m.a - m.b + len(line) + 10]
        errors += substring_distance(line, window)
    return errors, chars


def field_hits(truth: dict, fields: dict) -> dict:
    return {k: fields.get(k) == truth.get(k) for k in FIELDS}
