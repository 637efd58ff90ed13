"""Build the distributable application and the Linux package; check the installed package.

    python installer/build.py dist      icons + PyInstaller one-folder build (dist/vanthu/) + .deb (Linux)
    python installer/build.py deb       only the .deb, from an existing dist/vanthu/
    python installer/build.py check     install the .deb on this machine, smoke-test it, uninstall it
                                        (root; what `make dist-check` runs after `make dist`)

Everything the package says about itself (name, version, dependencies, desktop entry) is made
here from pyproject.toml and the constants below, so the fast tests can check it without a build."""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"
DIST = ROOT / "dist"
BUILD = ROOT / "build"
APP_DIR = DIST / "vanthu"               # PyInstaller's one-folder output
ICON_SVG = ROOT / "resources" / "icons" / "app.svg"
ICON_DIR = BUILD / "icons"
PREFIX = "/opt/vanthu"
MAINTAINER = "Văn thư <vanthu@localhost>"

# Debian 12 names first; "| t64 name" alternatives keep the package installable on Debian 13.
DEPENDS = [
    "tesseract-ocr", "tesseract-ocr-vie",
    "libsane1",
    "fonts-liberation2 | fonts-liberation", "fonts-dejavu-core", "fontconfig",
    "libfontconfig1", "libfreetype6", "libdbus-1-3", "libglib2.0-0t64 | libglib2.0-0",
    "libegl1", "libgl1", "libx11-6", "libx11-xcb1", "libxcb1", "libxkbcommon0", "libxkbcommon-x11-0",
    "libxcb-cursor0", "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1", "libxcb-randr0", "libxcb-render-util0",
    "libxcb-render0", "libxcb-shape0", "libxcb-shm0", "libxcb-sync1", "libxcb-xfixes0", "libxcb-xkb1",
    "libxcb-util1",
]
# Qt's Wayland platform plugin needs these; without them Qt runs through XWayland (xcb).
RECOMMENDS = ["tesseract-ocr-eng", "sane-utils", "clamav", "libwayland-client0", "libwayland-cursor0", "libwayland-egl1"]
SUGGESTS = ["opensc", "softhsm2", "gnome-keyring"]
# Libraries every Debian system has; not worth declaring.
BASE_PACKAGES = {"libc6", "libgcc-s1", "libstdc++6", "zlib1g", "libzstd1", "liblzma5", "libbz2-1.0",
                 "libselinux1", "libpcre2-8-0", "libcrypt1", "libuuid1", "libblkid1", "libmount1",
                 "libexpat1", "libffi8", "libgcrypt20", "libgpg-error0", "liblz4-1", "libsystemd0",
                 "libcap2", "libbsd0", "libmd0"}

DESCRIPTION = """Clerk-office workstation (Văn thư)
 Registers incoming and outgoing documents with gapless numbering, digitizes
 paper mail (scanning and Vietnamese OCR), signs with the organization's
 PKCS#11 token, exchanges documents with the provincial hub and prints the
 register books (Nghị định 30/2020/NĐ-CP)."""

DESKTOP = """[Desktop Entry]
Type=Application
Version=1.4
Name=Văn thư
Name[vi]=Văn thư
Name[en]=Clerk office
GenericName=Quản lý văn bản đến, đi
Comment=Đăng ký, số hóa, ký số và liên thông văn bản
Comment[en]=Register, digitize, sign and exchange official documents
Exec=vanthu-gui
TryExec=vanthu-gui
Icon=vanthu
Terminal=false
Categories=Office;
Keywords=văn bản;công văn;sổ đăng ký;ký số;document;register;
StartupWMClass=vanthu
"""

LAUNCHERS = {
    "vanthu": f'#!/bin/sh\nexec {PREFIX}/vanthu "$@"\n',
    "vanthu-gui": f'#!/bin/sh\nexec {PREFIX}/vanthu --gui "$@"\n',
}


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def version() -> str:
    return project()["version"]


