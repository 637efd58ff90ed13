"""The one translation catalogue of the core (no Qt here).

Source strings are Vietnamese, the clerk's language. `tr()` marks them for extraction
(xgettext -k tr -k N_) and looks them up in an optional gettext catalogue under
resources/i18n. `N_()` marks a label kept in a table; `tr()` translates it where it is shown.
"""
import gettext
import os
from pathlib import Path

_LOCALE_DIR = Path(__file__).resolve().parent.parent / "resources" / "i18n"
_lang = os.environ.get("VANTHU_LANG", "vi")
_catalog = gettext.translation("vanthu", _LOCALE_DIR, languages=[_lang], fallback=True)


def tr(text: str) -> str:
    return _catalog.gettext(text)


def N_(text: str) -> str:
    """Marks a label for extraction without translating it (tables of labels)."""
    return text
