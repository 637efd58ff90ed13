"""The sync worker: drains the outbox in order per register (documents and statuses to the
national platform, register changes in batches to the provincial server when one is configured),
polls the platform's inbox, records the state of the link (online/offline, last contact, clock
skew) and the per-recipient delivery state of what we sent. Called by the GUI on a worker
thread, by `vanthu sync [--watch]` and by the tests; every step is safe to interrupt."""
import json
import logging
import os
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime

from ..domain import clock
from ..errors import VanthuError
from ..i18n import tr
from ..store import exchange as xstore
from ..store import files, outbox
from . import backoff, inbox, statuses
from .errors import AuthError, OfflineError, ServerRefused
from .labels import N_
from .lock import sync_lock
from .transport import open_provincial, open_transport

log = logging.getLogger(__name__)

TOPIC_LABELS = {
    "entry.registered": N_("Đăng ký văn bản"), "entry.revised": N_("Sửa thông tin"), "entry.voided": N_("Hủy số"),
    "entry.status": N_("Đổi trạng thái"), "attachment.added": N_("Thêm tệp"), "edoc.send": N_("Gửi văn bản"),
    "status.send": N_("Báo trạng thái"),
}
MIRROR_TOPICS = ("entry.registered", "entry.revised", "entry.voided", "entry.status", "attachment.added")
EXCHANGE_TOPICS = ("edoc.send", "status.send")
SKEW_LIMIT = 120.0
MAX_RECEIVED_PACKAGE = 600 << 20


@dataclass
class SyncReport:
    online: bool = False
    sent: int = 0
    parked: int = 0
    received: int = 0
    duplicates: int = 0
    waiting: int = 0
    clock_skew: float | None = None
    error: str | None = None
    cancelled: bool = False
    parked_reasons: list = field(default_factory=list)
    provincial_error: str | None = None     # the provincial server did not answer: changes wait

    def to_dict(self) -> dict:
        return asdict(self)


def _never() -> bool:
    return False


# ------------------------------------------------------------------ link state

def _set_state(store, **values) -> None:
    xstore.set_state(store, **values)


def _state(store) -> dict:
    return xstore.get_state(store)


def status(store) -> dict:
    """What the status bar shows: online/offline, waiting items, parked items, pending inbox,
    clock skew (seconds, server minus workstation) and whether it exceeds two minutes."""
    st = _state(store)
    counts = outbox.counts(store)
    skew = float(st["clock_skew"]) if "clock_skew" in st else None
    online = {"1": True, "0": False}.get(st.get("online"))
    by_topic = xstore.pending_by_topic(store)
    return {
        "mirror_waiting": sum(by_topic.get(t, 0) for t in MIRROR_TOPICS),
        "exchange_waiting": sum(by_topic.get(t, 0) for t in EXCHANGE_TOPICS),
        "quarantined": xstore.quarantine_count(store),
        "provincial_online": {"1": True, "0": False}.get(st.get("provincial_online")),
        "provincial_error": st.get("provincial_error"),
        "online": online,
        "state": "online" if online else ("offline" if online is False else "unknown"),
        "waiting": counts.get("pending", 0),
        "parked": counts.get("parked", 0),
        "done": counts.get("done", 0),
        "inbox_pending": inbox.counts(store).get("pending", 0),
        "last_contact": st.get("last_contact"),
        "last_attempt": st.get("last_attempt"),
        "last_error": st.get("last_error"),
        "next_attempt_at": outbox.next_due_at(store),
        "clock_skew": skew,
        "clock_warning": skew is not None and abs(skew) > SKEW_LIMIT,
    }


def status_text(st: dict) -> str:
    """One line for the clerk (status bar, `vanthu sync --status`)."""
    if st["online"]:
        text = tr("Trực tuyến")
    elif st["online"] is False:
        text = tr("Ngoại tuyến — tự thử lại")
    else:
        text = tr("Chưa kết nối máy chủ")
    text += tr("; chờ gửi: {w}").format(w=st["waiting"])
    if st["parked"]:
        text += tr("; bị từ chối: {p}").format(p=st["parked"])
    if st["inbox_pending"]:
        text += tr("; văn bản đến chờ tiếp nhận: {n}").format(n=st["inbox_pending"])
    if st.get("provincial_online") is False:
        text += tr("; máy chủ tỉnh chưa kết nối được (sổ sẽ được sao lưu sau)")
    if st.get("quarantined"):
        text += tr("; gói tin bị giữ lại (nơi gửi không khớp): {n}").format(n=st["quarantined"])
    if st["clock_warning"]:
        text += tr("; đồng hồ máy lệch {s:+.0f} giây so với máy chủ").format(s=st["clock_skew"])
    return text


