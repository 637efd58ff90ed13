"""Benchmark: a year of 10,000 incoming entries -> the yearly volume PDF (seconds, peak memory),
and for comparison the same rows written as a spreadsheet and converted to PDF by LibreOffice.

    .venv/bin/python bench/books.py [N]

The book is built in a fresh child process so that its peak memory (max RSS) is its own."""
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORDS = ("về việc triển khai thực hiện kế hoạch cải cách hành chính chuyển đổi số xây dựng chính quyền "
         "điện tử tăng cường công tác quản lý nhà nước đất đai tài nguyên môi trường phòng chống thiên tai "
         "năm 2025 trên địa bàn tỉnh báo cáo kết quả đề nghị cung cấp thông tin").split()
ISSUERS = ["Bộ Nội vụ", "Văn phòng Chính phủ", "Sở Tài chính tỉnh Sóc Trăng", "Sở Nội vụ tỉnh Sóc Trăng",
           "Ủy ban nhân dân huyện Mỹ Xuyên", "Ủy ban nhân dân thị xã Vĩnh Châu", "Sở Y tế tỉnh Sóc Trăng"]
TYPES = ["Công văn", "Quyết định", "Thông báo", "Kế hoạch", "Báo cáo", "Giấy mời"]


def populate(data_dir: Path, n: int) -> None:
    from app.settings import Settings
    from app.store import entries, open_store
    st = Settings(data_dir)
    st.set("org.name", "Văn phòng Ủy ban nhân dân tỉnh Sóc Trăng")
    st.set("org.parent", "Ủy ban nhân dân tỉnh Sóc Trăng")
    rnd = random.Random(2025)
    t0 = datetime(2025, 1, 2, 7, 30)
    step = (datetime(2025, 12, 30) - t0) / n
    items = []
    for i in range(n):
        at = t0 + step * i
        summary = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(12, 60)))
        items.append(dict(registered_at=at.isoformat(timespec="seconds"), arrival_at=at.isoformat(timespec="seconds"),
                          issuer=rnd.choice(ISSUERS), doc_type=rnd.choice(TYPES), number=str(i + 1),
                          notation="UBND-VP", issued_on=(at - timedelta(days=1)).date().isoformat(),
                          summary=summary, receiving_unit=rnd.choice(["Phòng Tổng hợp", "Phòng Kinh tế; Phòng Nội chính",
                                                                      "Lãnh đạo Văn phòng"]),
                          urgency=rnd.choice([0, 0, 0, 0, 1, 2]), received_via=rnd.choice(["paper", "electronic"])))
    with open_store(data_dir) as store:
        entries.register_many(store, "incoming", items, allow_duplicate=True)


def child(data_dir: str, out: str) -> None:
    from app.reports.books import build_book
    from app.store import open_store
    t = time.perf_counter()
    with open_store(data_dir, create=False) as store:
        r = build_book(store, None, "incoming", year=2025, out=out)
    seconds = time.perf_counter() - t
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    with open_store(data_dir, create=False) as store:    # Q4 alone: Q1-Q3 laid out to count pages
        q4 = build_book(store, None, "incoming", year=2025, quarter=4, out=out + ".q4.pdf")
    q4_s = time.perf_counter() - t
    with open_store(data_dir, create=False) as store:    # record the quarters as printed, then reprint
        build_book(store, None, "incoming", year=2025, out=out + ".rec.pdf", record=True)
        t = time.perf_counter()
        again = build_book(store, None, "incoming", year=2025, out=out + ".again.pdf")
        again_s = time.perf_counter() - t
    identical = Path(out + ".rec.pdf").read_bytes() == Path(out + ".again.pdf").read_bytes()
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "pages": r.pages, "entries": r.entries,
                      "q4_seconds": q4_s, "q4_pages": q4.pages, "q4_first": q4.first_page,
                      "again_seconds": again_s, "again_identical": identical and all(s.as_printed for s in again.sections)}))


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    tmp = Path(tempfile.mkdtemp(prefix="vanthu-bench-"))
    try:
        data = tmp / "data"
        t = time.perf_counter()
        populate(data, n)
        print(f"setup: {n} incoming entries registered in {time.perf_counter() - t:.1f} s")
        pdf = tmp / "volume.pdf"
        res = subprocess.run([sys.executable, __file__, "--child", str(data), str(pdf)], capture_output=True,
                             text=True, timeout=900, env=dict(os.environ, OMP_THREAD_LIMIT="1"))
        if res.returncode:
            sys.exit(res.stderr)
        r = json.loads(res.stdout.strip().splitlines()[-1])
        print(f"yearly volume PDF: {r['entries']} entries, {r['pages']} pages, {pdf.stat().st_size / 1e6:.1f} MB "
              f"in {r['seconds']:.2f} s, peak memory {r['peak_mb']:.0f} MB (targets: < 10 s, < 300 MB)")
        print(f"fourth quarter alone: {r['q4_pages']} sheets from page {r['q4_first']} in {r['q4_seconds']:.2f} s")
        print(f"volume reproduced from the printed record: {r['again_seconds']:.2f} s, "
              f"byte-identical: {r['again_identical']}")

        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        from app.reports.excel import export_excel
        from app.store import open_store
        xlsx = tmp / "volume.xlsx"
        t = time.perf_counter()
        with open_store(data, create=False) as store:
            export_excel(store, None, "incoming", year=2025, out=xlsx)
        x_s = time.perf_counter() - t
        print(f"spreadsheet (openpyxl): {xlsx.stat().st_size / 1e6:.1f} MB in {x_s:.2f} s")
        if not soffice:
            print("LibreOffice: not installed, comparison skipped")
            return
        profile = tmp / "lo-profile"
        t = time.perf_counter()
        res = subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                              "--outdir", str(tmp / "lo"), str(xlsx)], capture_output=True, text=True, timeout=1800)
        lo_s = time.perf_counter() - t
        lo_pdf = tmp / "lo" / "volume.pdf"
        if res.returncode or not lo_pdf.exists():
            print(f"LibreOffice: conversion failed ({res.returncode}): {res.stderr.strip()[:300]}")
            return
        lo_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        import pymupdf
        with pymupdf.open(lo_pdf) as doc:
            lo_pages = doc.page_count
        print(f"LibreOffice (soffice --headless --convert-to pdf): {lo_pages} pages in {lo_s:.1f} s "
              f"(+ {x_s:.1f} s to write the spreadsheet), peak memory of the largest child {lo_peak:.0f} MB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
