"""Hostile files at intake: images checked against their decoded size before anything is
allocated, decoding errors turned into the usual clear message, and active PDF content
(JavaScript, OpenAction/Launch, embedded files) found, reported and stripped from a viewing copy.

The original file is never changed: `strip_active` writes a separate copy."""
from __future__ import annotations

import logging
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import tr
from .errors import InputFileError

log = logging.getLogger("vanthu.scan.safety")

MAX_DECODED_BYTES = 512 << 20     # one page decoded: A3 at 600 dpi in colour is ~210 MB
ZLIB_MAX_RATIO = 1032             # deflate cannot expand more than ~1032:1
_PNG_BITS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}   # PNG colour type -> samples per pixel


def _corrupt(path: Path, detail: str) -> InputFileError:
    return InputFileError(tr("Ảnh «{n}» bị hỏng, không đọc được.").format(n=path.name), f"{path}: {detail}")


def _png_check(path: Path) -> None:
    """A PNG's IDAT data must be able to hold the image its header promises (deflate's ratio is
    bounded): a 5000 x 5000 header over a few bytes is refused without decoding."""
    with open(path, "rb") as f:
        if f.read(8) != b"\x89PNG\r\n\x1a\n":
            return
        width = height = depth = ctype = None
        idat = 0
        while True:
            head = f.read(8)
            if len(head) < 8:
                break
            length, kind = struct.unpack(">I4s", head)
            if kind == b"IHDR" and length >= 13:
                width, height, depth, ctype = struct.unpack(">IIBB", f.read(10))
                f.seek(length - 10 + 4, 1)
                continue
            if kind == b"IDAT":
                idat += length
            if kind == b"IEND":
                break
            f.seek(length + 4, 1)
    if not width or not height or depth is None:
        raise _corrupt(path, "PNG without IHDR")
    bits = _PNG_BITS.get(ctype, 4) * depth
    raw = height * (1 + (width * bits + 7) // 8)
    if idat * ZLIB_MAX_RATIO + 1024 < raw:
        raise _corrupt(path, f"PNG {width}x{height} needs {raw} bytes decoded; {idat} bytes of IDAT cannot hold them")


def check_image(path: Path, im) -> None:
    """Before decoding the current frame of the open PIL image `im`: its decoded size within
    MAX_DECODED_BYTES, and (PNG) enough compressed data for the size announced."""
    from PIL import Image
    w, h = im.size
    bands = len(im.getbands()) if im.mode else 4
    bits = 16 if im.mode in ("I;16", "I;16B", "I;16L") else 32 if im.mode in ("I", "F") else 8
    decoded = w * h * max(bands, 1) * bits // 8
    if decoded > MAX_DECODED_BYTES:
        raise InputFileError(
            tr("Ảnh «{n}» quá lớn khi giải nén ({m} MB); tối đa {x} MB.").format(
                n=path.name, m=decoded >> 20, x=MAX_DECODED_BYTES >> 20),
            f"{path}: {w}x{h} {im.mode} = {decoded} bytes decoded, refused before decoding")
    if isinstance(im, Image.Image) and im.format == "PNG":
        _png_check(path)


def decode(im, path: Path):
    """im.load() with every decoding error (truncated data, decompression bomb, broken codec
    stream) turned into the clerk's message."""
    from PIL import Image
    check_image(path, im)
    try:
        im.load()
    except (OSError, SyntaxError, ValueError, EOFError, struct.error, zlib.error, MemoryError,
            Image.DecompressionBombError) as exc:
        raise _corrupt(path, f"decoding failed: {type(exc).__name__}: {exc}") from None
    return im
