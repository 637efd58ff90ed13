"""vanthu scan | import | watch | extract | intake — paper mail: scanner, files, OCR, fields."""
import json
import logging
import sys
from pathlib import Path

from ..i18n import tr
from ._common import add_format, open_store, print_json

log = logging.getLogger("vanthu.scan")

# the keys of `extract --json`, in order (app.scan.intake.FIELD_KEYS; kept here so --help stays light)
JSON_KEYS = ("reference", "number", "notation", "issued_on", "place", "issuer", "doc_type", "summary",
             "signer", "signer_title", "urgency", "secrecy", "pages", "text", "confidence")


def add(sub) -> None:
    s = sub.add_parser("scan", help=tr("quét giấy từ máy quét (SANE) ra tệp PDF tìm kiếm được"))
    s.add_argument("--device", help=tr("tên máy quét (xem --list); mặc định theo cài đặt scan.device"))
    s.add_argument("--list", action="store_true", help=tr("liệt kê máy quét"))
    s.add_argument("--source", choices=("flatbed", "adf", "duplex"), help=tr("nguồn giấy"))
    s.add_argument("--dpi", type=int, help=tr("độ phân giải (tối thiểu 200)"))
    s.add_argument("--mode", choices=("gray", "color"), help=tr("chế độ màu"))
    s.add_argument("--timeout", type=float, default=120.0, help=tr("thời gian chờ tối đa mỗi trang (giây)"))
    s.add_argument("--out", help=tr("tệp PDF kết quả"))
    s.add_argument("--register", help=tr("đăng ký luôn vào sổ văn bản đến này"))
    add_format(s)
    s.set_defaults(func=scan)

    i = sub.add_parser("import", help=tr("nhập tệp PDF, TIFF, JPEG, PNG (mỗi tệp là một văn bản)"))
    i.add_argument("paths", nargs="+", metavar="PATH")
    i.add_argument("--register", help=tr("đăng ký vào sổ văn bản đến này"))
    i.add_argument("--out-dir", help=tr("thư mục ghi PDF tìm kiếm được và trường gợi ý (khi không đăng ký)"))
    add_format(i)
    i.set_defaults(func=import_)

    w = sub.add_parser("watch", help=tr("theo dõi thư mục máy quét gửi tệp vào (scan to folder)"))
    w.add_argument("folder")
    w.add_argument("--register", help=tr("đăng ký vào sổ văn bản đến này"))
    w.add_argument("--settle", type=float, default=3.0, help=tr("số giây tệp không đổi trước khi nhận"))
    w.add_argument("--interval", type=float, default=1.0, help=tr("chu kỳ kiểm tra (giây)"))
    w.add_argument("--once", action="store_true", help=tr("xử lý các tệp đang có rồi thoát"))
    w.set_defaults(func=watch)

    e = sub.add_parser("extract", help=tr("đọc văn bản (PDF hoặc ảnh) và gợi ý các trường của sổ"))
    e.add_argument("file")
    e.add_argument("--json", action="store_true", help=tr("in đúng một đối tượng JSON ra stdout"))
    e.add_argument("--out", help=tr("ghi thêm PDF tìm kiếm được ra tệp này"))
    e.set_defaults(func=extract)

    n = sub.add_parser("intake", help=tr("đọc văn bản rồi đăng ký vào sổ văn bản đến với các trường gợi ý"))
    n.add_argument("file")
    n.add_argument("--register", help=tr("mã hoặc tên sổ văn bản đến"))
    n.add_argument("--allow-duplicate", action="store_true", help=tr("vẫn đăng ký khi có vẻ trùng"))
    add_format(n)
    n.set_defaults(func=intake)


def _progress(label):
    if sys.stderr.isatty():
        from ._common import progress_printer
        return progress_printer(label)
    return None


def contract(fields: dict) -> dict:
    from ..scan.intake import contract as _contract
    return _contract(fields)


def _print_fields(fields: dict, result) -> None:
    from ..domain.clock import display_date
    from ..domain.entry import FIELDS
    labels = {k: v[3] for k, v in FIELDS.items()}
    labels.update(reference=tr("Số, ký hiệu"), secrecy=tr("Độ mật"))
    for k in JSON_KEYS:
        if k in ("text", "confidence"):
            continue
        v = fields.get(k)
        c = fields["confidence"].get(k)
        if v is None:
            shown = tr("(không thấy)")
        else:
            shown = display_date(v) if k == "issued_on" else v
        print(f"{labels.get(k, k)}: {shown}" + (f"  [{c:.2f}]" if c else ""))
    if result is not None and result.blank_pages:
        print(tr("Trang có vẻ trắng, cần xem lại: {p}").format(p=", ".join(map(str, result.blank_pages))))