def deb_arch() -> str:
    try:
        return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "amd64"


def deb_name(arch: str | None = None) -> str:
    return f"vanthu_{version()}_{arch or deb_arch()}.deb"


def control(installed_kb: int, arch: str | None = None) -> str:
    fields = {
        "Package": "vanthu",
        "Version": version(),
        "Architecture": arch or deb_arch(),
        "Maintainer": MAINTAINER,
        "Installed-Size": str(installed_kb),
        "Section": "misc",
        "Priority": "optional",
        "Homepage": "https://localhost/vanthu",
        "Depends": ", ".join(DEPENDS),
        "Recommends": ", ".join(RECOMMENDS),
        "Suggests": ", ".join(SUGGESTS),
        "Description": DESCRIPTION,
    }
    return "".join(f"{k}: {v}\n" for k, v in fields.items())


def run(cmd, **kw):
    print("+", " ".join(map(str, cmd)), flush=True)
    return subprocess.run(cmd, check=True, **kw)


# ------------------------------------------------------------------ icons

def build_icons(out: Path = ICON_DIR) -> dict:
    """PNG sizes and a Windows .ico rendered from resources/icons/app.svg (PyMuPDF, Pillow)."""
    import io

    import pymupdf
    from PIL import Image
    out.mkdir(parents=True, exist_ok=True)
    doc = pymupdf.open(str(ICON_SVG))
    page = doc[0]
    big = page.get_pixmap(matrix=pymupdf.Matrix(256 / page.rect.width, 256 / page.rect.height), alpha=True)
    img = Image.open(io.BytesIO(big.tobytes("png"))).convert("RGBA")
    files = {}
    for size in (16, 32, 48, 64, 128, 256):
        p = out / f"vanthu-{size}.png"
        img.resize((size, size), Image.LANCZOS).save(p)
        files[size] = p
    img.save(out / "vanthu.ico", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
    files["ico"] = out / "vanthu.ico"
    return files


# ------------------------------------------------------------------ PyInstaller

def build_app() -> Path:
    build_icons()
    env = {**os.environ, "VANTHU_ICON_DIR": str(ICON_DIR)}
    t0 = time.monotonic()
    run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(DIST), "--workpath", str(BUILD / "pyinstaller"), str(INSTALLER / "vanthu.spec")],
        cwd=ROOT, env=env)
    print(f"PyInstaller: {time.monotonic() - t0:.0f} s, {du_mb(APP_DIR):.0f} MB in {APP_DIR}")
    return APP_DIR


def du_mb(path: Path) -> float:
    total = 0
    for p in Path(path).rglob("*"):
        if p.is_file() and not p.is_symlink():
            total += p.stat().st_size
    return total / (1 << 20)


# ------------------------------------------------------------------ Linux package

def elf_files(root: Path):
    for p in root.rglob("*"):
        if p.is_file() and not p.is_symlink():
            with open(p, "rb") as f:
                if f.read(4) == b"\x7fELF":
                    yield p


def system_libraries(root: Path) -> tuple[set[str], set[str]]:
    """(resolved libraries outside the bundle, names that ldd could not find)."""
    outside, missing = set(), set()
    bundle_dirs = {str(p.parent) for p in root.rglob("*.so*")}
    env = {**os.environ, "LD_LIBRARY_PATH": os.pathsep.join(sorted(bundle_dirs))}
    for f in elf_files(root):
        cp = subprocess.run(["ldd", str(f)], capture_output=True, text=True, env=env)
        for line in cp.stdout.splitlines():
            m = re.match(r"\s*(\S+) => (not found|(\S+))", line)
            if not m:
                continue
            if m.group(2) == "not found":
                missing.add(m.group(1))
            elif not m.group(3).startswith(str(root)):
                outside.add(os.path.realpath(m.group(3)))
    return outside, missing


