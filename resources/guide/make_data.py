"""A realistic data folder for the clerk's guide screenshots (and for trying the window).

    .venv/bin/python resources/guide/make_data.py build/guide-data [--scan] [--inbox]

Everything goes through the `vanthu` command line (the stable contract), so the folder is what a
clerk's folder looks like: an organization, 300 incoming and 100 outgoing entries over the last
four months in time order, urgent ones, entries forwarded, in progress and done, two voided
numbers with their reasons, one corrected entry; with --scan, the newest incoming document comes
from a scanned letter (tests/corpus/generate.py) through `vanthu intake`; with --inbox, two other
agencies send four documents through the reference hub (a real `vanthu hub` process, stopped
afterwards), so that "Chờ tiếp nhận" has documents waiting. Deterministic except for times."""
from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VN = timezone(timedelta(hours=7))

ISSUERS = [("UBND tỉnh Sóc Trăng", "000.00.00.H53", "UBND"), ("Sở Tài chính", "000.00.05.H53", "STC"),
           ("Sở Nội vụ", "000.00.06.H53", "SNV"), ("Văn phòng UBND tỉnh", "000.00.01.H53", "VP"),
           ("Sở Kế hoạch và Đầu tư", "000.00.07.H53", "SKHĐT"), ("Bộ Nội vụ", "000.00.00.G12", "BNV"),
           ("UBND huyện Mỹ Xuyên", "000.00.20.H53", "UBND"), ("Sở Giáo dục và Đào tạo", "000.00.09.H53", "SGDĐT"),
           ("Sở Y tế", "000.00.11.H53", "SYT"), ("Kho bạc Nhà nước tỉnh Sóc Trăng", "", "KBNN")]
TYPES = [("Công văn", ""), ("Quyết định", "QĐ"), ("Thông báo", "TB"), ("Kế hoạch", "KH"),
         ("Báo cáo", "BC"), ("Giấy mời", "GM"), ("Tờ trình", "TTr")]
SUBJECTS = ["triển khai kế hoạch chuyển đổi số năm 2026",
            "phê duyệt dự toán ngân sách nhà nước quý IV năm 2026",
            "lịch tiếp công dân định kỳ tháng 12 năm 2026",
            "cử cán bộ tham dự hội nghị tập huấn nghiệp vụ văn thư, lưu trữ",
            "ban hành Quy chế quản lý và sử dụng văn bản điện tử trong cơ quan",
            "tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội 10 tháng đầu năm",
            "đôn đốc nộp báo cáo thống kê định kỳ về cải cách hành chính",
            "họp giao ban công tác cải cách hành chính quý IV",
            "kiểm tra công tác phòng cháy, chữa cháy tại trụ sở cơ quan",
            "góp ý dự thảo Nghị quyết về chính sách hỗ trợ hộ nghèo, hộ cận nghèo",
            "tổ chức các hoạt động kỷ niệm Ngày Nhà giáo Việt Nam 20/11",
            "điều chỉnh kế hoạch đầu tư công trung hạn giai đoạn 2026-2030",
            "cung cấp số liệu phục vụ xây dựng báo cáo tổng kết năm 2026",
            "phân bổ kinh phí sửa chữa, chống xuống cấp trường học"]
UNITS = ["Phòng Tổng hợp", "Phòng Hành chính - Tổ chức", "Phòng Kế hoạch - Tài chính",
         "Phòng Kinh tế", "Ông Nguyễn Văn Đức, Phó Chánh Văn phòng"]
INBOX = [("000.00.00.H53", "UBND tỉnh Sóc Trăng", "Công văn", "Hỏa tốc",
          "V/v triển khai công tác phòng, chống thiên tai mùa mưa bão năm 2026"),
         ("000.00.00.H53", "UBND tỉnh Sóc Trăng", "Quyết định", None,
          "Quyết định phê duyệt Kế hoạch cải cách hành chính năm 2027"),
         ("000.00.02.H53", "Sở Thông tin và Truyền thông", "Giấy mời", "Khẩn",
          "Giấy mời dự Hội nghị tập huấn sử dụng văn bản điện tử"),
         ("000.00.02.H53", "Sở Thông tin và Truyền thông", "Công văn", None,
          "V/v cập nhật danh bạ mã định danh cơ quan trên trục liên thông")]
SIGNERS = [("Trần Thị Hồng Nhung", "Phó Giám đốc"), ("Lê Văn Thành", "Phó Chủ tịch"),
           ("Nguyễn Hoàng Minh", "Giám đốc"), ("Phạm Thị Thu Hà", "Chánh Văn phòng")]
