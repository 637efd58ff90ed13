"""vanthu token list | detect | choose, vanthu sign, vanthu sign-upgrade, vanthu verify"""
import logging
import sys

from ..errors import ValidationError
from ..i18n import tr
from ._common import add_format, open_store, print_json, progress_printer, settings


def add(sub) -> None:
    t = sub.add_parser("token", help=tr("token ký số: liệt kê, dò thư viện, chọn chứng thư của cơ quan"))
    tsub = t.add_subparsers(dest="token_command", metavar="ACTION")
    tl = tsub.add_parser("list", help=tr("liệt kê token và chứng thư số"))
    tl.add_argument("--module", help=tr("đường dẫn thư viện PKCS#11 (mặc định: thiết lập token.module)"))
    add_format(tl)
    tl.set_defaults(func=token_list)
    td = tsub.add_parser("detect", help=tr("thử mọi thư viện token đã biết trên máy này"))
    td.add_argument("--save", action="store_true", help=tr("ghi thư viện tìm thấy đầu tiên vào thiết lập"))
    add_format(td)
    td.set_defaults(func=token_detect)
    tc = tsub.add_parser("choose", help=tr("ghi nhớ token và chứng thư của cơ quan (không bao giờ ghi PIN)"))
    tc.add_argument("--module")
    tc.add_argument("--token-label")
    tc.add_argument("--cert-label", help=tr("nhãn chứng thư (mặc định: chứng thư cơ quan duy nhất còn hạn)"))
    add_format(tc)
    tc.set_defaults(func=token_choose)
    t.set_defaults(func=lambda a: (t.print_help(), 2)[1])

    s = sub.add_parser("sign", help=tr("ký số văn bản với chứng thư của cơ quan"))
    s.add_argument("files", nargs="+", metavar="FILE")
    s.add_argument("--as", dest="mode", required=True, choices=("organization", "attachment", "copy"),
                   help=tr("organization: văn bản đi (con dấu); attachment: tệp đính kèm; copy: bản sao điện tử"))
    s.add_argument("--main-reference", help=tr("số, ký hiệu văn bản chính (tệp đính kèm)"))
    s.add_argument("--position", default="auto", help=tr("auto hoặc TRANG,X,Y (mm từ góc trên trái, tâm con dấu)"))
    s.add_argument("--out-dir", help=tr("thư mục ghi tệp đã ký (mặc định: cạnh tệp gốc)"))
    s.add_argument("--module")
    s.add_argument("--token-label")
    s.add_argument("--cert-label")
    s.add_argument("--copy-form", default="SAO Y", help=tr("SAO Y, SAO LỤC hoặc TRÍCH SAO"))
    s.add_argument("--seal", help=tr("ảnh con dấu PNG trong suốt (mặc định: thiết lập sign.seal_image)"))
    s.add_argument("--seal-diameter", type=float, help=tr("đường kính con dấu, mm"))
    s.add_argument("--entry", help=tr("mã văn bản trong sổ để gắn tệp đã ký"))
    s.add_argument("--offline", action="store_true", help=tr("không dùng mạng: ký B-B, nâng cấp sau"))
    s.add_argument("--pin-stdin", action="store_true", help=tr("đọc PIN từ dòng đầu của stdin"))
    s.add_argument("--confirm-pin-warning", action="store_true",
                   help=tr("đồng ý thử PIN khi token báo còn ít lần thử"))
    add_format(s)
    s.set_defaults(func=sign)

    u = sub.add_parser("sign-upgrade", help=tr("nâng cấp các tệp đã ký khi ngoại tuyến lên B-LT"))
    add_format(u)
    u.set_defaults(func=sign_upgrade)

    v = sub.add_parser("verify", help=tr("kiểm tra chữ ký số của văn bản nhận được"))
    v.add_argument("file", metavar="FILE")
    v.add_argument("--trust-root", action="append", default=[], metavar="CERT",
                   help=tr("chứng thư gốc tin cậy thêm cho lần kiểm tra này (lặp lại được)"))
    v.add_argument("--online", action="store_true", help=tr("kiểm tra thu hồi (OCSP/CRL) qua mạng"))
    v.add_argument("--json", action="store_true", help=tr("kết quả JSON cho chương trình"))
    v.set_defaults(func=verify)


