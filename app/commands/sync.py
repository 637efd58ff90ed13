"""vanthu login | sync | outbox | inbox | accept | reject | send | restore | hub | edxml"""
import sys

from ..domain.clock import display_datetime
from ..errors import ValidationError
from ..i18n import tr
from ._common import add_format, open_store, print_json, progress_printer, settings


def add(sub) -> None:
    p = sub.add_parser("login", help=tr("lưu mã hệ thống và khóa bí mật của máy chủ liên thông vào kho khóa"))
    p.add_argument("--system-id", required=True, help=tr("mã hệ thống do trục cấp"))
    p.add_argument("--secret-stdin", action="store_true", required=True,
                   help=tr("đọc khóa bí mật từ dòng đầu của stdin (không đưa vào dòng lệnh)"))
    p.add_argument("--provincial", action="store_true",
                   help=tr("lưu cho máy chủ tỉnh (provincial.url) thay vì trục liên thông (server.url)"))
    p.set_defaults(func=login)

    p = sub.add_parser("sync", help=tr("gửi hàng đợi, nhận văn bản đến (một lần hoặc liên tục)"))
    p.add_argument("--watch", action="store_true", help=tr("chạy liên tục cho đến khi bấm Ctrl+C"))
    p.add_argument("--status", action="store_true", help=tr("chỉ xem trạng thái kết nối"))
    p.add_argument("--no-inbox", action="store_true", help=tr("không nhận văn bản đến lần này"))
    p.add_argument("--retry", metavar="KEY", help=tr("gửi lại mục bị từ chối (KEY hoặc all)"))
    p.add_argument("--handover", metavar="REGISTER", help=tr("bàn giao quyền ghi sổ trên máy chủ"))
    p.add_argument("--to", metavar="WORKSTATION", help=tr("máy trạm nhận bàn giao"))
    add_format(p)
    p.set_defaults(func=sync)

    p = sub.add_parser("outbox", help=tr("xem hàng đợi gửi lên máy chủ"))
    p.add_argument("--state", choices=("pending", "parked", "done", "all"), default=None,
                   help=tr("mặc định: đang chờ và bị từ chối"))
    p.add_argument("--limit", type=int, default=100)
    p.add_argument("--entry", metavar="ID", help=tr("tình trạng nhận của từng nơi nhận một văn bản đã gửi"))
    add_format(p)
    p.set_defaults(func=outbox_)

    p = sub.add_parser("inbox", help=tr("xem văn bản điện tử đã nhận; inbox import TỆP... nhận gói tin từ thư mục"))
    p.add_argument("id", nargs="?", help=tr("xem chi tiết một mục, hoặc «import»"))
    p.add_argument("files", nargs="*", metavar="FILE", help=tr("inbox import: các tệp gói tin edXML"))
    p.add_argument("--held", action="store_true",
                   help=tr("xem các gói tin bị giữ lại (nơi gửi không khớp, yêu cầu không hợp lệ)"))
    p.add_argument("--dismiss", metavar="ID", help=tr("bỏ một gói tin bị giữ lại khỏi danh sách (vẫn lưu)"))
    p.add_argument("--note", help=tr("nhận xét khi bỏ qua (--dismiss)"))
    p.add_argument("--state", choices=("pending", "accepted", "rejected", "recalled", "info", "invalid", "all"),
                   default=None, help=tr("mặc định: chờ tiếp nhận và gói lỗi"))
    p.add_argument("--limit", type=int, default=100)
    add_format(p)
    p.set_defaults(func=inbox_)

    p = sub.add_parser("accept", help=tr("tiếp nhận, đăng ký văn bản điện tử đến"))
    p.add_argument("id")
    p.add_argument("--register", help=tr("mã sổ đến (mặc định: sổ phù hợp)"))
    p.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                   help=tr("sửa một trường khi tiếp nhận, ví dụ issued_on=2026-11-20 (lặp lại được)"))
    add_format(p)
    p.set_defaults(func=accept)

    p = sub.add_parser("reject", help=tr("từ chối, trả lại văn bản điện tử đến"))
    p.add_argument("id")
    p.add_argument("--reason", required=True)
    add_format(p)
    p.set_defaults(func=reject)

    p = sub.add_parser("send", help=tr("gửi văn bản đi qua trục liên thông"))
    p.add_argument("entry", help=tr("mã văn bản trong sổ"))
    p.add_argument("--to", nargs="+", required=True, metavar="ORGID", help=tr("mã định danh nơi nhận"))
    add_format(p)
    p.set_defaults(func=send)

    p = sub.add_parser("restore", help=tr("khôi phục sổ và tệp từ máy chủ tỉnh vào thư mục dữ liệu trống"))
    p.add_argument("--from-server", action="store_true", required=True)
    p.add_argument("--workstation", help=tr("nhận định danh máy trạm này (mặc định: máy trạm giữ sổ)"))
    add_format(p)
    p.set_defaults(func=restore)

    p = sub.add_parser("hub", help=tr("chạy trục liên thông mẫu (thử nghiệm, trình diễn)"))
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--data", required=True, help=tr("thư mục dữ liệu của trục"))
    p.add_argument("--orgs-file", metavar="PATH",
                   help=tr("tệp khóa bí mật của các cơ quan, mỗi dòng ORGID=SECRET (hoặc biến môi trường "
                           "VANTHU_HUB_ORGS_FILE / VANTHU_HUB_ORGS); không bao giờ đưa khóa vào dòng lệnh"))
    p.add_argument("--clock-offset", type=float, default=0.0, help=tr("lệch đồng hồ giả lập (giây)"))
    p.add_argument("--tls-cert", help=tr("chứng thư TLS (PEM) để chạy HTTPS"))
    p.add_argument("--tls-key", help=tr("khóa riêng TLS (PEM)"))
    p.set_defaults(func=hub)

    p = sub.add_parser("edxml", help=tr("xem nội dung một gói tin edXML (cho quản trị viên)"))
    p.add_argument("action", choices=("show",))
    p.add_argument("file", help=tr("tệp gói tin"))
    p.add_argument("--json", action="store_true", help=tr("in JSON"))
    p.set_defaults(func=edxml_show)


