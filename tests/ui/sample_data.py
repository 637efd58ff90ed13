"""Realistic sample entries for UI tests, screenshots and the benchmark."""
import random
from datetime import timedelta

ISSUERS = ["UBND tỉnh Sóc Trăng", "Sở Tài chính", "Sở Nội vụ", "Văn phòng UBND tỉnh",
           "Sở Kế hoạch và Đầu tư", "Bộ Nội vụ", "UBND huyện Mỹ Xuyên", "Sở Giáo dục và Đào tạo"]
NOTATIONS = ["QĐ-UBND", "UBND-VX", "TB-STC", "KH-SNV", "CV-VP", "TTr-SKHĐT", "BC-UBND", "GM-SGDĐT"]
LONG_SUMMARIES = [
    "V/v triển khai thực hiện Kế hoạch chuyển đổi số năm {y} của Ủy ban nhân dân tỉnh; đề nghị các "
    "sở, ban, ngành, Ủy ban nhân dân các huyện, thị xã, thành phố rà soát danh mục thủ tục hành chính, "
    "bố trí cán bộ đầu mối và báo cáo kết quả thực hiện định kỳ hằng quý về Sở Thông tin và Truyền thông",
    "Về việc đề nghị báo cáo tình hình giải ngân vốn đầu tư công năm {y} và dự kiến kế hoạch vốn năm sau, "
    "kèm theo danh mục dự án chuyển tiếp, dự án khởi công mới và các khó khăn, vướng mắc cần tháo gỡ",
]
SUMMARIES = ["V/v triển khai kế hoạch chuyển đổi số năm {y}",
             "Về việc phê duyệt dự toán ngân sách quý {q}",
             "Thông báo lịch tiếp công dân tháng {m}",
             "Về việc cử cán bộ tham dự hội nghị tập huấn nghiệp vụ văn thư",
             "Quyết định ban hành quy chế quản lý văn bản điện tử",
             "Báo cáo tình hình thực hiện nhiệm vụ 6 tháng đầu năm {y}",
             "V/v đôn đốc nộp báo cáo thống kê định kỳ",
             "Giấy mời họp giao ban công tác cải cách hành chính"]
UNITS = ["Phòng Tổng hợp", "Phòng Hành chính - Tổ chức", "Phòng Kế hoạch - Tài chính", "Ông Nguyễn Văn Đức"]


def _summary(rng) -> str:
    return rng.choice(LONG_SUMMARIES) if rng.random() < 0.15 else rng.choice(SUMMARIES)


def incoming_item(i: int, rng: random.Random, year: int = 2026) -> dict:
    n = rng.randint(1, 3000)
    return {
        "reference": f"{n}/{rng.choice(NOTATIONS)}",
        "issuer": rng.choice(ISSUERS),
        "summary": _summary(rng).format(y=year, q=rng.randint(1, 4), m=rng.randint(1, 12)) + f" (mẫu {i})",
        "issued_on": f"{year}-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}",
        "receiving_unit": rng.choice(UNITS),
        "urgency": rng.choice([0, 0, 0, 0, 0, 0, 1, 1, 2, 3]),
        "signer": rng.choice(["Trần Thị Hồng Nhung", "Lâm Văn Mẫn", "Huỳnh Thị Diễm Ngọc"]),
        "doc_type": rng.choice(["Công văn", "Quyết định", "Thông báo", "Kế hoạch", "Giấy mời", "Báo cáo"]),
    }


def outgoing_item(i: int, rng: random.Random, year: int = 2026) -> dict:
    return {
        "doc_type": rng.choice(["Quyết định", "Công văn", "Thông báo", "Kế hoạch"]),
        "summary": _summary(rng).format(y=year, q=rng.randint(1, 4), m=rng.randint(1, 12)) + f" (đi {i})",
        "signer": "Lê Văn Thành", "signer_title": "Phó Chủ tịch",
        "recipients": [{"name": "Sở Tài chính"}, {"name": "Sở Nội vụ"}],
        "urgency": rng.choice([0, 0, 0, 1]),
    }


def populate(store, incoming: int = 40, outgoing: int = 15, seed: int = 7, now=None) -> None:
    """Register sample documents (outgoing register gets the notation UBND)."""
    from app.domain import clock
    from app.store import entries, registers
    rng = random.Random(seed)
    reg = registers.get(store, "di")
    if not reg["notation"]:
        registers.set_notation(store, "di", "UBND")
    now = now or clock.now()
    start = now - max(timedelta(days=6), timedelta(hours=3 * incoming + 12), timedelta(hours=9 * outgoing + 12))
    items = [dict(incoming_item(i, rng, now.year), registered_at=clock.iso(start + timedelta(hours=i * 3)),
                  arrival_at=clock.iso(start + timedelta(hours=i * 3)))
             for i in range(incoming)]
    items = [dict(x, issued_on=min(x["issued_on"], x["arrival_at"][:10])) for x in items]
    if items:
        entries.register_many(store, "incoming", items, allow_duplicate=True, now=now)
    out = [dict(outgoing_item(i, rng, now.year), registered_at=clock.iso(start + timedelta(hours=i * 9)))
           for i in range(outgoing)]
    if out:
        entries.register_many(store, "outgoing", out, now=now)


def main(argv=None) -> int:
    """python tests/ui/sample_data.py DIR [--incoming N] [--outgoing N]: a data folder with
    realistic entries (screenshots, trying the window by hand)."""
    import argparse
    import sys
    from pathlib import Path
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--incoming", type=int, default=300)
    p.add_argument("--outgoing", type=int, default=100)
    args = p.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from app.settings import Settings
    from app.store import open_store
    store = open_store(Path(args.dir))
    try:
        if store.query("SELECT count(*) FROM entries")[0][0]:
            print(f"{args.dir}: already has entries")
            return 0
        populate(store, args.incoming, args.outgoing)
    finally:
        store.close()
    s = Settings(Path(args.dir))
    for key, value in (("org.name", "Ủy ban nhân dân huyện Mỹ Tú"), ("org.id", "000.00.31.H53"),
                       ("org.notation", "UBND")):
        s.set(key, value)
    print(f"{args.dir}: {args.incoming} incoming, {args.outgoing} outgoing")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
