"""The documentation stays true: the command reference matches the parsers, every relative link
resolves, the README stays short and names the two commands, the text is NFC, and the clerk's
guide renders in the Qt help browser with all its images."""
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "resources" / "guide" / "huong-dan.md"
# Files other branches write; a link to one may dangle until that branch is merged, and is
# checked like any other link as soon as the file exists.
WRITTEN_ELSEWHERE = {ROOT / "docs" / "exchange.md",      # branch i11 (exchange)
                     ROOT / "docs" / "credentials.md"}   # branch i15 (credential stores)

LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HTML_SRC = re.compile(r"""<(?:img|a)\s[^>]*(?:src|href)=["']([^"']+)["']""")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
ANCHOR_ID = re.compile(r"""<a\s+(?:id|name)=["']([^"']+)["']""")


def doc_files() -> list[Path]:
    files = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").rglob("*.md")),
             *sorted((ROOT / "resources" / "guide").rglob("*.md"))]
    return [f for f in files if f.exists()]


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]|<[^>]+>", "", heading).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    found = set(ANCHOR_ID.findall(text))
    for line in FENCE.sub("", text).splitlines():
        if line.startswith("#"):
            found.add(slug(line.lstrip("#")))
    return found


def links(path: Path) -> list[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    text = re.sub(r"`[^`\n]*`", "", text)  # inline code is not a link
    return LINK.findall(text) + HTML_SRC.findall(text)


def test_command_reference_is_current():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_commands.py"), "--check"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, (
        "docs/commands.md does not match the argparse parsers; regenerate it with "
        "`.venv/bin/python tools/gen_commands.py` and commit it.\n" + result.stderr)


def test_command_reference_covers_every_command():
    import argparse

    from app.cli import build_parser
    parser = build_parser()
    names = [n for a in parser._actions if isinstance(a, argparse._SubParsersAction) for n in a.choices]
    text = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    assert len(names) > 20
    assert [n for n in names if f'<a id="vanthu-{n}"></a>' not in text] == []


def test_every_relative_link_resolves():
    files = doc_files()
    assert len(files) >= 8, files
    broken = []
    for f in files:
        for target in links(f):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
                continue
            path_part, _, frag = target.partition("#")
            dest = (f.parent / path_part).resolve() if path_part else f
            if not dest.exists():
                if dest not in WRITTEN_ELSEWHERE:
                    broken.append(f"{f.relative_to(ROOT)}: {target} (no such file)")
                continue
            if frag and dest.suffix == ".md" and frag not in anchors(dest):
                broken.append(f"{f.relative_to(ROOT)}: {target} (no such heading or anchor)")
    assert broken == []


def test_readme_is_short_and_names_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 250
    assert "make run" in text and "make test" in text


def test_documentation_is_nfc():
    bad = [f"{f.relative_to(ROOT)}:{n}" for f in doc_files()
           for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1)
           if not unicodedata.is_normalized("NFC", line)]
    assert bad == []


def test_guide_images_are_small_pngs():
    images = sorted((ROOT / "resources" / "guide" / "img").glob("*"))
    assert images, "resources/guide/img/ holds the guide's screenshots"
    assert [p.name for p in images if p.suffix != ".png" or p.read_bytes()[:8] != b"\x89PNG\r\n\x1a\n"] == []
    assert sum(p.stat().st_size for p in images) < 3 * 1024 * 1024
    used = {Path(t).name for t in links(GUIDE) if t.startswith("img/")}
    assert sorted(p.name for p in images if p.name not in used) == []  # no unused image shipped


@pytest.mark.timeout(60)
@pytest.mark.parametrize("how", ["setSource", "setSearchPaths+setMarkdown"])
def test_guide_renders_in_a_qt_text_browser(qapp, how):
    """What Help › Hướng dẫn sử dụng does: a QTextBrowser given the guide's file (or its text with
    the guide's folder on the search path) shows the whole guide and finds every image."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QTextDocument
    from PySide6.QtWidgets import QTextBrowser
    browser = QTextBrowser()
    if how == "setSource":
        browser.setSource(QUrl.fromLocalFile(str(GUIDE)), QTextDocument.ResourceType.MarkdownResource)
    else:
        browser.setSearchPaths([str(GUIDE.parent)])
        browser.setMarkdown(GUIDE.read_text(encoding="utf-8"))
    doc = browser.document()
    plain = " ".join(doc.toPlainText().split())
    assert "Hướng dẫn sử dụng" in plain and "](" not in plain  # markdown was parsed, not shown raw
    # Qt's Markdown reader silently drops everything after a raw HTML block: the whole guide must
    # arrive, down to its last paragraph of text.
    text = GUIDE.read_text(encoding="utf-8")
    assert not re.search(r"<[a-zA-Z/!]", FENCE.sub("", text)), "plain Markdown only: no HTML in the guide"
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip() and not p.lstrip().startswith(("!", "|", "#"))]
    last_words = " ".join(re.sub(r"[*`]", "", paragraphs[-1]).split())[:40]
    assert last_words in plain
    images = [t for t in links(GUIDE) if t.startswith("img/")]
    assert len(images) >= 5
    missing = [t for t in images
               if doc.resource(QTextDocument.ResourceType.ImageResource, QUrl(t)) is None]
    assert missing == []
    browser.deleteLater()


CODE_NAME = re.compile(r"`(app(?:\.[A-Za-z_][A-Za-z0-9_]*)+)")


def test_code_names_in_the_documentation_exist():
    """Every `app.module.name` the documentation mentions can be imported: names drift with the code."""
    import importlib
    missing = []
    for f in doc_files():
        if f.name == "commands.md":
            continue
        for name in sorted(set(CODE_NAME.findall(f.read_text(encoding="utf-8")))):
            parts = name.split(".")
            for i in range(len(parts), 0, -1):
                try:
                    obj = importlib.import_module(".".join(parts[:i]))
                except ImportError:
                    continue
                try:
                    for attr in parts[i:]:
                        obj = getattr(obj, attr)
                except AttributeError:
                    missing.append(f"{f.relative_to(ROOT)}: {name}")
                break
            else:
                missing.append(f"{f.relative_to(ROOT)}: {name}")
    assert missing == []