def login(args) -> int:
    from ..sync import credentials
    secret = sys.stdin.readline().rstrip("\r\n")
    if not secret:
        raise ValidationError(tr("Không đọc được khóa bí mật từ stdin."))
    cfg = settings(args)
    url = cfg.get("provincial.url") if args.provincial else cfg.get("server.url")
    if not url:
        raise ValidationError(tr("Chưa đặt địa chỉ: vanthu config set {k} URL.").format(
            k="provincial.url" if args.provincial else "server.url"))
    info = credentials.save(url, args.system_id.strip(), secret, cfg.get("org.id"))
    print(tr("Đã lưu thông tin đăng nhập vào {s}.").format(s=info.label))
    return 0


def _print_status(args, st) -> None:
    from ..sync.worker import status_text
    if args.format == "json":
        print_json(st)
    else:
        print(status_text(st))
        if st.get("last_error") and not st.get("online"):
            print(tr("  Lỗi gần nhất: {e}").format(e=st["last_error"]))


def sync(args) -> int:
    from ..sync import worker
    from ..workflows import exchange
    with open_store(args) as store:
        if args.status:
            _print_status(args, worker.status(store))
            return 0
        if args.retry:
            n = exchange.retry_now(store, None if args.retry == "all" else args.retry)
            print(tr("Đã đưa {n} mục trở lại hàng đợi.").format(n=n))
            return 0
        cfg = settings(args)
        if args.handover:
            return _handover(args, store, cfg)
        if args.watch:
            import signal
            import threading
            stop = threading.Event()
            signal.signal(signal.SIGTERM, lambda *a: stop.set())

            def show(report):
                line = worker.status_text(worker.status(store))
                if report.error:
                    line += " — " + report.error
                print(line, file=sys.stderr, flush=True)
            try:
                worker.watch(store, cfg, stop, on_report=show)
            except KeyboardInterrupt:
                stop.set()
            return 0
        report = worker.sync_once(store, cfg, progress_printer(tr("Đang gửi")) if args.format == "text" else None,
                                  poll=not args.no_inbox)
        st = worker.status(store)
    if args.format == "json":
        print_json({"report": report.to_dict(), "status": st})
    else:
        print(tr("Đã gửi {s}, nhận {r} văn bản mới, bỏ qua {d} bản trùng.").format(
            s=report.sent, r=report.received, d=report.duplicates))
        for p in report.parked_reasons:
            print(tr("  Bị từ chối ({t}): {r}").format(t=p["topic"], r=p["reason"]))
        _print_status(args, st)
    return 0 if report.online else 6


