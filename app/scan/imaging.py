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


def estimate_skew(gray: Image.Image) -> float:
    """Angle in degrees (counter-clockwise) that makes the text lines horizontal: the rotation
    whose horizontal projection profile is sharpest. Coarse then fine search; the profile of
    each angle is a histogram of the rotated ink coordinates (no image is rotated)."""
    m = np.asarray(_ink_mask(gray))
    if m.mean() < 0.3:  # (almost) no ink
        return 0.0
    ys, xs = np.nonzero(m)
    ys = ys.astype(np.float32) - m.shape[0] / 2
    xs = xs.astype(np.float32) - m.shape[1] / 2
    size = 2 * m.shape[0]

    def score(angle: float) -> float:
        t = np.deg2rad(angle)     # where PIL's rotate by `angle` puts each ink pixel's row
        rows = np.bincount((ys * np.cos(t) - xs * np.sin(t) + size / 2).astype(np.int64), minlength=size)
        d = np.diff(rows.astype(np.float32))
        return float((d * d).sum())

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.5), key=score)
    fine = max(np.arange(best - 0.5, best + 0.51, 0.1), key=score)
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


def _dark_rows(gray: Image.Image) -> tuple[np.ndarray, float]:
    """Ink mask at 1/4 scale and the factor back to full-size rows."""
    small = gray.reduce(4) if gray.width > 1000 else gray
    return np.asarray(small) < 128, gray.height / small.height


def _row_work(dark: np.ndarray) -> np.ndarray:
    """Tesseract's work per row ~ the glyphs it crosses: ink edges (a seal or a signature has few)."""
    return np.count_nonzero(dark[:, 1:] != dark[:, :-1], axis=1)


def strip_work(gray: Image.Image, rows: list[int]) -> list[float]:
    """Relative reading work of each strip between consecutive `rows` (for scheduling)."""
    dark, f = _dark_rows(gray)
    cum = np.concatenate([[0], np.cumsum(_row_work(dark))])
    idx = [min(len(dark), round(r / f)) for r in rows]
    return [float(cum[b] - cum[a]) for a, b in zip(idx, idx[1:])]


def strip_cuts(gray: Image.Image, parts: int, marks: tuple[float, ...] = ()) -> list[int]:
    """Rows (pixels, top to bottom, 0 and the height included) at which to cut a page into
    strips read separately: only through white space between text lines, never through a line.
    `marks` are fractions of the height that must become cuts (at the nearest gap at or below
    each mark: page 1's header and summary come first); the rest of the page below the last
    mark is cut into `parts` strips holding about the same amount of ink (Tesseract's time
    follows the text). A page without a usable gap stays whole."""
    H = gray.height
    dark, f = _dark_rows(gray)
    w = dark.shape[1]
    blank = dark.sum(axis=1) <= max(1, w // 500)          # a scanner speck is not a line
    ink = _row_work(dark)
    # gaps: runs of blank rows at least ~2 mm high at 300 dpi (6 rows of 1/4 scale)
    gaps = []
    run = 0
    for y, b in enumerate(blank):
        if b:
            run += 1
        elif run:
            if run >= 6 and y - run > 0:
                gaps.append((y - run + y) / 2)
            run = 0
    if not gaps:
        return [0, H]
    cuts = [0.0]
    for m in marks:
        below = [g for g in gaps if g * f >= m * H and g * f > cuts[-1] * f + 0.05 * H]
        if below and below[0] * f < min(1.0, m + 0.15) * H:
            cuts.append(below[0])
    if parts > 1:
        cum = np.cumsum(ink)
        start = int(cuts[-1])
        total = float(cum[-1] - (cum[start - 1] if start else 0))
        base = float(cum[start - 1]) if start else 0.0
        for i in range(1, parts):
            target = base + total * i / parts
            cand = [g for g in gaps if g > cuts[-1] and (g - cuts[-1]) * f > 0.08 * H and (len(dark) - g) * f > 0.08 * H]
            if not cand or total <= 0:
                break
            best = min(cand, key=lambda g: abs(float(cum[int(g)]) - target))
            cuts.append(best)
    rows = sorted({0, H} | {min(H, max(0, round(c * f))) for c in cuts[1:]})
    return rows
