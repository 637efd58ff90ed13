"""Fast checks of the packaging files (no PyInstaller build here: that is `make dist-check`)."""
import configparser
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def build():
    return _load("vanthu_build", INSTALLER / "build.py")


# ------------------------------------------------------------------ PyInstaller spec

def test_spec_compiles_and_names_existing_files():
    text = (INSTALLER / "vanthu.spec").read_text(encoding="utf-8")
    compile(text, "vanthu.spec", "exec")
    for name in ("vanthu_entry.py", "pyi_rth_vanthu.py"):
        assert name in text and (INSTALLER / name).is_file()
    assert 'name="vanthu"' in text and 'name="vanthu-gui"' in text
    assert "copy_metadata" in text and '"vanthu"' in text          # `vanthu --version` when frozen
    assert 'collect_submodules("app")' in text                     # commands found by pkgutil
    assert "fetch-tesseract.ps1" in text and (INSTALLER / "windows" / "fetch-tesseract.ps1").is_file()


def test_frozen_module_paths_land_on_the_bundled_resources(monkeypatch, tmp_path):
    """PyInstaller sets __file__ of app/x/y.py to <_MEIPASS>/app/x/y.pyc: the existing
    `Path(__file__).parents[2] / "resources"` idiom and app.resources agree on <_MEIPASS>/resources."""
    from app import resources
    meipass = tmp_path / "_internal"
    fake_file = meipass / "app" / "sign" / "certs.pyc"
    assert Path(fake_file).resolve().parents[2] / "resources" == meipass / "resources"
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(meipass), raising=False)
    monkeypatch.delenv("VANTHU_RESOURCES", raising=False)
    assert resources.resources_dir() == meipass / "resources"
    assert resources.resource_path("fonts", "a.ttf") == meipass / "resources" / "fonts" / "a.ttf"
    assert resources.tesseract_dir() is None
    (meipass / "tesseract").mkdir(parents=True)
    assert resources.tesseract_dir() == meipass / "tesseract"


def test_resources_from_the_source_tree(monkeypatch, tmp_path):
    from app import resources
    monkeypatch.delenv("VANTHU_RESOURCES", raising=False)
    assert resources.resources_dir() == ROOT / "resources"
    assert resources.resource_path("seal", "con-dau-mau.png").is_file()
    monkeypatch.setenv("VANTHU_RESOURCES", str(tmp_path))
    assert resources.resource_path("x") == tmp_path / "x"


@pytest.mark.timeout(30)
def test_runtime_hook_puts_bundled_tesseract_first(tmp_path):
    meipass = tmp_path / "_internal"
    (meipass / "tesseract" / "tessdata").mkdir(parents=True)
    code = ("import runpy, sys, os; sys._MEIPASS = sys.argv[1]; "
            "runpy.run_path(sys.argv[2]); "
            "print(os.environ['PATH'].split(os.pathsep)[0]); print(os.environ['TESSDATA_PREFIX']); "
            "print(os.environ['OMP_THREAD_LIMIT'])")
    env = {k: v for k, v in os.environ.items() if k not in ("TESSDATA_PREFIX", "OMP_THREAD_LIMIT")}
    out = subprocess.run([sys.executable, "-c", code, str(meipass), str(INSTALLER / "pyi_rth_vanthu.py")],
                         capture_output=True, text=True, env=env, timeout=30, check=True).stdout.split("\n")
    assert out[:3] == [str(meipass / "tesseract"), str(meipass / "tesseract" / "tessdata"), "1"]


# ------------------------------------------------------------------ entry point roles

def _entry(*args, env=None, timeout=60):
    e = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, str(INSTALLER / "vanthu_entry.py"), *args], capture_output=True,
                          text=True, env=e, cwd=ROOT, timeout=timeout)


@pytest.mark.timeout(60)
def test_entry_cli_role():
    cp = _entry("--version")
    assert cp.returncode == 0 and cp.stdout.strip() == f"vanthu {VERSION}"


@pytest.mark.timeout(60)
def test_entry_selftest_child_role(tmp_path):
    d = tmp_path / "sane.d"
    d.mkdir()
    (d / "dll.conf").write_text("test\n")
    (d / "test.conf").write_text(Path("/etc/sane.d/test.conf").read_text())
    cp = _entry("--selftest-child", "sane", env={"SANE_CONFIG_DIR": str(d)})
    d = json.loads(cp.stdout.strip().splitlines()[-1])
    assert d["ok"] and any(dev[0].startswith("test:") for dev in d["devices"])


@pytest.mark.timeout(60)
def test_entry_sane_worker_role(tmp_path):
    d = tmp_path / "sane.d"
    d.mkdir()
    (d / "dll.conf").write_text("test\n")
    (d / "test.conf").write_text(Path("/etc/sane.d/test.conf").read_text())
    cp = _entry("--sane-worker", "list", env={"SANE_CONFIG_DIR": str(d)})
    event = json.loads(cp.stdout.strip().splitlines()[-1])
    assert event["event"] == "devices" and any(dev["name"].startswith("test:") for dev in event["devices"])


@pytest.mark.timeout(120)
def test_entry_gui_role_takes_a_screenshot(tmp_path):
    shot = tmp_path / "man-hinh.png"
    cp = _entry("--gui", "--screenshot", str(shot), timeout=110,
                env={"QT_QPA_PLATFORM": "offscreen", "VANTHU_DATA_DIR": str(tmp_path / "data")})
    assert cp.returncode == 0, cp.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ------------------------------------------------------------------ Debian package metadata

