"""The desktop workstation (PySide6). The only package allowed to import Qt."""
import sys


def _import_sqlite_utils_without_numpy() -> None:
    """sqlite_utils imports numpy (~0.3 s here) only to convert numpy values, which the store
    never passes. Hide numpy while it loads so that the window opens sooner; numpy itself stays
    importable for the areas that need it (scan)."""
    if "sqlite_utils" in sys.modules or "numpy" in sys.modules:
        return
    sys.modules["numpy"] = None
    try:
        import sqlite_utils  # noqa: F401
    except ImportError:
        pass
    finally:
        del sys.modules["numpy"]


_import_sqlite_utils_without_numpy()
