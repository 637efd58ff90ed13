"""vanthu registers create|list"""
from ..i18n import tr
from ._common import add_format, open_store, print_json


def add(sub) -> None:
    p = sub.add_parser("registers", help=tr("tạo và liệt kê sổ đăng ký"))
    s = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    c = s.add_parser("create", help=tr("tạo sổ mới (một dãy số riêng mỗi năm)"))
    c.add_argument("code", help=tr("mã sổ, ví dụ qd"))
    c.add_argument("--kind", required=True, choices=("incoming", "outgoing", "copy"))
    c.add_argument("--title", required=True, help=tr("tên sổ"))
    c.add_argument("--notation", help=tr("ký hiệu cơ quan dùng trong số, ký hiệu, ví dụ UBND"))
    c.add_argument("--doc-type", action="append", default=[], help=tr("tên loại văn bản của dãy số này"))
    c.add_argument("--with-year", action="store_true", help=tr("số có năm (văn bản quy phạm pháp luật)"))
    add_format(c)
    c.set_defaults(func=create)
    n = s.add_parser("set-notation", help=tr("đặt ký hiệu cơ quan cho sổ"))
    n.add_argument("register")
    n.add_argument("notation")
    n.set_defaults(func=set_notation)
    ls = s.add_parser("list", help=tr("liệt kê các sổ và số cuối mỗi năm"))
    add_format(ls)
    ls.set_defaults(func=list_)


def create(args) -> int:
    from ..workflows import registers
    with open_store(args) as store:
        reg = registers.create_register(store, args.code, args.kind, args.title, notation=args.notation,
                                        doc_types=args.doc_type, with_year=args.with_year)
    if args.format == "json":
        print_json(reg.to_json())
    else:
        print(tr("Đã tạo sổ {c}: {t}").format(c=reg.code, t=reg.title))
    return 0


def set_notation(args) -> int:
    from ..workflows import registers
    with open_store(args) as store:
        reg = registers.set_notation(store, args.register, args.notation)
    print(tr("Sổ {c}: ký hiệu {n}").format(c=reg.code, n=reg.notation))
    return 0


def list_(args) -> int:
    from ..workflows import registers
    with open_store(args) as store:
        regs = registers.list_registers(store)
    if args.format == "json":
        print_json([r.to_json() for r in regs])
        return 0
    for r in regs:
        last = ", ".join(f"{y}: {n:02d}" for y, n in r.counters.items()) or tr("chưa có số")
        print(f"{r.register.code:<10} {r.register.kind:<9} {r.register.title}  [{last}]")
    return 0
