"""Restore a workstation whose disk died from the provincial server: registers, every entry
with all its revisions, counters and files. Only into an empty data folder; nothing is queued
back to the server. The restored workstation takes the identity that owns the registers; the hub
delivers the last months' received packages again so that pending ones are not lost."""
import collections
import json
import logging
import os
import tempfile

from ..domain import clock
from ..errors import ValidationError
from ..i18n import tr
from ..store import audit, entries, files, search
from ..store.canonical import canonical_json
from .mirror import MirrorClient
from .transport import open_transport

log = logging.getLogger(__name__)


def restore_from_server(store, settings, transport=None, progress=None, cancelled=None,
                        workstation: str | None = None, redeliver_days: int = 90) -> dict:
    if store.query("SELECT 1 FROM entries LIMIT 1"):
        raise ValidationError(tr("Chỉ khôi phục được vào một thư mục dữ liệu trống (đã có văn bản trong sổ)."))
    own = transport is None
    if own:
        transport = open_transport(settings, workstation=store.workstation_id)
    try:
        mirror = MirrorClient(transport.http)
        redelivered = 0
        snap = mirror.snapshot()
        if redeliver_days:
            # received packages come back through the inbox; accepted ones are recognized there
            redelivered = mirror.redeliver(redeliver_days)
        atts = snap["attachments"]
        total = len(atts) + 1
        tmp_dir = store.files_dir / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        for i, a in enumerate(atts):
            if cancelled and cancelled():
                raise ValidationError(tr("Đã hủy khôi phục."))
            try:
                present = files.path_for(store, a["sha256"]).exists()
            except ValidationError:
                continue
            if not present:
                fd, tmp = tempfile.mkstemp(dir=tmp_dir)
                try:
                    with os.fdopen(fd, "wb") as out:
                        mirror.get_file(a["sha256"], out)
                    sha, _ = files.put_file(store, tmp)
                finally:
                    if os.path.exists(tmp):
                        os.unlink(tmp)
                if sha != a["sha256"]:
                    raise ValidationError(tr("Tệp tải về từ máy chủ không khớp mã băm."), a["sha256"])
            if progress:
                progress(i + 1, total)
    finally:
        if own:
            transport.close()
    result = _apply(store, snap, workstation)
    result["redelivered"] = redelivered if redeliver_days else 0
    if progress:
        progress(total, total)
    return result


def _apply(store, snap: dict, workstation: str | None) -> dict:
    owners = collections.Counter(r["owner"] for r in snap["registers"] if r.get("owner"))
    ws = workstation or (owners.most_common(1)[0][0] if owners else None)
    by_uid = collections.defaultdict(list)
    for rev in snap["revisions"]:
        by_uid[rev["uid"]].append(rev)
    n_entries = n_files = 0
    with store.transaction() as conn:
        reg_ids = {}
        for reg in snap["registers"]:
            if "kind" not in reg:
                continue
            row = conn.execute("SELECT id FROM registers WHERE code = ?", (reg["code"],)).fetchone()
            if row:
                conn.execute("UPDATE registers SET title = ?, notation = ?, doc_types = ?, with_year = ? WHERE id = ?",
                             (reg["title"], reg.get("notation"), json.dumps(reg.get("doc_types") or [], ensure_ascii=False),
                              int(reg.get("with_year") or 0), row[0]))
                reg_ids[reg["code"]] = row[0]
            else:
                cur = conn.execute(
                    "INSERT INTO registers (code, kind, title, notation, doc_types, with_year, is_default, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (reg["code"], reg["kind"], reg["title"], reg.get("notation"),
                     json.dumps(reg.get("doc_types") or [], ensure_ascii=False), int(reg.get("with_year") or 0),
                     int(reg.get("is_default") or 0), clock.iso(clock.now())))
                reg_ids[reg["code"]] = cur.lastrowid
        uid_to_id = {}
        ordered = sorted(by_uid.values(), key=lambda revs: (revs[0]["entry"]["registered_at"],
                                                            revs[0]["entry"]["register_number"]))
        for revs in ordered:
            revs.sort(key=lambda r: r["revision"])
            latest = dict(revs[-1]["entry"])
            code = revs[-1]["register"] or revs[-1].get("payload", {}).get("register")
            if code not in reg_ids:
                row = conn.execute("SELECT id FROM registers WHERE code = ?", (code,)).fetchone()
                if not row:
                    raise ValidationError(tr("Dữ liệu trên máy chủ thiếu sổ «{c}».").format(c=code))
                reg_ids[code] = row[0]
            latest["register_id"] = reg_ids[code]
            content = {k: latest.get(k) for k in entries.CONTENT_FIELDS}
            digest = entries.content_hash(content)
            values = dict(content, recipients=json.dumps(content["recipients"] or [], ensure_ascii=False),
                          dup_key=entries.dup_key(content["kind"], content), content_hash=digest)
            cur = conn.execute(f"INSERT INTO entries ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                               list(values.values()))
            eid = cur.lastrowid
            uid_to_id[content["uid"]] = eid
            for r in revs:
                snap_entry = dict(r["entry"], register_id=reg_ids[code])
                conn.execute("INSERT INTO entry_revisions (entry_id, revision, at, actor, reason, data)"
                             " VALUES (?, ?, ?, ?, ?, ?)",
                             (eid, r["revision"], snap_entry["updated_at"], "khôi phục", r.get("reason"),
                              canonical_json({k: snap_entry.get(k) for k in entries.CONTENT_FIELDS})))
            search.index(conn, eid, content, [])
            audit.append(conn, store.actor, "entry.restored", "entry", content["uid"], {
                "id": eid, "register": code, "year": content["year"], "register_number": content["register_number"],
                "revision": content["revision"], "status": content["status"], "content_hash": digest,
                "reason": "khôi phục từ máy chủ"})
            conn.execute("INSERT INTO counters (register_id, year, last_number, last_registered_at) VALUES (?, ?, ?, ?)"
                         " ON CONFLICT (register_id, year) DO UPDATE SET"
                         " last_number = max(last_number, excluded.last_number),"
                         " last_registered_at = max(last_registered_at, excluded.last_registered_at)",
                         (reg_ids[code], content["year"], content["register_number"], content["registered_at"]))
            n_entries += 1
        for a in snap["attachments"]:
            eid = uid_to_id.get(a["entry_uid"])
            if not eid:
                continue
            conn.execute("INSERT INTO attachments (entry_id, sha256, name, role, size, mime, added_at)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?)", (eid, a["sha256"], a["name"], a["role"], a["size"],
                                                           a.get("mime"), clock.iso(clock.now())))
            n_files += 1
        if ws:
            conn.execute("UPDATE meta SET value = ? WHERE key = 'workstation_id'", (ws,))
        summary = {"entries": n_entries, "attachments": n_files, "registers": len(reg_ids), "workstation": ws}
        audit.append(conn, store.actor, "sync.restore", "workstation", ws or "", summary)
    log.info("restored from server: %s", summary)
    return summary
