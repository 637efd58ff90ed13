"""Regenerate the clerk's guide screenshots (resources/guide/img/*.png).

    .venv/bin/python resources/guide/make_data.py build/guide-data --scan     # once: a realistic folder
    .venv/bin/python resources/guide/shots.py build/guide-data                # render, shrink, copy

Each view in SHOTS is rendered by the application itself (`python -m app --screenshot FILE --view V
--size 1366x768 --data-dir DATA`, the same call `make screenshots` makes) into build/screenshots/,
then scaled to at most MAX_WIDTH pixels wide (the guide is read in a help window, not full screen)
and reduced to a 256-colour palette so that the images stay small (< 3 MB together).
`--from DIR` skips rendering and converts the PNGs `make screenshots` already wrote in DIR."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
IMG = Path(__file__).resolve().parent / "img"
SIZE = "1366x768"
MAX_WIDTH = 960

# view of `python -m app --screenshot` -> file name in img/ (the guide links these names)
SHOTS = {
    "first-run": "lan-dau.png",
    "incoming": "van-ban-den.png",
    "intake": "nhap-van-ban-giay.png",
    "form-incoming": "dang-ky-den.png",
    "number": "so-den.png",
    "detail": "chi-tiet.png",
    "outgoing": "van-ban-di.png",
    "search": "tra-cuu.png",
    "form-outgoing": "dang-ky-di.png",
    "inbox": "cho-tiep-nhan.png",
    "outbox": "hang-doi-gui.png",
    "books": "in-so.png",
    "settings": "cai-dat.png",
    "error": "thong-bao-loi.png",
}


def render(data: Path, out: Path) -> list[str]:
    """Render every view; returns the views that failed (their old images are left alone)."""
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", OMP_THREAD_LIMIT="1")
    failed = []
    for view in SHOTS:
        (out / f"{view}.png").unlink(missing_ok=True)
        done = subprocess.run([sys.executable, "-m", "app", "--screenshot", str(out / f"{view}.png"), "--view",
                               view, "--size", SIZE, "--data-dir", str(data)], cwd=ROOT, env=env, timeout=180,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode:
            failed.append(view)
            print(f"{view}: exit code {done.returncode}; {done.stderr.strip()[-300:]}", file=sys.stderr)
    return failed


def shrink(src: Path, dest: Path) -> None:
    im = Image.open(src).convert("RGB")
    if im.width > MAX_WIDTH:
        im = im.resize((MAX_WIDTH, round(im.height * MAX_WIDTH / im.width)), Image.Resampling.LANCZOS)
    im.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(dest, optimize=True)


def main(argv: list[str]) -> int:
    failed: list[str] = []
    if "--from" in argv:
        shots = Path(argv[argv.index("--from") + 1])
    elif len(argv) == 1:
        shots = ROOT / "build" / "screenshots"
        failed = render(Path(argv[0]).resolve(), shots)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    IMG.mkdir(exist_ok=True)
    for view, name in SHOTS.items():
        if (shots / f"{view}.png").exists():
            shrink(shots / f"{view}.png", IMG / name)
        elif view not in failed:
            failed.append(view)
    total = sum(p.stat().st_size for p in IMG.glob("*.png"))
    print(f"{len(SHOTS) - len(failed)} images written to {IMG.relative_to(ROOT)} ({total / 1e6:.2f} MB in all)")
    if failed:
        print(f"NOT regenerated (old image kept): {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
