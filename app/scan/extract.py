"""Suggested register fields from the layout of a Vietnamese administrative document
(ND30, Appendix I), read from word boxes:

  left header column: parent body, issuer, "Số: 1007/QĐ-UBND", "V/v ..." (Công văn), boxed marks
  right header column: national motto, "Sóc Trăng, ngày 05 tháng 4 năm 2019"
  centred: type name, summary        end of the main document, right: authority, title, [signature], name

The regions and the signing block come from app.domain.pagelayout (shared with seal placement):
the signing block is found on whatever page it is (a decision followed by its annex).
Never invents: a field not found on the page is None with confidence 0. The receiving
office's "ĐẾN" stamp and the "Nơi nhận" list are masked out before anything is read.

Confidence: each field's confidence is the OCR confidence of the words it was read from,
lowered when the layout evidence is weak; a value below CHECK_BELOW is marked for checking
in the intake form. `fields["boxes"]` gives, per field, the page (1-based) and the box (fractions
of the page, top-left origin) of the words it was read from."""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from ..domain import clock
from ..domain import pagelayout as pl
from ..domain.doctypes import DOC_TYPES, type_from_notation
from ..domain.reference import format_number
from ..domain.text import fold, nfc
from .layout import Line, PageLayout, fold_chars
from .lexicon import corrected
from .names import SURNAME_BY_FOLD, SURNAMES, checked_name
from .syllables import is_syllable, odd_words

CHECK_BELOW = 0.75        # the intake form marks a suggestion below this confidence for checking

FIELDS = ("reference", "number", "notation", "issued_on", "place", "issuer", "doc_type", "summary",
          "signer", "signer_title", "urgency", "secrecy")

_TYPE_BY_LETTERS = {fold(name): name for name in DOC_TYPES}
_URGENCY = {"khan": "Khẩn", "thuong khan": "Thượng khẩn", "hoa toc": "Hỏa tốc",
            "hoa toc hen gio": "Hỏa tốc hẹn giờ"}
_SECRECY = {"mat": "Mật", "toi mat": "Tối mật", "tuyet mat": "Tuyệt mật"}
# 'Số: 75/PA-UBND'; OCR sometimes loses the slash after the number ('75PA-UBND')
_REF = re.compile(r"^[\W_]{0,3}s[\W_]?[o6]\s*[:;.,]?\s*(\d{1,7})(?:\s*/\s*|(?=[a-z]))(?:((?:19|20)\d{2})\s*/\s*)?"
                  r"([\w\-.]{1,30})", re.I)
_VV = re.compile(r"^v\s*[/|l1i]\s*[vyw]?\s*[:.,]?\s+(?=\w)", re.I)    # 'V/v', OCR: 'V/', 'Vlv'…
# tolerant of one short stray token that OCR reads out of an italic line ('tháng g 8')
_DATE = re.compile(r"ngay\W*(?:[^\d\s]{1,2}\s+)?(\d{1,2})\W*thang\W*(?:[^\d\s]{1,2}\s+)?(\d{1,2})\W*nam\W*((?:19|20)\d{2})")
_ORG_HEADS = ("uy ban", "ubnd", "so ", "phong ", "ban ", "bo ", "cuc ", "chi cuc", "trung tam", "van phong",
              "hoi dong", "thanh tra", "truong ", "benh vien", "tong cuc", "vien ", "ho so", "dang uy",
              "cong an", "kho bac", "chi nhanh", "doan ", "lien doan", "hoi ", "ngan hang")
_ADMIN_UNITS = ("tỉnh", "huyện", "xã", "phường", "quận", "thị xã", "thị trấn", "thành phố")


def _letters(text: str) -> str:
    return " ".join("".join(c if c.isalpha() else " " for c in fold_chars(text)).split())


def sentence_case_org(caps: str) -> str:
    """'ỦY BAN NHÂN DÂN TỈNH SÓC TRĂNG' -> 'Ủy ban nhân dân tỉnh Sóc Trăng';
    'SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG' -> 'Sở Tài nguyên và Môi trường'."""
    words = nfc(caps).lower().split()
    if not words:
        return ""
    out = list(words)
    i = 0
    while i < len(words):
        two = " ".join(words[i:i + 2])
        if two in _ADMIN_UNITS or words[i] in _ADMIN_UNITS:
            j = i + (2 if two in _ADMIN_UNITS else 1)
            out[j:] = [w[:1].upper() + w[1:] for w in words[j:]]
            break
        i += 1
    heads = {"so", "phong", "ban", "bo", "cuc", "chi cuc", "tong cuc", "trung tam", "van phong", "thanh tra", "vien"}
    for n in (2, 1):
        if fold(" ".join(words[:n])) in heads and len(words) > n and words[n] not in _ADMIN_UNITS:
            out[n] = out[n][:1].upper() + out[n][1:]
            for k in range(n + 1, len(words) - 1):
                if words[k] in ("và", ",", "-") and words[k + 1] not in _ADMIN_UNITS:
                    out[k + 1] = out[k + 1][:1].upper() + out[k + 1][1:]
            break
    out[0] = out[0][:1].upper() + out[0][1:]
    return " ".join(out)


