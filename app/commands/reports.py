"""vanthu book incoming|outgoing|followup|postal | slip | stats | export-excel"""
import sys
from datetime import date

from ..i18n import tr
from ._common import add_format, open_store, print_json, progress_printer, settings

BOOK_KINDS = ("incoming", "outgoing", "followup", "postal")


def _date(text: str) -> date:
    from ..domain.entry import parse_date
    return parse_date(text, "date")


def _add_period(p, year_required: bool = True) -> None:
    p.add_argument("--year", type=int, required=year_required, help=tr("năm của sổ"))
    g = p.add_mutually_exclusive_group()
    g.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), help=tr("quý (1–4)"))
    p.add_argument("--from", dest="date_from", type=_date, help=tr("từ ngày (YYYY-MM-DD hoặc DD/MM/YYYY)"))
    p.add_argument("--to", dest="date_to", type=_date, help=tr("đến ngày"))


def _add_book_args(p) -> None:
    p.add_argument("kind", choices=BOOK_KINDS, help=tr("loại sổ"))
    p.add_argument("--register", help=tr("mã hoặc tên sổ (mặc định: sổ mặc định)"))
    _add_period(p)
    p.add_argument("--paper-type", action="append", dest="paper_types", metavar="TÊN_LOẠI",
                   help=tr("sổ bưu điện: tên loại văn bản luôn gửi bản giấy cho mọi nơi nhận (lặp lại được)"))


def add(sub) -> None:
    b = sub.add_parser("book", help=tr("in sổ đăng ký (PDF): theo quý, khoảng ngày hoặc cả năm (quyển năm)"))
    _add_book_args(b)
    b.add_argument("--volume", type=int, default=1, help=tr("quyển số (mặc định 1)"))
    b.add_argument("--printed", action="store_true",
                   help=tr("ghi nhận bản này là bản đã in và ký (các quý đã kết thúc): lần sau in lại đúng như vậy"))
    b.add_argument("--current", action="store_true",
                   help=tr("lập theo dữ liệu hiện tại cả với các quý đã ghi nhận là đã in"))
    b.add_argument("--out", required=True, help=tr("tệp PDF kết quả"))
    add_format(b)
    b.set_defaults(func=book)

    s = sub.add_parser("slip", help=tr("lập phiếu giải quyết văn bản đến (PDF)"))
    s.add_argument("entry", help=tr("mã văn bản"))
    s.add_argument("--out", required=True, help=tr("tệp PDF kết quả"))
    s.set_defaults(func=slip)

    st = sub.add_parser("stats", help=tr("thống kê văn bản đến, đi (JSON hoặc PDF)"))
    _add_period(st)
    st.add_argument("--register", help=tr("chỉ thống kê một sổ"))
    st.add_argument("--out", help=tr("tệp PDF kết quả (không có: in ra màn hình)"))
    add_format(st)
    st.set_defaults(func=stats)

    x = sub.add_parser("export-excel", help=tr("xuất các dòng của sổ ra tệp Excel (.xlsx)"))
    _add_book_args(x)
    x.add_argument("--out", required=True, help=tr("tệp .xlsx kết quả"))
    add_format(x)
    x.set_defaults(func=export_excel)


def _period(args) -> dict:
    return {"year": args.year, "quarter": args.quarter, "date_from": args.date_from, "date_to": args.date_to}


def book(args) -> int:
    from ..workflows import books
    with open_store(args, create=False) as store:
        result = books.print_book(store, settings(args), args.kind, register=args.register, out=args.out,
                                  volume=args.volume, paper_types=args.paper_types, record=args.printed,
                                  as_printed=not args.current, progress=progress_printer(tr("Đang lập sổ")),
                                  **_period(args))
    for line in result.warnings:
        print(tr("Lưu ý: ") + line, file=sys.stderr)
    if args.format == "json":
        print_json(result.as_dict())
    else:
        print(tr("Đã lập {label}: {n} văn bản, {p} tờ (trang {a}–{b}) → {path}").format(
            label=result.label, n=result.entries, p=result.pages, a=result.first_page, b=result.last_page,
            path=result.path))
    return 0


def slip(args) -> int:
    from ..workflows import books
    with open_store(args, create=False) as store:
        path = books.handling_slip(store, settings(args), args.entry, args.out)
    print(tr("Đã lập phiếu giải quyết → {p}").format(p=path))
    return 0


def stats(args) -> int:
    from ..reports.stats import compute_stats, stats_pdf
    with open_store(args, create=False) as store:
        cfg = settings(args)
        result = compute_stats(store, cfg, register=args.register, **_period(args))
    if args.out:
        stats_pdf(result, cfg, args.out)
    if args.format == "json":
        print_json(result)
    elif not args.out:
        _print_stats(result)
    else:
        print(tr("Đã lập bảng thống kê → {p}").format(p=args.out))
    return 0


def _pct(share: float) -> str:
    return f"{share * 100:.1f} %".replace(".", ",")


def _print_stats(r: dict) -> None:
    print(tr("Thống kê {p} (tính đến {t})").format(p=r["period"], t=r["as_of"][:16].replace("T", " ")))
    inc, out = r.get("incoming"), r.get("outgoing")
    if inc:
        print(tr("  Văn bản đến: {n} (điện tử {e}, {s}); đã hủy số {v}; quá hạn giải quyết {o}").format(
            n=inc["total"], e=inc["electronic"], s=_pct(inc["electronic_share"]), v=inc["voided"], o=inc["overdue"]))
    if out:
        print(tr("  Văn bản đi: {n} (điện tử {e}, {s}); đã hủy số {v}; không phát hành kịp thời {o}").format(
            n=out["total"], e=out["electronic"], s=_pct(out["electronic_share"]), v=out["voided"], o=out["late_dispatch"]))


def export_excel(args) -> int:
    from ..workflows import books
    with open_store(args, create=False) as store:
        result = books.export_book(store, settings(args), args.kind, register=args.register, out=args.out,
                                   paper_types=args.paper_types, progress=progress_printer(tr("Đang xuất")),
                                   **_period(args))
    if args.format == "json":
        print_json(result)
    else:
        print(tr("Đã xuất {n} dòng → {p}").format(n=result["rows"], p=result["path"]))
    return 0
