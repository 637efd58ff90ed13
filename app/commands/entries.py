"""vanthu register | correct | void | status | show | list | search"""
from datetime import date

from ..domain.entry import FIELDS
from ..domain.labels import status_label
from ..domain.reference import format_number
from ..errors import ValidationError
from ..i18n import tr
from ._common import add_format, open_store, print_json, read_json, settings

_OPT_FIELDS = [k for k in FIELDS if k != "recipients"]


def _add_field_options(p) -> None:
    p.add_argument("--reference", help=tr("số, ký hiệu như in trên văn bản, ví dụ 1007/QĐ-UBND"))
    for name in _OPT_FIELDS:
        p.add_argument("--" + name.replace("_", "-"), dest=name, help=FIELDS[name].label)
    p.add_argument("--recipient", action="append", dest="recipients", help=tr("nơi nhận (lặp lại được)"))
    p.add_argument("--secrecy", help=tr("độ mật (văn bản mật bị từ chối)"))


def _fields_from_args(args) -> dict:
    data = {k: getattr(args, k) for k in (*_OPT_FIELDS, "reference", "recipients", "secrecy")
            if getattr(args, k, None) not in (None, [])}
    return data


def _add_filters(p) -> None:
    p.add_argument("--register", help=tr("mã hoặc tên sổ"))
    p.add_argument("--kind", choices=("incoming", "outgoing", "copy"))
    p.add_argument("--year", type=int)
    p.add_argument("--status")
    p.add_argument("--type", dest="doc_type", help=tr("tên loại văn bản"))
    p.add_argument("--urgency", type=int, help=tr("độ khẩn tối thiểu (1 khẩn, 2 thượng khẩn, 3 hỏa tốc)"))
    p.add_argument("--from", dest="date_from", type=date.fromisoformat, help="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=date.fromisoformat, help="YYYY-MM-DD")
    p.add_argument("--limit", type=int, default=50)
    add_format(p)


def add(sub) -> None:
    r = sub.add_parser("register", help=tr("đăng ký văn bản đến / đi vào sổ"))
    r.add_argument("kind", choices=("incoming", "outgoing", "copy"))
    r.add_argument("--register", help=tr("mã hoặc tên sổ (mặc định: sổ phù hợp)"))
    r.add_argument("--json", dest="json_file", help=tr("tệp JSON: một đối tượng hoặc danh sách (- là stdin)"))
    r.add_argument("--allow-duplicate", action="store_true", help=tr("vẫn đăng ký khi có vẻ trùng"))
    _add_field_options(r)
    add_format(r)
    r.set_defaults(func=register)

    c = sub.add_parser("correct", help=tr("sửa thông tin một văn bản (giữ lịch sử)"))
    c.add_argument("id")
    c.add_argument("--reason", required=True)
    _add_field_options(c)
    add_format(c)
    c.set_defaults(func=correct)

    v = sub.add_parser("void", help=tr("hủy số một văn bản đăng ký nhầm (số không dùng lại)"))
    v.add_argument("id")
    v.add_argument("--reason", required=True)
    add_format(v)
    v.set_defaults(func=void)

    st = sub.add_parser("status", help=tr("đổi trạng thái xử lý"))
    st.add_argument("id")
    st.add_argument("status")
    st.add_argument("--note")
    add_format(st)
    st.set_defaults(func=status)

    sh = sub.add_parser("show", help=tr("xem một văn bản, tệp đính kèm và lịch sử"))
    sh.add_argument("id")
    add_format(sh)
    sh.set_defaults(func=show)

    ls = sub.add_parser("list", help=tr("liệt kê văn bản, mới nhất trước"))
    _add_filters(ls)
    ls.set_defaults(func=list_)

    se = sub.add_parser("search", help=tr("tìm kiếm không phân biệt dấu"))
    se.add_argument("text")
    _add_filters(se)
    se.set_defaults(func=search)


def _line(e: dict) -> str:
    flag = {"voided": " [HỦY]", "recalled": " [THU HỒI]"}.get(e["status"], "")
    ref = e.get("reference") or "-"
    return f"{e['id']:>7}  {e['register']:<6} {e['register_number']:>5}/{e['year']}  {ref:<22} {e['summary'][:70]}{flag}"


def _print_entries(args, items) -> None:
    if args.format == "json":
        print_json(items)
    else:
        for e in items:
            print(_line(e))
        if not items:
            print(tr("Không có văn bản nào."))


def _announce(e: dict) -> None:
    what = tr("Số đến") if e["kind"] == "incoming" else tr("Số")
    print(tr("Đã đăng ký — {w}: {n} (sổ {r}, năm {y})  {ref}").format(
        w=what, n=format_number(e["register_number"]), r=e["register"], y=e["year"],
        ref=e.get("reference") or ""))


def register(args) -> int:
    from ..workflows import registering
    if args.json_file:
        data = read_json(args.json_file)
        from ..jsonlimits import check_import  # strict key types (issue 15)
        check_import(data)
        if _fields_from_args(args):
            raise ValidationError(tr("Dùng --json hoặc các tùy chọn trường, không dùng cả hai."))
    else:
        data = _fields_from_args(args)
    items = data if isinstance(data, list) else [data]
    with open_store(args) as store:
        progress = None
        if len(items) > 100:
            from ._common import progress_printer
            progress = progress_printer(tr("Đang đăng ký"))
        result = registering.import_entries(store, args.kind, items, settings=settings(args),
                                            register=args.register, allow_duplicate=args.allow_duplicate,
                                            progress=progress)
    if args.format == "json":
        print_json([e.to_json() for e in result] if isinstance(data, list) else result[0].to_json())
    else:
        for e in result:
            _announce(e.to_json())
    return 0


def correct(args) -> int:
    from ..workflows import registering
    with open_store(args) as store:
        e = registering.correct(store, args.id, _fields_from_args(args), args.reason)
    print_json(e.to_json()) if args.format == "json" else print(tr("Đã sửa, phiên bản {r}.").format(r=e.revision))
    return 0


def void(args) -> int:
    from ..workflows import registering
    with open_store(args) as store:
        e = registering.void(store, args.id, args.reason)
    print_json(e.to_json()) if args.format == "json" else print(
        tr("Đã hủy số {n}/{y} của sổ {r}; số này không được dùng lại.").format(
            n=format_number(e.register_number), y=e.year, r=e.register))
    return 0


def status(args) -> int:
    from ..workflows import registering
    with open_store(args) as store:
        e = registering.change_status(store, args.id, args.status, args.note)
    print_json(e.to_json()) if args.format == "json" else print(
        tr("Trạng thái: {s}").format(s=status_label(e.status)))
    return 0


def show(args) -> int:
    from ..workflows import queries
    with open_store(args, create=False) as store:
        entry = queries.entry(store, args.id)
        e = entry.to_json()
        e["attachments"] = [a.to_json() for a in queries.attachments_of(store, entry.id)]
        e["history"] = [{"revision": h.revision, "at": h.at, "actor": h.actor, "reason": h.reason}
                        for h in queries.history(store, entry.id)]
    if args.format == "json":
        print_json(e)
        return 0
    labels = {k: v.label for k, v in FIELDS.items()}
    print(_line(e))
    for k, v in e.items():
        if v not in (None, [], "") and k in labels:
            if k == "recipients":
                v = "; ".join(r.get("name") or r.get("id") for r in v)
            print(f"  {labels[k]}: {v}")
    print(tr("  Trạng thái: {s}").format(s=status_label(e["status"])))
    for a in e["attachments"]:
        print(f"  [{a['role']}] {a['name']} ({a['size']} B) {a['sha256'][:12]}")
    for h in e["history"]:
        print(f"  r{h['revision']} {h['at']} {h['actor']} {h['reason'] or ''}")
    return 0


def _filters(args) -> dict:
    return {k: getattr(args, k) for k in ("register", "kind", "year", "status", "doc_type", "urgency",
                                           "date_from", "date_to")}


def list_(args) -> int:
    from ..workflows import queries
    with open_store(args, create=False) as store:
        items = queries.list_entries(store, limit=args.limit, **_filters(args))
    _print_entries(args, [e.to_json() for e in items])
    return 0


def search(args) -> int:
    from ..workflows import queries
    with open_store(args, create=False) as store:
        items = queries.search(store, args.text, limit=args.limit, **_filters(args))
    _print_entries(args, [e.to_json() for e in items])
    return 0
