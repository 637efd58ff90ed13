"""The command line `vanthu`: every capability is reachable without the GUI.

Subcommands live in app/commands/*.py; each module has `add(subparsers)` and registers its
parsers with `set_defaults(func=handler)`. Handlers import heavy libraries lazily."""
import argparse
import importlib
import logging
import pkgutil
import sys

from . import commands, logs
from .errors import VanthuError
from .i18n import tr

log = logging.getLogger("vanthu.cli")


def version() -> str:
    try:
        from importlib.metadata import version as v
        return v("vanthu")
    except Exception:
        return "0+unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vanthu", description=tr("Trạm làm việc văn thư"))
    parser.add_argument("--data-dir", help=tr("thư mục dữ liệu (mặc định: $VANTHU_DATA_DIR hoặc thư mục người dùng)"))
    parser.add_argument("-v", "--verbose", action="store_true", help=tr("ghi nhật ký chi tiết ra stderr"))
    parser.add_argument("--version", action="version", version=f"vanthu {version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for mod in sorted(m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_")):
        importlib.import_module(f"{commands.__name__}.{mod}").add(sub)
    return parser


def main(argv=None) -> int:
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
        sys.stderr.reconfigure(encoding="utf-8")
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from .settings import data_dir
    args.data_dir = data_dir(args.data_dir)
    logs.setup(args.data_dir, args.verbose)
    try:
        return args.func(args) or 0
    except VanthuError as exc:
        log.info("%s: %s | %s", type(exc).__name__, exc.message, exc.detail)
        print(tr("Lỗi: ") + exc.message, file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(tr("Đã dừng."), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception:
        log.exception("unexpected error in %s", args.command)
        print(tr("Lỗi không mong đợi; chi tiết đã ghi vào nhật ký {p}.").format(
            p=args.data_dir / "logs" / "vanthu.log"), file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main())
