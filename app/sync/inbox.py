"""The inbox: received packages stored raw and unchanged, verified, shown as pending. Arrival
(01) is answered automatically; accept registers the document (03), reject answers 02; a recall
marks the registered entry as recalled (never deletes it) and answers 15 or 16. Duplicate
deliveries are recognized by the hub's package id."""
import json
import logging

from ..domain import clock
from ..domain.orgid import is_org_id
from ..errors import DuplicateError, NotFoundError, ValidationError
from ..i18n import tr
from ..store import attachments, audit, entries, files
from . import edxml, statuses
from .errors import PackageError
from .labels import N_

log = logging.getLogger(__name__)
STATE_LABELS = {"pending": N_("Chờ tiếp nhận"), "accepted": N_("Đã tiếp nhận"), "rejected": N_("Đã từ chối"),
                "recalled": N_("Đã thu hồi"), "info": N_("Thông báo"), "invalid": N_("Gói tin lỗi")}
_VERDICT_ORDER = ["valid", "unsigned", "unverified", "warning", "invalid"]


def _row(r) -> dict:
    d = dict(r)
    d["header"] = json.loads(d["header"])
    d["attachments"] = json.loads(d["attachments"])
    d["verification"] = json.loads(d["verification"]) if d["verification"] else None
    return d


def list_items(store, state: str | None = None, limit: int = 500) -> list[dict]:
    sql = "SELECT * FROM inbox" + (" WHERE state = ?" if state else "") + " ORDER BY id DESC LIMIT ?"
    return [_row(r) for r in store.query(sql, (state, limit) if state else (limit,))]


def get(store, item_id) -> dict:
    rows = store.query("SELECT * FROM inbox WHERE id = ?", (int(item_id),))
    if not rows:
        raise NotFoundError(tr("Không có văn bản đến số {i} trong hộp thư liên thông.").format(i=item_id))
    return _row(rows[0])


def counts(store) -> dict:
    return {r[0]: r[1] for r in store.query("SELECT state, count(*) FROM inbox GROUP BY state")}


def verify_attachments(paths: list[tuple[str, str]], trust_roots=()) -> tuple[str, list]:
    """(verdict, reports) for the PDFs among (name, path); the verifier is the signing part's."""
    pdfs = [(n, p) for n, p in paths if n.lower().endswith(".pdf")]
    if not pdfs:
        return "unsigned", []
    try:
        from ..sign.verify import verify_pdf
    except ImportError as exc:
        log.warning("signature verifier not available: %s", exc)
        return "unverified", []
    reports, worst = [], "valid"
    for name, path in pdfs:
        try:
            rep = verify_pdf(path, settings_roots=tuple(trust_roots or ()))
            verdict, data = rep.verdict, rep.to_dict()
        except Exception as exc:  # a broken PDF is an invalid document, not a crash
            log.warning("verification of %s failed: %s", name, exc)
            verdict, data = "invalid", {"error": str(exc)}
        reports.append({"name": name, "verdict": verdict, "report": data})
        if _VERDICT_ORDER.index(verdict if verdict in _VERDICT_ORDER else "invalid") > _VERDICT_ORDER.index(worst):
            worst = verdict
    return worst, reports


def _find_entry_for_document(conn, document_id: str | None):
    if not document_id:
        return None
    return conn.execute("SELECT id, entry_id, state FROM inbox WHERE document_id = ? AND kind = 'edoc'"
                        " AND coalesce(business_type, 0) != 1 ORDER BY id", (document_id,)).fetchall()


