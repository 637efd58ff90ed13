"""vanthu audit verify [--full]"""
import sys

from ..i18n import tr
from ._common import add_format, open_store, print_json


def add(sub) -> None:
    p = sub.add_parser("audit", help=tr("kiểm tra tính toàn vẹn của sổ và nhật ký"))
    s = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    v = s.add_parser("verify", help=tr("kiểm tra chuỗi nhật ký, nội dung và số liên tục (mặc định: phần thay đổi "
                                      "từ lần kiểm tra trước)"))
    v.add_argument("--full", action="store_true",
                   help=tr("kiểm tra lại toàn bộ, không dựa vào lần kiểm tra trước (lâu hơn)"))
    add_format(v)
    v.set_defaults(func=verify)


def verify(args) -> int:
    from ..workflows import audit, queries
    from ._common import progress_printer
    with open_store(args, create=False) as store:
        big = queries.total_entries(store) >= 50_000
        rep = audit.verify(store, full=args.full, progress=progress_printer(tr("Đang kiểm tra")) if big else None)
    if args.format == "json":
        print_json({"ok": not rep.problems, "problems": rep.problems, "full": rep.full,
                    "entries_checked": rep.entries_checked, "audit_checked": rep.audit_checked, "since": rep.since})
        return 6 if rep.problems else 0
    if rep.problems:
        for p in rep.problems:
            print(p, file=sys.stderr)
        print(tr("PHÁT HIỆN {n} vấn đề về toàn vẹn dữ liệu.").format(n=len(rep.problems)), file=sys.stderr)
        return 6
    print(tr("Toàn vẹn: nhật ký, nội dung và số thứ tự đều khớp."))
    if not rep.full:
        print(tr("(Kiểm tra phần thay đổi từ lần kiểm tra trước: {e} văn bản, {a} bản ghi nhật ký; "
                 "dùng --full để kiểm tra lại toàn bộ.)").format(e=rep.entries_checked, a=rep.audit_checked))
    return 0
