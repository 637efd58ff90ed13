"""Page image clean-up: skew estimation and correction, background whitening, blank pages."""
from __future__ import annotations

import numpy as np
from PIL import Image

MAX_SKEW = 6.0


def to_gray(img: Image.Image) -> Image.Image:
    return img if img.mode == "L" else img.convert("L")


def _ink_mask(gray: Image.Image, width: int = 900) -> Image.Image:
    scale = width / gray.width
    small = gray.resize((width, max(1, round(gray.height * scale))), Image.BILINEAR) if scale < 1 else gray
    arr = np.asarray(small)
    thr = min(160, int(np.median(arr)) - 50)
    return Image.fromarray(((arr < thr) * 255).astype(np.uint8), "L")


def _profile_score(mask: Image.Image, angle: float) -> float:
    rows = np.asarray(mask.rotate(angle, resample=Image.NEAREST, fillcolor=0), dtype=np.float32).sum(axis=1)
    d = np.diff(rows)
    return float((d * d).sum())


def estimate_skew(gray: Image.Image) -> float:
    """Angle in degrees (counter-clockwise) that makes the text lines horizontal: the rotation
    whose horizontal projection profile is sharpest. Coarse then fine search."""
    mask = _ink_mask(gray)
    if np.asarray(mask).mean() < 0.3:  # (almost) no ink
        return 0.0
    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.5), key=lambda a: _profile_score(mask, a))
    fine = max(np.arange(best - 0.5, best + 0.51, 0.1), key=lambda a: _profile_score(mask, a))
    return round(float(fine), 2)


def rotate(img: Image.Image, angle: float) -> Image.Image:
    if abs(angle) < 0.05:
        return img
    fill = 255 if img.mode == "L" else (255, 255, 255)
    return img.rotate(angle, resample=Image.BILINEAR, fillcolor=fill, expand=False)


def paper_level(gray: Image.Image) -> int:
    arr = np.asarray(gray.reduce(4) if gray.width > 1000 else gray)
    return int(np.percentile(arr, 60))


def whiten(img: Image.Image, paper: int) -> Image.Image:
    """Map the paper tone and its noise to white, stretch the ink: a cleaner page and a
    JPEG a third of the size."""
    white = max(120, paper - 28)
    lut = [min(255, round(v * 255 / white)) if v < white else 255 for v in range(256)]
    if img.mode == "RGB":
        lut = lut * 3
    return img.point(lut)


def ink_ratio(gray: Image.Image) -> float:
    """Share of dark pixels away from the edges (scanner borders and punch holes ignored)."""
    small = gray.reduce(4) if gray.width > 1000 else gray
    arr = np.asarray(small)
    h, w = arr.shape
    core = arr[h // 20: h - h // 20, w // 20: w - w // 20]
    if core.size == 0:
        return 0.0
    return float((core < 128).mean())


def looks_blank(ink: float, words: int) -> bool:
    """A page to show the clerk for review: almost no ink and (almost) nothing readable."""
    return ink < 0.004 and words < 3