def _handover(args, store, cfg) -> int:
    from ..sync.transport import require_provincial
    if not args.to:
        raise ValidationError(tr("Cần --to WORKSTATION: máy trạm nhận bàn giao."))
    mirror = require_provincial(cfg, workstation=store.workstation_id)
    try:
        mirror.handover(args.handover, args.to)
    finally:
        mirror.close()
    print(tr("Đã bàn giao sổ «{c}» cho máy trạm {w}.").format(c=args.handover, w=args.to))
    return 0


def _deliveries(args) -> int:
    from ..sync import inbox
    with open_store(args, create=False) as store:
        rows = inbox.delivery_state(store, args.entry)
    if args.format == "json":
        print_json(rows)
        return 0
    labels = {"pending": tr("chờ nơi nhận tải về"), "done": tr("nơi nhận đã nhận"), "fail": tr("nơi nhận báo lỗi"),
              "processing": tr("nơi nhận đang xử lý")}
    for r in rows:
        state = tr("chưa gửi lên trục") if r["queued"] else labels.get(r["receive_status"], tr("chưa có thông tin"))
        print(f"{r['recipient']:<16} {state}" + (f" ({r['received_time']})" if r.get("received_time") else ""))
    if not rows:
        print(tr("Văn bản này chưa được gửi liên thông."))
    return 0


def outbox_(args) -> int:
    from ..workflows import queries
    if args.entry:
        return _deliveries(args)
    with open_store(args, create=False) as store:
        if args.state in (None,):
            items = queries.outbox_items(store, "parked", args.limit) + queries.outbox_items(store, "pending",
                                                                                              args.limit)
        else:
            items = queries.outbox_items(store, None if args.state == "all" else args.state, args.limit)
    if args.format == "json":
        import json
        print_json([dict(i, payload=json.loads(i["payload"])) for i in items])
        return 0
    from ..sync.worker import TOPIC_LABELS
    labels = {"pending": tr("chờ gửi"), "parked": tr("bị từ chối"), "done": tr("đã gửi")}
    for i in items:
        what = tr(TOPIC_LABELS.get(i["topic"], i["topic"]))
        line = f"{i['seq']:>7}  {labels[i['state']]:<11} {what:<16} {display_datetime(i['created_at'])}"
        if i["attempts"]:
            line += tr("  lần thử {n}").format(n=i["attempts"])
        if i["last_error"]:
            line += f"  — {i['last_error'][:120]}"
        print(line)
    if not items:
        print(tr("Hàng đợi trống."))
    return 0