# ------------------------------------------------------------------ outbox

def _registers_meta(store) -> dict[int, dict]:
    return xstore.registers_meta(store)


class _Drainer:
    def __init__(self, store, transport, report: SyncReport, progress, cancelled, mirror=None):
        self.store, self.transport, self.report = store, transport, report
        self.mirror = mirror        # None: no provincial server, register changes wait
        self.progress, self.cancelled = progress, cancelled
        self.registers = _registers_meta(store)
        self.uploaded: set[str] = set()
        self.total = outbox.counts(store).get("pending", 0)
        self.done = 0

    def _advance(self, n: int) -> None:
        self.done += n
        if self.progress:
            self.progress(min(self.done, self.total), self.total)

    def _retry_later(self, items, exc) -> None:
        attempts = max(i["attempts"] for i in items) + 1
        at = backoff.next_attempt(clock.now(), attempts)
        outbox.mark_retry(self.store, [i["key"] for i in items], exc.detail or exc.message, clock.iso_precise(at))

    def _park(self, item, reason: str) -> None:
        outbox.mark_parked(self.store, item["key"], reason)
        self.report.parked += 1
        self.report.parked_reasons.append({"key": item["key"], "topic": item["topic"], "reason": reason})
        log.warning("outbox item %s (%s) parked: %s", item["key"], item["topic"], reason)
        self._advance(1)

    def run(self) -> None:
        """Documents and statuses to the platform first, then register changes to the provincial
        server: two destinations, so that one being down never holds the other back."""
        while not self.cancelled():
            items = xstore.due_exchange(self.store, clock.iso_precise(clock.now()))
            if not items:
                break
            for it in items:
                if self.cancelled():
                    return
                self._exchange(it)
        if self.mirror is None or self.cancelled():
            return
        try:
            if _state(self.store).get("provincial_online") == "0":
                self.mirror.time_or_raise()            # back? then what waited goes at once
                outbox.reset_backoff(self.store)
            while not self.cancelled():
                batch = [i for i in outbox.due(self.store, clock.iso_precise(clock.now()), limit=200)
                         if i["topic"] in MIRROR_TOPICS]
                if not batch:
                    break
                self._push(batch)
        except OfflineError as exc:
            self.report.provincial_error = exc.message
            _set_state(self.store, provincial_online=0, provincial_error=exc.message)
            log.info("provincial server offline: %s", exc.detail)
            return
        _set_state(self.store, provincial_online=1, provincial_error=None)

    # register changes -------------------------------------------------
    def _mirror_item(self, it) -> dict:
        reg = self.registers.get(it["register_id"]) or {}
        return {"key": it["key"], "seq": it["seq"], "topic": it["topic"], "register": reg.get("code"),
                "entity_id": it["entity_id"], "payload": json.loads(it["payload"])}

    def _push(self, batch) -> None:
        if not batch:
            return
        ready = []
        for it in batch:
            if it["topic"] == "attachment.added":
                sha = json.loads(it["payload"]).get("sha256", "")
                if sha not in self.uploaded:
                    try:
                        path = files.path_for(self.store, sha)
                    except Exception:
                        path = None
                    if not path or not path.exists():
                        self._park(it, tr("Tệp {h} không còn trong thư mục dữ liệu.").format(h=sha[:12]))
                        continue
                    try:
                        self.mirror.put_file(sha, path)
                    except OfflineError as exc:
                        self._retry_later([it], exc)
                        raise
                    except ServerRefused as exc:
                        if isinstance(exc, AuthError):
                            raise
                        self._park(it, exc.message)
                        continue
                    self.uploaded.add(sha)
            ready.append(it)
        if not ready:
            return
        try:
            results = self.mirror.push([self._mirror_item(i) for i in ready],
                                       [m for rid, m in self.registers.items()
                                        if rid in {i["register_id"] for i in ready}])
        except OfflineError as exc:
            self._retry_later(ready, exc)
            raise
        except AuthError:
            raise
        except ServerRefused as exc:
            if len(ready) == 1:
                self._park(ready[0], exc.message)
                return
            for it in ready:   # isolate the item the server refuses
                self._push([it])
            return
        by_key = {r["key"]: r for r in results}
        done = [i["key"] for i in ready if by_key.get(i["key"], {}).get("status") in ("applied", "duplicate")]
        outbox.mark_done(self.store, done)
        self.report.sent += len(done)
        self._advance(len(done))
        missing = [it for it in ready if it["key"] not in by_key]
        if missing:   # the server did not answer for these: try again later, in order
            self._retry_later(missing, OfflineError(tr("Máy chủ không trả lời đủ."), "incomplete results"))
            raise OfflineError(tr("Máy chủ không trả lời đủ."), f"{len(missing)} results missing")
        for it in ready:
            r = by_key[it["key"]]
            if r["status"] == "conflict":
                self._park(it, r.get("reason") or tr("Sổ đang do máy trạm khác giữ trên máy chủ."))
            elif r["status"] not in ("applied", "duplicate"):
                self._park(it, r.get("reason") or tr("Máy chủ từ chối thay đổi này."))

    # documents and statuses -------------------------------------------
    def _exchange(self, it) -> None:
        payload = json.loads(it["payload"])
        try:
            path = files.path_for(self.store, payload["package_sha256"])
        except Exception:
            path = None
        if not path or not path.exists():
            self._park(it, tr("Gói tin không còn trong thư mục dữ liệu."))
            return
        try:
            hub_id = self.transport.send(path, key=it["key"], to=payload["to"],
                                         messagetype="status" if it["topic"] == "status.send" else "edoc")
        except OfflineError as exc:
            self._retry_later([it], exc)
            raise
        except AuthError:
            raise
        except ServerRefused as exc:
            self._park(it, exc.message)
            return
        xstore.mark_sent(self.store, it["key"], hub_id)
        self.report.sent += 1
        self._advance(1)


