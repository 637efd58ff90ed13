"""Realistic Vietnamese administrative documents (ND30 layout) rendered as scan-like images,
with the ground truth the extractor should find.

    from tests.corpus.generate import make_document, degrade, write_document
    doc = make_document(seed=7)            # doc.truth: dict, doc.pages: list of PIL images (L, 300 dpi)
    files = write_document(doc, folder, fmt="jpg", scanned=True)

Deterministic for a seed. Dates are always in the past (the register refuses future dates).
"""
from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

DPI = 300
MM = DPI / 25.4
W, H = round(210 * MM), round(297 * MM)
LEFT, RIGHT, TOP, BOTTOM = round(30 * MM), W - round(15 * MM), round(20 * MM), H - round(20 * MM)
FONT_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"


def _pt(size: float) -> int:
    return round(size / 72 * DPI)


_FONTS: dict = {}


def font(style: str = "", size: float = 13):
    key = (style, size)
    if key not in _FONTS:
        name = {"": "Regular", "b": "Bold", "i": "Italic", "bi": "BoldItalic"}[style]
        _FONTS[key] = ImageFont.truetype(str(FONT_DIR / f"LiberationSerif-{name}.ttf"), _pt(size))
    return _FONTS[key]


# Issuers: (parent lines, issuer lines as printed, issuer in full in sentence case (a department
#           under a province carries the province's name), notation suffix,
#           place, authority lines (head, deputy) and signer title as printed / sentence case)
ISSUERS = [
    dict(parent=[], lines=["ỦY BAN NHÂN DÂN", "TỈNH SÓC TRĂNG"], name="Ủy ban nhân dân tỉnh Sóc Trăng",
         code="UBND", place="Sóc Trăng", org="ỦY BAN NHÂN DÂN", head="CHỦ TỊCH", deputy="PHÓ CHỦ TỊCH",
         authority="CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH SÓC TRĂNG"),
    dict(parent=[], lines=["ỦY BAN NHÂN DÂN", "TỈNH HẬU GIANG"], name="Ủy ban nhân dân tỉnh Hậu Giang",
         code="UBND", place="Hậu Giang", org="ỦY BAN NHÂN DÂN", head="CHỦ TỊCH", deputy="PHÓ CHỦ TỊCH",
         authority="CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HẬU GIANG"),
    dict(parent=["UBND TỈNH SÓC TRĂNG"], lines=["SỞ TÀI CHÍNH"], name="Sở Tài chính tỉnh Sóc Trăng",
         code="STC", place="Sóc Trăng", org=None, head="GIÁM ĐỐC", deputy="PHÓ GIÁM ĐỐC",
         authority="GIÁM ĐỐC SỞ TÀI CHÍNH"),
    dict(parent=["UBND TỈNH HẬU GIANG"], lines=["SỞ GIÁO DỤC VÀ ĐÀO TẠO"], name="Sở Giáo dục và Đào tạo tỉnh Hậu Giang",
         code="SGDĐT", place="Hậu Giang", org=None, head="GIÁM ĐỐC", deputy="PHÓ GIÁM ĐỐC",
         authority="GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO"),
    dict(parent=["UBND TỈNH CÀ MAU"], lines=["SỞ TÀI NGUYÊN VÀ", "MÔI TRƯỜNG"],
         name="Sở Tài nguyên và Môi trường tỉnh Cà Mau", code="STNMT", place="Cà Mau", org=None, head="GIÁM ĐỐC",
         deputy="PHÓ GIÁM ĐỐC", authority="GIÁM ĐỐC SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG"),
    dict(parent=[], lines=["ỦY BAN NHÂN DÂN", "HUYỆN CHÂU THÀNH"], name="Ủy ban nhân dân huyện Châu Thành",
         code="UBND", place="Châu Thành", org="ỦY BAN NHÂN DÂN", head="CHỦ TỊCH", deputy="PHÓ CHỦ TỊCH",
         authority="CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN CHÂU THÀNH"),
    dict(parent=["UBND HUYỆN CHÂU THÀNH"], lines=["ỦY BAN NHÂN DÂN", "XÃ AN HIỆP"],
         name="Ủy ban nhân dân xã An Hiệp", code="UBND", place="An Hiệp", org="ỦY BAN NHÂN DÂN",
         head="CHỦ TỊCH", deputy="PHÓ CHỦ TỊCH", authority="CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ AN HIỆP"),
    dict(parent=["UBND HUYỆN MỸ XUYÊN"], lines=["PHÒNG NỘI VỤ"], name="Phòng Nội vụ huyện Mỹ Xuyên",
         code="PNV", place="Mỹ Xuyên", org=None, head="TRƯỞNG PHÒNG", deputy="PHÓ TRƯỞNG PHÒNG",
         authority="TRƯỞNG PHÒNG NỘI VỤ"),
]