KNOWN_TITLES = ["Chủ tịch", "Phó Chủ tịch", "Giám đốc", "Phó Giám đốc", "Trưởng phòng", "Phó Trưởng phòng",
                "Chánh Văn phòng", "Phó Chánh Văn phòng", "Trưởng ban", "Phó Trưởng ban", "Cục trưởng",
                "Phó Cục trưởng", "Chi cục trưởng", "Phó Chi cục trưởng", "Bộ trưởng", "Thứ trưởng",
                "Chánh Thanh tra", "Phó Chánh Thanh tra", "Hiệu trưởng", "Phó Hiệu trưởng", "Viện trưởng",
                "Phó Viện trưởng", "Tổng Giám đốc", "Phó Tổng Giám đốc", "Bí thư", "Phó Bí thư",
                "Trưởng đoàn", "Thủ trưởng", "Chánh án", "Giám đốc Sở", "Tổng Cục trưởng"]
_TITLE_BY_FOLD = {fold(t): t for t in KNOWN_TITLES}


# Words of organization names, to restore a diacritic lost in OCR ("Mối trường" -> "Môi trường")
ORG_PHRASES = ["ủy ban nhân dân", "hội đồng nhân dân", "tài nguyên", "môi trường", "giáo dục", "đào tạo", "nội vụ",
               "tài chính", "kế hoạch", "đầu tư", "y tế", "xây dựng", "giao thông vận tải", "công thương",
               "tư pháp", "nông nghiệp", "phát triển nông thôn", "lao động", "thương binh", "xã hội", "văn hóa",
               "thể thao", "du lịch", "thông tin", "truyền thông", "khoa học", "công nghệ", "thanh tra",
               "văn phòng", "ngoại vụ", "dân tộc", "tôn giáo", "kho bạc", "công an", "quân sự", "nhà nước"]
_ORG_PHRASES_FOLDED = sorted(((fold(p), p) for p in ORG_PHRASES), key=lambda x: -len(x[0]))


def restore_org_words(name: str) -> str:
    """Put back the spelling of known organization words whose letters match without marks."""
    folded = fold_chars(name)
    out = list(name)
    for key, phrase in _ORG_PHRASES_FOLDED:
        start = 0
        while (i := folded.find(key, start)) >= 0:
            end = i + len(key)
            if (i == 0 or not folded[i - 1].isalpha()) and (end == len(folded) or not folded[end].isalpha()):
                for k, ch in enumerate(phrase):
                    out[i + k] = ch.upper() if name[i + k].isupper() else ch
            start = end
    return "".join(out)


def sentence_case_title(caps: str) -> str:
    """'PHÓ CHỦ TỊCH' -> 'Phó Chủ tịch'; 'CHÁNH VĂN PHÒNG' -> 'Chánh Văn phòng'. Known titles are
    matched without diacritics, so that a mark lost in OCR ('CHỦ TICH') is restored."""
    letters = _letters(caps)
    known = _TITLE_BY_FOLD.get(letters)
    if known:
        return known
    near = [t for k, t in _TITLE_BY_FOLD.items() if _within_one_edit(k, letters)]
    if len(near) == 1 and len(letters) >= 6:                       # one OCR slip: 'GLÁM ĐỐC'
        return near[0]
    words = caps.split()
    while len(words) > 1 and len(words[0].strip(".,|")) <= 2:    # stray marks read from the seal
        words = words[1:]
        if _TITLE_BY_FOLD.get(_letters(" ".join(words))):
            return _TITLE_BY_FOLD[_letters(" ".join(words))]
    for key in sorted(_TITLE_BY_FOLD, key=len, reverse=True):   # 'GIÁM ĐỐC SỞ NỘI VỤ'
        if letters.startswith(key + " "):
            rest = nfc(caps).split()[len(key.split()):]
            return _TITLE_BY_FOLD[key] + " " + restore_org_words(sentence_case_org(" ".join(rest)))
    words = nfc(caps).lower().split()
    if not words:
        return ""
    if words[0] == "phó" and len(words) > 1:
        return "Phó " + sentence_case_title(" ".join(words[1:]))
    if words[:2] in (["chánh", "văn"], ["chánh", "thanh"]) and len(words) > 2:
        return "Chánh " + " ".join([words[1].capitalize(), *words[2:]])
    return " ".join([words[0].capitalize(), *words[1:]])


_DIGIT_AS_LETTER = str.maketrans({"5": "S", "0": "O", "1": "I", "8": "B", "6": "G"})


