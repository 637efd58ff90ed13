"""A data folder with a year (2025) of incoming and outgoing entries, built once per module:
long summaries, 60 recipients, voided and recalled entries, an empty third quarter (incoming)."""
import unicodedata
from datetime import datetime, timedelta

import pytest

ORG = "Văn phòng Ủy ban nhân dân tỉnh Sóc Trăng"
PARENT = "Ủy ban nhân dân tỉnh Sóc Trăng"
ISSUERS = ["Bộ Nội vụ", "Sở Tài chính tỉnh Sóc Trăng", "Ủy ban nhân dân huyện Mỹ Xuyên",
           "Văn phòng Chính phủ", "Sở Thông tin và Truyền thông"]
LONG = ("về việc triển khai thực hiện Kế hoạch cải cách hành chính nhà nước giai đoạn 2021–2030, "
        "chuyển đổi số và xây dựng chính quyền điện tử trên địa bàn tỉnh; ")
RECIPIENTS_60 = [{"name": f"Ủy ban nhân dân xã Phước Lợi số {i:02d} thuộc huyện Mỹ Xuyên"} for i in range(1, 61)]


def token(i: int) -> str:
    return f"VB{i:04d}Z"


def incoming_items(n: int, year: int = 2025, skip_q3: bool = True) -> list[dict]:
    """n incoming entries spread over the year (none in Q3 when skip_q3), in time order."""
    days = [d for d in range(0, 365) if not (skip_q3 and 181 <= d < 273)]
    items = []
    for i in range(1, n + 1):
        day = days[(i - 1) * len(days) // n]
        at = datetime(year, 1, 1, 8, 0) + timedelta(days=day, seconds=i)
        summary = f"{token(i)} " + (LONG * (1 + i % 3)).strip()
        if i == 7:
            summary = (token(i) + " " + LONG * 4)[:500].rstrip()      # the legal maximum, 500 characters
        if i == 9:   # decomposed (combining marks) text: stored and printed as NFC
            summary = unicodedata.normalize("NFD", f"{token(i)} Quyết định về việc tăng cường quản lý")
        items.append(dict(registered_at=at.isoformat(), arrival_at=at.isoformat(), issuer=ISSUERS[i % len(ISSUERS)],
                          reference=f"{i}/QĐ-UBND", issued_on=(at - timedelta(days=1)).date().isoformat(),
                          summary=summary, receiving_unit="Phòng Tổ chức cán bộ; Phòng Kinh tế",
                          urgency=i % 4 if i % 5 == 0 else 0,
                          received_via="electronic" if i % 3 == 0 else "paper",
                          handling_deadline=(at + timedelta(days=10)).date().isoformat() if i % 4 == 0 else None))
    return items


def outgoing_items(n: int, year: int = 2025) -> list[dict]:
    items = []
    for i in range(1, n + 1):
        at = datetime(year, 1, 3, 9, 0) + timedelta(days=(i - 1) * 360 // n)
        recipients = RECIPIENTS_60 if i == 3 else [
            {"id": "000.00.00.H53", "name": "Ủy ban nhân dân tỉnh Sóc Trăng"},
            {"name": "Công ty Cổ phần Cấp nước Sóc Trăng"} if i % 2 else {"id": "000.00.01.H53", "name": "Sở Nội vụ"}]
        items.append(dict(registered_at=at.isoformat(), issued_on=at.date().isoformat(), notation="UBND-VP",
                          doc_type="Công văn", summary=f"{token(1000 + i)} V/v " + LONG.strip(),
                          signer="Nguyễn Văn An", recipients=recipients, kept_by="Văn thư; Phòng Tổng hợp",
                          copies=2, dispatched_on=(at + timedelta(days=i % 3)).date().isoformat()))
    return items


def populate(data_dir, n_in: int = 120, n_out: int = 30) -> None:
    from app.settings import Settings
    from app.store import entries, open_store
    s = Settings(data_dir)
    s.set("org.name", ORG)
    s.set("org.parent", PARENT)
    with open_store(data_dir, actor="test") as store:
        inc = entries.register_many(store, "incoming", incoming_items(n_in), allow_duplicate=True)
        out = entries.register_many(store, "outgoing", outgoing_items(n_out))
        entries.void(store, inc[4]["id"], "Đăng ký nhầm, trùng văn bản số 04")
        entries.set_status(store, inc[10]["id"], "recalled", "Cơ quan gửi thu hồi")
        entries.void(store, out[5]["id"], "Lấy số nhầm")


@pytest.fixture(scope="module")
def year_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("reports") / "data"
    populate(d)
    return d


@pytest.fixture
def year_store(year_dir):
    from app.store import open_store
    s = open_store(year_dir, actor="test", create=False)
    yield s
    s.close()