def test_control_is_consistent(build):
    text = build.control(12345, arch="amd64")
    fields = dict(re.findall(r"^([A-Za-z-]+): (.*)$", text, re.M))
    assert fields["Package"] == "vanthu" and fields["Version"] == VERSION
    assert fields["Architecture"] == "amd64" and fields["Installed-Size"] == "12345"
    depends = [d.strip() for d in fields["Depends"].split(",")]
    for needed in ("tesseract-ocr", "tesseract-ocr-vie", "libsane1", "libxcb-cursor0", "libxcb-icccm4",
                   "libxcb-keysyms1", "libegl1", "libfontconfig1", "fonts-dejavu-core"):
        assert needed in depends, needed
    assert any(d.startswith("fonts-liberation2") for d in depends)
    assert "softhsm2" not in fields["Depends"] and "opensc" in fields["Suggests"]
    for alt in depends:
        for name in alt.split("|"):
            assert re.fullmatch(r"[a-z0-9][a-z0-9+.-]+", name.strip()), name
    # a continuation line of the description starts with a space; no empty lines in the stanza
    assert "\n\n" not in text and text.endswith("\n")
    assert build.deb_name("amd64") == f"vanthu_{VERSION}_amd64.deb"


@pytest.mark.skipif(not shutil.which("dpkg-query"), reason="not a Debian system")
def test_every_dependency_is_installable_here(build):
    """Each Depends alternative has one choice installed on this machine (the one dist-check uses)."""
    missing = []
    for alt in build.DEPENDS:
        names = [n.strip() for n in alt.split("|")]
        ok = any("install ok installed" in subprocess.run(["dpkg-query", "-W", "-f=${Status}", n],
                                                          capture_output=True, text=True).stdout for n in names)
        if not ok:
            missing.append(alt)
    assert not missing, f"not installed here (add them to installer/bootstrap-debian.sh?): {missing}"


def test_desktop_entry_and_launchers(build, tmp_path):
    cp = configparser.ConfigParser(interpolation=None)
    cp.optionxform = str
    cp.read_string(build.DESKTOP)
    entry = cp["Desktop Entry"]
    assert entry["Type"] == "Application" and entry["Name"] == "Văn thư" and entry["Icon"] == "vanthu"
    assert entry["Exec"].split()[0] in build.LAUNCHERS and entry["Terminal"] == "false"
    assert build.LAUNCHERS["vanthu"].splitlines()[1] == f'exec {build.PREFIX}/vanthu "$@"'
    assert "--gui" in build.LAUNCHERS["vanthu-gui"]
    if shutil.which("desktop-file-validate"):
        p = tmp_path / "vanthu.desktop"
        p.write_text(build.DESKTOP, encoding="utf-8")
        res = subprocess.run(["desktop-file-validate", str(p)], capture_output=True, text=True, timeout=30)
        assert res.returncode == 0, res.stdout + res.stderr


@pytest.mark.timeout(60)
def test_icons_are_rendered_from_the_svg(build, tmp_path):
    from PIL import Image
    files = build.build_icons(tmp_path)
    for size in (16, 48, 256):
        img = Image.open(files[size])
        assert img.size == (size, size) and img.mode == "RGBA"
        r, g, b, a = img.getpixel((size // 2, size // 8))
        assert a == 255 and r > 150 and g < 80      # the red frame of app.svg
    ico = Image.open(files["ico"])
    assert (256, 256) in ico.info["sizes"] and (16, 16) in ico.info["sizes"]


# ------------------------------------------------------------------ Windows installer script

def _iss():
    raw = (INSTALLER / "windows" / "vanthu.iss").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Inno Setup reads UTF-8 only with a BOM"
    text = raw[3:].decode("utf-8")
    sections, current = {}, None
    for line in text.splitlines():
        m = re.match(r"^\[(\w+)\]\s*$", line)
        if m:
            current = sections.setdefault(m.group(1), [])
        elif current is not None and line.strip() and not line.lstrip().startswith(";"):
            current.append(line)
    return text, sections


def test_inno_setup_script():
    text, s = _iss()
    setup = dict(line.split("=", 1) for line in s["Setup"] if "=" in line and not line.startswith("#"))
    assert setup["PrivilegesRequired"] == "admin"                       # per-machine
    assert setup["DefaultDirName"].startswith("{autopf}")
    assert setup["ArchitecturesInstallIn64BitMode"] == "x64compatible"
    assert f'#define AppVersion "{VERSION}"' in text
    assert any("{group}" in line and "vanthu-gui.exe" in line.replace("{#AppExe}", "vanthu-gui.exe")
               for line in s["Icons"])                                  # Start-menu entry
    assert any("Name: \"pdfassoc\"" in line for line in s["Tasks"])     # optional PDF association
    assert all("Tasks: pdfassoc" in line for line in s["Registry"] if ".pdf" in line or "ProgId" in line)
    files = "\n".join(s["Files"])
    assert "{commonappdata}\\vanthu" in files and 'DestName: "settings.json"' in files
    assert "uninsneveruninstall" in files and "{param:SETTINGS|}" in text
    assert "{commonappdata}\\vanthu\\trust" in files                 # the province's certificates
    assert all(not line.rstrip().endswith("\\") for line in s["Files"])  # one entry per line
    # the clerk's data (user data folder) is never named by the uninstaller
    for line in s.get("UninstallDelete", []):
        assert "{app}" in line and "appdata" not in line.lower()
    assert "{localappdata}" not in text and "{userappdata}" not in text


def test_machine_settings_example_is_valid():
    from app.settings import KEYS
    data = json.loads((INSTALLER / "machine-settings.example.json").read_text(encoding="utf-8"))
    locked = data.pop("locked")
    assert set(data) <= set(KEYS) and set(locked) <= set(data)
    for k, v in data.items():
        if v is not None:
            KEYS[k][0](v)
    from app.domain.orgid import is_org_id
    assert is_org_id(data["org.id"])