TITLES = {"CHÁNH VĂN PHÒNG": "Chánh Văn phòng", "CHỦ TỊCH": "Chủ tịch", "PHÓ CHỦ TỊCH": "Phó Chủ tịch", "GIÁM ĐỐC": "Giám đốc",
          "PHÓ GIÁM ĐỐC": "Phó Giám đốc", "TRƯỞNG PHÒNG": "Trưởng phòng",
          "PHÓ TRƯỞNG PHÒNG": "Phó Trưởng phòng"}

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lâm"]
MIDDLE = ["Văn", "Thị", "Hoàng", "Minh", "Thanh", "Quốc", "Ngọc", "Hữu", "Thành", "Kim"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hùng", "Hạnh", "Khoa", "Lộc", "Nghĩa", "Phúc", "Quang", "Sơn",
         "Tâm", "Thảo", "Trí", "Tuấn", "Việt", "Xuân", "Hiếu", "Đức"]

SUBJECTS = [
    "tăng cường công tác phòng, chống thiên tai năm {y}",
    "triển khai thực hiện chuyển đổi số trong cơ quan nhà nước",
    "kiện toàn Ban Chỉ đạo cải cách hành chính của tỉnh",
    "tổ chức kỳ thi tuyển sinh lớp 10 năm học {y}-{y1}",
    "quản lý, sử dụng tài sản công tại các cơ quan, đơn vị",
    "thực hiện chế độ báo cáo thống kê định kỳ",
    "phân bổ kinh phí sự nghiệp môi trường năm {y}",
    "đẩy mạnh thực hiện thủ tục hành chính trên môi trường điện tử",
    "công tác bảo vệ rừng và phòng cháy, chữa cháy rừng mùa khô",
    "tiếp nhận và xử lý phản ánh, kiến nghị của người dân",
    "sắp xếp đơn vị hành chính cấp xã giai đoạn {y}-{y1}",
    "kiểm tra công tác văn thư, lưu trữ tại các cơ quan",
]

LONG_SUBJECTS = [
    "tăng cường trách nhiệm của người đứng đầu cơ quan, đơn vị trong việc tiếp nhận, xử lý văn bản điện tử "
    "và thực hiện ký số trên hệ thống quản lý văn bản, điều hành",
    "tổ chức triển khai thi hành Luật Lưu trữ và các văn bản quy định chi tiết trên địa bàn tỉnh năm {y}",
]

SENTENCES = [
    "Các cơ quan, đơn vị có trách nhiệm triển khai thực hiện nghiêm túc nội dung này.",
    "Thủ trưởng các sở, ban, ngành tỉnh chịu trách nhiệm tổ chức thực hiện và báo cáo kết quả đúng thời hạn.",
    "Giao Văn phòng Ủy ban nhân dân tỉnh theo dõi, đôn đốc và tổng hợp tình hình thực hiện.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị phản ánh kịp thời để được hướng dẫn.",
    "Kinh phí thực hiện được bố trí từ nguồn ngân sách nhà nước theo phân cấp hiện hành.",
    "Ủy ban nhân dân các huyện, thị xã, thành phố chủ động xây dựng kế hoạch cụ thể phù hợp với tình hình địa phương.",
    "Việc tổ chức thực hiện phải bảo đảm tiết kiệm, hiệu quả, đúng quy định của pháp luật.",
    "Các đơn vị gửi báo cáo về Sở Nội vụ trước ngày 15 hằng tháng để tổng hợp, báo cáo cấp có thẩm quyền.",
    "Tăng cường kiểm tra, giám sát việc chấp hành kỷ luật, kỷ cương hành chính của cán bộ, công chức.",
    "Đẩy mạnh ứng dụng công nghệ thông tin trong xử lý hồ sơ công việc và thủ tục hành chính.",
    "Người đứng đầu cơ quan, đơn vị chịu trách nhiệm trước Chủ tịch Ủy ban nhân dân tỉnh về kết quả thực hiện.",
    "Quyết định này có hiệu lực kể từ ngày ký ban hành.",
    "Tổ chức tuyên truyền, phổ biến rộng rãi đến cán bộ, công chức, viên chức và Nhân dân trên địa bàn.",
    "Rà soát, đánh giá kết quả thực hiện nhiệm vụ năm trước, đề xuất giải pháp khắc phục hạn chế.",
]

