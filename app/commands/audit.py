"""vanthu audit verify"""
import sys

from ..i18n import tr
from ._common import open_store


def add(sub) -> None:
    p = sub.add_parser("audit", help=tr("kiểm tra tính toàn vẹn của sổ và nhật ký"))
    s = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    v = s.add_parser("verify", help=tr("kiểm tra chuỗi nhật ký, nội dung và số liên tục"))
    v.set_defaults(func=verify)


def verify(args) -> int:
    from ..store import integrity
    from ._common import progress_printer
    with open_store(args, create=False) as store:
        big = store.query("SELECT count(*) FROM entries")[0][0] >= 50_000
        problems = integrity.verify(store, progress_printer(tr("Đang kiểm tra")) if big else None)
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        print(tr("PHÁT HIỆN {n} vấn đề về toàn vẹn dữ liệu.").format(n=len(problems)), file=sys.stderr)
        return 6
    print(tr("Toàn vẹn: nhật ký, nội dung và số thứ tự đều khớp."))
    return 0
