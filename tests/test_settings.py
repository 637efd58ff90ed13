"""Settings: the clerk's file over a machine-wide file the IT officer can pre-fill and lock."""
import json

import pytest

from app.errors import ValidationError
from app.settings import Settings, machine_settings_path


@pytest.fixture
def machine(tmp_path, monkeypatch):
    path = tmp_path / "machine.json"
    monkeypatch.setenv("VANTHU_MACHINE_SETTINGS", str(path))
    return path


def test_machine_values_are_defaults_and_locked_keys_win(data_dir, machine):
    machine.write_text(json.dumps({"server.url": "https://truc.example.vn", "sync.interval": "30",
                                   "org.name": "Sở Nội vụ", "locked": ["server.url", "token.module"]}),
                       encoding="utf-8")
    s = Settings(data_dir)
    assert s.get("sync.interval") == 30                     # converted, not the string "30"
    s.set("org.name", "Văn phòng Sở Nội vụ")                 # not locked: the clerk's value wins
    assert Settings(data_dir).get("org.name") == "Văn phòng Sở Nội vụ"
    with pytest.raises(ValidationError):
        s.set("server.url", "http://khac")
    (data_dir / "settings.json").write_text(json.dumps({"server.url": "http://sua-tay", "token.module": "/x.so"}),
                                            encoding="utf-8")
    s = Settings(data_dir)
    assert s.get("server.url") == "https://truc.example.vn"  # a hand-edited user file cannot override
    assert s.get("token.module") is None                     # locked without a value: the default


def test_invalid_values_fall_back_to_defaults(data_dir, machine):
    machine.write_text(json.dumps({"sync.interval": "often", "work.hours": "17:00-08:00"}), encoding="utf-8")
    s = Settings(data_dir)
    assert s.get("sync.interval") == 60 and s.get("work.hours") == "07:30-11:30,13:30-17:00"


@pytest.mark.parametrize("content", ["[1, 2]", "{broken"])
def test_broken_machine_file_is_a_clear_error(data_dir, machine, content):
    machine.write_text(content, encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        Settings(data_dir)
    assert "bị hỏng" in exc.value.message


def test_machine_file_found_in_any_xdg_config_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("VANTHU_MACHINE_SETTINGS", raising=False)
    first, second = tmp_path / "xdg-ubuntu", tmp_path / "xdg"
    (second / "vanthu").mkdir(parents=True)
    (second / "vanthu" / "settings.json").write_text("{}", encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_DIRS", f"{first}:{second}")
    assert machine_settings_path() == second / "vanthu" / "settings.json"


def test_failed_save_leaves_the_file_and_no_debris(data_dir, machine, monkeypatch):
    import errno

    from app import jsonfile
    s = Settings(data_dir)
    s.set("org.name", "Sở Nội vụ")
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(jsonfile.os, "fsync", full)
    with pytest.raises(OSError):
        s.set("org.name", "Sở Tư pháp")
    assert Settings(data_dir).get("org.name") == "Sở Nội vụ"
    assert sorted(p.name for p in data_dir.iterdir() if p.name.startswith(".")) == []