def ingest(store, settings, package_id: str, path, received_at=None, refused: str | None = None) -> dict:
    """Store and register a received package file in the inbox; idempotent by package_id.
    Returns the inbox row (state 'invalid' with a reason for a hostile or broken package;
    `refused` records one the transport would not even download, e.g. too large)."""
    existing = store.query("SELECT id FROM inbox WHERE package_id = ?", (package_id,))
    if existing:
        return dict(get(store, existing[0][0]), duplicate=True)
    received_at = clock.iso(received_at or clock.now())
    sha, size = files.put_file(store, path)
    tmp = store.files_dir / "tmp"
    try:
        if refused:
            raise PackageError(refused)
        pkg = edxml.read_package(path, tmp)
    except PackageError as exc:
        log.warning("package %s refused: %s | %s", package_id, exc.message, exc.detail)
        with store.transaction() as conn:
            conn.execute("INSERT OR IGNORE INTO inbox (package_id, kind, received_at, package_sha256, package_size,"
                         " header, state, reason) VALUES (?, 'edoc', ?, ?, ?, '{}', 'invalid', ?)",
                         (package_id, received_at, sha, size, exc.message))
        return get(store, store.query("SELECT id FROM inbox WHERE package_id = ?", (package_id,))[0][0])
    try:
        stored = []
        for a in pkg.attachments:
            a_sha, a_size = files.put_file(store, a.path)
            stored.append({"name": a.name, "sha256": a_sha, "size": a_size, "mime": a.mime,
                           "description": a.description})
        verdict, reports = verify_attachments([(a.name, a.path) for a in pkg.attachments],
                                               settings.get("sign.trust_roots")) \
            if pkg.kind == "edoc" else (None, [])
    finally:
        pkg.cleanup()
    if pkg.kind == "status":
        return _ingest_status(store, settings, package_id, pkg, sha, size, received_at)
    h = pkg.header
    sender = (h.get("from") or {}).get("organ_id")
    code = h.get("code") or {}
    reference = "/".join(x for x in (code.get("number"), code.get("notation")) if x) or None
    btype = pkg.business_type
    header_json = json.dumps(dict(h, business=pkg.business, traces=pkg.traces), ensure_ascii=False)
    answer = None
    registered = store.query("SELECT id, register_number FROM entries WHERE doc_identifier = ? AND kind = 'incoming'"
                             " AND status != 'voided' ORDER BY id LIMIT 1",
                             (h.get("document_id") or "",)) if h.get("document_id") and btype == 0 else []
    if btype == 1:  # recall: answered below once recorded
        state = "info"
    elif registered:   # the same document again (resent, or redelivered after a restore)
        state = "accepted"
        answer = statuses.prepare(store, settings, sender, statuses.response_for(h), "03",
                                  tr("Văn bản đã được tiếp nhận trước đó, số đến {n}.").format(
                                      n=registered[0]["register_number"]))
    else:
        state = "pending"
        answer = statuses.prepare(store, settings, sender, statuses.response_for(h), "01",
                                  tr("Văn bản đã đến hệ thống của đơn vị nhận."))
    with store.transaction() as conn:
        related = None
        if btype in (1, 2, 3):
            targets = [h.get("document_id")] + list((pkg.business.get("replaces") or {}).get("document_id", []))
            for doc in targets:
                rows = _find_entry_for_document(conn, doc)
                if rows:
                    related = next((r["entry_id"] for r in rows if r["entry_id"]), None)
                    break
        cur = conn.execute(
            "INSERT INTO inbox (package_id, kind, business_type, sender_id, sender_name, document_id, reference,"
            " summary, received_at, package_sha256, package_size, header, attachments, verdict, verification,"
            " state, related_entry_id, entry_id) VALUES (?, 'edoc', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (package_id, btype, sender, (h.get("from") or {}).get("organ_name"), h.get("document_id"), reference,
             h.get("subject"), received_at, sha, size, header_json, json.dumps(stored, ensure_ascii=False),
             verdict, json.dumps(reports, ensure_ascii=False, default=str), state, related,
             registered[0][0] if registered else None))
        item_id = cur.lastrowid
        audit.append(conn, store.actor, "inbox.received", "inbox", item_id,
                     {"package_id": package_id, "sender": sender, "document_id": h.get("document_id"),
                      "package_sha256": sha, "business_type": btype, "verdict": verdict})
        if answer:
            statuses.enqueue(conn, answer, item_id)
    if btype == 1:
        recall(store, settings, sender, h.get("document_id"), pkg.business.get("reason") or h.get("subject"),
               response_for=statuses.response_for(h), notice_id=item_id)
    log.info("received package %s from %s: %s (%s, verdict %s)", package_id, sender, reference, state, verdict)
    return get(store, item_id)


