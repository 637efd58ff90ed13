"""vanthu self-test [--format json] [--only ID ...]"""
from ..i18n import tr
from ._common import add_format, print_json


def add(sub) -> None:
    from ..selftest import CHECKS  # light: the checks import their libraries when they run
    p = sub.add_parser("self-test", help=tr("kiểm tra máy đã sẵn sàng làm việc chưa"),
                       description=tr("Kiểm tra Tesseract và dữ liệu tiếng Việt, phông chữ, thư mục dữ liệu, "
                                      "kho khóa, thư viện token, máy quét và máy chủ liên thông. "
                                      "Mã thoát 0: mọi thứ ổn hoặc chỉ có cảnh báo; 1: có lỗi."))
    add_format(p)
    p.add_argument("--only", nargs="+", metavar="CHECK", choices=[c.id for c in CHECKS],
                   help=tr("chỉ chạy các kiểm tra này: {c}").format(c=", ".join(c.id for c in CHECKS)))
    p.add_argument("--timeout", type=float, default=10.0, help=tr("thời gian chờ máy chủ (giây)"))
    p.set_defaults(func=run)


def run(args) -> int:
    import sys

    from ..selftest import run_checks
    report = run_checks(args.data_dir, only=args.only, timeout=args.timeout)
    if args.format == "json":
        print_json(report.to_dict())
    else:
        print(report.to_text())
        sys.stdout.flush()
    return report.exit_code
