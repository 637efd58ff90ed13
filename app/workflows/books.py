"""Printing register books (PDF), exporting their rows (Excel), the handling slip and the
statistics table."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from ..store.db import Store
from ._types import CancelCheck, Progress


def print_book(store: Store, settings: Any, kind: str, *, register: str | None = None, year: int | None = None,
               quarter: int | None = None, date_from: date | None = None, date_to: date | None = None,
               out: Path | str | None = None, volume: int = 1, paper_types: Any = None, record: bool = False,
               as_printed: bool = True, progress: Progress = None, cancelled: CancelCheck = None) -> Any:
    """Write the book `kind` (incoming, outgoing, followup, postal) for a quarter, a date range or
    the year to `out`; `record=True` records the quarter as printed. Returns a BookResult."""
    from ..reports.books import build_book
    return build_book(store, settings, kind, register, year=year, quarter=quarter, date_from=date_from,
                      date_to=date_to, out=out, volume=volume, paper_types=paper_types, record=record,
                      as_printed=as_printed, progress=progress, cancelled=cancelled)


def export_book(store: Store, settings: Any, kind: str, *, register: str | None = None, year: int | None = None,
                quarter: int | None = None, date_from: date | None = None, date_to: date | None = None,
                out: Path | str | None = None, paper_types: Any = None, progress: Progress = None,
                cancelled: CancelCheck = None) -> dict[str, Any]:
    """Write the rows of the book to an Excel file; returns {path, rows}."""
    from ..reports.excel import export_excel
    result: dict[str, Any] = export_excel(store, settings, kind, register, year=year, quarter=quarter,
                                          date_from=date_from, date_to=date_to, out=out,
                                          paper_types=paper_types, progress=progress, cancelled=cancelled)
    return result


def handling_slip(store: Store, settings: Any, entry_ref: int | str, out: Path | str | None = None) -> Path:
    """The handling slip (phiếu giải quyết) of an incoming entry, as a PDF."""
    from ..reports.slip import build_slip
    return Path(build_slip(store, settings, entry_ref, out))