def owning_packages(paths) -> set[str]:
    pkgs = set()
    for p in sorted(paths):
        cp = subprocess.run(["dpkg", "-S", p], capture_output=True, text=True)
        if cp.returncode != 0:
            alt = p.replace("/usr/lib/", "/lib/", 1) if p.startswith("/usr/lib/") else None
            cp = subprocess.run(["dpkg", "-S", alt], capture_output=True, text=True) if alt else cp
        if cp.returncode == 0:
            pkgs.add(cp.stdout.split(":")[0].strip())
    return pkgs


def installed_closure(names) -> set[str]:
    """Installed packages reachable through Depends/Pre-Depends from `names` (on this machine)."""
    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        cp = subprocess.run(["dpkg-query", "-W", "-f=${Status}|${Depends}, ${Pre-Depends}", name],
                            capture_output=True, text=True)
        if cp.returncode != 0 or "install ok installed" not in cp.stdout:
            continue
        seen.add(name)
        for alt in cp.stdout.split("|", 1)[1].split(","):
            for choice in alt.split("|"):
                dep = choice.strip().split(" ")[0].split(":")[0]
                if dep:
                    todo.append(dep)
    return seen


def check_dependencies(root: Path) -> list[str]:
    """Packages the bundle links against that DEPENDS does not bring in (empty = consistent)."""
    outside, missing = system_libraries(root)
    optional = {"libwayland-cursor.so.0", "libwayland-egl.so.1", "libwayland-client.so.0"}   # RECOMMENDS
    problems = [f"library not found on this machine: {m}" for m in sorted(missing - optional)]
    declared = set()
    for alt in DEPENDS:
        declared.update(c.strip() for c in alt.split("|"))
    covered = installed_closure(declared) | BASE_PACKAGES
    for pkg in sorted(owning_packages(outside) - covered):
        problems.append(f"undeclared dependency: {pkg}")
    return problems


def build_deb(app_dir: Path = APP_DIR, out_dir: Path = DIST) -> Path:
    if not (app_dir / "vanthu").is_file():
        raise SystemExit(f"{app_dir}/vanthu is missing: run the PyInstaller build first (make dist)")
    icons = build_icons()
    stage = BUILD / "deb" / "root"
    if stage.exists():
        shutil.rmtree(stage)
    opt = stage / PREFIX.lstrip("/")
    shutil.copytree(app_dir, opt, symlinks=True)
    usr = stage / "usr"
    for name, text in LAUNCHERS.items():
        p = usr / "bin" / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
        p.chmod(0o755)
    (usr / "share" / "applications").mkdir(parents=True)
    (usr / "share" / "applications" / "vanthu.desktop").write_text(DESKTOP, encoding="utf-8")
    scalable = usr / "share" / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copy(ICON_SVG, scalable / "vanthu.svg")
    for size in (16, 32, 48, 64, 128, 256):
        d = usr / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        d.mkdir(parents=True)
        shutil.copy(icons[size], d / "vanthu.png")
    doc = usr / "share" / "doc" / "vanthu"
    doc.mkdir(parents=True)
    shutil.copy(INSTALLER / "machine-settings.example.json", doc / "machine-settings.example.json")
    shutil.copy(ROOT / "README.md", doc / "README.md")
    (doc / "copyright").write_text(
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
        "Upstream-Name: vanthu\n\nFiles: *\nLicense: MIT\n\n"
        "Files: opt/vanthu/_internal/resources/fonts/*\nLicense: OFL-1.1\n"
        " See /opt/vanthu/_internal/resources/fonts/LICENSE-Liberation-OFL.txt\n\n"
        "Files: opt/vanthu/_internal/PySide6/*\nLicense: LGPL-3.0\n", encoding="utf-8")
    for p in stage.rglob("*"):          # root:root, no group/other write
        if not p.is_symlink():
            p.chmod(0o755 if p.is_dir() or os.access(p, os.X_OK) else 0o644)
    debian = stage / "DEBIAN"
    debian.mkdir()
    kb = int(sum(p.stat().st_size for p in stage.rglob("*") if p.is_file() and not p.is_symlink()) / 1024) + 1
    (debian / "control").write_text(control(kb), encoding="utf-8")
    out_dir.mkdir(parents=True, exist_ok=True)
    deb = out_dir / deb_name()
    run(["dpkg-deb", "--root-owner-group", "-Zxz", "-z6", "--build", str(stage), str(deb)])
    problems = check_dependencies(opt)
    for p in problems:
        print("WARNING:", p)
    print(f"{deb}: {deb.stat().st_size / (1 << 20):.1f} MB, installed {kb / 1024:.0f} MB")
    return deb