def _quiet_pyhanko(args) -> None:
    if not getattr(args, "verbose", False):
        for name in ("pyhanko", "pyhanko_certvalidator", "fontTools"):
            logging.getLogger(name).setLevel(logging.CRITICAL)


def _module(args, cfg) -> str:
    return args.module or cfg.get("token.module")


def token_list(args):
    from ..sign import tokens
    cfg = settings(args)
    module = _module(args, cfg)
    toks = tokens.list_tokens(module, refresh=True)
    out = []
    for t in toks:
        d = t.to_dict()
        d["certificates"] = [c.to_dict() for c in tokens.list_certificates(module, t.label)
                             if c.info.kind != "ca"]
        out.append(d)
    if args.format == "json":
        print_json({"module": module, "tokens": out})
        return 0
    if not out:
        print(tr("Không thấy token nào (thư viện {m}).").format(m=module))
        return 0
    import datetime as dt
    now = dt.datetime.now(dt.UTC)
    kinds = {"organization": tr("cơ quan"), "personal": tr("cá nhân")}
    for t in out:
        print(tr("Token «{l}» ({m}, số sê-ri {s})").format(l=t["label"], m=t["model"], s=t["serial"]))
        for c in t["certificates"]:
            expired = dt.datetime.fromisoformat(c["not_after"]) < now
            state = " — " + tr("ĐÃ HẾT HẠN") if expired else ""
            print(f"  [{c['label']}] {c['subject']} — {kinds.get(c['kind'], c['kind'])}{state}")
            print("      " + tr("cấp bởi: {i}; hiệu lực {a} → {b}; mục đích: {u}").format(
                i=c["issuer"], a=c["not_before"][:10], b=c["not_after"][:10], u=", ".join(c["key_usage"])))
    return 0


def token_detect(args):
    from ..sign import modules
    cfg = settings(args)
    extra = [cfg.get("token.module")] if cfg.get("token.module") else []
    results = modules.detect(extra)
    if args.save:
        ok = [r for r in results if r.ok]
        if ok:
            cfg.set("token.module", ok[0].path)
    if args.format == "json":
        print_json([r.to_dict() for r in results])
        return 0 if any(r.ok for r in results) else 1
    if not results:
        print(tr("Không tìm thấy thư viện token nào trong danh mục trên máy này. "
                 "Hãy cài trình điều khiển token hoặc đặt thiết lập token.module."))
        return 1
    for r in results:
        mark = "✓" if r.ok else "✗"
        toks = (" — " + tr("token: {t}").format(t=", ".join(r.tokens))) if r.tokens else ""
        print(f"{mark} {r.path} ({r.vendor or tr('do quản trị viên đặt')}): {r.message}{toks}")
    return 0 if any(r.ok for r in results) else 1


def token_choose(args):
    from ..sign import tokens
    cfg = settings(args)
    module = _module(args, cfg)
    tok = tokens.find_token(module, args.token_label or cfg.get("token.label"))
    certs = tokens.list_certificates(module, tok.label)
    chosen = tokens.choose_organization_certificate(certs, args.cert_label)
    cfg.set("token.module", module)
    cfg.set("token.label", tok.label)
    cfg.set("token.cert_label", chosen.label)
    if args.format == "json":
        print_json({"module": module, "token": tok.label, "certificate": chosen.to_dict()})
    else:
        print(tr("Đã chọn chứng thư «{c}» ({s}) trên token «{t}».").format(
            c=chosen.label, s=chosen.info.subject, t=tok.label))
    return 0


def _read_pin(args) -> str:
    if args.pin_stdin:
        line = sys.stdin.readline()
        pin = line.rstrip("\r\n")
    else:
        import getpass
        pin = getpass.getpass(tr("Mã PIN của token: "))
    if not pin:
        raise ValidationError(tr("Chưa nhập mã PIN."))
    return pin


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        return False
    answer = input(question + " " + tr("(có/không): ")).strip().lower()
    return answer in ("c", "có", "co", "y", "yes")