def fix_notation(notation: str) -> str:
    """Undo OCR digit/letter confusions in notation parts made of capitals: '5TC-TH' -> 'STC-TH'."""
    parts = notation.split("-")
    out = []
    for part in parts:
        letters = sum(ch.isalpha() for ch in part)
        if letters >= 1 and letters >= len(part) - 1 and any(ch.isdigit() for ch in part):
            part = part.translate(_DIGIT_AS_LETTER)
        out.append(part)
    return "-".join(out)


def _within_one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) <= 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _cross_check_notation(f: dict[str, Any]) -> None:
    """The type title and the notation's type abbreviation must agree: 'TỜ TRÌNH' with a
    notation read as 'TIr-UBND' or 'TT-UBND' is 'TTr-UBND' (one OCR slip)."""
    if not f["notation"] or not f["doc_type"]:
        return
    abbr = DOC_TYPES.get(f["doc_type"])
    head, sep, rest = f["notation"].partition("-")
    if not abbr or not sep or head == abbr or not _within_one_edit(head, abbr):
        return
    f["notation"] = f"{abbr}-{rest}"
    f["reference"] = f["reference"][:len(f["reference"]) - len(head) - 1 - len(rest)] + f["notation"]


def _stamp_region(layout: PageLayout, limit_y: float) -> pl.Box | None:
    """The receiving office's stamp: a line reading just 'ĐẾN' in the upper part of page 1."""
    W, H = layout.width, layout.height
    for line in layout.lines:
        if line.y0 < limit_y and line.letters == "den" and line.height > 0.006 * H:
            # the box: about two short lines (the office's name) above ĐẾN, Số / Ngày / Chuyển below
            return (line.cx - 0.15 * W, line.y0 - 0.03 * H, line.cx + 0.15 * W, line.y0 + 0.105 * H)
    return None


def _inside(line: Line, box: pl.Box | None) -> bool:
    return box is not None and box[0] <= line.cx <= box[2] and box[1] <= (line.y0 + line.y1) / 2 <= box[3]


class _Found:
    """Fields, confidences and the boxes they were read from."""

    def __init__(self) -> None:
        self.f: dict[str, Any] = {k: None for k in FIELDS}
        self.c = {k: 0.0 for k in FIELDS}
        self.boxes: dict[str, dict[str, Any]] = {}
        self.authority: list[str] = []         # the signing block's TM./KT./TL./TUQ. lines (folded)
        self.ocr_text = False                  # read by OCR (a text layer's words all have conf 100)

    def put(self, key: str, value: Any, conf: float, layout: PageLayout | None = None,
            lines: Sequence[Line] = ()) -> None:
        self.f[key], self.c[key] = value, round(max(0.0, min(1.0, conf)), 2)
        if layout is not None and lines:
            W, H = layout.width or 1, layout.height or 1
            self.boxes[key] = {"page": layout.number + 1,
                               "box": [round(min(ln.x0 for ln in lines) / W, 4), round(min(ln.y0 for ln in lines) / H, 4),
                                       round(max(ln.x1 for ln in lines) / W, 4), round(max(ln.y1 for ln in lines) / H, 4)]}


def extract_fields(layouts: Sequence[PageLayout | None], pages: int | None = None,
                   text: str | None = None) -> dict[str, Any]:
    """Suggested fields from page layouts in page order (page 1 first; any page may hold the
    signing block — give every page that was read). Returns the keys of `vanthu extract
    --json`, `confidence` and `boxes` included."""
    found = _Found()
    lays = [lay for lay in layouts if lay is not None]
    found.ocr_text = any(w.conf < 100 for lay in lays[:1] for ln in lay.lines for w in ln.words)
    if not lays:
        return _finish(found, pages or 0, text or "")
    _header(lays[0], found)
    _signature(lays, found)
    _calibrate(found)
    if text is None:
        text = "\n\n".join("\n".join(ln.text for ln in lay.lines) for lay in lays)
    return _finish(found, pages if pages is not None else len(lays), text)


def _finish(found: _Found, pages: int, text: str) -> dict[str, Any]:
    fields, conf = found.f, found.c
    for k in FIELDS:
        if fields[k] is None:
            conf[k] = 0.0
            found.boxes.pop(k, None)
    fields["pages"] = pages
    fields["text"] = text
    fields["confidence"] = conf
    fields["boxes"] = found.boxes
    return fields


def _ocr_conf(lines: Sequence[Line], factor: float = 1.0) -> float:
    """Mean word confidence, pulled down by the weakest word (one misread mark makes a wrong field)."""
    ws = [w.conf for ln in lines for w in ln.words] or [ln.conf for ln in lines]
    if not ws:
        return 0.0
    mean = sum(ws) / len(ws)
    return float(max(0.0, min(1.0, min(mean, min(ws) + 30) / 100 * factor)))


