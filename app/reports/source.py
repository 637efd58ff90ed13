"""Rows of a book for a period, streamed in register-number order (a year's register is never
loaded as a list of objects). The SQL lives in app.store.books; this adds the book form's own
condition."""
from datetime import date

from ..store import books as store_books
from .forms import BookForm

snapshot = store_books.snapshot


def rows(store, form: BookForm, register_id: int, year: int, start: date, end: date):
    """Iterator of sqlite3.Row, in register-number order."""
    return store_books.rows(store, form.where, register_id, year, start, end)


def summary(store, form: BookForm, register_id: int, year: int, start: date, end: date) -> dict:
    """Count, first and last number, voided count and last registration date of a period."""
    return store_books.summary(store, form.where, register_id, year, start, end)
