"""Suggested register fields from the layout of a Vietnamese administrative document
(ND30, Appendix I), read from word boxes:

  left header column: parent body, issuer, "Số: 1007/QĐ-UBND", "V/v ..." (Công văn), boxed marks
  right header column: national motto, "Sóc Trăng, ngày 05 tháng 4 năm 2019"
  centred: type name, summary        last page, right: authority, title, [signature], name

Never invents: a field not found on the page is None with confidence 0. The receiving
office's "ĐẾN" stamp and the "Nơi nhận" list are masked out before anything is read."""
from __future__ import annotations

import re
from datetime import date

from ..domain.doctypes import DOC_TYPES, type_from_notation
from ..domain.reference import format_number
from ..domain.text import fold, nfc
from .layout import Line, PageLayout, fold_chars

FIELDS = ("reference", "number", "notation", "issued_on", "place", "issuer", "doc_type", "summary",
          "signer", "signer_title", "urgency", "secrecy")

_TYPE_BY_LETTERS = {fold(name): name for name in DOC_TYPES}
_URGENCY = {"khan": "Khẩn", "thuong khan": "Thượng khẩn", "hoa toc": "Hỏa tốc",
            "hoa toc hen gio": "Hỏa tốc hẹn giờ"}
_SECRECY = {"mat": "Mật", "toi mat": "Tối mật", "tuyet mat": "Tuyệt mật"}
_REF = re.compile(r"^s[o6]\s*[:;.,]?\s*(\d{1,7})\s*/\s*(?:((?:19|20)\d{2})\s*/\s*)?([\w\-.]{1,30})", re.I)
_VV = re.compile(r"^v\s*[/|l1i]\s*[vy]\s*[:.,]?\s+", re.I)
_DATE = re.compile(r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*((?:19|20)\d{2})")
_AUTH_PREFIX = re.compile(r"^(tm|kt|tl|tuq|q)\s*[.,]\s*", re.I)
_ORG_HEADS = ("uy ban", "ubnd", "so ", "phong ", "ban ", "bo ", "cuc ", "chi cuc", "trung tam", "van phong",
              "hoi dong", "thanh tra", "truong ", "benh vien", "tong cuc", "vien ", "ho so", "dang uy",
              "cong an", "kho bac", "chi nhanh", "doan ", "lien doan", "hoi ", "ngan hang")
_ADMIN_UNITS = ("tỉnh", "huyện", "xã", "phường", "quận", "thị xã", "thị trấn", "thành phố")
_TITLE_WORDS = ("chu tich", "giam doc", "truong phong", "chanh van phong", "truong ban", "cuc truong",
                "bo truong", "thu truong", "chanh thanh tra", "hieu truong", "tong giam doc", "vien truong",
                "bi thu", "thu tuong", "pho ", "chanh an", "vien truong", "truong ")


def _conf(lines, factor: float = 1.0) -> float:
    ws = [w.conf for l in lines for w in l.words] or [l.conf for l in lines]
    if not ws:
        return 0.0
    return round(max(0.0, min(1.0, sum(ws) / len(ws) / 100 * factor)), 2)


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
    heads = {"sở", "phòng", "ban", "bộ", "cục", "chi cục", "trung tâm", "văn phòng", "thanh tra", "viện"}
    for n in (2, 1):
        if " ".join(words[:n]) in heads and len(words) > n and words[n] not in _ADMIN_UNITS:
            out[n] = out[n][:1].upper() + out[n][1:]
            for k in range(n + 1, len(words) - 1):
                if words[k] in ("và", ",") and words[k + 1] not in _ADMIN_UNITS:
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
    known = _TITLE_BY_FOLD.get(_letters(caps))
    if known:
        return known
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


def _cross_check_notation(f: dict) -> None:
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


def _person_name(text: str) -> str | None:
    words = [w.strip(".,;:'\"|") for w in nfc(text).split()]
    words = [w for w in words if w]
    if not 2 <= len(words) <= 6 or not all(w.isalpha() for w in words):
        return None
    if not all(w[0].isupper() for w in words):
        return None
    return " ".join(w[0] + w[1:].lower() for w in words)


class _Page:
    """Geometry helpers over one page's lines."""

    def __init__(self, layout: PageLayout):
        self.l = layout
        self.W, self.H = layout.width, layout.height
        self.lines = [l for l in layout.lines if l.conf > 20 or len(l.words) > 2]

    def centered(self, line: Line, text_cx: float, tol: float = 0.06) -> bool:
        return abs(line.cx - text_cx) < tol * self.W


def _stamp_region(p: _Page, limit_y: float):
    """The receiving office's stamp: a line reading just 'ĐẾN' in the upper part of page 1."""
    for line in p.lines:
        if line.y0 < limit_y and line.letters == "den" and line.height > 0.006 * p.H:
            # the box: about two short lines (the office's name) above ĐẾN, Số / Ngày / Chuyển below
            return (line.cx - 0.15 * p.W, line.y0 - 0.03 * p.H, line.cx + 0.15 * p.W, line.y0 + 0.105 * p.H)
    return None


def _inside(line: Line, box) -> bool:
    return box is not None and box[0] <= line.cx <= box[2] and box[1] <= (line.y0 + line.y1) / 2 <= box[3]


def extract_fields(layouts: list[PageLayout], pages: int | None = None, text: str | None = None) -> dict:
    """Suggested fields from page layouts (page 1 first; the last page holds the signature
    block). Returns the keys of `vanthu extract --json`, `confidence` included."""
    fields = {k: None for k in FIELDS}
    conf = {k: 0.0 for k in FIELDS}
    layouts = [l for l in layouts if l is not None]
    if not layouts:
        return _finish(fields, conf, pages or 0, text or "")
    first = _Page(layouts[0])
    _header(first, fields, conf)
    last = _Page(layouts[-1]) if len(layouts) > 1 else first
    _signature(last, fields, conf, first_page=last is first)
    if text is None:
        text = "\n\n".join("\n".join(l.text for l in lay.lines) for lay in layouts)
    return _finish(fields, conf, pages if pages is not None else len(layouts), text)


def _finish(fields, conf, pages, text) -> dict:
    for k in FIELDS:
        if fields[k] is None:
            conf[k] = 0.0
    fields["pages"] = pages
    fields["text"] = text
    fields["confidence"] = conf
    return fields


def _header(p: _Page, f: dict, c: dict) -> None:
    lines = p.lines
    if not lines:
        return
    motto = next((l for l in lines if "cong hoa xa hoi" in l.letters or "doc lap tu do" in l.letters), None)
    split_x = motto.x0 - 0.02 * p.W if motto and motto.x0 > 0.35 * p.W else 0.48 * p.W
    top_zone = 0.45 * p.H
    # the type title: a centred line that is exactly a type name
    text_cx = (min(l.x0 for l in lines) + max(l.x1 for l in lines)) / 2
    title = None
    for l in lines:
        if l.y0 > top_zone:
            break
        name = _TYPE_BY_LETTERS.get(l.letters)
        if name and l.caps_ratio > 0.7 and p.centered(l, text_cx, 0.12) and (not motto or l.y0 > motto.y1):
            title = l
            break
    stamp = _stamp_region(p, top_zone)
    header_bottom = title.y0 if title else top_zone
    body = next((l for l in lines if (not motto or l.y0 > motto.y1) and l.y0 < header_bottom
                 and (l.x1 - l.x0 > 0.55 * p.W or l.letters.startswith("kinh gui"))), None)
    if body is not None:
        header_bottom = body.y0
    header = [l for l in lines if l.y1 <= header_bottom + 2 and not _inside(l, stamp)]
    left = [l for l in header if l.cx < split_x and l.x1 < split_x + 0.1 * p.W]
    right = [l for l in header if l.cx >= split_x]

    # reference
    ref_line = None
    for l in left:
        m = _REF.match(fold_chars(l.text).replace(" :", ":"))
        if m:
            ref_line = l
            start = m.start(3)
            notation = l.text[start:m.end(3)].strip(".-,")
            notation = fix_notation(re.sub(r"[.,;:]+$", "", notation))
            try:
                from ..domain.reference import check_notation
                notation = check_notation(notation)
            except Exception:
                continue
            number = format_number(int(m.group(1)))
            f["number"], f["notation"] = number, notation
            f["reference"] = f"{number}/{m.group(2) + '/' if m.group(2) else ''}{notation}"
            c["reference"] = c["number"] = c["notation"] = _conf([l])
            break

    # V/v summary of a Công văn, and the boxed urgency / secrecy marks
    vv = []
    below_ref = [l for l in left if not ref_line or l.y0 >= ref_line.y1 - 2]
    for i, l in enumerate(below_ref):
        if _VV.match(l.text):
            vv = [l]
            for nxt in below_ref[i + 1:]:
                if nxt.y0 - vv[-1].y1 > 1.2 * l.height or nxt.letters in _URGENCY or nxt.letters in _SECRECY:
                    break
                vv.append(nxt)
            break
    for l in header + [l for l in lines if header_bottom <= l.y0 < header_bottom + 0.05 * p.H
                       and l.cx < split_x]:
        if _inside(l, stamp):
            continue
        if l.letters in _URGENCY and l.caps_ratio > 0.6 and f["urgency"] is None:
            f["urgency"], c["urgency"] = _URGENCY[l.letters], _conf([l])
        elif l.letters in _SECRECY and l.caps_ratio > 0.6 and f["secrecy"] is None:
            f["secrecy"], c["secrecy"] = _SECRECY[l.letters], _conf([l])

    # issuer: the left lines above the reference, from the last organization head onwards
    above = [l for l in left if (ref_line and l.y1 <= ref_line.y0 + 2) or
             (not ref_line and not _VV.match(l.text) and l.caps_ratio > 0.7)]
    above = [l for l in above if l.caps_ratio > 0.7 and l.letters not in _URGENCY and l.letters not in _SECRECY]
    if above:
        start = 0
        for i, l in enumerate(above):
            lt = l.letters + " "
            if any(lt.startswith(h) for h in _ORG_HEADS) and not lt.startswith("ubnd"):
                start = i
        chosen = above[start:]
        caps = " ".join(l.text for l in chosen)
        caps = re.sub(r"[^\w\s,&-]", "", caps).strip()
        if caps:
            f["issuer"] = restore_org_words(sentence_case_org(caps))
            c["issuer"] = _conf(chosen, 0.95 if ref_line else 0.6)

    # place and date of issue, right column
    for l in right:
        folded = fold_chars(l.text)
        m = _DATE.search(folded)
        if not m:
            continue
        try:
            d = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            continue
        f["issued_on"], c["issued_on"] = d.isoformat(), _conf([l])
        place = l.text[:m.start()].strip(" ,.;:")
        if place and len(place) <= 100 and any(ch.isalpha() for ch in place):
            f["place"], c["place"] = place, _conf([l], 0.95)
        break

    # document type and summary
    if title is not None:
        f["doc_type"], c["doc_type"] = _TYPE_BY_LETTERS[title.letters], _conf([title])
        after = [l for l in lines if l.y0 >= title.y1 - 2 and not _inside(l, stamp)]
        summary, prev = [], title
        text_left = min(l.x0 for l in lines)
        text_w = max(l.x1 for l in lines) - text_left
        for l in after:
            if l.x0 < text_left + 0.07 * text_w:   # a body line starts at the margin or indent
                break
            gap = l.y0 - prev.y1
            if gap > 1.6 * max(prev.height, l.height) or l.caps_ratio > 0.7:
                break
            if not p.centered(l, text_cx, 0.1) or l.letters.startswith(("kinh gui", "can cu")):
                break
            summary.append(l)
            prev = l
        if summary:
            f["summary"] = " ".join(l.text for l in summary)
            c["summary"] = _conf(summary)
    elif vv:
        f["doc_type"], c["doc_type"] = "Công văn", _conf(vv, 0.9)
    elif f["notation"]:
        t = type_from_notation(f["notation"])
        f["doc_type"] = t or "Công văn"
        c["doc_type"] = round(c["notation"] * (0.8 if t else 0.5), 2)
    _cross_check_notation(f)
    if vv:
        text = " ".join(l.text for l in vv)
        f["summary"] = _VV.sub("", text, count=1).strip()
        c["summary"] = _conf(vv)
    if f["summary"]:
        f["summary"] = re.sub(r"\s+([,.;:])", r"\1", f["summary"]).strip()[:500]


def _signature(p: _Page, f: dict, c: dict, first_page: bool) -> None:
    """The signing block: right half, below the body: [TM./KT. ...] TITLE, signature, Name."""
    lines = [l for l in p.lines if l.cx > 0.5 * p.W and l.y0 > (0.3 if first_page else 0.0) * p.H]
    block_start = None
    for i, l in enumerate(lines):
        lt = l.letters
        if l.caps_ratio > 0.7 and (_AUTH_PREFIX.match(fold_chars(l.text)) or lt.startswith(_TITLE_WORDS)) \
                and len(lt) < 60:
            block_start = i
    if block_start is None:
        return
    # walk up over the contiguous caps lines (TM. ..., KT. ...), then down to the title
    i = block_start
    while i > 0 and lines[i - 1].caps_ratio > 0.7 and lines[i].y0 - lines[i - 1].y1 < 1.0 * lines[i].height \
            and abs(lines[i - 1].cx - lines[i].cx) < 0.12 * p.W:
        i -= 1
    block = lines[i:block_start + 1]
    title_line = block[-1]
    title = _AUTH_PREFIX.sub("", fold_chars(title_line.text))
    raw = title_line.text[len(title_line.text) - len(title):].strip(" .,|")
    raw = re.sub(r"[^\w\s]", "", raw).strip()
    if raw:
        f["signer_title"], c["signer_title"] = sentence_case_title(raw), _conf([title_line])
    for l in lines[block_start + 1:]:
        if l.y0 - title_line.y1 > 0.25 * p.H:
            break
        if abs(l.cx - title_line.cx) > 0.15 * p.W or l.caps_ratio > 0.7:
            continue
        name = _person_name(l.text)
        if name and l.conf > 40:
            f["signer"], c["signer"] = name, _conf([l])
            break