def _ingest_status(store, settings, package_id, pkg, sha, size, received_at) -> dict:
    st = pkg.status
    rf = st.get("response_for") or {}
    sender = (st.get("from") or {}).get("organ_id")
    with store.transaction() as conn:
        sent = conn.execute("SELECT entry_id FROM exchange_sent WHERE document_id = ?",
                            (rf.get("document_id") or "",)).fetchone()
        cur = conn.execute(
            "INSERT INTO inbox (package_id, kind, sender_id, sender_name, document_id, reference, summary,"
            " status_code, received_at, package_sha256, package_size, header, state, related_entry_id)"
            " VALUES (?, 'status', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'info', ?)",
            (package_id, sender, (st.get("from") or {}).get("organ_name"), rf.get("document_id"), rf.get("code"),
             st.get("description"), st.get("status_code"), received_at, sha, size,
             json.dumps(st, ensure_ascii=False), sent[0] if sent else None))
        item_id = cur.lastrowid
    if st.get("status_code") == "13":   # the sender asks to take its document back
        recall(store, settings, sender, rf.get("document_id"), st.get("description"),
               response_for=rf, notice_id=item_id)
    return get(store, item_id)


def recall(store, settings, sender: str, document_id: str | None, reason: str | None, response_for: dict,
           notice_id: int | None = None) -> str:
    """Apply a recall: the registered entry is marked recalled, a pending item is closed; answers
    15 (accepted) or 16 (refused: nothing of that document here). Returns the code sent."""
    note = tr("Thu hồi theo yêu cầu của {s}: {r}").format(s=sender, r=reason or "")[:500]
    rows = store.query("SELECT id, entry_id, state FROM inbox WHERE document_id = ? AND kind = 'edoc' AND"
                       " sender_id = ? AND coalesce(business_type, 0) != 1 ORDER BY id", (document_id or "", sender))
    code = "16"
    for r in rows:
        if r["state"] == "accepted" and r["entry_id"]:
            e = entries.get(store, r["entry_id"])
            if e["status"] not in ("recalled", "voided"):
                entries.set_status(store, r["entry_id"], "recalled", note)
            code = "15"
        elif r["state"] in ("pending", "invalid"):
            code = "15"
        elif r["state"] == "recalled":
            code = "15"
        if r["state"] != "rejected":
            with store.transaction() as conn:
                conn.execute("UPDATE inbox SET state = 'recalled', reason = ?, decided_at = ? WHERE id = ?"
                             " AND state IN ('pending', 'accepted', 'invalid')", (note, clock.iso(clock.now()), r["id"]))
    answer = statuses.prepare(store, settings, sender, response_for, code,
                              tr("Đã thu hồi văn bản.") if code == "15" else tr("Không có văn bản cần thu hồi."))
    with store.transaction() as conn:
        statuses.enqueue(conn, answer, notice_id)
        audit.append(conn, store.actor, "inbox.recall", "inbox", notice_id or "",
                     {"sender": sender, "document_id": document_id, "answer": code})
        if notice_id:
            conn.execute("UPDATE inbox SET reason = ? WHERE id = ?", (f"{code}: {note}", notice_id))
    log.info("recall of %s from %s answered %s", document_id, sender, code)
    return code


