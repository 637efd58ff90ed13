"""Which quarters of a book were printed and signed: for each, the revision of every row laid
out, its pages and fingerprint, in <data>/books/<kind>-<register>-<year>-v<volume>.json.
A printed quarter is reproduced from those revisions (the store keeps every revision), so a lost
sheet is reprinted as it was signed even when the register changed afterwards, and the changes
since are listed for the clerk."""
import json
from pathlib import Path

from ..domain import clock
from ..domain.reference import format_number
from ..errors import ValidationError
from ..i18n import tr
from ..jsonfile import write_atomic
from ..store import books as store_books
from ..store.entries import STATUS_LABELS, content_hash
from ..store.registers import RegisterDict
from . import source

MAX_WARNINGS = 30


def path(store, kind: str, register: str, year: int, volume: int) -> Path:
    return Path(store.data_dir) / "books" / f"{kind}-{register}-{year}-v{volume}.json"


def load(store, kind: str, register: str, year: int, volume: int) -> dict:
    p = path(store, kind, register, year, volume)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"quarters": {}}
    except (OSError, ValueError) as exc:
        raise ValidationError(tr("Tệp ghi nhận các quý đã in {p} bị hỏng; hãy khôi phục từ bản sao lưu "
                                 "hoặc lập sổ theo dữ liệu hiện tại.").format(p=p), str(exc)) from exc
    if not isinstance(data.get("quarters"), dict):
        raise ValidationError(tr("Tệp ghi nhận các quý đã in {p} không đúng dạng.").format(p=p))
    return data


def save(store, kind: str, register: str, year: int, volume: int, data: dict) -> None:
    write_atomic(path(store, kind, register, year, volume), data, separators=(",", ":"))


def make_record(sec, rows: list[list[int]]) -> dict:
    return {"printed_at": clock.iso(clock.now()), "label": sec.label, "first_page": sec.first_page,
            "last_page": sec.last_page, "count": sec.count, "voided": sec.voided,
            "first_number": sec.first_number, "last_number": sec.last_number, "last_date": sec.last_date,
            "fingerprint": sec.fingerprint, "rows": rows}


def printed_rows(store, record: dict):
    """The rows as they were when printed, in the printed order (dicts shaped like entry rows)."""
    pairs = record["rows"]
    for start in range(0, len(pairs), 400):
        part = pairs[start:start + 400]
        found = store_books.revisions(store, part)
        for entry_id, revision in part:
            data = found.get((entry_id, revision))
            if data is None:
                raise ValidationError(tr("Không tìm thấy phiên bản {r} của văn bản mã {i} đã in; dữ liệu có thể "
                                         "đã được khôi phục từ bản sao lưu cũ. Hãy lập sổ theo dữ liệu hiện "
                                         "tại.").format(r=revision, i=entry_id))
            row = json.loads(data)
            row["content_hash"] = content_hash(row)
            row["id"] = entry_id
            yield row


def changes_since(store, form, reg: RegisterDict, year: int, sec, record: dict, options: dict) -> list[str]:
    """What changed in this quarter since it was printed, one line per entry, for the clerk."""
    printed = {entry_id: revision for entry_id, revision in record["rows"]}
    current = {}
    for row in source.rows(store, form, reg["id"], year, sec.start, sec.end):
        if not form.keep or form.keep(row, options):
            current[row["id"]] = row
    lines = []
    when = record["printed_at"][:10]
    for entry_id, row in current.items():
        n = format_number(row["register_number"])
        if entry_id not in printed:
            lines.append(tr("Số {n}: ghi vào sổ sau khi in, KHÔNG có trong bản này.").format(n=n))
        elif row["revision"] != printed[entry_id]:
            what = tr("đã hủy số") if row["status"] == "voided" else \
                tr("đã sửa hoặc đổi trạng thái ({s})").format(s=STATUS_LABELS.get(row["status"], row["status"]))
            lines.append(tr("Số {n}: {w} sau khi in.").format(n=n, w=what))
    gone = [i for i in printed if i not in current]
    if gone:
        lines.append(tr("{k} văn bản đã in không còn thuộc sổ này theo dữ liệu hiện tại.").format(k=len(gone)))
    if not lines:
        return []
    head = tr("{label} đã in ngày {d}; bản này giữ đúng như đã in. Thay đổi sau đó (ghi tay vào sổ "
              "hoặc lập lại theo dữ liệu hiện tại):").format(label=record["label"], d=when)
    more = len(lines) - MAX_WARNINGS
    lines = lines[:MAX_WARNINGS] + ([tr("… và {k} thay đổi khác.").format(k=more)] if more > 0 else [])
    return [head, *lines]
