"""Runs sync rounds in a child process until nothing is waiting (killed by the SIGKILL tests)."""
import sys

import keyring

from tests.support.keyring_memory import MemoryKeyring


def main() -> int:
    data, url, org, secret = sys.argv[1:5]
    keyring.set_keyring(MemoryKeyring())
    from app.settings import Settings
    from app.store import open_store
    from app.sync import credentials, worker
    credentials.save(url, org, secret, org)
    store = open_store(data, actor="child")
    settings = Settings(data)
    print("START", flush=True)
    for _ in range(200):
        r = worker.sync_once(store, settings, progress=lambda done, total: print(f"P {done} {total}", flush=True))
        if r.online and r.waiting == 0 and r.received == 0:
            print("DONE", flush=True)
            return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
