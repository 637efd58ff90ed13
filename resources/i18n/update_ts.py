"""Extract the clerk-visible strings of app/ui (every literal passed to tr() or N_()) into
vanthu_en.ts, keeping the translations already there, then compile vanthu_en.qm with lrelease.

    .venv/bin/python resources/i18n/update_ts.py [--check]

--check exits 1 if a string has no translation (used by the tests)."""
import ast
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
UI = ROOT / "app" / "ui"
CONTEXT = "vanthu"
LANGS = ("en",)


def extract() -> list[str]:
    seen: dict[str, None] = {}
    for path in sorted(UI.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("tr", "N_") \
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                seen.setdefault(node.args[0].value)
    return list(seen)


def read_ts(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    out = {}
    for msg in ET.parse(path).getroot().iter("message"):
        src, tr = msg.findtext("source"), msg.find("translation")
        if src is not None and tr is not None and tr.text and tr.get("type") not in ("unfinished", "obsolete"):
            out[src] = tr.text
    return out


def write_ts(path: Path, lang: str, strings: list[str], known: dict[str, str]) -> list[str]:
    root = ET.Element("TS", version="2.1", language=lang, sourcelanguage="vi")
    ctx = ET.SubElement(root, "context")
    ET.SubElement(ctx, "name").text = CONTEXT
    missing = []
    for s in strings:
        msg = ET.SubElement(ctx, "message")
        ET.SubElement(msg, "source").text = s
        t = ET.SubElement(msg, "translation")
        if s in known:
            t.text = known[s]
        else:
            t.set("type", "unfinished")
            missing.append(s)
    ET.indent(root)
    path.write_bytes(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' +
                     ET.tostring(root, encoding="utf-8"))
    return missing


def lrelease(ts: Path) -> None:
    exe = shutil.which("pyside6-lrelease") or str(Path(sys.executable).parent / "pyside6-lrelease")
    subprocess.run([exe, "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True, timeout=60)


def main(argv) -> int:
    strings = extract()
    status = 0
    for lang in LANGS:
        ts = HERE / f"vanthu_{lang}.ts"
        if "--check" in argv:
            missing = [s for s in strings if s not in read_ts(ts)]
        else:
            missing = write_ts(ts, lang, strings, read_ts(ts))
            lrelease(ts)
        if missing:
            print(f"{ts.name}: {len(missing)} of {len(strings)} strings untranslated", file=sys.stderr)
            for s in missing[:50]:
                print("  " + s, file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