# ------------------------------------------------------------------ inbox

def poll_inbox(store, settings, transport, report: SyncReport, cancelled=_never) -> None:
    tmp_dir = store.files_dir / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    for r in transport.list_received():
        if cancelled():
            return
        if xstore.package_seen(store, r.doc_id):
            transport.acknowledge(r.doc_id, ok=True)
            report.duplicates += 1
            continue
        fd, tmp = tempfile.mkstemp(dir=tmp_dir, suffix=".edxml")
        refused = None
        try:
            with os.fdopen(fd, "wb") as out:
                try:
                    transport.fetch(r.doc_id, out, MAX_RECEIVED_PACKAGE)
                except ServerRefused as exc:
                    if isinstance(exc, AuthError) or exc.status != 413:
                        raise
                    out.seek(0)
                    out.truncate(0)   # too large: recorded as invalid, nothing of it kept
                    refused = exc.message
            item = inbox.ingest(store, settings, r.doc_id, tmp, refused=refused, transport_sender=r.sender,
                                source="platform")
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        transport.acknowledge(r.doc_id, ok=item.get("state") not in ("invalid", "quarantined"))
        if item.get("duplicate"):
            report.duplicates += 1
        else:
            report.received += 1
    _set_state(store, last_poll=clock.iso(clock.now()))


def refresh_deliveries(store, transport) -> int:
    """Per-recipient delivery state of what we sent (getSentEdocList), shown on the entry."""
    rows = transport.sent_list()
    return xstore.record_deliveries(store, [{
        "hub_doc_id": str(r.get("senderDocId") or r.get("docId") or ""), "recipient": r.get("toCode"),
        "receive_status": r.get("receiveStatus"),
        "status_desc": r.get("receiveStatusDesc") or r.get("sendStatusDesc"),
        "sent_time": r.get("sentTime"), "received_time": r.get("receivedTime")} for r in rows])


# ------------------------------------------------------------------ one round

