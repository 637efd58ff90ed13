"""Fixtures for the exchange tests: the hub as a real process, workstations (data folders with
settings and a credential in an in-memory keyring), the fault proxy."""
import keyring
import pytest

from tests.support.keyring_memory import MemoryKeyring

from .faultproxy import FaultProxy
from .hubproc import Hub

ORG_A, ORG_B, ORG_C = "000.00.00.H53", "000.00.01.H53", "000.00.02.H53"
SECRETS = {ORG_A: "secret-a-0123456789", ORG_B: "secret-b-0123456789", ORG_C: "secret-c-0123456789"}


@pytest.fixture(autouse=True)
def memory_keyring():
    previous = keyring.get_keyring()
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    yield kr
    keyring.set_keyring(previous)


@pytest.fixture
def hub(tmp_path):
    h = Hub(tmp_path / "hub", dict(SECRETS)).start()
    yield h
    h.stop()


@pytest.fixture
def proxy(hub):
    p = FaultProxy(hub.port)
    yield p
    p.close()


class Workstation:
    def __init__(self, root, org_id, name, url, timeout=5.0):
        from app.settings import Settings
        from app.store import open_store
        from app.sync import credentials
        self.dir = root
        self.store = open_store(root, actor="clerk")
        self.settings = Settings(root)
        self.settings.set("org.id", org_id)
        self.settings.set("org.name", name)
        self.settings.set("server.url", url)
        self.settings.set("provincial.url", url)     # the reference hub plays both roles
        self.settings.set("server.timeout", timeout)
        self.settings.set("sync.interval", 1)
        credentials.save(url, org_id, SECRETS[org_id], org_id)   # one keyring entry serves both (same URL)
        self.org_id = org_id

    def sync(self, **kw):
        from app.sync.worker import sync_once
        return sync_once(self.store, self.settings, **kw)

    def sync_until_quiet(self, rounds: int = 20, **kw):
        """Sync until nothing is waiting and nothing new arrives (bounded)."""
        from app.store import outbox
        last = None
        for _ in range(rounds):
            last = self.sync(**kw)
            if last.online and outbox.counts(self.store).get("pending", 0) == 0 and last.received == 0:
                return last
        return last

    def close(self):
        self.store.close()


NO_SERVER = "http://127.0.0.1:9"   # discard port: nothing listens (tests that need no hub)


@pytest.fixture
def workstation(tmp_path, request):
    """Factory of workstations; the hub process is started only for those that use it."""
    made = []

    def make(org_id=ORG_A, name="UBND tỉnh Sóc Trăng", url=None, sub=None, timeout=5.0):
        url = url or request.getfixturevalue("hub").url
        ws = Workstation(tmp_path / (sub or f"ws-{org_id}-{len(made)}"), org_id, name, url, timeout)
        made.append(ws)
        return ws
    yield make
    for ws in made:
        ws.close()