def fields_from_header(item: dict) -> dict:
    h = item["header"]
    code = h.get("code") or {}
    sender = h.get("from") or {}
    other = h.get("other") or {}
    signer = h.get("signer") or {}
    f = {
        "doc_type": (h.get("doc_type") or {}).get("type_name") or None,
        "number": code.get("number") or None,
        "notation": code.get("notation") or None,
        "issued_on": edxml.parse_date((h.get("promulgation") or {}).get("date")),
        "place": (h.get("promulgation") or {}).get("place") or None,
        "issuer": sender.get("organ_name") or sender.get("organ_id"),
        "issuer_id": sender.get("organ_id") if is_org_id(sender.get("organ_id")) else None,
        "summary": h.get("subject") or tr("(không có trích yếu)"),
        "signer": signer.get("full_name") or None,
        "signer_title": " ".join(x for x in (signer.get("competence"), signer.get("position")) if x)[:100] or None,
        "urgency": int(other["priority"]) if str(other.get("priority", "")).isdigit() and
        int(other["priority"]) <= 4 else 0,
        "pages": int(other["page_amount"]) if str(other.get("page_amount", "")).isdigit() else None,
        "handling_deadline": edxml.parse_date(h.get("due_date")),
        "doc_identifier": item["document_id"],
        "received_via": "electronic",
        "arrival_at": item["received_at"],
    }
    if item.get("business_type") in (2, 3) and item.get("related_entry_id"):
        label = tr("Cập nhật") if item["business_type"] == 2 else tr("Thay thế")
        f["note"] = tr("{l} văn bản đã đăng ký mã {i}.").format(l=label, i=item["related_entry_id"])
    return {k: v for k, v in f.items() if v is not None}


def accept(store, settings, item_id, register: str | None = None, overrides: dict | None = None) -> dict:
    """Register a pending item with the next arrival number and answer 03. Safe to repeat after
    a crash: an entry already registered for this package is found and reused."""
    item = get(store, item_id)
    if item["state"] == "accepted":
        return entries.get(store, item["entry_id"])
    if item["state"] != "pending":
        raise ValidationError(tr("Văn bản này đang ở trạng thái «{s}», không tiếp nhận được.").format(
            s=tr(STATE_LABELS.get(item["state"], item["state"]))))
    fields = dict(fields_from_header(item), **(overrides or {}))
    if not item["document_id"]:
        fields["doc_identifier"] = f"pkg:{item['package_id']}"
    try:
        entry = entries.register(store, "incoming", fields, register)
    except DuplicateError as exc:
        entry = _own_earlier_entry(store, item, fields, exc)
    except ValidationError as exc:
        exc.message = tr("Thông tin trong gói tin chưa đăng ký được: {m} Hãy sửa trường đó khi tiếp nhận "
                         "(vanthu accept {i} --set TRƯỜNG=GIÁ_TRỊ) hoặc trả lại văn bản.").format(m=exc.message, i=item["id"])
        raise

    have = {(a["sha256"], a["role"]) for a in attachments.list_for(store, entry["id"])}
    if (item["package_sha256"], "package") not in have:
        attachments.add(store, entry["id"], files.path_for(store, item["package_sha256"]), role="package",
                        name=f"goi-tin-{item['id']}.edxml")
    for a in item["attachments"]:
        if (a["sha256"], "original") not in have:
            attachments.add(store, entry["id"], files.path_for(store, a["sha256"]), role="original", name=a["name"])
    answer = statuses.prepare(store, settings, item["sender_id"], statuses.response_for(item["header"]), "03",
                              tr("Đã tiếp nhận, đăng ký số đến {n}.").format(n=entry["register_number"]))
    with store.transaction() as conn:
        cur = conn.execute("UPDATE inbox SET state = 'accepted', entry_id = ?, decided_at = ? WHERE id = ?"
                           " AND state = 'pending'", (entry["id"], clock.iso(clock.now()), item["id"]))
        if cur.rowcount:
            audit.append(conn, store.actor, "inbox.accept", "inbox", item["id"],
                         {"package_id": item["package_id"], "entry": entry["uid"]})
            statuses.enqueue(conn, answer, item["id"])
    log.info("inbox %s accepted as entry %s", item["id"], entry["id"])
    return entries.get(store, entry["id"])


