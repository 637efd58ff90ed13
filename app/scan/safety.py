"""Hostile files at intake: images checked against their decoded size before anything is
allocated, decoding errors turned into the usual clear message, and active PDF content
(JavaScript, OpenAction/Launch, embedded files) found, reported and stripped from a viewing copy.

The original file is never changed: `strip_active` writes a separate copy."""
from __future__ import annotations

import contextlib
import logging
import re
import struct
import tempfile
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


MAX_SIDE = 30000      # pixels on one side: JPEG stops at 65,500; an A0 sheet at 600 dpi is ~28,000


MIN_SIDE = 16         # pixels: below this nothing can be read (and a 1-pixel strip broke the OCR regions)


def check_sides(path: Path, w: int, h: int) -> None:
    """Each side of a page within MIN_SIDE..MAX_SIDE pixels (the total is checked apart)."""
    if 0 < w < MIN_SIDE or 0 < h < MIN_SIDE:
        raise InputFileError(tr("Ảnh hoặc trang trong «{n}» quá nhỏ ({x} × {y} điểm ảnh) để đọc được.").format(
            n=path.name, x=w, y=h), f"{path}: {w}x{h} pixels, a side under {MIN_SIDE}")
    if w > MAX_SIDE or h > MAX_SIDE:
        raise InputFileError(tr("Trang trong «{n}» quá dài hoặc quá rộng ({x} × {y} điểm ảnh); mỗi cạnh tối đa "
                                "{m} điểm ảnh.").format(n=path.name, x=w, y=h, m=f"{MAX_SIDE:,}".replace(",", ".")),
                             f"{path}: {w}x{h} pixels, a side over {MAX_SIDE}")


def reading_errors(func):
    """Decorator for the functions that open and decode a file taken in (first argument: its path,
    or a page reference with .path): any error of the decoding libraries (PyMuPDF's RuntimeError,
    PIL's OSError, ...) becomes the clerk's "cannot be read" message; the detail goes to the log."""
    import functools

    from ..errors import VanthuError

    @functools.wraps(func)
    def wrapper(first, *args, **kwargs):
        try:
            return func(first, *args, **kwargs)
        except VanthuError:
            raise
        except (RuntimeError, ValueError, OSError, EOFError, SyntaxError, MemoryError, IndexError, KeyError,
                TypeError, AttributeError, struct.error, zlib.error) as exc:
            path = Path(getattr(first, "path", first))
            log.info("%s: reading %s failed", func.__name__, path, exc_info=True)
            raise InputFileError(tr("Tệp «{n}» bị hỏng, không đọc được.").format(n=path.name),
                                 f"{path}: {type(exc).__name__}: {exc}") from None
    return wrapper


def check_image(path: Path, im) -> None:
    """Before decoding the current frame of the open PIL image `im`: its decoded size within
    MAX_DECODED_BYTES, and (PNG) enough compressed data for the size announced."""
    from PIL import Image
    w, h = im.size
    check_sides(path, w, h)
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


# ---------------------------------------------------------------- active PDF content

_DANGEROUS_ACTION = r"/S\s*/(JavaScript|Launch|SubmitForm|ImportData|RichMediaExecute|GoToE)\b"
_DANGEROUS_NAMES = {"JavaScript", "Launch", "SubmitForm", "ImportData", "RichMediaExecute", "GoToE"}
_EXEC_SUFFIXES = (".exe", ".dll", ".com", ".scr", ".bat", ".cmd", ".ps1", ".vbs", ".vbe", ".js", ".jse", ".wsf",
                  ".msi", ".jar", ".sh", ".lnk", ".hta", ".cpl", ".apk", ".elf", ".bin", ".docm", ".xlsm")
_EXEC_MAGIC = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"PK\x03\x04")


