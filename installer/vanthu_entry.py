"""Entry point of the frozen (PyInstaller) application.

One program, three roles, chosen here before anything heavy is imported:
  vanthu --selftest-child KIND ...   a probe child of the self-test (PKCS#11 module, SANE)
  vanthu --sane-worker ARGS          the scanner acquisition child (app.scan._sane_worker)
  vanthu-gui [ARGS] / vanthu --gui [ARGS]   the desktop workstation (app.ui.main)
  vanthu [ARGS]                      the command line (app.cli)
On Windows vanthu.exe (console) and vanthu-gui.exe (windowed) are two executables built from this
same script; on Linux /usr/bin/vanthu-gui runs `vanthu --gui`."""
import multiprocessing
import os
import sys


def main() -> int:
    argv = sys.argv[1:]
    if argv[:1] == ["--selftest-child"]:
        from app.selftest import child_main
        return child_main(argv[1:])
    if argv[:1] == ["--sane-worker"]:
        from app.scan._sane_worker import main as sane_main
        return sane_main(argv[1:])
    exe = os.path.splitext(os.path.basename(sys.executable))[0].lower()
    if argv[:1] == ["--gui"] or exe.endswith("-gui"):
        if argv[:1] == ["--gui"]:
            argv = argv[1:]
        from app.ui.main import main as gui_main
        return gui_main(argv)
    from app.cli import main as cli_main
    return cli_main(argv)


if __name__ == "__main__":
    multiprocessing.freeze_support()   # OCR runs pages in spawned worker processes
    sys.exit(main())