def sync_once(store, settings, progress=None, cancelled=None, transport=None, poll: bool = True,
              mirror=None) -> SyncReport:
    """One round: probe the platform, drain what is due, poll the inbox, refresh delivery state.
    Never raises for an unreachable server (the report says offline); raises NotConfigured / Busy
    / AuthError. `mirror`: a MirrorClient for the provincial server (default: from settings)."""
    cancelled = cancelled or _never
    report = SyncReport()
    with sync_lock(store.data_dir):
        own = transport is None
        own_mirror = mirror is None
        if own:
            transport = open_transport(settings, workstation=store.workstation_id)
        was = _state(store).get("online")
        _set_state(store, last_attempt=clock.iso(clock.now()))
        try:
            statuses.follow_handling(store, settings)   # local work: done offline too
            inbox.finish_interrupted_recalls(store, settings)
            clean_temporary(store)
            try:
                transport.count_received()      # the platform answers (and gives its clock)
            except OfflineError as exc:
                _set_state(store, online=0, last_error=exc.message)
                report.error = exc.message
                log.info("offline: %s", exc.detail)
                return _finish(store, report)
            report.online = True
            if was != "1":
                n = outbox.reset_backoff(store)
                if n:
                    log.info("link is back: %d waiting items due at once", n)
            _set_state(store, online=1, last_error=None)
            try:
                if own_mirror:
                    mirror = open_provincial(settings, workstation=store.workstation_id)
                _Drainer(store, transport, report, progress, cancelled, mirror).run()
                if poll and not cancelled():
                    try:
                        poll_inbox(store, settings, transport, report, cancelled)
                    except ServerRefused as exc:
                        if isinstance(exc, AuthError):
                            raise
                        report.error = exc.message      # the hub refuses the listing: retried next round
                        _set_state(store, last_error=exc.message)
                        log.warning("inbox poll refused: %s", exc.detail)
                    if report.received and not cancelled():   # answer 01 at once
                        _Drainer(store, transport, report, progress, cancelled, mirror).run()
                if not cancelled():
                    try:
                        refresh_deliveries(store, transport)
                    except ServerRefused as exc:
                        if isinstance(exc, AuthError):
                            raise
                        log.warning("delivery state refused: %s", exc.detail)
                _set_state(store, last_contact=clock.iso(clock.now()))
            except OfflineError as exc:
                report.online = False
                report.error = exc.message
                _set_state(store, online=0, last_error=exc.message)
                log.info("went offline during sync: %s", exc.detail)
            except AuthError as exc:
                _set_state(store, online=0, last_error=exc.message)
                raise
        finally:
            if transport.http.last_skew is not None:
                report.clock_skew = round(transport.http.last_skew, 1)
                _set_state(store, clock_skew=report.clock_skew)
            if own:
                transport.close()
            if own_mirror and mirror is not None:
                mirror.close()
        report.cancelled = cancelled()
        return _finish(store, report)


def clean_temporary(store, max_age: float = 86400.0) -> int:
    """Remove temporary package files left by a process killed mid-transfer (older than a day)."""
    tmp_dir = store.files_dir / "tmp"
    removed = 0
    if not tmp_dir.is_dir():
        return 0
    limit = time.time() - max_age
    for p in tmp_dir.iterdir():
        try:
            if (p.name.startswith("att-") or p.suffix == ".edxml") and p.stat().st_mtime < limit:
                p.unlink()
                removed += 1
        except OSError:
            pass
    return removed


def _finish(store, report: SyncReport) -> SyncReport:
    report.waiting = outbox.counts(store).get("pending", 0)
    return report


def watch(store, settings, stop: threading.Event, progress=None, on_report=None, interval: float | None = None) -> None:
    """Run sync rounds until `stop` is set: at the inbox interval, sooner when an item becomes
    due, and with backoff while offline. A restart simply resumes from the database."""
    interval = float(interval or settings.get("sync.interval") or 60)
    failures = 0
    while not stop.is_set():
        try:
            report = sync_once(store, settings, progress, stop.is_set)
            failures = 0 if report.online else failures + 1
        except VanthuError as exc:   # not configured, busy, refused login, locked database...
            log.info("sync round failed: %s | %s", exc.message, exc.detail)   # shown via on_report
            report = SyncReport(error=exc.message)
            failures += 1
        if on_report:
            on_report(report)
        wait = interval if not failures else min(interval, backoff.delay(failures))
        due = outbox.next_due_at(store)
        if due and report.online:
            wait = min(wait, max(0.5, (datetime.fromisoformat(due) - clock.now()).total_seconds()))
        stop.wait(max(0.2, wait))