@dataclass
class ActiveContent:
    """What a PDF would run or carry: JavaScript, actions run on opening, programs launched,
    embedded files (executables named apart)."""
    javascript: int = 0
    open_action: bool = False
    launch: int = 0
    other_actions: int = 0          # SubmitForm, ImportData, RichMediaExecute, GoToE
    embedded_files: list = field(default_factory=list)
    executables: list = field(default_factory=list)
    xfa: bool = False

    def __bool__(self) -> bool:
        return bool(self.javascript or self.open_action or self.launch or self.other_actions
                    or self.embedded_files or self.xfa)

    def items(self) -> list[str]:
        """Clerk-facing list of what was found (Vietnamese)."""
        out = []
        if self.javascript:
            out.append(tr("mã JavaScript"))
        if self.open_action:
            out.append(tr("lệnh tự chạy khi mở tệp (OpenAction)"))
        if self.launch:
            out.append(tr("lệnh mở chương trình khác (Launch)"))
        if self.other_actions:
            out.append(tr("lệnh gửi hoặc nhập dữ liệu"))
        if self.xfa:
            out.append(tr("biểu mẫu XFA"))
        if self.executables:
            out.append(tr("tệp chạy được nhúng bên trong: {n}").format(n=", ".join(self.executables)))
        others = [n for n in self.embedded_files if n not in self.executables]
        if others:
            out.append(tr("tệp nhúng bên trong: {n}").format(n=", ".join(others)))
        return out

    def message(self, name: str = "") -> str:
        return tr("Cảnh báo: tệp PDF «{f}» có nội dung chủ động ({i}). Bản gốc được giữ nguyên; "
                  "hãy xem bằng bản an toàn đã gỡ các nội dung này, không mở bản gốc bằng trình đọc PDF "
                  "khác.").format(f=name, i="; ".join(self.items()))

    def to_dict(self) -> dict:
        return {"javascript": self.javascript, "open_action": self.open_action, "launch": self.launch,
                "other_actions": self.other_actions, "embedded_files": list(self.embedded_files),
                "executables": list(self.executables), "xfa": self.xfa, "items": self.items()}


def _is_executable(name: str, head: bytes) -> bool:
    return name.lower().endswith(_EXEC_SUFFIXES) or head.startswith(_EXEC_MAGIC)


def _open(path):
    import pymupdf as fitz
    try:
        return fitz.open(path)
    except Exception as exc:  # noqa: BLE001 - any parser error: the usual message
        raise InputFileError(tr("Tệp PDF «{n}» bị hỏng, không đọc được.").format(n=Path(path).name),
                             f"{path}: {exc}") from None


def _embedded(doc, found: ActiveContent) -> None:
    """Files in the EmbeddedFiles name tree and in file-attachment annotations."""
    import pymupdf as fitz
    files = []
    try:
        for name in doc.embfile_names():
            info = doc.embfile_info(name)
            files.append((info.get("ufilename") or info.get("filename") or name, lambda n=name: doc.embfile_get(n)))
        for page in doc:
            for annot in page.annots(types=[fitz.PDF_ANNOT_FILE_ATTACHMENT]) or []:
                info = annot.file_info
                files.append((info.get("filename") or "?", annot.get_file))
    except Exception as exc:  # noqa: BLE001 - a broken name tree: counted by the stream scan
        log.info("embedded files not listed: %s", exc)
    for name, get in files:
        try:
            head = get()[:8]
        except Exception:  # noqa: BLE001
            head = b""
        found.embedded_files.append(name)
        if _is_executable(name, head):
            found.executables.append(name)


