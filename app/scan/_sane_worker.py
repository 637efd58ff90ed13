"""SANE acquisition in its own process (`python -m app.scan._sane_worker`), so that a crashing
or hanging driver cannot take the application down. Speaks JSON lines on stdout:
  {"event": "devices", "devices": [...]}
  {"event": "page", "n": 1, "path": "..."}       one per acquired page, written before it is reported
  {"event": "error", "status": "jammed", "detail": "..."}
  {"event": "done", "pages": N}
"""
import argparse
import json
import os
import sys
from pathlib import Path

STATUS = [("jammed", "jam"), ("cover", "cover"), ("out of documents", "no_docs"), ("no documents", "no_docs"),
          ("busy", "busy"), ("i/o", "io"), ("invalid", "invalid"), ("access", "denied"),
          ("not supported", "unsupported"), ("no memory", "memory")]


def emit(**obj):
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def classify(exc) -> str:
    text = str(exc).lower()
    for needle, code in STATUS:
        if needle in text:
            return code
    return "error"


def pick_source(available, wanted: str) -> str:
    keys = {"flatbed": ("flatbed", "platen"), "adf": ("feeder", "adf"), "duplex": ("duplex",)}[wanted]
    for s in available:
        low = s.lower()
        if any(k in low for k in keys) and (wanted == "duplex" or "duplex" not in low):
            return s
    raise LookupError(f"source {wanted!r} not offered: {available}")


def set_option(dev, name, value):
    try:
        setattr(dev, name, value)
    except Exception as exc:  # an option this device does not have
        emit(event="warning", detail=f"option {name}={value!r}: {exc}")


def acquire(args) -> int:
    import sane
    sane.init()
    dev = sane.open(args.device)
    opts = {(o[1] or "").replace("-", "_"): o for o in dev.get_options()}
    if "source" in opts and isinstance(opts["source"][8], list):
        dev.source = pick_source(opts["source"][8], args.source)
    elif args.source != "flatbed":
        raise LookupError(f"device has no document feeder (source {args.source!r})")
    mode = "Color" if args.mode == "color" else "Gray"
    if "mode" in opts and isinstance(opts["mode"][8], list):
        mode = next((m for m in opts["mode"][8] if m.lower() == mode.lower()), mode)
    set_option(dev, "mode", mode)
    set_option(dev, "resolution", args.dpi)
    # A4 unless the device is smaller
    for name, mm in (("br_x", 210.0), ("br_y", 297.0)):
        if name in opts:
            rng = opts[name][8]
            hi = rng[1] if isinstance(rng, tuple) else mm
            set_option(dev, name, min(mm, hi))
    for kv in args.option or []:
        k, _, v = kv.partition("=")
        set_option(dev, k, int(v) if v.isdigit() else (v == "true" if v in ("true", "false") else v))
    out = Path(args.out_dir)
    n = 0
    batch = args.source in ("adf", "duplex")
    # test hooks: a fault injected by the SANE test device, or a driver crash, after N pages
    fault_after, _, fault = os.environ.get("VANTHU_SANE_FAULT_AFTER", "").partition(":")
    crash_after = os.environ.get("VANTHU_SANE_CRASH_AFTER", "")
    try:
        while True:
            if n >= args.max_pages:
                break
            try:
                dev.start()
            except Exception as exc:
                if batch and classify(exc) == "no_docs" and n > 0:
                    break
                raise
            img = dev.snap()
            n += 1
            path = out / f"page-{n:04d}.png"
            tmp = path.with_suffix(".part")
            img.save(tmp, "PNG", dpi=(args.dpi, args.dpi), compress_level=1)
            tmp.rename(path)
            emit(event="page", n=n, path=str(path))
            if fault and str(n) == fault_after:
                k, _, v = fault.partition("=")
                set_option(dev, k, v)
            if crash_after and str(n) == crash_after:
                os.abort()
            if not batch:
                break
    except Exception as exc:
        emit(event="error", status=classify(exc), detail=str(exc), pages=n)
        return 3
    finally:
        try:
            dev.close()
        except Exception:
            pass
    emit(event="done", pages=n)
    return 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("list")
    a = sub.add_parser("acquire")
    a.add_argument("--device", required=True)
    a.add_argument("--source", default="flatbed", choices=("flatbed", "adf", "duplex"))
    a.add_argument("--dpi", type=int, default=300)
    a.add_argument("--mode", default="gray", choices=("gray", "color"))
    a.add_argument("--out-dir", required=True)
    a.add_argument("--max-pages", type=int, default=500)
    a.add_argument("--option", action="append", help="extra SANE option name=value")
    args = p.parse_args(argv)
    try:
        if args.cmd == "list":
            import sane
            sane.init()
            emit(event="devices", devices=[dict(zip(("name", "vendor", "model", "type"), d))
                                           for d in sane.get_devices()])
            return 0
        return acquire(args)
    except LookupError as exc:
        emit(event="error", status="source", detail=str(exc), pages=0)
        return 3
    except Exception as exc:
        emit(event="error", status=classify(exc), detail=f"{type(exc).__name__}: {exc}", pages=0)
        return 3


if __name__ == "__main__":
    sys.exit(main())
