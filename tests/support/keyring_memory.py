"""An in-memory keyring backend for tests (select with keyring.set_keyring(MemoryKeyring()) or
PYTHON_KEYRING_BACKEND=tests.support.keyring_memory.MemoryKeyring). Nothing touches the disk."""
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    priority = 0   # never chosen automatically: only when a test selects it
    _store: dict = {}

    def __init__(self):
        super().__init__()
        self._store = {}

    def get_password(self, service, username):
        return self._store.get((service, username))

    def set_password(self, service, username, password):
        self._store[(service, username)] = password

    def delete_password(self, service, username):
        try:
            del self._store[(service, username)]
        except KeyError:
            raise PasswordDeleteError(username) from None
