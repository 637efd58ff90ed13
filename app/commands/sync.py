"""vanthu login | sync | outbox | inbox | accept | reject | send | restore | hub"""
import sys

from ..errors import ValidationError
from ..i18n import tr
from ._common import add_format, open_store, print_json, progress_printer, settings


def add(sub) -> None:
    p = sub.add_parser("login", help=tr("lưu mã hệ thống và khóa bí mật của máy chủ liên thông vào kho khóa"))
    p.add_argument("--system-id", required=True, help=tr("mã hệ thống do trục cấp"))
    p.add_argument("--secret-stdin", action="store_true", required=True,
                   help=tr("đọc khóa bí mật từ dòng đầu của stdin (không đưa vào dòng lệnh)"))
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
    add_format(p)
    p.set_defaults(func=outbox_)

    p = sub.add_parser("inbox", help=tr("xem văn bản điện tử đã nhận"))
    p.add_argument("id", nargs="?", help=tr("xem chi tiết một mục"))
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
    p.add_argument("--org", action="append", default=[], metavar="ORGID=SECRET",
                   help=tr("đăng ký một cơ quan với khóa bí mật (lặp lại được)"))
    p.add_argument("--clock-offset", type=float, default=0.0, help=tr("lệch đồng hồ giả lập (giây)"))
    p.add_argument("--tls-cert", help=tr("chứng thư TLS (PEM) để chạy HTTPS"))
    p.add_argument("--tls-key", help=tr("khóa riêng TLS (PEM)"))
    p.set_defaults(func=hub)


def login(args) -> int:
    from ..sync import credentials
    secret = sys.stdin.readline().rstrip("\r\n")
    if not secret:
        raise ValidationError(tr("Không đọc được khóa bí mật từ stdin."))
    cfg = settings(args)
    info = credentials.save(cfg.get("server.url"), args.system_id.strip(), secret, cfg.get("org.id"))
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
    from ..store import outbox
    with open_store(args) as store:
        if args.status:
            _print_status(args, worker.status(store))
            return 0
        if args.retry:
            n = outbox.retry_now(store, None if args.retry == "all" else args.retry)
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
    from ..sync.mirror import MirrorClient
    from ..sync.transport import open_transport
    if not args.to:
        raise ValidationError(tr("Cần --to WORKSTATION: máy trạm nhận bàn giao."))
    t = open_transport(cfg, workstation=store.workstation_id)
    try:
        MirrorClient(t.http).handover(args.handover, args.to)
    finally:
        t.close()
    print(tr("Đã bàn giao sổ «{c}» cho máy trạm {w}.").format(c=args.handover, w=args.to))
    return 0


def outbox_(args) -> int:
    from ..store import outbox
    with open_store(args, create=False) as store:
        if args.state in (None,):
            items = outbox.items(store, "parked", args.limit) + outbox.items(store, "pending", args.limit)
        else:
            items = outbox.items(store, None if args.state == "all" else args.state, args.limit)
    if args.format == "json":
        import json
        print_json([dict(i, payload=json.loads(i["payload"])) for i in items])
        return 0
    from ..sync.worker import TOPIC_LABELS
    labels = {"pending": tr("chờ gửi"), "parked": tr("bị từ chối"), "done": tr("đã gửi")}
    for i in items:
        what = tr(TOPIC_LABELS.get(i["topic"], i["topic"]))
        line = f"{i['seq']:>7}  {labels[i['state']]:<11} {what:<16} {i['created_at'][:19]}"
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


def accept(args) -> int:
    from ..domain.reference import format_number
    from ..sync import inbox
    overrides = {}
    for spec in args.set:
        key, sep, value = spec.partition("=")
        if not sep or not key.strip():
            raise ValidationError(tr("--set phải có dạng TRƯỜNG=GIÁ_TRỊ."))
        overrides[key.strip()] = value.strip() or None
    with open_store(args) as store:
        e = inbox.accept(store, settings(args), args.id, args.register, overrides)
    if args.format == "json":
        print_json(e)
    else:
        print(tr("Đã tiếp nhận — số đến {n} (sổ {r}, năm {y}); đã báo trạng thái cho nơi gửi.").format(
            n=format_number(e["register_number"]), r=e["register"], y=e["year"]))
    return 0


def reject(args) -> int:
    from ..sync import inbox
    with open_store(args) as store:
        item = inbox.reject(store, settings(args), args.id, args.reason)
    print_json(item) if args.format == "json" else print(tr("Đã từ chối; lý do sẽ được gửi lại cho nơi gửi."))
    return 0


def send(args) -> int:
    from ..sync import outgoing
    with open_store(args) as store:
        result = outgoing.send_entry(store, settings(args), args.entry, args.to,
                                     progress_printer(tr("Đang kiểm tra")) if args.format == "text" else None)
    if args.format == "json":
        print_json(result)
    else:
        print(tr("Đã đưa vào hàng đợi gửi: {d}").format(d=result["document_id"]))
        for w in result["warnings"]:
            print(tr("Cảnh báo: ") + w, file=sys.stderr)
    return 0


def restore(args) -> int:
    from ..sync import restore as r
    with open_store(args) as store:
        result = r.restore_from_server(store, settings(args), progress=progress_printer(tr("Đang tải tệp")),
                                       workstation=args.workstation)
    if args.format == "json":
        print_json(result)
    else:
        print(tr("Đã khôi phục {e} văn bản, {a} tệp, {r} sổ.").format(
            e=result["entries"], a=result["attachments"], r=result["registers"]))
    return 0


def hub(args) -> int:
    from ..domain.orgid import check_org_id
    orgs = {}
    for spec in args.org:
        org, sep, secret = spec.partition("=")
        if not sep or not secret:
            raise ValidationError(tr("--org phải có dạng ORGID=SECRET."))
        orgs[check_org_id(org)] = secret
    from pathlib import Path
    Path(args.data).mkdir(parents=True, exist_ok=True)
    from hub.server import run
    scheme = "https" if args.tls_cert else "http"
    print(tr("Trục liên thông mẫu chạy tại {s}://{h}:{p}").format(s=scheme, h=args.host, p=args.port), flush=True)
    run(args.port, args.data, orgs, host=args.host, clock_offset=args.clock_offset,
        tls_cert=args.tls_cert, tls_key=args.tls_key)
    return 0