# type name as printed, type name, summary prefix, abbreviation
TYPES = [
    ("QUYẾT ĐỊNH", "Quyết định", "Về việc ", "QĐ"),
    ("CÔNG VĂN", "Công văn", "", None),
    ("THÔNG BÁO", "Thông báo", "Về việc ", "TB"),
    ("KẾ HOẠCH", "Kế hoạch", "", "KH"),
    ("TỜ TRÌNH", "Tờ trình", "Về việc ", "TTr"),
    ("GIẤY MỜI", "Giấy mời", "Dự hội nghị về ", "GM"),
]


@dataclass
class Doc:
    seed: int
    truth: dict
    pages: list = field(default_factory=list)
    stamp: dict | None = None
    page_lines: list = field(default_factory=list)   # per page: every text line drawn (ground truth)


class _Canvas:
    def __init__(self):
        self.img = Image.new("RGB", (W, H), "white")
        self.d = ImageDraw.Draw(self.img)
        self.lines = []

    def text(self, x, y, s, f, anchor="la", fill="black"):
        self.d.text((x, y), s, font=f, fill=fill, anchor=anchor)
        self.lines.append(s)
        return y + round(f.size * 1.25)

    def centered(self, cx, y, s, f, fill="black"):
        return self.text(cx, y, s, f, anchor="ma", fill=fill)


def wrap(s: str, f, width: int) -> list[str]:
    words, lines, cur = s.split(), [], ""
    for w in words:
        t = (cur + " " + w).strip()
        if f.getlength(t) <= width or not cur:
            cur = t
        else:
            lines.append(cur)
            cur = w
    if cur:
        lines.append(cur)
    return lines


def _sentence_case_first(s: str) -> str:
    return s[:1].upper() + s[1:]


