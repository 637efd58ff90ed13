"""Image files at intake (`extract`, `intake`, `import`): mutated PNG, JPEG and TIFF."""
from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz import mutators
from tests.fuzz.harness import STRESS, check_run, folder_digest, fuzz_settings, run_cli, tick, timed

pytestmark = pytest.mark.timeout(1800)

MUTATE = {"PNG": mutators.mutate_png, "JPEG": mutators.mutate_jpeg, "TIFF": mutators.mutate_tiff}
SUFFIX = {"PNG": ".png", "JPEG": ".jpg", "TIFF": ".tif"}


@st.composite
def image_file(draw):
    fmt = draw(st.sampled_from(list(MUTATE)))
    data = mutators.base_image(draw, fmt)
    if draw(st.integers(0, 5)):          # mostly hostile, sometimes the valid file itself
        data = MUTATE[fmt](data, draw)
    return fmt, data


def _fuzz(data_dir, folder, name):
    @given(image_file(), st.sampled_from(["extract", "extract", "intake", "import"]))
    def example(img, command):
        fmt, data = img
        tick(name)
        f = folder / ("in" + SUFFIX[fmt])
        f.write_bytes(data)
        before = folder_digest(data_dir)
        if command == "extract":
            r = run_cli(data_dir, "extract", f, "--json")
        elif command == "intake":
            r = run_cli(data_dir, "intake", f, "--allow-duplicate", "--format", "json")
        else:
            r = run_cli(data_dir, "import", f, "--register", "den", "--format", "json")
        check_run(r, before, data_dir)
        if r.code == 0 and command == "extract":
            fields = json.loads(r.out)
            assert {"summary", "text", "pages"} <= set(fields)
        if r.code == 0 and command == "intake":
            assert json.loads(r.out)["register_number"] > 0
    return example


def test_fuzz_images(fuzz_data, tmp_path):
    with timed("images"):
        fuzz_settings(60)(_fuzz(fuzz_data, tmp_path, "images"))()


@pytest.mark.slow
@pytest.mark.timeout(6 * 3600)
@pytest.mark.skipif(not STRESS, reason="VANTHU_STRESS=1 (make stress)")
def test_fuzz_images_stress(fuzz_data, tmp_path):
    with timed("images (stress)"):
        fuzz_settings(5000)(_fuzz(fuzz_data, tmp_path, "images (stress)"))()
