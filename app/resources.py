"""Where the shipped resources are: the source tree or the frozen (PyInstaller) bundle.

From the source tree the folder is <repository>/resources. In the one-folder bundle built by
installer/vanthu.spec it is <sys._MEIPASS>/resources (PyInstaller sets __file__ of a frozen module
to <sys._MEIPASS>/app/..., so code that computes `Path(__file__).parents[N] / "resources"` also
lands there; this helper is the explicit way). $VANTHU_RESOURCES overrides both (tests, packagers).

On Windows the bundle also carries Tesseract under <bundle>/tesseract: `tesseract_dir()` says
where, and installer/pyi_rth_vanthu.py puts it on PATH with TESSDATA_PREFIX at start-up."""
from __future__ import annotations

import os
import sys
from pathlib import Path


def frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def bundle_dir() -> Path:
    """The folder holding the application's files: sys._MEIPASS when frozen, else the repository."""
    meipass = getattr(sys, "_MEIPASS", None)
    if frozen() and meipass:
        return Path(meipass)
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    env = os.environ.get("VANTHU_RESOURCES")
    if env:
        return Path(env)
    return bundle_dir() / "resources"


def resource_path(*parts: str) -> Path:
    """resource_path("fonts", "LiberationSerif-Regular.ttf") -> <resources>/fonts/LiberationSerif-Regular.ttf"""
    return resources_dir().joinpath(*parts)


def tesseract_dir() -> Path | None:
    """The bundled Tesseract folder (Windows builds), or None when the system's is used."""
    d = bundle_dir() / "tesseract"
    return d if d.is_dir() else None
