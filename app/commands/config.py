"""vanthu config get|set|list"""
from ..i18n import tr
from ._common import add_format, print_json, settings


def add(sub) -> None:
    p = sub.add_parser("config", help=tr("xem và đặt thiết lập"))
    s = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    g = s.add_parser("get")
    g.add_argument("key")
    g.set_defaults(func=get)
    st = s.add_parser("set")
    st.add_argument("key")
    st.add_argument("value")
    st.set_defaults(func=set_)
    ls = s.add_parser("list")
    add_format(ls)
    ls.set_defaults(func=list_)


def get(args) -> int:
    value = settings(args).get(args.key)
    print("" if value is None else (",".join(value) if isinstance(value, list) else value))
    return 0


def set_(args) -> int:
    settings(args).set(args.key, args.value)
    return 0


def list_(args) -> int:
    values = settings(args).as_dict()
    if args.format == "json":
        print_json(values)
    else:
        for k, v in values.items():
            print(f"{k} = {'' if v is None else v}")
    return 0