RECIPIENTS = [{"id": "000.00.05.H53", "name": "Sở Tài chính"}, {"id": "000.00.06.H53", "name": "Sở Nội vụ"},
              {"id": "000.00.07.H53", "name": "Sở Kế hoạch và Đầu tư"}, {"name": "Công an tỉnh"},
              {"id": "000.00.20.H53", "name": "UBND huyện Mỹ Xuyên"}]


def vanthu(data: Path, *args: str, stdin: str | None = None) -> str:
    cmd = [sys.executable, "-m", "app.cli", "--data-dir", str(data), *args]
    done = subprocess.run(cmd, input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=600)
    if done.returncode:
        raise SystemExit(f"{' '.join(args[:2])}: {done.stderr.strip()}")
    return done.stdout


def working_times(rng: random.Random, start: datetime, end: datetime, n: int) -> list[datetime]:
    out = []
    while len(out) < n:
        t = start + timedelta(seconds=rng.uniform(0, (end - start).total_seconds()))
        if t.weekday() < 5 and (7 <= t.hour < 11 or 13 <= t.hour < 17):
            out.append(t.replace(microsecond=0))
    return sorted(out)


def incoming(rng: random.Random, at: datetime) -> dict:
    issuer, org_id, short = rng.choice(ISSUERS)
    doc_type, abbr = rng.choice(TYPES)
    number = rng.randint(1, 2400)
    notation = f"{abbr}-{short}" if abbr else f"{short}-VP"
    issued = at - timedelta(days=rng.randint(1, 6))
    subject = rng.choice(SUBJECTS)
    signer, title = rng.choice(SIGNERS)
    item = {"reference": f"{number:02d}/{notation}", "doc_type": doc_type, "issuer": issuer,
            "summary": ("V/v " + subject) if doc_type == "Công văn" else subject[0].upper() + subject[1:],
            "issued_on": issued.date().isoformat(), "signer": signer, "signer_title": title,
            "arrival_at": at.isoformat(), "registered_at": at.isoformat(),
            "received_via": rng.choice(["paper", "electronic", "electronic"]),
            "receiving_unit": rng.choice(UNITS), "urgency": rng.choice([0] * 8 + [1, 1, 2, 3]),
            "pages": rng.randint(1, 6)}
    if org_id:
        item["issuer_id"] = org_id
    if rng.random() < 0.3:
        item["handling_deadline"] = (at + timedelta(days=rng.randint(5, 20))).date().isoformat()
    return item


def outgoing(rng: random.Random, at: datetime) -> dict:
    doc_type, _ = rng.choice(TYPES[:5])
    subject = rng.choice(SUBJECTS)
    signer, title = rng.choice(SIGNERS[1:2] + SIGNERS[3:])
    return {"doc_type": doc_type, "registered_at": at.isoformat(), "issued_on": at.date().isoformat(),
            "summary": ("V/v " + subject) if doc_type == "Công văn" else subject[0].upper() + subject[1:],
            "signer": signer, "signer_title": title, "place": "Sóc Trăng",
            "recipients": rng.sample(RECIPIENTS, rng.randint(1, 3)), "urgency": rng.choice([0] * 6 + [1]),
            "copies": rng.randint(2, 8), "kept_by": "Phòng Tổng hợp"}


def build(data: Path, scan: bool, inbox: bool = False) -> None:
    if (data / "vanthu.sqlite3").exists():
        raise SystemExit(f"{data} already holds a register: choose an empty folder")
    rng = random.Random(2026)
    for key, value in [("org.name", "Văn phòng Ủy ban nhân dân tỉnh Sóc Trăng"), ("org.id", "000.00.01.H53"),
                       ("org.parent", "Ủy ban nhân dân tỉnh Sóc Trăng"), ("org.place", "Sóc Trăng"),
                       ("org.notation", "VP")]:
        vanthu(data, "config", "set", key, value)
    now = datetime.now(VN).replace(microsecond=0)
    start = now - timedelta(days=120)
    ins = [incoming(rng, t) for t in working_times(rng, start, now - timedelta(hours=2), 300)]
    outs = [outgoing(rng, t) for t in working_times(rng, start, now - timedelta(hours=3), 100)]
    with tempfile.TemporaryDirectory() as tmp:
        for kind, items in (("incoming", ins), ("outgoing", outs)):
            f = Path(tmp) / f"{kind}.json"
            f.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
            vanthu(data, "register", kind, "--json", str(f), "--allow-duplicate")
    listed = json.loads(vanthu(data, "list", "--limit", "500", "--format", "json"))
    by_kind: dict[str, list[dict]] = {}
    for e in listed:
        by_kind.setdefault("incoming" if e["register"] == "den" else "outgoing", []).append(e)
    olds = sorted(by_kind["incoming"], key=lambda e: e["register_number"])
    for e in olds[:-25]:  # older mail has been handled
        vanthu(data, "status", str(e["id"]), rng.choice(["forwarded", "in_progress", "done", "done"]))
    for e in sorted(by_kind["outgoing"], key=lambda e: e["register_number"])[:-4]:
        vanthu(data, "status", str(e["id"]), "dispatched")
    vanthu(data, "void", str(olds[40]["id"]), "--reason", "Đăng ký trùng với số đến trước đó")
    outs_sorted = sorted(by_kind["outgoing"], key=lambda e: e["register_number"])
    vanthu(data, "void", str(outs_sorted[17]["id"]), "--reason", "Lãnh đạo không ký, văn bản không ban hành")
    vanthu(data, "correct", str(olds[-3]["id"]), "--reason", "Sửa trích yếu theo bản gốc",
           "--summary", "V/v góp ý dự thảo Quy chế phối hợp tiếp nhận, xử lý văn bản điện tử")
    if inbox:
        receive(data)
    if scan:  # last, so that the newest entry (the 'detail' and 'number' views) is this letter
        sys.path.insert(0, str(ROOT))
        from tests.corpus.generate import make_document, write_document
        with tempfile.TemporaryDirectory() as tmp:
            doc = make_document(seed=11, doc_type="Công văn", urgency=None)
            files = write_document(doc, Path(tmp), fmt="pdf", scanned=True)
            vanthu(data, "intake", str(files), "--allow-duplicate")
    print(f"{data}: {len(ins)} incoming, {len(outs)} outgoing")


