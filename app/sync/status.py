"""The last known state of the link for a status bar, read without opening the store (no
migration, no write): for the full picture use app.sync.worker.status(store)."""
import sqlite3
from pathlib import Path


def last_online(settings) -> bool | None:
    """True/False: the state recorded by the last sync round; None: never synced (or no data)."""
    db = Path(settings.path).parent / "vanthu.sqlite3"
    if not db.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=2)
        try:
            row = conn.execute("SELECT value FROM sync_state WHERE key = 'online'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return None if row is None else row[0] == "1"
