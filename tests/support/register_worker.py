"""Registers documents in a loop and prints each number once it is committed.
Used by the concurrency and crash tests: python tests/support/register_worker.py DATA N TAG"""
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.errors import DatabaseLockedError, ValidationError
from app.store import entries, open_store


def main(data_dir: str, count: int, tag: str) -> None:
    store = open_store(data_dir, actor=f"worker-{tag}")
    rnd = random.Random(tag)
    for i in range(count):
        data = {"summary": f"Văn bản {tag}-{i} về việc kiểm tra số đến", "issuer": "Sở Nội vụ",
                "reference": f"{i + 1}/TB-{tag.upper()}", "issued_on": "2026-01-02"}
        while True:
            try:
                if rnd.random() < 0.1 and i:
                    e = entries.list_entries(store, limit=1)[0]
                    if e["status"] != "voided":
                        try:
                            entries.void(store, e["id"], f"hủy thử {tag}")
                        except ValidationError:   # another worker voided it between our read and write
                            if entries.get(store, e["id"])["status"] != "voided":
                                raise
                e = entries.register(store, "incoming", data, allow_duplicate=True)
                if rnd.random() < 0.2:
                    try:
                        entries.revise(store, e["id"], {"note": f"sửa {i}"}, "bổ sung ghi chú")
                    except ValidationError:   # another worker voided our new entry first
                        if entries.get(store, e["id"])["status"] != "voided":
                            raise
                break
            except DatabaseLockedError:
                continue
        print(e["register_number"], e["uid"], flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
