"""Build resources/lexicon/vi-pairs.txt.gz: the adjacent syllable pairs of the Vietnamese word
list Viet74K, as shipped in the `underthesea` wheel (Apache-2.0; resources/lexicon/NOTICE).

    pip download --no-deps underthesea==9.5.0 -d /tmp/ut
    python tools/make_lexicon.py /tmp/ut/underthesea-9.5.0-py3-none-any.whl

One pair a line as lexicon.key()s ('đây3 mạnh5': letters, then the tone as a digit, so that
old and new tone placement match), sorted; entries with a word that is not a Vietnamese syllable
(loanwords, hyphenated forms) are left out. app/scan/lexicon.py reads it."""
import gzip
import sys
import unicodedata
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from app.scan.lexicon import key  # noqa: E402
from app.scan.syllables import is_syllable  # noqa: E402

MEMBER = "underthesea/corpus/data/Viet74K.txt"


def main(wheel: str) -> int:
    with zipfile.ZipFile(wheel) as z:
        text = z.read(MEMBER).decode("utf-8")
    pairs = set()
    for entry in unicodedata.normalize("NFC", text).lower().splitlines():
        words = entry.split()
        if len(words) >= 2 and all(is_syllable(w) for w in words):
            pairs.update(f"{key(a)} {key(b)}" for a, b in zip(words, words[1:]))
    out = ROOT / "resources" / "lexicon" / "vi-pairs.txt.gz"
    with gzip.GzipFile(out, "wb", mtime=0) as f:      # mtime 0: the same input gives the same bytes
        f.write("".join(p + "\n" for p in sorted(pairs)).encode("utf-8"))
    print(f"{len(pairs)} pairs -> {out} ({out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
