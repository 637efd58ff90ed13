"""Client of the provincial server's register API (see hub/openapi.json; not the national
platform's): pushes register changes in batches, idempotent by key (and by entry uid + revision on the server), uploads
files by hash, hands register ownership over, and reads a snapshot to restore a workstation."""
from .errors import ServerRefused


class MirrorClient:
    def __init__(self, http):
        self.http = http

    def close(self) -> None:
        self.http.close()

    def time(self) -> float | None:
        try:
            return float(self.http.request("GET", "/api/v1/time").json()["now"])
        except ServerRefused:
            return None

    def time_or_raise(self) -> float:
        """The server's clock; raises OfflineError when it does not answer."""
        return float(self.http.request("GET", "/api/v1/time").json()["now"])

    def push(self, items: list[dict], registers: list[dict]) -> list[dict]:
        """items: {key, seq, topic, register, entity_id, payload}; returns per-item results
        {key, status: applied|duplicate|conflict|invalid, reason}."""
        resp = self.http.request("POST", "/api/v1/changes", json={"items": items, "registers": registers})
        return resp.json()["results"]

    def put_file(self, sha256: str, path) -> None:
        with open(path, "rb") as f:
            self.http.request("PUT", f"/api/v1/files/{sha256}", content=f)

    def get_file(self, sha256: str, dest) -> None:
        self.http.request("GET", f"/api/v1/files/{sha256}", stream_to=dest)

    def registers(self) -> list[dict]:
        return self.http.request("GET", "/api/v1/registers").json()["registers"]

    def handover(self, code: str, to_workstation: str, force: bool = False) -> dict:
        return self.http.request("POST", f"/api/v1/registers/{code}/owner",
                                 json={"workstation": to_workstation, "force": force}).json()

    def snapshot(self) -> dict:
        return self.http.request("GET", "/api/v1/snapshot").json()

    def redeliver(self, days: int = 90) -> int:
        return int(self.http.request("POST", "/api/v1/redeliver", json={"days": days}).json()["redelivered"])
