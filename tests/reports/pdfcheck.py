"""Reading produced PDFs back: text per page (PyMuPDF), fonts (pdffonts), rendering (pdftoppm)."""
import re
import subprocess
import tempfile
from pathlib import Path

import pymupdf as fitz
from PIL import Image, ImageChops, ImageStat


def page_texts(path) -> list[str]:
    with fitz.open(path) as doc:
        return [p.get_text() for p in doc]


def page_sizes(path) -> list[tuple[float, float]]:
    with fitz.open(path) as doc:
        return [(p.rect.width, p.rect.height) for p in doc]


def page_number(text: str) -> int | None:
    m = re.search(r"^Trang (\d+)$", text, re.M)
    return int(m.group(1)) if m else None


def fonts(path) -> list[dict]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, timeout=30, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type... emb sub uni object ID
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def render(path, page: int, dpi: int = 50) -> Image.Image:
    """Page `page` (1-based) as an 8-bit grey image."""
    with tempfile.TemporaryDirectory() as tmp:
        prefix = Path(tmp) / "p"
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-f", str(page), "-l", str(page),
                        str(path), str(prefix)], check=True, timeout=60)
        png = next(Path(tmp).glob("p*.png"))
        with Image.open(png) as im:
            return im.convert("L").copy()


def difference(a: Image.Image, b: Image.Image) -> tuple[float, float]:
    """(mean absolute difference 0-255, share of pixels differing by more than 64)."""
    if a.size != b.size:
        return 255.0, 1.0
    diff = ImageChops.difference(a, b)
    mean = ImageStat.Stat(diff).mean[0]
    hist = diff.histogram()
    return mean, sum(hist[65:]) / (a.size[0] * a.size[1])
