"""The workstation's SQLite database and file store: the clerk's truth."""
from .db import Store, open_store

__all__ = ["Store", "open_store"]
