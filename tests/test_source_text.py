"""Every string the clerk may see is stored in the sources as Unicode NFC (TCVN 6909:2001)."""
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_sources_and_translations_are_nfc():
    files = [*ROOT.joinpath("app").rglob("*.py"), *ROOT.joinpath("hub").rglob("*.py"),
             *ROOT.joinpath("resources", "i18n").glob("*.ts"), ROOT / "README.md"]
    bad = [f"{p.relative_to(ROOT)}:{n}" for p in files
           for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
           if not unicodedata.is_normalized("NFC", line)]
    assert len(files) > 50 and bad == []