def extract(args) -> int:
    from ..scan import pipeline
    # no window waits for page-1 fields, and without --out no PDF is wanted: read the words only
    result = pipeline.process([args.file], out_pdf=args.out, progress=_progress(tr("Đang đọc trang")),
                              early_fields=False, searchable=bool(args.out))
    for p in result.pages:
        if p.blank:
            log.warning("page %d looks blank (flagged for review)", p.number)
    if args.json:
        json.dump(contract(result.fields), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        _print_fields(result.fields, result)
        if args.out and not result.kept_original:
            print(tr("PDF tìm kiếm được: {p}").format(p=args.out))
        elif result.kept_original:
            print(tr("Tệp PDF đã có chữ hoặc chữ ký số: giữ nguyên bản gốc, không ghi tệp mới."))
    return 0


def register_result(store, result, register=None, allow_duplicate=False, name=None) -> dict:
    from ..workflows.intake import register_read_document
    return register_read_document(store, result, register_code=register, allow_duplicate=allow_duplicate,
                                  name=name).entry.to_json()


def _announce(e: dict) -> None:
    from ..domain.reference import format_number
    print(tr("Đã đăng ký — Số đến: {n} (sổ {r}, năm {y})  {ref}").format(
        n=format_number(e["register_number"]), r=e["register"], y=e["year"], ref=e.get("reference") or ""))


def intake(args) -> int:
    import tempfile

    from ..scan import pipeline
    with tempfile.TemporaryDirectory(prefix="vanthu-intake-") as td:
        out = Path(td) / (Path(args.file).stem + ".pdf")
        result = pipeline.process([args.file], out_pdf=out, progress=_progress(tr("Đang đọc trang")))
        with open_store(args) as store:
            e = register_result(store, result, args.register, args.allow_duplicate,
                                name=Path(args.file).stem + ".pdf")
    if args.format == "json":
        print_json(e)
    else:
        _announce(e)
    return 0


def import_(args) -> int:
    from ..scan import intake as intake_mod
    if not args.register and not args.out_dir:
        from ..errors import ValidationError
        raise ValidationError(tr("Hãy chọn --register (đăng ký vào sổ) hoặc --out-dir (ghi ra thư mục)."))
    results = []
    failed = 0
    store = open_store(args) if args.register else None
    try:
        for path in args.paths:
            try:
                r = intake_mod.take_in(Path(path), store=store, register=args.register,
                                       out_dir=Path(args.out_dir) if args.out_dir else None)
            except Exception as exc:
                from ..errors import VanthuError
                if not isinstance(exc, VanthuError):
                    raise
                failed += 1
                log.info("import %s failed: %s | %s", path, exc.message, exc.detail)
                print(tr("Lỗi «{p}»: {m}").format(p=path, m=exc.message), file=sys.stderr)
                results.append({"path": str(path), "error": exc.message})
                continue
            results.append(r)
            if args.format != "json":
                if r.get("entry"):
                    _announce(r["entry"])
                else:
                    print(tr("{p} → {o}").format(p=path, o=r["pdf"]))
    finally:
        if store is not None:
            store.close()
    if args.format == "json":
        print_json(results)
    return 1 if failed else 0


def watch(args) -> int:
    from ..scan import watch as watch_mod
    store = open_store(args) if args.register else None
    try:
        def report(path, outcome, detail):
            print(f"{path.name}: {outcome} {detail or ''}".rstrip(), file=sys.stderr if outcome == "failed" else sys.stdout)
            sys.stdout.flush()
        watch_mod.watch_folder(Path(args.folder), store=store, register=args.register, settle=args.settle,
                               interval=args.interval, once=args.once, report=report)
    finally:
        if store is not None:
            store.close()
    return 0


def scan(args) -> int:
    from ..scan import sources
    if args.list:
        devs = sources.list_devices()
        if args.format == "json":
            print_json(devs)
        else:
            for d in devs:
                print(f"{d['name']}\t{d['vendor']} {d['model']} ({d['type']})")
            if not devs:
                print(tr("Không thấy máy quét nào."))
        return 0
    from ._common import settings
    st = settings(args)
    device = args.device or st.get("scan.device")
    if not device:
        from ..errors import ValidationError
        raise ValidationError(tr("Chưa chọn máy quét: dùng --device hoặc đặt scan.device."))
    if not args.out and not args.register:
        from ..errors import ValidationError
        raise ValidationError(tr("Hãy chọn --out (tệp PDF) hoặc --register (đăng ký vào sổ)."))
    import tempfile

    from ..scan import pipeline
    with tempfile.TemporaryDirectory(prefix="vanthu-scan-") as td:
        pages = sources.acquire(device, source=args.source or st.get("scan.source"), dpi=args.dpi or st.get("scan.dpi"),
                                mode=args.mode or st.get("scan.mode"), out_dir=Path(td),
                                progress=_progress(tr("Đang quét")), page_timeout=args.timeout)
        out = Path(args.out) if args.out else Path(td) / "scan.pdf"
        result = pipeline.process(pages, out_pdf=out, progress=_progress(tr("Đang đọc trang")))
        if args.register:
            with open_store(args) as store:
                e = register_result(store, result, args.register, name="scan.pdf")
            print_json(e) if args.format == "json" else _announce(e)
            return 0
    if args.format == "json":
        print_json({"pdf": str(out), "pages": len(pages), "blank_pages": result.blank_pages,
                    "fields": contract(result.fields)})
    else:
        print(tr("Đã quét {n} trang → {p}").format(n=len(pages), p=out))
        _print_fields(result.fields, result)
    return 0
