"""Helpers shared by the CLI subcommands: opening the store, JSON and text output."""
import getpass
import json
import sys

from ..i18n import tr


def open_store(args, create: bool = True):
    from ..store import open_store as _open
    try:
        actor = getpass.getuser()
    except Exception:
        actor = "vanthu"
    return _open(args.data_dir, actor=actor, create=create)


def settings(args):
    from ..settings import Settings
    return Settings(args.data_dir)


def add_format(parser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text", help=tr("định dạng kết quả"))


def print_json(obj) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def read_json(path: str):
    from ..jsonlimits import load_file  # size and depth limits (issue 15)
    return load_file(path)


def progress_printer(label: str):
    """A progress callback for long work: prints 'label: done/total' on stderr."""
    def report(done, total=None):
        print(f"\r{label}: {done}/{total}" if total else f"\r{label}: {done}", end="", file=sys.stderr)
        if total and done >= total:
            print(file=sys.stderr)
    return report