# a summary does not end on one of these: a line was lost
_DANGLING = {"và", "của", "các", "về", "trong", "theo", "cho", "đến", "tại", "với", "giai", "những", "hoặc", "để",
             "đối", "từ", "là", "nhằm", "thuộc"}
DOUBT = 0.6                # a confidence for a value whose evidence disagrees: below CHECK_BELOW


def _put_back_marks(found: _Found, doubt: Callable[[str], None]) -> None:
    """Undo the marks Tesseract misreads at full confidence, where independent evidence says
    which was meant, and have the clerk check: a summary or title word that makes a word with its
    neighbour only under the other mark ('Đấy mạnh'; lexicon.py), a name syllable that is a given
    name only under another tone ('Đúc'; names.py), a notation whose issuer abbreviation lost the
    bar of Đ ('SGDDT' under 'Sở Giáo dục và Đào tạo')."""
    f = found.f
    for key in ("summary", "signer_title", "issuer"):
        if f[key]:
            text, suspects = corrected(f[key])
            if suspects:
                f[key] = text
                doubt(key)
    if f["signer"]:
        f["signer"], doubtful = checked_name(f["signer"])
        if doubtful:
            doubt("signer")
    if f["notation"] and f["issuer"]:
        fixed = _notation_from_issuer(f["notation"], f["issuer"])
        if fixed != f["notation"]:
            f["reference"] = f["reference"][:len(f["reference"]) - len(f["notation"])] + fixed
            f["notation"] = fixed
            doubt("notation")
            doubt("reference")


def _notation_from_issuer(notation: str, issuer: str) -> str:
    """A notation part that spells the issuer's initials but for a D where they have Đ takes
    the initials' Đ: 'QĐ-SGDDT' under 'Sở Giáo dục và Đào tạo …' is 'QĐ-SGDĐT'."""
    initials = "".join(w[0].upper() for w in issuer.split() if w.lower() != "và" and w[0].isalpha())
    plain = initials.replace("Đ", "D")
    parts = notation.split("-")
    for i, part in enumerate(parts):
        at = plain.find(part) if len(part) >= 3 and "D" in part else -1
        if at >= 0:
            parts[i] = initials[at:at + len(part)]
    return "-".join(parts)


def _calibrate(found: _Found) -> None:
    """Lower the confidence of values whose evidence is doubtful: a word no Vietnamese spelling
    allows (a misread mark), a shape the field never has, two independent readings that
    disagree (the type heading vs the notation's type abbreviation, the place in the date line
    vs the issuer's locality), a date out of range."""
    f, c = found.f, found.c

    def doubt(key: str, level: float = DOUBT) -> None:
        c[key] = min(c[key], level)

    if found.ocr_text:
        _put_back_marks(found, doubt)
    for key in ("issuer", "summary", "signer", "signer_title", "place"):
        if f[key] and odd_words(f[key]):
            doubt(key)
    s = f["summary"]
    if s and (len(s) < 8 or len(s) > 350 or not s[:1].isupper() or re.search(r"[|_~{}\[\]<>]|--", s)):
        doubt("summary", 0.5)
    if s and (s.split()[-1].lower() in _DANGLING or s[-1] in ",-;:(" or
              re.search(r"\b(Căn cứ|Kính gửi|Điều \d)", s)):
        doubt("summary")                     # ends where no summary ends, or runs into the body
    if s and found.ocr_text and len(s.split()) > 6:
        # measured: a long line read by OCR carries a wrong tone mark now and then ('Đấy mạnh')
        # with word confidences as high as the right ones; nothing on the page can tell
        doubt("summary", 0.7)
    name = f["signer"]
    if name and fold(name.split()[0]) in SURNAME_BY_FOLD and name.split()[0] != SURNAME_BY_FOLD[fold(name.split()[0])]:
        # a surname is one of a short list: a mark misread in it ('Lầm') is put back, and the clerk
        # checks the rest of the name, read with the same eyes
        f["signer"] = name = " ".join([SURNAME_BY_FOLD[fold(name.split()[0])], *name.split()[1:]])
        doubt("signer")
    if name and (fold(name.split()[0]) not in SURNAMES or not 2 <= len(name.split()) <= 5
                 or min(len(w) for w in name.split()) < 2 or fold(name).lower().startswith(pl.TITLE_HEADS)
                 or any(f" {h} " in f" {fold(name).lower()} " for h in ("chu tich", "giam doc", "truong phong"))):
        doubt("signer")
    title = f["signer_title"]
    if title and _TITLE_BY_FOLD.get(_letters(title.removeprefix("Quyền "))) is None:
        doubt("signer_title", 0.7)
    if title and found.authority:
        # ND30: under 'KT. <head>' the deputy signs ('Phó …'); under 'TM. <body>' alone, the head
        deputy = fold(title).lower().startswith("pho ")
        kt = any(a.startswith("kt") for a in found.authority)
        if kt != deputy and not (not kt and any(a.startswith(("tl", "tuq")) for a in found.authority)):
            doubt("signer_title")
    if name is not None and c["signer"] < CHECK_BELOW and title:
        doubt("signer_title", 0.7)            # the block was read badly: its title too, likely
    iss = f["issuer"]
    central = iss and iss.startswith(("Bộ ", "Văn phòng Chính phủ", "Tổng cục "))
    if iss and not central and not any(f" {u} " in f" {iss.lower()} " for u in _ADMIN_UNITS):
        doubt("issuer", 0.7)
    # the place of the date line is the issuer's locality (ND30: the province, district or commune)
    loc = _issuer_locality(iss) if iss else None
    # a province name is one of a known list: a mark misread in it ('Trà Vĩnh') is put back
    if f["place"] and _PROVINCES.get(fold(f["place"]).lower()):
        f["place"] = _PROVINCES[fold(f["place"]).lower()]
    if loc and _PROVINCES.get(fold(loc).lower()) and " tỉnh " in f" {iss} ":
        best = _PROVINCES[fold(loc).lower()]
        f["issuer"], loc = iss[:len(iss) - len(loc)] + best, best
    if loc and f["place"] and _one_name(loc, f["place"]):
        # one name, read twice: the place line and the header; OCR glues words more often than it
        # splits them ('Tambình' / 'Tam Bình'): keep the reading with more words, else the more
        # confident one, in both, and have the clerk check
        if len(f["place"].split()) != len(loc.split()):
            best = f["place"] if len(f["place"].split()) > len(loc.split()) else loc
        else:
            best = f["place"] if c["place"] >= c["issuer"] else loc
        f["issuer"], f["place"] = f["issuer"][:len(f["issuer"]) - len(loc)] + best, best
        doubt("place")
        doubt("issuer")
        loc = best
    if loc and f["place"] and fold(loc) != fold(f["place"]):
        doubt("place")
        doubt("issuer")
    if f["notation"] and "-" not in f["notation"]:
        # ND30: a notation is the type's abbreviation (none for a Công văn) and the issuer's, joined by '-'
        doubt("notation")
        doubt("reference")
    # the type heading and the notation are two readings of the type
    if f["doc_type"] and f["notation"]:
        head = f["notation"].split("-")[0]
        abbr = DOC_TYPES.get(f["doc_type"])
        if (abbr and head != abbr) or (f["doc_type"] == "Công văn" and type_from_notation(f["notation"])):
            for key in ("doc_type", "notation", "reference"):
                doubt(key)
    if f["issued_on"]:
        y = int(f["issued_on"][:4])
        if not 1990 <= y <= clock.today().year + 1:
            doubt("issued_on")


