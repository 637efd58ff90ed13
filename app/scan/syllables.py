"""Is a word a well-formed Vietnamese syllable? Evidence for the confidence of a field read by OCR:
a misread letter or mark usually yields a syllable Vietnamese spelling does not allow ('tlnh',
'Chù', 'huỵên', 'cái' is fine, 'cáp' is fine, 'càp' is not: a syllable closed by p, t, c or ch
takes only the sắc or nặng tone). Place names of the highlands ('Đắk Lắk', 'Kon Tum') pass.

A syllable is onset + rhyme + tone. The rhymes are those of Vietnamese orthography (written
without tone); gh and ngh stand only before i, e, ê (and y), c, g and ng never do."""
from __future__ import annotations

import unicodedata

TONES = {"\u0300": "huyen", "\u0301": "sac", "\u0303": "nga", "\u0309": "hoi", "\u0323": "nang"}   # combining mark -> tone
PUNCT = ".,;:()\"'“”–"          # stripped from a word's ends before it is judged
_ONSETS = sorted("ngh ng nh ch gh gi kh ph qu th tr b c d đ g h k l m n p r s t v x".split(), key=len, reverse=True)  # noqa: SIM905
_VOWELS = set("aăâeêioôơuưy")
_RHYMES = set("""
a ac ach ai am an ang anh ao ap at au ay
ăc ăm ăn ăng ăp ăt
âc âm ân âng âp ât âu ây
e ec em en eng eo ep et
ê êch êm ên êng ênh êp êt êu
i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
o oc oi om on ong op ot oong ooc
ô ôc ôi ôm ôn ông ôp ôt
ơ ơi ơm ơn ơp ơt
u ua uc ui um un ung up ut uôc uôi uôm uôn uông uôt
ư ưa ưc ưi ưm ưn ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu
y yêm yên yêng yêt yêu
oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt oe oen oeo oet
uân uâng uât uây uê uêch uênh uơ uy uya uych uyên uyêt uynh uyt uyu
ynh yt ăk
""".split())  # noqa: SIM905  (a table)
_CLOSED = ("c", "ch", "p", "t")
_FRONT = ("i", "e", "ê", "y")


def split_tone(word: str) -> tuple[str, str | None]:
    """('tiền' -> ('tiên', 'huyen')): the word without its tone mark, and the tone (None: level)."""
    d = unicodedata.normalize("NFD", word)
    tones = [TONES[c] for c in d if c in TONES]
    base = unicodedata.normalize("NFC", "".join(c for c in d if c not in TONES))
    return base, (tones[0] if len(tones) == 1 else ("many" if tones else None))


def is_syllable(word: str) -> bool:
    """True for a well-formed Vietnamese syllable in any case ('Nghị', 'QUYẾT', 'tỉnh')."""
    base, tone = split_tone(word.lower())
    if tone == "many" or not base.isalpha():
        return False
    onset = next((o for o in _ONSETS if base.startswith(o) and len(base) > len(o)), "")
    if onset == "gi" and base[2] not in _VOWELS:
        onset = "g"                                    # 'gì', 'gìn': g + i…
    if onset == "qu" and base[2] not in _VOWELS:
        return False
    rhyme = base[len(onset):]
    if rhyme not in _RHYMES:
        return False
    if onset in ("gh", "ngh") and not rhyme.startswith(_FRONT):      # k: also 'Kon Tum', 'Bắc Kạn'
        return False
    if onset in ("c", "g", "ng") and rhyme.startswith(("e", "ê", "i")) and onset + rhyme[:1] != "gi":
        return False
    return not (rhyme.endswith(_CLOSED) and tone not in ("sac", "nang"))


def is_checkable(word: str) -> bool:
    """A word to judge: letters only, not an acronym or code written in capitals without marks
    ('UBND', 'HĐND', 'VX')."""
    w = word.strip(PUNCT + "-")
    if not w or not w.isalpha():
        return False
    return not (w.isupper() and len(w) <= 6 and all(c.isascii() or c in "Đđ" for c in w))


def odd_words(text: str) -> list[str]:
    """The words of `text` that cannot be Vietnamese syllables."""
    out = []
    for raw in text.replace("-", " ").replace("/", " ").split():
        w = raw.strip(PUNCT)
        if is_checkable(w) and not is_syllable(w):
            out.append(w)
    return out