def inbox_(args) -> int:
    from ..sync import inbox
    if args.id == "import":
        return _inbox_import(args)
    if args.files:
        raise ValidationError(tr("Chỉ «vanthu inbox import TỆP...» nhận danh sách tệp."))
    if args.dismiss:
        with open_store(args) as store:
            inbox.quarantine_dismiss(store, args.dismiss, args.note or "")
        print(tr("Đã bỏ gói tin {i} khỏi danh sách bị giữ lại; gói tin vẫn được lưu.").format(i=args.dismiss))
        return 0
    if args.held:
        return _inbox_held(args)
    with open_store(args, create=False) as store:
        if args.id:
            item = inbox.get(store, args.id)
            if args.format == "json":
                print_json(item)
            else:
                for k in ("id", "state", "sender_name", "sender_id", "reference", "summary", "received_at",
                          "verdict", "reason", "entry_id"):
                    print(f"  {k}: {item.get(k) if item.get(k) is not None else ''}")
                for a in item["attachments"]:
                    print(f"  [{a['mime']}] {a['name']} ({a['size']} B)")
            return 0
        if args.state is None:
            items = inbox.list_items(store, "invalid", args.limit) + inbox.list_items(store, "pending", args.limit)
        else:
            items = inbox.list_items(store, None if args.state == "all" else args.state, args.limit)
    if args.format == "json":
        print_json(items)
        return 0
    for i in items:
        kind = f"[{i['status_code']}]" if i["kind"] == "status" else ""
        print(f"{i['id']:>6}  {tr(inbox.STATE_LABELS[i['state']]):<15} {kind}{i['reference'] or '-':<20} "
              f"{(i['sender_name'] or i['sender_id'] or '')[:30]:<30} {(i['summary'] or i['reason'] or '')[:60]}"
              f"  {i['verdict'] or ''}")
    if not items:
        print(tr("Không có văn bản đến nào chờ tiếp nhận."))
    return 0


def _inbox_import(args) -> int:
    from ..sync import inbox
    if not args.files:
        raise ValidationError(tr("Cần ít nhất một tệp: vanthu inbox import TỆP..."))
    with open_store(args) as store:
        results = inbox.import_files(store, settings(args), args.files)
    if args.format == "json":
        print_json(results)
    else:
        for r in results:
            state = r.get("state")
            label = tr(inbox.STATE_LABELS.get(state, state)) if state != "error" else tr("Lỗi")
            dup = tr(" (đã nhận trước đó)") if r.get("duplicate") else ""
            print(f"{r['path']}: {label}{dup}" + (f" — {r['reason']}" if r.get("reason") else ""))
    return 0 if all(r.get("state") not in ("error", "invalid", "quarantined") for r in results) else 1


def _inbox_held(args) -> int:
    from ..sync import inbox
    with open_store(args, create=False) as store:
        items = inbox.quarantine_list(store, None if args.state == "all" else "held", args.limit)
    if args.format == "json":
        print_json(items)
        return 0
    for i in items:
        print(f"{i['id']:>6}  {display_datetime(i['received_at'])}  {tr('trục xác thực')}: {i['transport_sender'] or '-'}  "
              f"{tr('gói ghi')}: {i['claimed_sender'] or '-'}\n        {i['reason']}")
    if not items:
        print(tr("Không có gói tin nào bị giữ lại."))
    return 0


def edxml_show(args) -> int:
    import json
    import tempfile

    from ..sync import edxml
    with tempfile.TemporaryDirectory(prefix="vanthu-edxml-") as tmp:
        pkg = edxml.read_package(args.file, tmp)
        try:
            info = edxml.describe(pkg)
        finally:
            pkg.cleanup()
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return 0
    kind = tr("Gói trạng thái") if info["kind"] == "status" else tr("Gói văn bản")
    print(f"{kind}: {info['reference'] or info['document_id'] or ''}")
    print(tr("  Nơi gửi: {i} {n}").format(i=info["from"]["organ_id"], n=info["from"]["organ_name"] or ""))
    for t in info["to"]:
        print(tr("  Nơi nhận: {i} {n}").format(i=t["organ_id"], n=t["organ_name"] or ""))
    if info["subject"]:
        print(tr("  Trích yếu: {s}").format(s=info["subject"]))
    if info["issued_on"]:
        from ..sync.edxml import format_date
        print(tr("  Ngày ban hành: {d}").format(d=format_date(info["issued_on"], "dd/MM/yyyy")))
    labels = {0: tr("mới"), 1: tr("thu hồi"), 2: tr("cập nhật"), 3: tr("thay thế")}
    if info["kind"] == "edoc":
        print(tr("  Nghiệp vụ: {b}").format(b=labels.get(info["business_type"], info["business_type"])))
    if info["status_code"]:
        print(tr("  Mã trạng thái: {c} — {l}").format(
            c=info["status_code"], l=tr(edxml.STATUS_CODES.get(info["status_code"], ""))))
    for d in info["replaces"]:
        print(tr("  Thay cho / cập nhật: {d}").format(d=d))
    for a in info["attachments"]:
        print(f"  [{a['mime']}] {a['name']} ({a['size']} B) sha256 {a['sha256']}")
    for w in info["warnings"]:
        print(tr("  Lưu ý: ") + w)
    return 0


