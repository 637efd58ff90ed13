"""Page layout from word boxes (the pure part lives in app.domain.pagelayout, shared with seal
placement); here: a PDF page with a text layer to a layout."""
from __future__ import annotations

from typing import Any

from ..domain.pagelayout import Line, PageLayout, build, fold_chars, from_pdf_words

__all__ = ["Line", "PageLayout", "build", "fold_chars", "from_pdf_page"]


def from_pdf_page(page: Any, number: int) -> PageLayout:
    """Layout of a PDF page that has a text layer (PyMuPDF words, in points)."""
    return from_pdf_words(number, page.rect.width, page.rect.height, page.get_text("words"))
