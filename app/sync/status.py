"""The last known state of the link for a status bar, read without opening the store (no
migration, no write): for the full picture use app.sync.worker.status(store)."""
from pathlib import Path

from ..store import exchange as xstore


def last_online(settings) -> bool | None:
    """True/False: the state recorded by the last sync round; None: never synced (or no data)."""
    return xstore.last_online_readonly(Path(settings.path).parent / "vanthu.sqlite3")
