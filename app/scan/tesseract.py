"""Tesseract kept loaded in the OCR worker process, through its C API (libtesseract, ctypes).

Running the `tesseract` program once per page or strip reloads the `vie` model every time
(≈0.1–0.2 s a call); here each worker loads it once. Same library, same settings as the
command line (page segmentation 3, the text-only PDF renderer), so the output is the same.
`engine()` is None where the library cannot be loaded (another platform, another soname):
app.scan.ocr then runs the program instead."""
from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import io
import logging
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

log = logging.getLogger("vanthu.scan.tesseract")

# settings shared with the command-line fallback: dark text on light paper, so the inverted-text
# pass (a second recognition of doubtful lines) is not needed; ~5 % faster, same text
SETTINGS = {"tessedit_do_invert": "0"}
_LIBS = {"tesseract": ("libtesseract.so.5", "tesseract"), "lept": ("liblept.so.5", "lept", "leptonica")}


def _load(names: tuple[str, ...]) -> ctypes.CDLL | None:
    for name in names:
        path = name if name.startswith("lib") else ctypes.util.find_library(name)
        if not path:
            continue
        try:
            return ctypes.CDLL(path)
        except OSError:
            continue
    return None


class Engine:
    """One initialized TessBaseAPI (not thread-safe: one per process, used by one thread)."""

    def __init__(self, lang: str):
        tess, lept = _load(_LIBS["tesseract"]), _load(_LIBS["lept"])
        if tess is None or lept is None:
            raise OSError("libtesseract or liblept not found")
        P, S, I = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int

        def fn(lib: ctypes.CDLL, name: str, res: Any, *args: Any) -> Any:
            f = getattr(lib, name)
            f.restype, f.argtypes = res, list(args)
            return f

        self._create = fn(tess, "TessBaseAPICreate", P)
        self._init = fn(tess, "TessBaseAPIInit3", I, P, S, S)
        self._set = fn(tess, "TessBaseAPISetVariable", I, P, S, S)
        self._process = fn(tess, "TessBaseAPIProcessPage", I, P, P, I, S, S, I, P)
        self._tsv = fn(tess, "TessBaseAPIGetTsvText", P, P, I)
        self._free_text = fn(tess, "TessDeleteText", None, P)
        self._datapath = fn(tess, "TessBaseAPIGetDatapath", S, P)
        self._clear = fn(tess, "TessBaseAPIClear", None, P)
        self._end = fn(tess, "TessBaseAPIEnd", None, P)
        self._delete = fn(tess, "TessBaseAPIDelete", None, P)
        self._pdf = fn(tess, "TessPDFRendererCreate", P, S, S, I)
        self._begin = fn(tess, "TessResultRendererBeginDocument", I, P, S)
        self._finish = fn(tess, "TessResultRendererEndDocument", I, P)
        self._free_renderer = fn(tess, "TessDeleteResultRenderer", None, P)
        self._pix_read = fn(lept, "pixReadMem", P, S, ctypes.c_size_t)
        self._pix_res = fn(lept, "pixSetResolution", I, P, I, I)
        self._pix_free = fn(lept, "pixDestroy", None, ctypes.POINTER(P))
        self._api = self._create()
        if self._init(self._api, None, lang.encode()) != 0:
            self._delete(self._api)
            raise OSError(f"tesseract could not load the '{lang}' model")
        # 3: the program's default; tprintf chatter ('Detected 13 diacritics') off the clerk's terminal
        for k, v in dict(SETTINGS, tessedit_pageseg_mode="3", debug_file=os.devnull).items():
            self._set(self._api, k.encode(), v.encode())
        self._out = Path(tempfile.mkdtemp(prefix="vanthu-tess-"))
        self._busy = threading.Lock()
        atexit.register(self.close)

    def read(self, gray: Any, dpi: int, pdf: bool = True, timeout: float = 120.0) -> tuple[str, bytes]:
        """TSV word boxes and (if pdf) the text-only PDF page of a PIL grayscale image."""
        with self._busy:
            return self._read(gray, dpi, pdf, timeout)

    def _read(self, gray: Any, dpi: int, pdf: bool, timeout: float) -> tuple[str, bytes]:
        buf = io.BytesIO()
        # uncompressed TIFF in memory: Leptonica reads it in ~10 ms (a PGM page takes ~0.23 s)
        gray.save(buf, "TIFF")
        data = buf.getvalue()
        pix = ctypes.c_void_p(self._pix_read(data, len(data)))
        if not pix.value:
            raise RuntimeError("leptonica could not read the page image")
        renderer = None
        base = self._out / "page"
        try:
            self._pix_res(pix, dpi, dpi)
            self._set(self._api, b"user_defined_dpi", str(dpi).encode())
            if pdf:
                self._set(self._api, b"textonly_pdf", b"1")
                renderer = self._pdf(str(base).encode(), self._datapath(self._api), 1)
                if not renderer or not self._begin(renderer, b""):
                    raise RuntimeError("tesseract could not start the PDF renderer")
            if not self._process(self._api, pix, 0, b"page", None, int(timeout * 1000), renderer):
                raise RuntimeError(f"tesseract failed or timed out after {timeout}s")
            p = self._tsv(self._api, 0)
            try:
                tsv = ctypes.string_at(p).decode("utf-8") if p else ""
            finally:
                if p:
                    self._free_text(p)
            text_pdf = b""
            if renderer:
                self._finish(renderer)
                self._free_renderer(renderer)
                renderer = None
                text_pdf = base.with_suffix(".pdf").read_bytes()
            return tsv, text_pdf
        finally:
            if renderer:
                self._free_renderer(renderer)
            self._pix_free(ctypes.byref(pix))
            self._clear(self._api)
            base.with_suffix(".pdf").unlink(missing_ok=True)

    def close(self) -> None:
        if self._api:
            self._end(self._api)
            self._delete(self._api)
            self._api = None
            try:
                self._out.rmdir()
            except OSError:
                pass


_engine: Engine | None = None
_failed = False
_lock = threading.Lock()


def engine(lang: str) -> Engine | None:
    """This process's engine, made on first use; None if the library is unusable here (or
    VANTHU_OCR_ENGINE=cli asks for the program)."""
    global _engine, _failed
    if os.environ.get("VANTHU_OCR_ENGINE", "") == "cli":
        return None
    with _lock:
        if _engine is None and not _failed:
            try:
                _engine = Engine(lang)
            except (OSError, AttributeError) as exc:
                log.info("Tesseract C API unavailable (%s): running the tesseract program", exc)
                _failed = True
        return _engine