def sign(args):
    from ..sign import placement, tokens
    from ..sign.errors import PinWarningError
    from ..sign.signer import SignOptions
    from ..workflows import queries, signing
    _quiet_pyhanko(args)
    cfg = settings(args)
    position = None if args.position in (None, "", "auto") else placement.parse_position(args.position)
    opts = SignOptions.from_settings(
        cfg, module=args.module, token_label=args.token_label, cert_label=args.cert_label,
        out_dir=args.out_dir, main_reference=args.main_reference, position=position, seal_image=args.seal,
        seal_diameter_mm=args.seal_diameter, copy_form=args.copy_form, online=False if args.offline else None,
        pin_warning_confirmed=args.confirm_pin_warning)
    store = None
    if args.entry:
        store = open_store(args)
        entry_id = queries.entry(store, args.entry).id
    # PIN flags before asking for the PIN
    try:
        tokens.check_pin_status(tokens.pin_status(opts.module, opts.token_label), opts.pin_warning_confirmed)
    except PinWarningError as warn:
        if args.pin_stdin or not _confirm(warn.message):
            raise
        opts.pin_warning_confirmed = True
    pin = _read_pin(args)

    def lazy_store():
        nonlocal store
        if store is None:
            store = open_store(args)
        return store

    report = progress_printer(tr("Ký số")) if args.format == "text" and len(args.files) > 1 else None
    try:
        if args.entry:
            batch = signing.sign_entry(store, cfg, entry_id, pin, files=args.files, mode=args.mode, options=opts,
                                       progress=report).batch
        else:
            batch = signing.sign_files(args.files, args.mode, pin, opts, store=lazy_store, progress=report)
    finally:
        pin = None
        if store is not None:
            store.close()
    if args.format == "json":
        print_json(batch.to_dict())
    else:
        for r in batch.results:
            if r.status == "signed":
                extra = " " + tr("(sẽ nâng cấp B-LT khi có mạng)") if r.pending_upgrade else ""
                print(f"✓ {r.source} → {r.output} [{r.level}]{extra}")
            elif r.status == "not_started":
                print(f"- {r.source}: " + tr("chưa ký"))
            else:
                print(f"✗ {r.source}: {r.message}")
        if batch.stopped:
            print(tr("Dừng: {m}").format(m=batch.stopped), file=sys.stderr)
    if batch.stopped:
        return 6
    return 0 if batch.ok else 1


def sign_upgrade(args):
    from ..workflows import signing
    _quiet_pyhanko(args)
    with open_store(args) as store:
        results = signing.upgrade_pending(store, settings(args))
    if args.format == "json":
        print_json(results)
    else:
        if not results:
            print(tr("Không có tệp nào chờ nâng cấp."))
        for r in results:
            print(f"{r['sha256'][:12]}: {r['message']}")
    return 0 if all(r["status"] == "done" for r in results) else 1


def verify(args):
    from ..sign.verify import verify_pdf
    _quiet_pyhanko(args)
    cfg = settings(args)
    rep = verify_pdf(args.file, extra_roots=args.trust_root, online=args.online,
                     settings_roots=cfg.get("sign.trust_roots"))
    if args.json:
        print_json(rep.to_dict())
    else:
        print(rep.verdict_text.upper() + f" — {args.file}")
        kinds = {"organization": tr("cơ quan"), "personal": tr("cá nhân")}
        for i, s in enumerate(rep.signatures, 1):
            mark = {"valid": "✓", "warning": "!", "invalid": "✗"}[s.verdict]
            print(f" {mark} {i}. {s.signer_subject} ({kinds.get(s.kind, s.kind)}), "
                  + tr("ký lúc {t}").format(t=s.signing_time or "?"))
            for msg in s.problems + s.notes:
                print(f"      - {msg}")
        if not rep.rule_org_and_personal and rep.signatures:
            print(" ! " + tr("văn bản liên thông cần ít nhất một chữ ký của cơ quan và một chữ ký của "
                             "người có thẩm quyền"))
    return {"valid": 0, "warning": 0, "unsigned": 1, "invalid": 1}[rep.verdict]