def accept(args) -> int:
    from ..domain.reference import format_number
    from ..workflows import exchange
    overrides = {}
    for spec in args.set:
        key, sep, value = spec.partition("=")
        if not sep or not key.strip():
            raise ValidationError(tr("--set phải có dạng TRƯỜNG=GIÁ_TRỊ."))
        overrides[key.strip()] = value.strip() or None
    with open_store(args) as store:
        e = exchange.accept(store, settings(args), args.id, register=args.register, overrides=overrides)
    if args.format == "json":
        print_json(e.to_json())
    else:
        print(tr("Đã tiếp nhận — số đến {n} (sổ {r}, năm {y}); đã báo trạng thái cho nơi gửi.").format(
            n=format_number(e.register_number), r=e.register, y=e.year))
    return 0


def reject(args) -> int:
    from ..workflows import exchange
    with open_store(args) as store:
        item = exchange.reject(store, settings(args), args.id, args.reason)
    print_json(item.to_json()) if args.format == "json" else print(tr("Đã từ chối; lý do sẽ được gửi lại cho nơi gửi."))
    return 0


def send(args) -> int:
    from ..workflows import exchange
    with open_store(args) as store:
        result = exchange.send(store, settings(args), args.entry, args.to,
                               progress=progress_printer(tr("Đang kiểm tra")) if args.format == "text" else None)
    if args.format == "json":
        print_json(result)
    else:
        print(tr("Đã đưa vào hàng đợi gửi: {d}").format(d=result["document_id"]))
        for w in result["warnings"]:
            print(tr("Cảnh báo: ") + w, file=sys.stderr)
    return 0


def restore(args) -> int:
    from ..workflows import exchange
    with open_store(args) as store:
        result = exchange.restore(store, settings(args), progress=progress_printer(tr("Đang tải tệp")),
                                  workstation=args.workstation)
    if args.format == "json":
        print_json(result)
    else:
        print(tr("Đã khôi phục {e} văn bản, {a} tệp, {r} sổ.").format(
            e=result["entries"], a=result["attachments"], r=result["registers"]))
    return 0


def hub(args) -> int:
    import os
    from pathlib import Path

    from hub.server import load_secrets, run

    from ..domain.orgid import check_org_id
    try:
        orgs = load_secrets(args.orgs_file)
    except (OSError, ValueError) as exc:
        raise ValidationError(tr("Không đọc được tệp khóa bí mật của trục: mỗi dòng phải có dạng ORGID=SECRET."),
                              f"{args.orgs_file or os.environ.get('VANTHU_HUB_ORGS_FILE')}: {exc}") from None
    if not orgs:
        raise ValidationError(tr("Chưa có cơ quan nào: đặt --orgs-file TỆP hoặc biến môi trường VANTHU_HUB_ORGS_FILE."))
    for org in orgs:
        check_org_id(org)
    Path(args.data).mkdir(parents=True, exist_ok=True)
    scheme = "https" if args.tls_cert else "http"
    print(tr("Trục liên thông mẫu chạy tại {s}://{h}:{p}").format(s=scheme, h=args.host, p=args.port), flush=True)
    run(args.port, args.data, orgs, host=args.host, clock_offset=args.clock_offset,
        tls_cert=args.tls_cert, tls_key=args.tls_key)
    return 0
