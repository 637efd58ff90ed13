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
    with open_store(args, create=False) as store:
        problems = integrity.verify(store)
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        print(tr("PHÁT HIỆN {n} vấn đề về toàn vẹn dữ liệu.").format(n=len(problems)), file=sys.stderr)
        return 6
    print(tr("Toàn vẹn: nhật ký, nội dung và số thứ tự đều khớp."))
    return 0