def make_document(seed: int, doc_type: str | None = None, urgency: str | None = None,
                  secrecy: str | None = None, pages: int | None = None, stamp: bool | None = None,
                  color: bool = False) -> Doc:
    rng = random.Random(seed)
    tname_caps, tname, prefix, abbr = next(t for t in TYPES if t[1] == doc_type) if doc_type \
        else TYPES[seed % len(TYPES)]
    iss = rng.choice(ISSUERS)
    number = rng.choice([rng.randint(1, 9), rng.randint(10, 99), rng.randint(100, 2999)])
    unit = rng.choice(["VX", "KT", "NC", "TH", "VP"])
    notation = f"{abbr}-{iss['code']}" if abbr else f"{iss['code']}-{unit}"
    ref = f"{number:02d}/{notation}"
    issued = date(2024, 1, 2) + timedelta(days=rng.randint(0, 600))
    y = issued.year
    subject = rng.choice(SUBJECTS).format(y=y, y1=y + 1)
    vr = random.Random(seed * 1009 + 17)      # variants, apart from the main sequence
    if vr.random() < 0.2:
        subject = vr.choice(LONG_SUBJECTS).format(y=y)
    by_office = bool(iss["org"]) and vr.random() < 0.2       # TL. CHỦ TỊCH / CHÁNH VĂN PHÒNG
    stamp_right = vr.random() < 0.4
    summary = _sentence_case_first(prefix + subject) if tname != "Công văn" else _sentence_case_first(subject)
    if urgency is None and seed % 5 == 1:
        urgency = rng.choice(["Khẩn", "Thượng khẩn", "Hỏa tốc"])
    npages = pages or (1 + seed % 3)
    with_stamp = (seed % 2 == 0) if stamp is None else stamp
    deputy = rng.random() < 0.6
    title_caps = iss["deputy"] if deputy else iss["head"]
    signer = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    if by_office:
        deputy, title_caps = False, "CHÁNH VĂN PHÒNG"
    truth = dict(reference=ref, number=f"{number:02d}", notation=notation, issued_on=issued.isoformat(),
                 place=iss["place"], issuer=iss["name"], doc_type=tname, summary=summary, signer=signer,
                 signer_title=TITLES[title_caps], urgency=urgency, secrecy=secrecy, pages=npages)
    doc = Doc(seed, truth)

    body = [rng.choice(SENTENCES) for _ in range(rng.randint(4, 7))]
    pages_img = []
    c = _Canvas()
    f13, b13, i14, b14, b13s = font("", 13), font("b", 13), font("i", 14), font("b", 14), font("b", 12)
    left_cx = LEFT + round(0.22 * (RIGHT - LEFT))
    right_cx = LEFT + round(0.70 * (RIGHT - LEFT))
    left_w = round(0.44 * (RIGHT - LEFT))
    # left header column
    yl = TOP
    for line in iss["parent"]:
        yl = c.centered(left_cx, yl, line, f13)
    for line in iss["lines"]:
        yl = c.centered(left_cx, yl, line, b13)
    rule = round(f13.size * 2.2)
    c.d.line((left_cx - rule, yl + 8, left_cx + rule, yl + 8), fill="black", width=3)
    yl += 30
    yl = c.centered(left_cx, yl, f"Số: {ref}", f13)
    if tname == "Công văn":
        for line in wrap("V/v " + summary, font("", 12), left_w - 40):
            yl = c.centered(left_cx, yl, line, font("", 12))
    for mark in (urgency, secrecy):
        if mark:
            yl += 25
            s = mark.upper()
            tw = b14.getlength(s)
            c.d.rectangle((left_cx - tw / 2 - 25, yl - 12, left_cx + tw / 2 + 25, yl + b14.size + 18),
                          outline="black", width=4)
            yl = c.centered(left_cx, yl, s, b14) + 15
    # right header column
    yr = TOP
    yr = c.centered(right_cx, yr, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", b13s)
    yr = c.centered(right_cx, yr, "Độc lập - Tự do - Hạnh phúc", b14)
    mw = b14.getlength("Độc lập - Tự do - Hạnh phúc") / 2
    c.d.line((right_cx - mw, yr + 2, right_cx + mw, yr + 2), fill="black", width=3)
    yr += 45
    # ND30: a leading zero for days below 10 and for months 1 and 2
    day = f"{issued.day:02d}" if issued.day < 10 else str(issued.day)
    month = f"{issued.month:02d}" if issued.month < 3 else str(issued.month)
    yr = c.centered(right_cx, yr, f"{iss['place']}, ngày {day} tháng {month} năm {y}", i14)
    y0 = max(yl, yr) + 60
    if with_stamp:
        sx0 = right_cx - round(25 * MM) if stamp_right else None
        y0 = _stamp(c, rng, iss, (yr + 40) if stamp_right else y0, issued, doc, sx0)
        y0 = max(y0, yl) + 40
    cx = (LEFT + RIGHT) // 2
    ytext = y0
    if tname != "Công văn":
        ytext = c.centered(cx, ytext, tname_caps, font("b", 14)) + 5
        for line in wrap(summary, b14, round(0.8 * (RIGHT - LEFT))):
            ytext = c.centered(cx, ytext, line, b14)
        ytext += 40
        if tname == "Quyết định":
            ytext = c.centered(cx, ytext, iss["authority"], b14) + 20
    if tname in ("Công văn", "Tờ trình"):
        ytext = c.centered(cx, ytext, "Kính gửi: Ủy ban nhân dân tỉnh", f13) + 30

    # body paragraphs, flowing over pages
    page_no = 1
    bf = font("", 14)
    line_h = round(bf.size * 1.45)
    paragraphs = []
    per_page = max(1, len(body) // npages)
    for p in range(npages):
        paragraphs.append(body[p * per_page:(p + 1) * per_page] if p < npages - 1 else body[p * per_page:])
    for p, sentences in enumerate(paragraphs):
        if p > 0:
            pages_img.append(c.img)
            doc.page_lines.append(c.lines)
            c = _Canvas()
            page_no += 1
            c.centered(cx, TOP - 60, str(page_no), f13)
            ytext = TOP + 40
        for s in sentences or [SENTENCES[0]]:
            lines = wrap(s, bf, RIGHT - LEFT - 90)
            for k, line in enumerate(lines):
                c.text(LEFT + (90 if k == 0 else 0), ytext, line, bf)
                ytext += line_h
            ytext += 12
        if p < npages - 1:
            # fill the page with further text, as real multi-page letters do
            while ytext < BOTTOM - 3 * line_h:
                for line in wrap(rng.choice(SENTENCES), bf, RIGHT - LEFT - 90):
                    if ytext >= BOTTOM - 2 * line_h:
                        break
                    c.text(LEFT, ytext, line, bf)
                    ytext += line_h
    # signature block (right) and Nơi nhận (left) on the last page
    ytext = min(ytext + 50, BOTTOM - 900)
    sx = LEFT + round(0.72 * (RIGHT - LEFT))
    ys = ytext
    if by_office:
        ys = c.centered(sx, ys, "TL. " + iss["head"], b14)
    elif iss["org"]:
        ys = c.centered(sx, ys, "TM. " + iss["org"], b14)
    if deputy:
        ys = c.centered(sx, ys, "KT. " + iss["head"], b14)
    ys = c.centered(sx, ys, title_caps, b14)
    sig_top = ys + 20
    _signature(c, rng, sx, sig_top)
    ys = sig_top + 400
    c.centered(sx, ys, signer, b14)
    yn = ytext
    yn = c.text(LEFT, yn, "Nơi nhận:", font("bi", 12))
    for r in ["- Như trên;", "- Thường trực Tỉnh ủy;", "- Các sở, ban, ngành tỉnh;",
              f"- Lưu: VT, {unit}."]:
        yn = c.text(LEFT, yn, r, font("", 11))
    pages_img.append(c.img)
    doc.page_lines.append(c.lines)
    doc.pages = pages_img if color else [p.convert("L") for p in pages_img]
    assert len(doc.pages) == npages
    return doc


def _stamp(c: _Canvas, rng, iss, y0: int, issued: date, doc: Doc, x0: int | None = None) -> int:
    """The receiving office's 'ĐẾN' stamp with a handwritten arrival number and date."""
    red = (200, 30, 40)
    blue = (30, 50, 160)
    x0 = LEFT + rng.randint(0, 120) if x0 is None else x0
    w, h = round(50 * MM), round(32 * MM)
    c.d.rectangle((x0, y0, x0 + w, y0 + h), outline=red, width=5)
    f = font("b", 9)
    y = y0 + 15
    y = c.text(x0 + w // 2, y, "VĂN PHÒNG ĐOÀN ĐBQH VÀ HĐND", f, anchor="ma", fill=red)
    y = c.text(x0 + w // 2, y + 5, "ĐẾN", font("b", 16), anchor="ma", fill=red)
    hw = font("i", 13)
    arrival_no = str(rng.randint(100, 4999))
    arrival = issued + timedelta(days=rng.randint(1, 6))
    c.text(x0 + 30, y + 10, "Số:", f, fill=red)
    c.text(x0 + 150, y + 2, arrival_no, hw, fill=blue)
    y += 75
    c.text(x0 + 30, y, "Ngày:", f, fill=red)
    c.text(x0 + 170, y - 8, f"{arrival.day}/{arrival.month}/{arrival.year}", hw, fill=blue)
    y += 65
    c.text(x0 + 30, y, "Chuyển:", f, fill=red)
    doc.stamp = {"arrival_number": arrival_no, "arrival": arrival.isoformat()}
    return y0 + h


def _signature(c: _Canvas, rng, cx: int, top: int) -> None:
    """A handwritten-looking signature (blue) with the red seal overlapping its left third."""
    pts = []
    x = cx - 220
    for k in range(40):
        x += rng.randint(6, 16)
        pts.append((x, top + 150 + 70 * math.sin(k * 0.9 + rng.random()) + rng.randint(-15, 15)))
    c.d.line(pts, fill=(20, 40, 170), width=6, joint="curve")
    sx, sy, r = cx - 260, top + 200, 175
    red = (210, 40, 45)
    c.d.ellipse((sx - r, sy - r, sx + r, sy + r), outline=red, width=10)
    c.d.ellipse((sx - r + 40, sy - r + 40, sx + r - 40, sy + r - 40), outline=red, width=5)
    star = [(sx + 50 * math.cos(a * math.pi / 5 - math.pi / 2) * (1 if a % 2 == 0 else 0.4),
             sy + 50 * math.sin(a * math.pi / 5 - math.pi / 2) * (1 if a % 2 == 0 else 0.4)) for a in range(10)]
    c.d.polygon(star, fill=red)


def degrade(img: Image.Image, seed: int, level: float = 1.0) -> Image.Image:
    """Make a clean render look scanned: slight skew, blur, noise, JPEG artefacts."""
    import numpy as np
    rng = random.Random(seed * 7919 + 1)
    angle = rng.uniform(-1.8, 1.8) * level
    mode = img.mode
    out = img.rotate(angle, resample=Image.BICUBIC, fillcolor=255 if mode == "L" else (255, 255, 255),
                     expand=False)
    out = out.filter(ImageFilter.GaussianBlur(0.5 + 0.5 * level * rng.random()))
    arr = np.asarray(out, dtype=np.int16)
    nrng = np.random.default_rng(seed)
    arr = arr - 12 + nrng.normal(0, 8 * level, arr.shape).astype(np.int16)  # grey paper + noise
    speck = nrng.random(arr.shape) < 0.0004 * level
    arr[speck] = 40
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), mode)
    buf = io.BytesIO()
    out.save(buf, "JPEG", quality=rng.randint(65, 85))
    buf.seek(0)
    return Image.open(buf).convert(mode)


def scanned_pages(doc: Doc, level: float = 1.0) -> list[Image.Image]:
    return [degrade(p, doc.seed * 31 + i, level) for i, p in enumerate(doc.pages)]


def write_document(doc: Doc, folder: Path, fmt: str = "jpg", scanned: bool = True, level: float = 1.0,
                   name: str | None = None) -> Path:
    """Write the document as one file: 'pdf' (image-only, 300 dpi), 'tiff' (multi-page) or
    'jpg'/'png' (page 1 only unless the document has one page; the others go beside as _pN)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    pages = scanned_pages(doc, level) if scanned else doc.pages
    name = name or f"doc{doc.seed:03d}"
    if fmt == "pdf":
        path = folder / f"{name}.pdf"
        pages[0].save(path, "PDF", resolution=DPI, save_all=True, append_images=pages[1:])
    elif fmt in ("tif", "tiff"):
        path = folder / f"{name}.tif"
        pages[0].save(path, "TIFF", compression="tiff_lzw", dpi=(DPI, DPI), save_all=True,
                      append_images=pages[1:])
    else:
        path = folder / f"{name}.{fmt}"
        for i, p in enumerate(pages):
            target = path if i == 0 else folder / f"{name}_p{i + 1}.{fmt}"
            p.save(target, "JPEG" if fmt == "jpg" else "PNG", dpi=(DPI, DPI), quality=85)
    return path


def corpus(n: int, start: int = 0) -> list[Doc]:
    return [make_document(seed) for seed in range(start, start + n)]


if __name__ == "__main__":
    import json
    import sys
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "corpus-out")
    for d in corpus(int(sys.argv[2]) if len(sys.argv) > 2 else 6):
        p = write_document(d, out, "pdf")
        (out / f"{p.stem}.json").write_text(json.dumps(d.truth, ensure_ascii=False, indent=1), "utf-8")
        print(p)