def _own_earlier_entry(store, item: dict, fields: dict, exc: DuplicateError) -> dict:
    """The entry registered by an interrupted earlier accept of this same item, else re-raise."""
    own = [i for i in exc.existing if not store.query(
        "SELECT 1 FROM inbox WHERE entry_id = ? AND id != ?", (i, item["id"]))]
    same = [i for i in own if entries.get(store, i).get("doc_identifier") == fields.get("doc_identifier")]
    if not same:   # a genuinely different delivery of an already registered document
        raise exc
    return entries.get(store, same[0])


def reject(store, settings, item_id, reason: str) -> dict:
    """Return the document to its sender with a reason (status 02)."""
    from ..domain.text import clean
    reason = clean(reason, "reason")
    if not reason or len(reason) < 3:
        raise ValidationError(tr("Cần ghi lý do từ chối (ví dụ: gửi nhầm đơn vị, chữ ký số không hợp lệ)."))
    if len(reason) > 500:
        raise ValidationError(tr("Lý do dài quá 500 ký tự."))
    item = get(store, item_id)
    if item["state"] not in ("pending", "invalid"):
        raise ValidationError(tr("Văn bản này đang ở trạng thái «{s}», không từ chối được.").format(
            s=tr(STATE_LABELS.get(item["state"], item["state"]))))
    if not item["sender_id"]:
        with store.transaction() as conn:
            conn.execute("UPDATE inbox SET state = 'rejected', reason = ?, decided_at = ? WHERE id = ?",
                         (reason, clock.iso(clock.now()), item["id"]))
            audit.append(conn, store.actor, "inbox.reject", "inbox", item["id"],
                         {"package_id": item["package_id"], "reason": reason})
        return get(store, item["id"])
    answer = statuses.prepare(store, settings, item["sender_id"], statuses.response_for(item["header"]), "02", reason)
    with store.transaction() as conn:
        cur = conn.execute("UPDATE inbox SET state = 'rejected', reason = ?, decided_at = ? WHERE id = ?"
                           " AND state IN ('pending', 'invalid')", (reason, clock.iso(clock.now()), item["id"]))
        if cur.rowcount:
            audit.append(conn, store.actor, "inbox.reject", "inbox", item["id"],
                         {"package_id": item["package_id"], "reason": reason})
            statuses.enqueue(conn, answer, item["id"])
    return get(store, item["id"])


def attachment_paths(store, item: dict) -> list[str]:
    return [str(files.path_for(store, a["sha256"])) for a in item["attachments"]]


def statuses_for_entry(store, entry_id: int) -> list[dict]:
    """Statuses the recipients sent back about one of our dispatched documents, oldest first:
    [{org, name, code, label, description, received_at}]."""
    rows = store.query("SELECT sender_id, sender_name, status_code, summary, received_at FROM inbox"
                       " WHERE kind = 'status' AND related_entry_id = ? ORDER BY id", (int(entry_id),))
    return [{"org": r[0], "name": r[1], "code": r[2], "label": tr(edxml.STATUS_CODES.get(r[2], r[2])),
             "description": r[3], "received_at": r[4]} for r in rows]


def finish_interrupted_recalls(store, settings) -> int:
    """Apply recalls whose notice was recorded but not yet answered (the process stopped in
    between): the answer and the notice's reason are written together, last, by recall()."""
    rows = store.query("SELECT id, kind, sender_id, document_id, header FROM inbox WHERE reason IS NULL AND"
                       " ((kind = 'edoc' AND business_type = 1) OR (kind = 'status' AND status_code = '13'))")
    for r in rows:
        header = json.loads(r["header"])
        if r["kind"] == "edoc":
            recall(store, settings, r["sender_id"], r["document_id"],
                   (header.get("business") or {}).get("reason") or header.get("subject"),
                   response_for=statuses.response_for(header), notice_id=r["id"])
        else:
            recall(store, settings, r["sender_id"], (header.get("response_for") or {}).get("document_id"),
                   header.get("description"), response_for=header.get("response_for") or {}, notice_id=r["id"])
    return len(rows)
