"""What the organization's signature looks like: the red seal image (outgoing documents) or a
10 pt black text block (attachments, electronic copies), per ND30 Appendix I."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import ValidationError
from ..i18n import tr
from .assets import SAMPLE_SEAL, STAMP_FONT

FONT_SIZE = 10
LEADING = 12
SEAL_MAX_PX = 480      # about 340 dpi at 36 mm: sharp on paper, small in the file

COPY_FORMS = ("SAO Y", "SAO LỤC", "TRÍCH SAO")


def load_seal(path=None):
    """The seal as an RGBA PIL image, downscaled once per batch."""
    from PIL import Image
    p = Path(path) if path else SAMPLE_SEAL
    try:
        img = Image.open(p)
        img.load()
    except (OSError, ValueError) as exc:
        raise ValidationError(tr("Không đọc được ảnh con dấu {p}.").format(p=p), str(exc)) from exc
    if img.mode != "RGBA":
        img = img.convert("RGBA")
    if max(img.size) > SEAL_MAX_PX:
        img.thumbnail((SEAL_MAX_PX, SEAL_MAX_PX))
    return img


def _encoded_image(img) -> tuple[bytes, bytes]:
    """Flate-compressed RGB samples and alpha mask of an RGBA image (done once per batch)."""
    import zlib
    return zlib.compress(img.convert("RGB").tobytes(), 6), zlib.compress(img.split()[-1].tobytes(), 6)


def _seal_content(img, encoded: tuple[bytes, bytes]):
    """A pyhanko PdfImage whose XObject streams are written from pre-compressed bytes, so each
    document costs no image encoding."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.generic import pdf_name
    from pyhanko.pdf_utils.images import PdfImage

    class _Preencoded(PdfImage):
        @property
        def image_ref(self):
            ref = self._image_ref
            if ref is None or ref.get_pdf_handler() is not self.writer:
                def stream(data, space):
                    return generic.StreamObject({
                        pdf_name("/Type"): pdf_name("/XObject"), pdf_name("/Subtype"): pdf_name("/Image"),
                        pdf_name("/Width"): generic.NumberObject(img.width),
                        pdf_name("/Height"): generic.NumberObject(img.height),
                        pdf_name("/ColorSpace"): pdf_name(space),
                        pdf_name("/BitsPerComponent"): generic.NumberObject(8),
                        pdf_name("/Filter"): pdf_name("/FlateDecode")}, encoded_data=data)
                rgb = stream(encoded[0], "/DeviceRGB")
                rgb[pdf_name("/SMask")] = self.writer.add_object(stream(encoded[1], "/DeviceGray"))
                self._image_ref = ref = self.writer.add_object(rgb)
            return ref

    return _Preencoded(img)


@dataclass
class SealAppearance:
    image: object      # PIL RGBA image
    _encoded: tuple | None = None

    def style(self):
        from pyhanko.pdf_utils import layout
        from pyhanko.stamp import StaticStampStyle
        if self._encoded is None:
            self._encoded = _encoded_image(self.image)
        # a new image object per document: it caches its object in the writer it was rendered into
        return StaticStampStyle(
            background=_seal_content(self.image, self._encoded), border_width=0, background_opacity=1.0,
            background_layout=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MID,
                margins=layout.Margins.uniform(0), inner_content_scaling=layout.InnerScaling.STRETCH_TO_FIT))


def text_lines(mode: str, org_name: str, signing_time_iso: str, main_reference: str | None = None,
               copy_form: str = "SAO Y") -> list[str]:
    if mode == "attachment":
        if not main_reference:
            raise ValidationError(tr("Ký tệp đính kèm cần số, ký hiệu của văn bản chính (--main-reference)."))
        return [org_name, tr("Kèm theo văn bản số: {r}").format(r=main_reference),
                tr("Thời gian ký: {t}").format(t=signing_time_iso)]
    if mode == "copy":
        if copy_form not in COPY_FORMS:
            raise ValidationError(tr("Hình thức sao «{f}» không hợp lệ ({all}).").format(
                f=copy_form, all=", ".join(COPY_FORMS)))
        return [copy_form, org_name, tr("Thời gian ký: {t}").format(t=signing_time_iso)]
    raise ValueError(mode)


def text_height(lines: list[str]) -> float:
    return LEADING * len(lines) + 8


def text_style(font_path=None):
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle
    # the same size for the font factory and the text box (field-notes: pyhanko font pitfall)
    font = GlyphAccumulatorFactory(str(font_path or STAMP_FONT), font_size=FONT_SIZE)
    return TextStampStyle(
        stamp_text="%(lines)s", border_width=0,
        text_box_style=TextBoxStyle(font=font, font_size=FONT_SIZE, leading=LEADING, text_color=(0, 0, 0),
                                    border_width=0),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN, y_align=layout.AxisAlignment.ALIGN_MAX,
            margins=layout.Margins(left=4, right=2, top=3, bottom=2)),
        background=None)
