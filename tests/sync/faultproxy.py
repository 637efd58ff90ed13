"""A small fault-injecting TCP proxy between the client and the hub: drops connections after
N bytes up or down, delays answers beyond the client's timeout, answers 500, resets."""
import socket
import struct
import threading
import time


class FaultProxy:
    """modes: pass | drop_up (after `after` bytes client->server) | drop_down (after `after`
    bytes server->client) | delay (hold the answer `seconds` once the request side passed `after`
    bytes) | http500 | reset.
    A mode applies to the next `count` connections (None: until changed), then back to pass."""

    def __init__(self, target_port: int, target_host: str = "127.0.0.1"):
        self.target = (target_host, target_port)
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.lock = threading.Lock()
        self.mode, self.after, self.seconds, self.count = "pass", 0, 0.0, None
        self.conns: list[socket.socket] = []
        self.faults = 0
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def set(self, mode: str, after: int = 0, seconds: float = 0.0, count: int | None = None) -> None:
        with self.lock:
            self.mode, self.after, self.seconds, self.count = mode, after, seconds, count
            # close live connections so the next request opens a new one that sees the mode
            for c in self.conns:
                _close(c)
            self.conns.clear()

    def close(self) -> None:
        self.closed = True
        _close(self.sock)
        with self.lock:
            for c in self.conns:
                _close(c)

    def _take_mode(self):
        with self.lock:
            mode = (self.mode, self.after, self.seconds)
            if self.mode != "pass" and self.count is not None:
                self.count -= 1
                if self.count <= 0:
                    self.mode, self.count = "pass", None
            if mode[0] != "pass":
                self.faults += 1
            return mode

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            mode, after, seconds = self._take_mode()
            if mode == "reset":
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                client.close()
                continue
            if mode == "http500":
                threading.Thread(target=self._answer500, args=(client,), daemon=True).start()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                _close(client)
                continue
            with self.lock:
                self.conns += [client, upstream]
            state = {"up": 0, "down": 0, "delayed": False}
            threading.Thread(target=self._pump, args=(client, upstream, "up", state, mode, after, seconds),
                             daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, "down", state, mode, after, seconds),
                             daemon=True).start()

    def _answer500(self, client) -> None:
        try:
            client.settimeout(5)
            client.recv(65536)
            body = b'{"detail":"injected failure"}'
            client.sendall(b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
                           b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
        except OSError:
            pass
        _close(client)

    def _pump(self, src, dst, direction, state, mode, after, seconds) -> None:
        """drop_up/drop_down: cut both sides once `after` bytes went that way. delay: hold the
        first answer chunk that follows more than `after` bytes of request."""
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if mode == "delay" and direction == "down" and not state["delayed"] and state["up"] > after:
                    state["delayed"] = True
                    time.sleep(seconds)
                if mode == f"drop_{direction}" and state[direction] + len(data) >= after:
                    dst.sendall(data[:max(0, after - state[direction])])
                    break
                dst.sendall(data)
                state[direction] += len(data)
        except OSError:
            pass
        _close(src)
        _close(dst)


def _close(s) -> None:
    try:
        s.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        s.close()
    except OSError:
        pass