def receive(data: Path) -> None:
    """Other agencies send documents to this one through a real hub process; this folder fetches
    them once, so they wait in the inbox. Credentials live in an in-memory keyring (this process)."""
    import keyring
    sys.path.insert(0, str(ROOT))
    from app.settings import Settings
    from app.store import open_store
    from app.sync import credentials
    from app.sync.worker import sync_once
    from app.workflows import exchange, registering
    from tests.corpus.generate import make_document, write_document
    from tests.support.keyring_memory import MemoryKeyring
    from tests.sync.hubproc import Hub
    keyring.set_keyring(MemoryKeyring())
    me = Settings(data).get("org.id")
    secrets = {org: f"demo-secret-{org}" for org in {me, *(o for o, *_ in INBOX)}}
    with tempfile.TemporaryDirectory() as tmp:
        hub = Hub(Path(tmp) / "hub", secrets).start()
        try:
            for i, (org, name, doc_type, urgency, summary) in enumerate(INBOX):
                folder = Path(tmp) / org
                store, settings = open_store(folder, actor="demo"), Settings(folder)
                for key, value in (("org.id", org), ("org.name", name), ("server.url", hub.url),
                                   ("org.notation", "UBND" if org.endswith("00.H53") else "STTTT")):
                    settings.set(key, value)
                credentials.save(hub.url, org, secrets[org], org)
                pdf = write_document(make_document(seed=40 + i, doc_type=doc_type), Path(tmp), fmt="pdf",
                                     scanned=False, name=f"van-ban-{i}")
                done = registering.register(store, "outgoing", {
                    "doc_type": doc_type, "summary": summary, "signer": "Trần Văn Hùng",
                    "signer_title": "Phó Chủ tịch", "urgency": urgency or 0, "place": "Sóc Trăng"},
                    settings=settings, files=[registering.FileToAttach(pdf, "signed", pdf.name)])
                exchange.send(store, settings, done.entry.id, [me])
                sync_once(store, settings)
                store.close()
            mine = Settings(data)
            mine.set("server.url", hub.url)
            credentials.save(hub.url, me, secrets[me], me)
            store = open_store(data, actor="clerk")
            for _ in range(5):
                report = sync_once(store, mine)
                if report.online and report.received == 0:
                    break
        finally:
            hub.stop()
        # The line goes down: one more document is signed and sent; it waits in the outbox.
        pdf = write_document(make_document(seed=60, doc_type="Công văn"), Path(tmp), fmt="pdf", scanned=False,
                             name="gui-di")
        done = registering.register(store, "outgoing", {
            "doc_type": "Công văn", "summary": "V/v báo cáo kết quả triển khai văn bản điện tử năm 2026",
            "signer": "Phạm Thị Thu Hà", "signer_title": "Chánh Văn phòng", "place": "Sóc Trăng",
            "recipients": [{"id": "000.00.00.H53", "name": "UBND tỉnh Sóc Trăng"}]},
            settings=mine, files=[registering.FileToAttach(pdf, "signed", pdf.name)])
        exchange.send(store, mine, done.entry.id, ["000.00.00.H53"])
        sync_once(store, mine)   # offline now: the status line says so
        store.close()
        mine.set("server.url", "https://truc-lien-thong.soctrang.gov.vn/")   # not the demo hub's port


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        raise SystemExit(__doc__)
    build(Path(args[0]).resolve(), "--scan" in sys.argv, "--inbox" in sys.argv)
