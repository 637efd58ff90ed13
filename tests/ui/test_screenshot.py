"""`python -m app --screenshot` in a real process: a PNG of the window, and no Qt warnings."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(90)
@pytest.mark.parametrize("view,size,scale", [("incoming", "1366x768", 1), ("form-incoming", "1366x768", 1),
                                             ("search", "1280x720", 1), ("inbox", "1920x1080", 1),
                                             ("incoming", "1366x768", 1.5)])
def test_screenshot_writes_a_png(tmp_path, view, size, scale):
    from sample_data import populate

    from app.store import open_store
    data = tmp_path / "data"
    with open_store(data) as s:
        populate(s, incoming=12, outgoing=3)
    out = tmp_path / f"{view}.png"
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
           "VANTHU_MACHINE_SETTINGS": str(tmp_path / "none.json")}
    proc = subprocess.run([sys.executable, "-m", "app", "--screenshot", str(out), "--view", view,
                           "--data-dir", str(data), "--size", size, "--scale", str(scale)],
                          cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    from PySide6.QtGui import QImage
    img = QImage(str(out))
    w, h = (int(x) for x in size.split("x"))
    assert img.width() > 600 and img.height() > 400
    if not view.startswith("form"):
        # the window, drawn at the screen's scale (crisp at 150 %), fits the screen
        assert img.width() == int(w * scale) and img.height() <= int(h * scale)
    else:
        assert img.width() <= w * scale and img.height() <= h * scale
    noise = [l for l in proc.stderr.splitlines() if l.strip() and "propagateSizeHints" not in l]
    assert noise == []
