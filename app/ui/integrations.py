"""The UI's single point of contact with the areas built beside it (scan, sign, sync, reports).
Each function says whether its area is available, so that a screen whose area has not landed
shows that plainly instead of pretending."""
import importlib
import importlib.util
import logging
import sys

log = logging.getLogger(__name__)


def module(name: str):
    """app.<name> if it is importable, else None."""
    try:
        if importlib.util.find_spec(f"app.{name.split('.')[0]}") is None:
            return None
        return importlib.import_module(f"app.{name}")
    except Exception as exc:  # an area under construction may fail to import
        log.info("area app.%s not available: %s", name, exc)
        return None


def has(name: str, *attrs: str) -> bool:
    """Whether app.<name> exists (and has `attrs`). Without importing it when it is not loaded
    yet: the areas' libraries (reportlab, pyhanko, lxml...) would slow the start-up; the
    attributes are then checked when the module is first imported for real."""
    full = f"app.{name}"
    if full not in sys.modules:
        try:
            return importlib.util.find_spec(full) is not None
        except (ImportError, ValueError):
            return False
    mod = module(name)
    return mod is not None and all(hasattr(mod, a) for a in attrs)


def online_state(settings) -> bool | None:
    """None: no server configured; True/False: the last known state of the link."""
    if not settings.get("server.url"):
        return None
    status = module("sync.status")
    if status is not None and hasattr(status, "last_online"):
        try:
            return bool(status.last_online(settings))
        except Exception as exc:
            log.info("sync status unavailable: %s", exc)
    return False


def token_state(settings) -> bool | None:
    """None: no PKCS#11 module configured; True: the configured token is present."""
    path = settings.get("token.module")
    if not path:
        return None
    tokens = module("sign.tokens")
    if tokens is None or not hasattr(tokens, "list_tokens"):
        return False
    try:
        found = tokens.list_tokens(path, refresh=True)
    except Exception as exc:
        log.debug("token listing failed: %s", exc)
        return False
    label = settings.get("token.label")
    return any(getattr(t, "label", None) == label for t in found) if label else bool(found)


def sync_status(store) -> dict | None:
    """app.sync.worker.status(store) (online, waiting, parked, inbox_pending, clock skew), or
    None when the exchange part is not available."""
    worker = module("sync.worker")
    if worker is None or not hasattr(worker, "status"):
        return None
    try:
        return worker.status(store)
    except Exception as exc:
        log.info("sync status unavailable: %s", exc)
        return None