def pdf_active_content(path) -> ActiveContent:
    """Look through every object of the PDF (nothing is run or changed)."""
    found = ActiveContent()
    doc = _open(path)
    try:
        if doc.is_encrypted:
            return found
        cat = doc.pdf_catalog()
        streams = 0
        for xref in range(1, doc.xref_length()):
            try:
                obj = doc.xref_object(xref, compressed=False)
            except Exception:  # noqa: BLE001 - a broken object is skipped
                continue
            for m in re.finditer(_DANGEROUS_ACTION, obj):
                kind = m.group(1)
                if kind == "JavaScript":
                    found.javascript += 1
                elif kind == "Launch":
                    found.launch += 1
                else:
                    found.other_actions += 1
            if re.search(r"/JS\s*[(<\d]", obj) and not re.search(r"/S\s*/JavaScript", obj):
                found.javascript += 1
            if re.search(r"/XFA\b", obj):
                found.xfa = True
            if re.search(r"/Type\s*/EmbeddedFile\b", obj):
                streams += 1
        _embedded(doc, found)
        if streams > len(found.embedded_files):        # files not reachable by name: still counted
            found.embedded_files += [f"#{i + 1}" for i in range(streams - len(found.embedded_files))]
        if cat > 0:
            kind, value = doc.xref_get_key(cat, "OpenAction")
            if kind != "null":
                target = value
                if kind == "xref":
                    try:
                        target = doc.xref_object(int(value.split()[0]), compressed=False)
                    except Exception:  # noqa: BLE001
                        target = ""
                if re.search(_DANGEROUS_ACTION, target or "") or "/JS" in (target or ""):
                    found.open_action = True
            if doc.xref_get_key(cat, "AA")[0] != "null":
                found.open_action = True
    finally:
        doc.close()
    return found


def strip_active(src, dest) -> ActiveContent:
    """Write to `dest` a copy of the PDF `src` for viewing: the pages only (content, resources, page
    boxes), without the catalog's actions, names, forms or embedded files and without annotations
    (where actions hide). `src` is only read. Returns what the copy still holds (empty when the
    stripping worked)."""
    import pymupdf as fitz
    doc = _open(src)
    try:
        out = fitz.open()
        try:
            out.insert_pdf(doc, links=False, annots=False, widgets=False)
            out.save(str(dest), garbage=3, deflate=True)
        except Exception as exc:  # noqa: BLE001 - a page MuPDF cannot copy: no viewing copy
            log.warning("viewing copy of %s not made: %s", src, exc)
            return pdf_active_content(src) or ActiveContent(other_actions=1)
        finally:
            out.close()
    finally:
        doc.close()
    left = pdf_active_content(dest)
    if left:
        log.warning("viewing copy %s still holds active content: %s", dest, left.to_dict())
    return left


def viewing_copy_name(name: str) -> str:
    stem = name[:-4] if name.lower().endswith(".pdf") else name
    return stem + tr(" (bản xem an toàn)") + ".pdf"


@dataclass(frozen=True)
class ViewingCopy:
    path: Path          # a temporary file, valid inside active_content_guard()
    name: str
    found: ActiveContent


@contextlib.contextmanager
def active_content_guard(result, fields: dict, name: str | None = None):
    """Around registering a document read at intake (an app.scan.pipeline.IntakeResult): when
    the PDF kept as the original holds active content, put the warning in front of the entry's
    note (`fields` is changed), log it, and yield a stripped viewing copy to attach (else None).
    The original file is only read."""
    pdf = Path(result.pdf) if result.pdf and result.kept_original else None
    found = pdf_active_content(pdf) if pdf else None
    if not found:
        yield None
        return
    shown = name or pdf.name
    log.warning("%s", found.message(shown))
    fields["note"] = note_with_warning(fields.get("note"), found, shown)
    with tempfile.TemporaryDirectory(prefix="vanthu-view-") as td:
        view = Path(td) / "view.pdf"
        left = strip_active(pdf, view)
        yield None if left else ViewingCopy(view, viewing_copy_name(shown), found)


def note_with_warning(note: str | None, found: ActiveContent, name: str, limit: int = 500) -> str:
    """The entry's note with the active-content warning in front (within the note's legal length)."""
    warn = tr("CẢNH BÁO: tệp PDF có nội dung chủ động ({i}); xem bằng bản an toàn.").format(
        i="; ".join(found.items()))
    text = warn + (" " + note if note else "")
    return text if len(text) <= limit else text[:limit - 1] + "…"