# ------------------------------------------------------------------ check the installed package

def _timed(cmd, env, n=1, timeout=300):
    times, cp = [], None
    for _ in range(n):
        t0 = time.monotonic()
        cp = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
        times.append(time.monotonic() - t0)
    return cp, statistics.median(times)


def _sane_config(d: Path) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    (d / "dll.conf").write_text("test\n")
    src = Path("/etc/sane.d/test.conf")
    if src.exists():
        (d / "test.conf").write_text(src.read_text().replace("geometry_max 200.0", "geometry_max 300.0"))
    return d


def check_installed(deb: Path, keep: bool = False) -> dict:
    """Install `deb`, run its programs, uninstall. Returns the measurements; raises on failure."""
    if os.geteuid() != 0:
        raise SystemExit("dist-check installs the package: run it as root")
    figures = {"deb_mb": round(deb.stat().st_size / (1 << 20), 1)}
    failures = []
    run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", str(deb.resolve())],
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    try:
        figures["installed_mb"] = round(du_mb(Path(PREFIX)), 1)
        tmp = Path(tempfile.mkdtemp(prefix="vanthu-dist-check-"))
        data = tmp / "data"
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("VIRTUAL_ENV", "PYTHON", "VANTHU_", "QT_"))}
        env["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        env.update(VANTHU_DATA_DIR=str(data), SANE_CONFIG_DIR=str(_sane_config(tmp / "sane.d")),
                   VANTHU_MACHINE_SETTINGS=str(tmp / "machine.json"))
        # a SoftHSM token configured through the machine-wide file: exercises the frozen probe child
        if Path("/usr/lib/softhsm/libsofthsm2.so").exists() and shutil.which("softhsm2-util"):
            (tmp / "tokens").mkdir()
            (tmp / "softhsm2.conf").write_text(f"directories.tokendir = {tmp / 'tokens'}\nobjectstore.backend = file\n")
            env["SOFTHSM2_CONF"] = str(tmp / "softhsm2.conf")
            subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", "DIST-CHECK", "--so-pin", "12345678",
                            "--pin", "123456"], env=env, check=True, capture_output=True, timeout=30)
        (tmp / "machine.json").write_text(json.dumps({
            "org.id": "000.00.00.H53", "org.name": "Ủy ban nhân dân tỉnh (kiểm tra gói)",
            "token.module": "/usr/lib/softhsm/libsofthsm2.so", "token.label": "DIST-CHECK",
            "locked": ["org.id"]}, ensure_ascii=False), encoding="utf-8")

        cp, t = _timed(["/usr/bin/vanthu", "--version"], env, n=5)
        figures["version_output"] = cp.stdout.strip()
        figures["startup_version_s"] = round(t, 3)
        if cp.returncode != 0 or cp.stdout.strip() != f"vanthu {version()}":
            failures.append(f"vanthu --version: {cp.returncode} {cp.stdout!r} {cp.stderr[-500:]!r}")

        cp, t = _timed(["/usr/bin/vanthu", "--help"], env, n=3)
        figures["startup_help_s"] = round(t, 3)
        if cp.returncode != 0 or "self-test" not in cp.stdout:
            failures.append(f"vanthu --help: {cp.returncode} {cp.stderr[-500:]!r}")

        cp, t = _timed(["/usr/bin/vanthu", "self-test", "--format", "json"], env, timeout=300)
        figures["self_test_s"] = round(t, 2)
        try:
            report = json.loads(cp.stdout)
            figures["self_test"] = {c["id"]: c["status"] for c in report["checks"]}
            for c in report["checks"]:
                print(f"  self-test {c['id']}: {c['label']} {c['message']}")
            for cid in ("settings", "data", "tesseract", "fonts", "pkcs11", "scanner"):
                if figures["self_test"].get(cid) != "ok":
                    failures.append(f"self-test {cid}: {figures['self_test'].get(cid)}")
            if cp.returncode != report["exit_code"]:
                failures.append(f"self-test exit code {cp.returncode} != {report['exit_code']}")
        except (ValueError, KeyError) as exc:
            failures.append(f"self-test output: {exc}: {cp.stdout[-500:]!r} {cp.stderr[-1000:]!r}")
        cp = subprocess.run(["/usr/bin/vanthu", "self-test"], capture_output=True, text=True, env=env, timeout=300)
        if "Kết quả:" not in cp.stdout:
            failures.append(f"self-test text report: {cp.stdout[-300:]!r}")

        # a register entry through the CLI of the installed package
        cp = subprocess.run(["/usr/bin/vanthu", "registers", "list"], capture_output=True, text=True, env=env,
                             timeout=120)
        figures["registers_list_rc"] = cp.returncode

        shot = tmp / "man-hinh.png"
        cp, t = _timed(["/usr/bin/vanthu-gui", "--screenshot", str(shot)], {**env, "QT_QPA_PLATFORM": "offscreen"},
                       n=3, timeout=300)
        figures["gui_screenshot_offscreen_s"] = round(t, 2)
        if cp.returncode != 0 or not shot.is_file() or shot.read_bytes()[:8] != b"\x89PNG\r\n\x1a\n":
            failures.append(f"GUI screenshot (offscreen): {cp.returncode} {cp.stderr[-1500:]!r}")
        if shutil.which("xvfb-run"):            # the real X11 (xcb) platform plugin and its libraries
            shot_x = tmp / "man-hinh-xcb.png"
            cp, t = _timed(["xvfb-run", "-a", "-s", "-screen 0 1400x900x24", "/usr/bin/vanthu-gui",
                            "--screenshot", str(shot_x)], {**env, "QT_QPA_PLATFORM": "xcb"}, timeout=300)
            figures["gui_screenshot_xcb_s"] = round(t, 2)
            if cp.returncode != 0 or not shot_x.is_file():
                failures.append(f"GUI screenshot (xcb under Xvfb): {cp.returncode} {cp.stderr[-1500:]!r}")
            else:
                figures["screenshot"] = str(shot_x)
    finally:
        if not keep:
            run(["dpkg", "-r", "vanthu"])
    if not keep:
        for p in (PREFIX, "/usr/bin/vanthu", "/usr/bin/vanthu-gui", "/usr/share/applications/vanthu.desktop"):
            if os.path.exists(p):
                failures.append(f"left after uninstall: {p}")
        if not (data / "vanthu.sqlite3").exists():
            failures.append("the clerk's data folder did not survive the uninstall")
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if failures:
        for f in failures:
            print("FAIL:", f, file=sys.stderr)
        raise SystemExit(1)
    print("dist-check: OK")
    return figures


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="installer/build.py")
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("icons")
    sub.add_parser("app")
    sub.add_parser("deb")
    sub.add_parser("dist")
    c = sub.add_parser("check")
    c.add_argument("--deb", type=Path)
    c.add_argument("--keep", action="store_true", help="leave the package installed")
    args = p.parse_args(argv)
    if args.cmd == "icons":
        print(build_icons())
    elif args.cmd == "app":
        build_app()
    elif args.cmd == "deb":
        build_deb()
    elif args.cmd == "dist":
        build_app()
        if sys.platform.startswith("linux"):
            build_deb()
    elif args.cmd == "check":
        check_installed(args.deb or DIST / deb_name(), keep=args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
