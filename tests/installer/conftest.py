"""Fixtures for the self-test and installer tests: a memory keyring, a private SANE config with the
`test` backend, a SoftHSM2 token in a temporary folder (touched only by child processes), a
machine-wide settings file, and small HTTP servers on 127.0.0.1."""
import json
import os
import shutil
import socket
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"


@pytest.fixture
def memory_keyring():
    import keyring

    from tests.support.keyring_memory import MemoryKeyring
    old = keyring.get_keyring()
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    yield kr
    keyring.set_keyring(old)


@pytest.fixture
def fail_keyring():
    import keyring
    from keyring.backends import fail
    old = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(old)


@pytest.fixture
def sane_test_device(tmp_path, monkeypatch):
    """SANE_CONFIG_DIR with only the `test` backend (device listing in milliseconds)."""
    d = tmp_path / "sane.d"
    d.mkdir()
    (d / "dll.conf").write_text("test\n")
    conf = Path("/etc/sane.d/test.conf").read_text().replace("geometry_max 200.0", "geometry_max 300.0")
    (d / "test.conf").write_text(conf)
    monkeypatch.setenv("SANE_CONFIG_DIR", str(d))
    return d


@pytest.fixture
def sane_no_device(tmp_path, monkeypatch):
    d = tmp_path / "sane-empty.d"
    d.mkdir()
    (d / "dll.conf").write_text("")
    monkeypatch.setenv("SANE_CONFIG_DIR", str(d))
    return d


@pytest.fixture
def softhsm_token(tmp_path, monkeypatch):
    """A SoftHSM2 token "VANTHU-ST" in tmp_path. SOFTHSM2_CONF is set only through monkeypatch, so
    it is restored after the test; the module is loaded only in the self-test's child process."""
    if not os.path.isfile(SOFTHSM_MODULE):
        pytest.skip("SoftHSM2 is not installed")
    tokens = tmp_path / "tokens"
    tokens.mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", "VANTHU-ST", "--so-pin", "12345678",
                    "--pin", "123456"], env=env, check=True, capture_output=True, timeout=30)
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    return "VANTHU-ST"


@pytest.fixture
def machine_settings(tmp_path, monkeypatch):
    """Write the machine-wide settings file: machine_settings({...})."""
    path = tmp_path / "machine" / "settings.json"
    path.parent.mkdir()
    monkeypatch.setenv("VANTHU_MACHINE_SETTINGS", str(path))

    def write(content):
        path.write_text(content if isinstance(content, str) else json.dumps(content, ensure_ascii=False),
                        encoding="utf-8")
        return path
    return write


@pytest.fixture
def user_settings(data_dir):
    def write(values: dict):
        data_dir.mkdir(parents=True, exist_ok=True)
        (data_dir / "settings.json").write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
    return write


class _Handler(BaseHTTPRequestHandler):
    date_header = None

    def do_GET(self):
        body = b"vanthu test hub"
        self.send_response(404)     # sends Date: from date_time_string()
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def date_time_string(self, timestamp=None):
        return self.date_header or super().date_time_string(timestamp)

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server():
    """A real HTTP server on 127.0.0.1: http_server(date_header=None) -> base URL."""
    servers = []

    def start(date_header=None):
        handler = type("H", (_Handler,), {"date_header": date_header})
        srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
        return f"http://127.0.0.1:{srv.server_address[1]}/"
    yield start
    for srv in servers:
        srv.shutdown()
        srv.server_close()


@pytest.fixture
def silent_server():
    """A socket that accepts connections and never answers."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    yield f"http://127.0.0.1:{s.getsockname()[1]}/"
    s.close()


@pytest.fixture
def closed_port_url():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}/"


@pytest.fixture
def resources_copy(tmp_path, monkeypatch):
    """A private copy of resources/ selected through $VANTHU_RESOURCES (to break it on purpose)."""
    src = Path(__file__).resolve().parents[2] / "resources"
    dst = tmp_path / "resources"
    shutil.copytree(src, dst)
    monkeypatch.setenv("VANTHU_RESOURCES", str(dst))
    return dst


@pytest.fixture
def broken_modules(tmp_path):
    """Shared libraries that pretend to be PKCS#11 modules: one aborts, one hangs."""
    if not shutil.which("gcc"):
        pytest.skip("gcc is not installed")
    out = {}
    for name, body in (("crash", "abort();"), ("hang", "for (;;) sleep(1);")):
        c = tmp_path / f"{name}.c"
        c.write_text("#include <stdlib.h>\n#include <unistd.h>\n"
                     f"int C_GetFunctionList(void **p) {{ {body} return 0; }}\n")
        so = tmp_path / f"lib{name}pkcs11.so"
        subprocess.run(["gcc", "-shared", "-fPIC", "-o", str(so), str(c)], check=True, capture_output=True,
                       timeout=60)
        out[name] = str(so)
    return out
