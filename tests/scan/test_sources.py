"""SANE acquisition in a child process, against the SANE `test` device (private config)."""
import pytest
from PIL import Image

from app.scan import sources
from app.scan.errors import ScanError


@pytest.mark.timeout(60)
def test_list_devices(sane_config):
    names = [d["name"] for d in sources.list_devices(sane_config)]
    assert "test:0" in names
    assert [d["name"] for d in sources.backend(sane_config).list_devices()] == names


@pytest.mark.timeout(60)
def test_flatbed_a4_gray(sane_config, tmp_path):
    [page] = sources.acquire("test:0", "flatbed", 200, "gray", tmp_path, config_dir=sane_config)
    im = Image.open(page)
    assert im.mode == "L"
    assert abs(im.width - 1654) < 3 and abs(im.height - 2339) < 3     # A4 at 200 dpi
    assert round(im.info["dpi"][0]) == 200


@pytest.mark.timeout(60)
def test_feeder_batch_until_empty(sane_config, tmp_path):
    seen = []
    pages = sources.acquire("test:0", "adf", 200, "color", tmp_path, config_dir=sane_config,
                            progress=lambda d, t: seen.append(d))
    assert len(pages) == 10 and seen == list(range(1, 11))      # the test feeder holds 10 sheets
    assert Image.open(pages[0]).mode == "RGB"


@pytest.mark.timeout(60)
@pytest.mark.parametrize("status,words", [("SANE_STATUS_JAMMED", "kẹt"), ("SANE_STATUS_COVER_OPEN", "Nắp"),
                                          ("SANE_STATUS_IO_ERROR", "Mất kết nối")])
def test_injected_faults(sane_config, tmp_path, status, words):
    with pytest.raises(ScanError) as e:
        sources.acquire("test:0", "adf", 200, "gray", tmp_path, config_dir=sane_config,
                        options={"read_return_value": status})
    assert words in e.value.message and e.value.detail


@pytest.mark.timeout(60)
def test_a_worker_hanging_while_closing_after_a_fault_is_killed_and_the_fault_reported(tmp_path, monkeypatch):
    """SANE's test backend sometimes hangs in close() after an I/O error (seen under load): the
    clerk gets the fault within seconds, not after the page timeout."""
    import sys
    import time
    hang = ("import json, sys, time; print(json.dumps({'event': 'error', 'status': 'io', 'detail': 'Error during "
            "device I/O', 'pages': 0}), flush=True); time.sleep(300)")
    monkeypatch.setattr(sources, "_cmd", lambda *args: [sys.executable, "-c", hang])
    t = time.monotonic()
    with pytest.raises(ScanError) as e:
        sources.acquire("test:0", "adf", 200, "gray", tmp_path, page_timeout=50)
    assert "Mất kết nối" in e.value.message
    assert time.monotonic() - t < sources.CLOSE_GRACE + 10


@pytest.mark.timeout(60)
def test_hanging_driver_times_out_and_is_killed(sane_config, tmp_path):
    import time
    t = time.monotonic()
    with pytest.raises(ScanError) as e:
        sources.acquire("test:0", "flatbed", 200, "gray", tmp_path, config_dir=sane_config, page_timeout=2,
                        options={"read_delay": "true", "read_delay_duration": 200000})
    assert "không phản hồi" in e.value.message
    assert time.monotonic() - t < 10


@pytest.mark.timeout(60)
def test_missing_device_and_source(sane_config, tmp_path):
    with pytest.raises(ScanError) as e:
        sources.acquire("test:7", "flatbed", 200, "gray", tmp_path, config_dir=sane_config)
    assert "test:7" in e.value.message
    with pytest.raises(ScanError) as e:
        sources.acquire("test:0", "duplex", 200, "gray", tmp_path, config_dir=sane_config)
    assert "duplex" in e.value.message
    with pytest.raises(ScanError):
        sources.acquire("test:0", "flatbed", 100, "gray", tmp_path, config_dir=sane_config)


@pytest.mark.timeout(120)
def test_scan_command_to_pdf(cli, sane_config, tmp_path, monkeypatch):
    monkeypatch.setenv("VANTHU_SANE_CONFIG_DIR", str(sane_config))
    out = tmp_path / "scan.pdf"
    r = cli("scan", "--device", "test:0", "--source", "flatbed", "--dpi", "200", "--out", out, "--format", "json")
    assert r.code == 0, r.err
    assert r.json()["pages"] == 1 and out.read_bytes().startswith(b"%PDF-1.")
    r = cli("scan", "--list", "--format", "json")
    assert "test:0" in [d["name"] for d in r.json()]


@pytest.mark.timeout(60)
def test_jam_mid_batch_keeps_the_pages_already_scanned(sane_config, tmp_path, monkeypatch):
    monkeypatch.setenv("VANTHU_SANE_FAULT_AFTER", "3:read_return_value=SANE_STATUS_JAMMED")
    with pytest.raises(ScanError) as e:
        sources.acquire("test:0", "adf", 200, "gray", tmp_path, config_dir=sane_config)
    assert len(e.value.pages) == 3 and all(p.exists() for p in e.value.pages)
    assert "kẹt" in e.value.message and "trang 4" in e.value.message


@pytest.mark.timeout(60)
def test_driver_crash_mid_batch_keeps_pages_and_app_survives(sane_config, tmp_path, monkeypatch):
    monkeypatch.setenv("VANTHU_SANE_CRASH_AFTER", "2")
    with pytest.raises(ScanError) as e:
        sources.acquire("test:0", "adf", 200, "gray", tmp_path, config_dir=sane_config)
    assert "dừng đột ngột" in e.value.message
    assert [p.name for p in e.value.pages] == ["page-0001.png", "page-0002.png"]
