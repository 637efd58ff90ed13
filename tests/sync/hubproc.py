"""The reference hub as a real subprocess on 127.0.0.1 on a free port."""
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Hub:
    def __init__(self, data: Path, orgs: dict[str, str], clock_offset: float = 0.0, tls: tuple | None = None,
                 ca: str | None = None, env: dict | None = None):
        self.env = env or {}    # e.g. VANTHU_HUB_MAX_UPLOAD
        self.tls = tls          # (cert.pem, key.pem): serve HTTPS
        self.ca = ca            # CA file to trust while waiting for readiness
        self.data = Path(data)
        self.orgs = orgs
        self.clock_offset = clock_offset
        self.port = free_port()
        self.proc = None

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> "Hub":
        args = [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())",
                "--data-dir", str(self.data / "cli"), "hub", "--port", str(self.port), "--data", str(self.data)]
        self.data.mkdir(parents=True, exist_ok=True)
        secrets = self.data / "orgs.txt"       # secrets never on the command line
        secrets.write_text("".join(f"{org}={secret}\n" for org, secret in self.orgs.items()), encoding="utf-8")
        secrets.chmod(0o600)
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", VANTHU_HUB_ORGS_FILE=str(secrets))
        env.update(self.env)
        if self.clock_offset:
            args += ["--clock-offset", str(self.clock_offset)]
        if self.tls:
            args += ["--tls-cert", str(self.tls[0]), "--tls-key", str(self.tls[1])]
        self.proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("hub exited: " + self.proc.stderr.read().decode(errors="replace")[-2000:])
            try:
                if httpx.get(self.url + "/api/v1/time", timeout=1.0, verify=self._verify()).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise TimeoutError("hub did not start in time")

    def _verify(self):
        import ssl
        return ssl.create_default_context(cafile=str(self.ca)) if self.ca else True

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self.proc and self.proc.stderr:
            self.proc.stderr.close()
        self.proc = None

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def db(self):
        conn = sqlite3.connect(f"file:{self.data / 'hub.sqlite3'}?mode=ro", uri=True, timeout=30)
        conn.row_factory = sqlite3.Row
        return conn

    def query(self, sql, params=()):
        with self.db() as conn:
            return [dict(r) for r in conn.execute(sql, params).fetchall()]
