"""Shipped signing assets: the stamp font (Liberation Serif rescaled to 1000 units/em and renamed,
as pyhanko lays out text correctly only at 1000 units/em) and the sample red seal.

`python -m app.sign.assets` regenerates both under resources/."""
from pathlib import Path

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
FONT_DIR = RESOURCES / "fonts"
STAMP_FONT = FONT_DIR / "VanthuSerif-Regular.ttf"
SAMPLE_SEAL = RESOURCES / "seal" / "con-dau-mau.png"
FONT_FAMILY = "Vanthu Serif"


# Latin, Vietnamese letters and tone marks, punctuation, the đồng sign: what stamps need.
STAMP_UNICODES = [*range(0x20, 0x7F), *range(0xA0, 0x250), *range(0x300, 0x324), *range(0x1EA0, 0x1EFA),
                  *range(0x2010, 0x2030), 0x20AB, 0x2116, 0x2122]


def build_stamp_font(src: Path = FONT_DIR / "LiberationSerif-Regular.ttf", dst: Path = STAMP_FONT) -> Path:
    """Rescale to 1000 units/em, keep the glyphs Vietnamese text needs (smaller and faster to
    embed), and rename: the OFL reserves the name "Liberation"."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(src)
    scale_upem(font, 1000)
    opts = subset.Options()
    opts.layout_features = ["*"]
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.drop_tables += ["FFTM"]
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=STAMP_UNICODES)
    sub.subset(font)
    names = {1: FONT_FAMILY, 2: "Regular", 3: f"{FONT_FAMILY} Regular; derived from Liberation Serif",
             4: f"{FONT_FAMILY} Regular", 6: "VanthuSerif-Regular", 16: FONT_FAMILY, 17: "Regular"}
    table = font["name"]
    for rec in list(table.names):
        if rec.nameID in names:
            table.setName(names[rec.nameID], rec.nameID, rec.platformID, rec.platEncID, rec.langID)
        elif rec.nameID in (18, 21, 22):
            table.removeNames(nameID=rec.nameID)
    dst.parent.mkdir(parents=True, exist_ok=True)
    font.save(dst)
    return dst


def build_sample_seal(dst: Path = SAMPLE_SEAL, size_px: int = 600) -> Path:
    """A red, round, transparent sample seal (clearly marked as a sample)."""
    import math

    from PIL import Image, ImageDraw, ImageFont

    red = (200, 16, 32, 255)
    img = Image.new("RGBA", (size_px, size_px), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    c = size_px / 2
    for r, w in ((c - 4, 14), (c * 0.62, 6)):
        d.ellipse((c - r, c - r, c + r, c + r), outline=red, width=w)
    # a five-pointed star in the middle
    pts = []
    for i in range(10):
        rad = c * (0.22 if i % 2 == 0 else 0.09)
        a = -math.pi / 2 + i * math.pi / 5
        pts.append((c + rad * math.cos(a), c + rad * math.sin(a)))
    d.polygon(pts, fill=red)
    font_path = str(FONT_DIR / "LiberationSerif-Bold.ttf")
    ring_font = ImageFont.truetype(font_path, int(size_px * 0.075))
    text = "ỦY BAN NHÂN DÂN • CON DẤU MẪU • "
    radius = c * 0.80
    n = len(text)
    for i, ch in enumerate(text):
        ang = -math.pi / 2 + 2 * math.pi * i / n
        glyph = Image.new("RGBA", (int(size_px * 0.12),) * 2, (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), ch, font=ring_font, fill=red, anchor="mm")
        glyph = glyph.rotate(-math.degrees(ang) - 90, resample=Image.Resampling.BICUBIC)
        x, y = c + radius * math.cos(ang), c + radius * math.sin(ang)
        img.alpha_composite(glyph, (int(x - glyph.width / 2), int(y - glyph.height / 2)))
    small = ImageFont.truetype(font_path, int(size_px * 0.07))
    d.text((c, c + c * 0.38), "MẪU", font=small, fill=red, anchor="mm")
    dst.parent.mkdir(parents=True, exist_ok=True)
    img.save(dst, optimize=True)
    return dst


if __name__ == "__main__":
    print(build_stamp_font())
    print(build_sample_seal())
