"""PyInstaller runtime hook: runs in the frozen application before its entry point.

- Windows: the bundle carries Tesseract under <bundle>/tesseract; put it first on PATH (pytesseract
  runs the plain command `tesseract`) and point TESSDATA_PREFIX at its tessdata unless the
  administrator set one.
- Everywhere: one OpenMP thread per Tesseract process (pages are parallelized by processes)."""
import os
import sys

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

_base = getattr(sys, "_MEIPASS", os.path.dirname(os.path.abspath(sys.executable)))
_tess = os.path.join(_base, "tesseract")
if os.path.isdir(_tess):
    os.environ["PATH"] = _tess + os.pathsep + os.environ.get("PATH", "")
    _data = os.path.join(_tess, "tessdata")
    if os.path.isdir(_data):
        os.environ.setdefault("TESSDATA_PREFIX", _data)