def _one_name(a: str, b: str) -> bool:
    """The same place name up to marks, case and spaces."""
    return fold(a).lower().replace(" ", "") == fold(b).lower().replace(" ", "") and a != b


# provinces and centrally run cities (before and after the 2025 merger): a name read with a wrong
# mark in both the header and the date line ('Trà Vĩnh') is put back
PROVINCE_NAMES = [
    "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre", "Bình Dương",
    "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk", "Đắk Nông",
    "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương",
    "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu",
    "Lạng Sơn", "Lào Cai", "Lâm Đồng", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ",
    "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La",
    "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Huế", "Tiền Giang",
    "Thành phố Hồ Chí Minh", "Hồ Chí Minh", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái"]
_PROVINCES = {fold(n).lower(): n for n in PROVINCE_NAMES}


def _issuer_locality(issuer: str) -> str | None:
    """'Sở Y tế tỉnh Vĩnh Long' -> 'Vĩnh Long'; None when the name has no administrative unit."""
    low = f" {issuer.lower()} "
    best = None
    for unit in _ADMIN_UNITS:
        i = low.rfind(f" {unit} ")
        if i >= 0 and (best is None or i + len(unit) > best[0] + best[1]):
            best = (i, len(unit))
    if best is None:
        return None
    rest = issuer[best[0] + best[1] + 1:].strip()
    return rest or None


_ABBREV = {"ubnd": "ỦY BAN NHÂN DÂN", "hđnd": "HỘI ĐỒNG NHÂN DÂN", "tp": "THÀNH PHỐ", "tp.": "THÀNH PHỐ"}
_CONTINUES = ("và", "-", ",", "&")


def _expand(caps: str) -> str:
    return " ".join(_ABBREV.get(w.lower(), w) for w in caps.split())


def _locality(caps: str) -> str | None:
    """'UBND TỈNH SÓC TRĂNG' -> 'TỈNH SÓC TRĂNG' (the administrative unit and its name)."""
    words = _expand(caps).split()
    low = [w.lower() for w in words]
    for i in range(len(low)):
        two = " ".join(low[i:i + 2])
        if two in _ADMIN_UNITS and two != "thị xã" or low[i] in ("tỉnh", "huyện", "xã", "phường", "quận") or two == "thị xã":
            return " ".join(words[i:]) if len(words) > i + 1 else None
    return None


def full_issuer(parent: str, body: str) -> str:
    """The issuer written out in full from the two header lines, sentence case:
    ('UBND TỈNH SÓC TRĂNG', 'SỞ TÀI CHÍNH') -> 'Sở Tài chính tỉnh Sóc Trăng';
    ('ỦY BAN NHÂN DÂN TỈNH HẬU GIANG', 'VĂN PHÒNG') -> 'Văn phòng Ủy ban nhân dân tỉnh Hậu Giang';
    ('UBND HUYỆN CHÂU THÀNH', 'ỦY BAN NHÂN DÂN XÃ AN HIỆP') -> 'Ủy ban nhân dân xã An Hiệp'."""
    body = _expand(body)
    parent = _expand(parent) if parent else ""
    if _locality(body) or not parent:
        caps = body
    elif _letters(body) == "van phong":
        caps = f"{body} {parent}"
    else:
        loc = _locality(parent)
        caps = f"{body} {loc}" if loc else body
    return restore_org_words(sentence_case_org(caps))


_HEAD_WORDS = {"so": "Sở", "bo": "Bộ", "phong": "Phòng", "cuc": "Cục", "truong": "Trường", "vien": "Viện"}


def _complete_locality(name: str, place: str | None) -> str:
    """'… tỉnh Kiên' with the place 'Kiên Giang' (a wrapped header line lost in OCR) -> '… tỉnh Kiên Giang';
    and the head word's marks restored ('Sơ Tài chính' -> 'Sở Tài chính')."""
    words = name.split()
    if words and fold(words[0]) in _HEAD_WORDS:
        words[0] = _HEAD_WORDS[fold(words[0])]
    name = " ".join(words)
    if not place:
        return name
    place = place.strip()
    for unit in sorted(_ADMIN_UNITS, key=len, reverse=True):
        i = name.rfind(f" {unit} ")
        if i >= 0:
            loc = name[i + len(unit) + 2:]
            pf, lf = fold(place), fold(loc)
            if loc and pf != lf and pf.startswith(lf + " ") and len(place.split()) <= 4:
                # the place as printed in the date line, upper-cased like the header
                tail = nfc(place)
                return name[:i + len(unit) + 2] + " ".join(w[:1].upper() + w[1:] for w in tail.split())
            break
    return name


def _has_words(text: str) -> bool:
    """A line with at least one word that is a Vietnamese syllable or an acronym ('UBND')."""
    words = [w.strip(".,;:-") for w in text.split()]
    return any(w and w.isalpha() and (is_syllable(w) or (w.isupper() and len(w) >= 2 and not odd_words(w)))
               for w in words)


_UNITS_CAPS = {"tinh": "TỈNH", "huyen": "HUYỆN", "phuong": "PHƯỜNG", "quan": "QUẬN"}


def _unit_words(caps: str) -> str:
    """Administrative unit words of a header line as printed: a mark misread ('TÍNH' for 'TỈNH')
    or glued to the name ('TỈNHBẾN TRE')."""
    out = []
    for w in caps.split():
        if not any(ch.isdigit() or ch.isupper() or ch.islower() or ch in "-&,." for ch in w):
            continue                       # a lone accent read as a word ('ˆ')
        k = fold(w).lower()
        if k in _UNITS_CAPS and w.isupper():
            w = _UNITS_CAPS[k]
        else:
            for key, unit in _UNITS_CAPS.items():
                if k.startswith(key) and len(k) > len(key) + 1 and w.isupper() and not is_syllable(w):
                    w = unit + " " + w[len(key):]
                    break
        out.append(w)
    return " ".join(out)


def _issuer_lines(above: list[Line]) -> tuple[list[Line], list[Line]]:
    """Split the left header lines above the number into (parent lines, issuing body lines):
    the issuing body starts at the last line that opens an organization name."""
    start = 0
    for i, ln in enumerate(above):
        lt = ln.letters + " "
        if not any(lt.startswith(h) for h in _ORG_HEADS) or lt.startswith("ubnd"):
            continue
        if any(lt.startswith(h) and h.endswith(" ") and len(lt.split()) < 2 for h in _ORG_HEADS):
            continue           # a lone word such as 'TRƯỜNG' wrapped from the line above
        if i > 0 and above[i - 1].text.split()[-1].lower().strip() in _CONTINUES:
            continue
        start = i
    return above[:start], above[start:]


def _header(layout: PageLayout, found: _Found) -> None:
    f, c = found.f, found.c
    H = layout.height
    stamp = _stamp_region(layout, 0.45 * H)
    reg = pl.header_regions(layout, _TYPE_BY_LETTERS, inside=lambda ln: _inside(ln, stamp))
    if not reg.all_lines:
        return
    left, right, title, lines = reg.left, reg.right, reg.title, reg.all_lines
    split_x = reg.split_x
    header_bottom = max([ln.y1 for ln in left + right] or [0])

    # reference
    ref_line = None
    for ln in left:
        m = _REF.match(fold_chars(ln.text).replace(" :", ":"))
        if m:
            start = m.start(3)
            raw, used = ln.text[start:m.end(3)], [ln]
            if raw.endswith("-") and not ln.text[m.end(3):].strip():
                # a long reference wrapped in the narrow column: 'Số: 1989/2024/QĐ-' / 'SGDĐT'
                nxt = next((x for x in left if 0 <= x.y0 - ln.y1 < 1.5 * ln.height), None)
                if nxt is not None and re.fullmatch(r"[\w.-]{2,20}", nxt.text.strip()) and nxt.caps_ratio > 0.7:
                    raw, used = raw + nxt.text.strip(), [ln, nxt]
            notation = raw.strip(".-,_")       # OCR glues rule fragments: "PA-VP_"
            notation = fix_notation(re.sub(r"[.,;:]+$", "", notation))
            try:
                from ..domain.reference import check_notation
                notation = check_notation(notation)
            except Exception:
                continue
            ref_line = ln
            number = format_number(int(m.group(1)))
            conf = _ocr_conf(used)
            if "/" not in m.group(0)[m.end(1) - m.start():]:
                conf = min(conf, DOUBT)          # the slash was lost: the split is our guess
            found.put("number", number, conf, layout, [ln])
            found.put("notation", notation, conf, layout, used)
            found.put("reference", f"{number}/{m.group(2) + '/' if m.group(2) else ''}{notation}", conf, layout, used)
            break

    # V/v summary of a Công văn, and the boxed urgency / secrecy marks
    vv: list[Line] = []
    below_ref = [ln for ln in left if not ref_line or ln.y0 >= ref_line.y1 - 2]
    for i, ln in enumerate(below_ref):
        if _VV.match(ln.text):
            vv = [ln]
            for nxt in below_ref[i + 1:]:
                if nxt.y0 - vv[-1].y1 > 1.2 * ln.height or nxt.letters in _URGENCY or nxt.letters in _SECRECY \
                        or pl.is_rule(nxt):
                    break
                vv.append(nxt)
            break
    marks = left + right + [ln for ln in lines if header_bottom <= ln.y0 < header_bottom + 0.05 * H
                            and ln.cx < split_x]
    marks = [pl.Line(f"{a.text} {b.text}", min(a.x0, b.x0), a.y0, max(a.x1, b.x1), b.y1, min(a.conf, b.conf),
                     [*a.words, *b.words]) for a, b in zip(marks, marks[1:])
             if f"{a.letters} {b.letters}" in _URGENCY and 0 <= b.y0 - a.y1 < 1.5 * a.height] + marks
    for ln in marks:                       # a narrow box breaks 'THƯỢNG KHẨN' over two lines
        if ln.letters in _URGENCY and ln.caps_ratio > 0.6 and f["urgency"] is None:
            found.put("urgency", _URGENCY[ln.letters], _ocr_conf([ln]), layout, [ln])
        elif ln.letters in _SECRECY and ln.caps_ratio > 0.6 and f["secrecy"] is None:
            found.put("secrecy", _SECRECY[ln.letters], _ocr_conf([ln]), layout, [ln])

    # place and date of issue, right column (a line, else its row joined: OCR may cut it up)
    rows: list[list[Line]] = []
    for ln in right:
        if rows and abs((ln.y0 + ln.y1) / 2 - (rows[-1][-1].y0 + rows[-1][-1].y1) / 2) < 0.5 * ln.height:
            rows[-1].append(ln)
        else:
            rows.append([ln])
    joined = [pl.Line(" ".join(x.text for x in r), min(x.x0 for x in r), min(x.y0 for x in r),
                      max(x.x1 for x in r), max(x.y1 for x in r), sum(x.conf for x in r) / len(r),
                      [w for x in r for w in x.words]) for r in rows if len(r) > 1]
    pairs = [pl.Line(f"{a.text} {b.text}", min(a.x0, b.x0), a.y0, max(a.x1, b.x1), b.y1, (a.conf + b.conf) / 2,
                     [*a.words, *b.words]) for a, b in zip(right, right[1:]) if 0 <= b.y0 - a.y1 < 1.5 * a.height]
    for ln in right + joined + pairs:      # a long place name pushes the year to the next line
        folded = fold_chars(ln.text)
        m = _DATE.search(folded)
        if not m:
            continue
        try:
            d = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            continue
        found.put("issued_on", d.isoformat(), _ocr_conf([ln]), layout, [ln])
        place = ln.text[:m.start()].split(",")[0].strip(" ,.;:")
        if place and len(place) <= 100 and any(ch.isalpha() for ch in place):
            found.put("place", place, _ocr_conf([ln], 0.95), layout, [ln])
        break

    # issuer: the left lines above the reference: parent body, then the issuing body
    above = [ln for ln in left if (ref_line and ln.y1 <= ref_line.y0 + 2) or
             (not ref_line and not _VV.match(ln.text) and ln.caps_ratio > 0.7)]
    above = [ln for ln in above if ln.caps_ratio > 0.7 and ln.letters not in _URGENCY
             and ln.letters not in _SECRECY and not pl.is_rule(ln)]
    if above:                              # a rule or a seal read as marks ('¬......Ô.,ÔỎ', 'ÔÔỎ')
        tall = sorted(ln.height for ln in above)[len(above) // 2]
        above = [ln for ln in above if ln.height >= 0.4 * tall and _has_words(ln.text)]
    if above:
        parent, body = _issuer_lines(above)

        def clean(ls: list[pl.Line]) -> str:
            # a mark OCR could not read ('-' at confidence 0 before 'GIANG', a speck of the rule)
            # is no dash of the name
            text = " ".join(" ".join(w.text for w in ln.words if w.conf >= 30 or any(ch.isalnum() for ch in w.text))
                            if ln.words else ln.text for ln in ls)
            return _unit_words(re.sub(r"(?<=\w)\s*-\s*(?=\w{2})|\s-(?=\w)|(?<=\w)-\s", " - ", re.sub(
                r"[^\w\s,&.-]|_", "", text)).strip(" ."))
        if clean(body):
            name = full_issuer(clean(parent), clean(body))
            found.put("issuer", _complete_locality(name, f["place"]),
                      _ocr_conf(above, 0.95 if ref_line else 0.6), layout, above)

    # document type and summary
    if title is not None:
        found.put("doc_type", _TYPE_BY_LETTERS[title.letters], _ocr_conf([title]), layout, [title])
        if reg.summary:
            found.put("summary", join_lines([ln.text for ln in reg.summary]), _ocr_conf(reg.summary), layout,
                      reg.summary)
    elif vv:
        found.put("doc_type", "Công văn", _ocr_conf(vv, 0.9), layout, vv)
    elif f["notation"]:
        t = type_from_notation(f["notation"])
        found.put("doc_type", t or "Công văn", c["notation"] * (0.8 if t else 0.5))
    _cross_check_notation(f)
    if vv:
        text = join_lines([ln.text for ln in vv])
        found.put("summary", _VV.sub("", text, count=1).strip(), _ocr_conf(vv), layout, vv)
    if f["summary"]:
        f["summary"] = _fix_case(re.sub(r"\s+([,.;:])", r"\1", f["summary"]).strip()[:500])


def join_lines(texts: list[str]) -> str:
    """Lines of a paragraph: a line broken after a hyphen inside a word ('2025-' / '2026') joins
    without a space."""
    out = ""
    for t in texts:
        t = t.strip()
        if out.endswith("-") and len(out) > 1 and out[-2].isalnum():
            out += t
        else:
            out = f"{out} {t}" if out else t
    return out


def _fix_case(summary: str) -> str:
    """A summary is in sentence case: a capitalized word carrying a tone mark ('SỐ'), which is no
    acronym (those are unmarked or only have Đ: UBND, HĐND), was misread by OCR: lower it."""
    words = summary.split()
    if sum(w.isupper() for w in words) > len(words) / 2:
        return summary
    out = []
    for i, w in enumerate(words):
        core = w.strip(",.;:()")
        if i > 0 and len(core) >= 2 and core.isupper() and any(fold(ch) != ch.lower() and ch not in "Đđ" for ch in core):
            w = w.lower()
        out.append(w)
    return " ".join(out)


def _signature(layouts: list[PageLayout], found: _Found) -> None:
    """The leader's signing block, on whatever page it is: [TM./KT. ...] TITLE, signature, Name."""
    block = pl.leader_block(layouts)
    if block is None:
        return
    lay = next(lay for lay in layouts if lay.number == block.page)
    tl = block.title_lines
    found.authority = [fold_chars(a).lower() for a in block.authority]
    raw = " ".join(ln.text for ln in tl)
    m = pl.AUTHORITY.match(fold_chars(raw))
    acting = m is not None and m.group(1).lower() == "q"
    raw = re.sub(r"[^\w\s-]", "", raw[m.end():] if m else raw).strip()
    if raw:
        t = sentence_case_title(raw)
        tlay = next((x for x in layouts if any(ln is tl[-1] for ln in x.lines)), lay)
        found.put("signer_title", ("Quyền " + t) if acting else t, _ocr_conf(tl), tlay,
                  [ln for ln in tl if any(ln is y for y in tlay.lines)])
    if block.name is not None:
        nlay = next(lay for lay in layouts if lay.number == block.name_page)
        found.put("signer", pl.person_name(block.name.text), _ocr_conf([block.name]), nlay, [block.name])
