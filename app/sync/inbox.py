"""The inbox: received packages stored raw and unchanged, verified, shown as pending. Arrival
(01) is answered automatically; accept registers the document (03), reject answers 02; a recall
marks the registered entry as recalled (never deletes it) and answers 15 or 16. Duplicate
deliveries are recognized by the platform's package id.

Trust: the sender is who the transport authenticated (the platform's `from`). A package whose
From differs, a recall/update/replace or status 13 about a document that came from another
organization, and a status about a document we did not send to its sender are not acted on:
they go to the quarantine (kept, with the reason, visible to the clerk and the administrator)."""
import json
import logging

from ..domain import clock
from ..domain.orgid import is_org_id
from ..errors import DuplicateError, NotFoundError, ValidationError
from ..i18n import tr
from ..store import attachments, audit, entries, files
from ..store import exchange as xstore
from . import edxml, statuses
from .errors import PackageError
from .labels import N_

log = logging.getLogger(__name__)
STATE_LABELS = {"pending": N_("Chờ tiếp nhận"), "accepted": N_("Đã tiếp nhận"), "rejected": N_("Đã từ chối"),
                "recalled": N_("Đã thu hồi"), "info": N_("Thông báo"), "invalid": N_("Gói tin lỗi"),
                "quarantined": N_("Bị giữ lại")}
SOURCES = {"platform": N_("Trục liên thông"), "folder": N_("Thư mục nhận")}
_VERDICT_ORDER = ["valid", "unsigned", "unverified", "warning", "invalid"]


def _row(r) -> dict:
    d = dict(r)
    d["header"] = json.loads(d["header"])
    d["attachments"] = json.loads(d["attachments"])
    d["verification"] = json.loads(d["verification"]) if d["verification"] else None
    d["warnings"] = json.loads(d["warnings"]) if d.get("warnings") else []
    return d


def list_items(store, state: str | None = None, limit: int = 500) -> list[dict]:
    return [_row(r) for r in xstore.inbox_rows(store, state, limit)]


def get(store, item_id) -> dict:
    row = xstore.inbox_row(store, item_id)
    if row is None:
        raise NotFoundError(tr("Không có văn bản đến số {i} trong hộp thư liên thông.").format(i=item_id))
    return _row(row)


def counts(store) -> dict:
    return xstore.inbox_counts(store)


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


def _quarantine(store, package_id, source, transport_sender, pkg, reason, sha, size, received_at) -> dict:
    qid = xstore.quarantine_add(store, {
        "package_id": package_id, "source": source, "transport_sender": transport_sender,
        "claimed_sender": pkg.sender, "kind": pkg.kind, "business_type": pkg.business_type,
        "status_code": pkg.header.get("status_code"),
        "document_id": pkg.header.get("document_id") or (pkg.status.get("response_for") or {}).get("document_id"),
        "reason": reason, "package_sha256": sha, "package_size": size, "received_at": received_at})
    log.warning("package %s quarantined (%s, transport sender %s, From %s): %s", package_id, source,
                transport_sender, pkg.sender, reason)
    return dict(xstore.quarantine_get(store, qid), state="quarantined")


def _distrust(store, pkg, sender: str) -> str | None:
    """Why this package must not be acted on, or None. `sender` is the trusted sender."""
    h = pkg.header
    if pkg.kind == "status" and pkg.status.get("status_code") != "13":
        doc = (pkg.status.get("response_for") or {}).get("document_id")
        with store.transaction() as conn:
            ours = xstore.sent_to(conn, doc, sender)
        if ours is None:
            return tr("Gói trạng thái {c} của {s} nói về văn bản «{d}» mà đơn vị không gửi cho {s}.").format(
                c=pkg.status.get("status_code"), s=sender, d=doc or "")
        return None
    if pkg.kind == "status":       # 13: the sender asks to take back a document it sent us
        targets, what = [(pkg.status.get("response_for") or {}).get("document_id")], tr("lấy lại")
    elif pkg.business_type in (1, 2, 3):
        targets = [h.get("document_id")] + pkg.replaces
        what = {1: tr("thu hồi"), 2: tr("cập nhật"), 3: tr("thay thế")}[pkg.business_type]
    else:
        return None
    for doc in targets:
        mine = xstore.items_for_document(store, doc, sender)
        others = [r["id"] for r in xstore.items_for_document_any_sender(store, doc) if r["sender_id"] != sender]
        if others and not mine:
            return tr("{s} yêu cầu {w} văn bản «{d}» do đơn vị khác gửi: không thực hiện.").format(
                s=sender, w=what, d=doc)
    return None


def ingest(store, settings, package_id: str, path, received_at=None, refused: str | None = None,
           transport_sender: str | None = None, source: str = "platform") -> dict:
    """Store and register a received package file in the inbox; idempotent by package_id.
    Returns the inbox row (state 'invalid' with a reason for a hostile or broken package;
    `refused` records one the transport would not even download, e.g. too large), or the
    quarantine row (state 'quarantined') when the sender cannot be trusted.
    `transport_sender`: who the transport authenticated; None for packages dropped in a folder
    (then the package's own From is taken, and `source` says so)."""
    existing = xstore.inbox_id_for_package(store, package_id)
    if existing:
        return dict(get(store, existing), duplicate=True)
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
            xstore.insert_inbox(conn, {"package_id": package_id, "kind": "edoc", "received_at": received_at,
                                       "package_sha256": sha, "package_size": size, "header": "{}",
                                       "state": "invalid", "reason": exc.message, "sender_id": transport_sender,
                                       "transport_sender": transport_sender, "source": source})
        return get(store, xstore.inbox_id_for_package(store, package_id))
    sender = transport_sender or pkg.sender
    if transport_sender and pkg.sender != transport_sender:
        pkg.cleanup()
        return _quarantine(store, package_id, source, transport_sender, pkg, tr(
            "Gói tin ghi nơi gửi {c} nhưng trục xác thực người gửi là {t}: không nhận.").format(
                c=pkg.sender, t=transport_sender), sha, size, received_at)
    why = _distrust(store, pkg, sender)
    if why:
        pkg.cleanup()
        return _quarantine(store, package_id, source, transport_sender, pkg, why, sha, size, received_at)
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
    common = {"transport_sender": transport_sender, "source": source,
              "warnings": json.dumps(pkg.warnings, ensure_ascii=False) if pkg.warnings else None}
    if pkg.kind == "status":
        return _ingest_status(store, settings, package_id, pkg, sha, size, received_at, sender, common)
    h = pkg.header
    code = h.get("code") or {}
    reference = "/".join(x for x in (code.get("number"), code.get("notation")) if x) or None
    btype = pkg.business_type
    header_json = json.dumps(dict(h, business=pkg.business, traces=pkg.traces), ensure_ascii=False)
    answer = None
    registered = xstore.registered_incoming(store, h.get("document_id")) if btype == 0 else None
    if btype == 1:  # recall: answered below once recorded
        state = "info"
    elif registered:   # the same document again (resent, or redelivered after a restore)
        state = "accepted"
        answer = statuses.prepare(store, settings, sender, statuses.response_for(h), "03",
                                  tr("Văn bản đã được tiếp nhận trước đó, số đến {n}.").format(
                                      n=registered["register_number"]))
    else:
        state = "pending"
        answer = statuses.prepare(store, settings, sender, statuses.response_for(h), "01",
                                  tr("Văn bản đã đến hệ thống của đơn vị nhận."))
    with store.transaction() as conn:
        related = None
        if btype in (1, 2, 3):
            related = xstore.related_entry(conn, [h.get("document_id")] + pkg.replaces, sender)
        item_id = xstore.insert_inbox(conn, dict(common, **{
            "package_id": package_id, "kind": "edoc", "business_type": btype, "sender_id": sender,
            "sender_name": (h.get("from") or {}).get("organ_name"), "document_id": h.get("document_id"),
            "reference": reference, "summary": h.get("subject"), "received_at": received_at,
            "package_sha256": sha, "package_size": size, "header": header_json,
            "attachments": json.dumps(stored, ensure_ascii=False), "verdict": verdict,
            "verification": json.dumps(reports, ensure_ascii=False, default=str), "state": state,
            "related_entry_id": related, "entry_id": registered["id"] if registered else None}))
        audit.append(conn, store.actor, "inbox.received", "inbox", item_id,
                     {"package_id": package_id, "sender": sender, "document_id": h.get("document_id"),
                      "package_sha256": sha, "business_type": btype, "verdict": verdict, "source": source})
        if answer:
            statuses.enqueue(conn, answer, item_id)
    if btype == 1:
        recall(store, settings, sender, h.get("document_id"), pkg.business.get("reason") or h.get("subject"),
               response_for=statuses.response_for(h), notice_id=item_id)
    log.info("received package %s from %s: %s (%s, verdict %s)", package_id, sender, reference, state, verdict)
    return get(store, item_id)


def _ingest_status(store, settings, package_id, pkg, sha, size, received_at, sender, common) -> dict:
    st = pkg.status
    rf = st.get("response_for") or {}
    with store.transaction() as conn:
        sent = xstore.sent_to(conn, rf.get("document_id"), sender)
        item_id = xstore.insert_inbox(conn, dict(common, **{
            "package_id": package_id, "kind": "status", "sender_id": sender,
            "sender_name": (st.get("from") or {}).get("organ_name"), "document_id": rf.get("document_id"),
            "reference": rf.get("code"), "summary": st.get("description"), "status_code": st.get("status_code"),
            "received_at": received_at, "package_sha256": sha, "package_size": size,
            "header": json.dumps(st, ensure_ascii=False), "state": "info", "related_entry_id": sent}))
    if st.get("status_code") == "13":   # the sender asks to take its document back
        recall(store, settings, sender, rf.get("document_id"), st.get("description"),
               response_for=rf, notice_id=item_id)
    return get(store, item_id)


def recall(store, settings, sender: str, document_id: str | None, reason: str | None, response_for: dict,
           notice_id: int | None = None) -> str:
    """Apply a recall: the registered entry is marked recalled, a pending item is closed; answers
    15 (accepted) or 16 (refused: nothing of that document here). Returns the code sent."""
    note = tr("Thu hồi theo yêu cầu của {s}: {r}").format(s=sender, r=reason or "")[:500]
    rows = xstore.items_for_document(store, document_id, sender)
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
            xstore.mark_recalled(store, r["id"], note)
    answer = statuses.prepare(store, settings, sender, response_for, code,
                              tr("Đã thu hồi văn bản.") if code == "15" else tr("Không có văn bản cần thu hồi."))
    with store.transaction() as conn:
        statuses.enqueue(conn, answer, notice_id)
        audit.append(conn, store.actor, "inbox.recall", "inbox", notice_id or "",
                     {"sender": sender, "document_id": document_id, "answer": code})
        if notice_id:
            xstore.set_reason(conn, notice_id, f"{code}: {note}")
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
        if xstore.mark_accepted(conn, item["id"], entry["id"]):
            audit.append(conn, store.actor, "inbox.accept", "inbox", item["id"],
                         {"package_id": item["package_id"], "entry": entry["uid"]})
            statuses.enqueue(conn, answer, item["id"])
    log.info("inbox %s accepted as entry %s", item["id"], entry["id"])
    return entries.get(store, entry["id"])


def _own_earlier_entry(store, item: dict, fields: dict, exc: DuplicateError) -> dict:
    """The entry registered by an interrupted earlier accept of this same item, else re-raise."""
    own = [i for i in exc.existing if not xstore.entry_used_by_other_item(store, i, item["id"])]
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
            xstore.mark_rejected(conn, item["id"], reason)
            audit.append(conn, store.actor, "inbox.reject", "inbox", item["id"],
                         {"package_id": item["package_id"], "reason": reason})
        return get(store, item["id"])
    answer = statuses.prepare(store, settings, item["sender_id"], statuses.response_for(item["header"]), "02", reason)
    with store.transaction() as conn:
        if xstore.mark_rejected(conn, item["id"], reason):
            audit.append(conn, store.actor, "inbox.reject", "inbox", item["id"],
                         {"package_id": item["package_id"], "reason": reason})
            statuses.enqueue(conn, answer, item["id"])
    return get(store, item["id"])


def attachment_paths(store, item: dict) -> list[str]:
    return [str(files.path_for(store, a["sha256"])) for a in item["attachments"]]


def statuses_for_entry(store, entry_id: int) -> list[dict]:
    """Statuses the recipients sent back about one of our dispatched documents, oldest first:
    [{org, name, code, label, description, received_at}]."""
    rows = xstore.status_rows_for_entry(store, entry_id)
    return [{"org": r[0], "name": r[1], "code": r[2], "label": tr(edxml.STATUS_CODES.get(r[2], r[2])),
             "description": r[3], "received_at": r[4]} for r in rows]


def finish_interrupted_recalls(store, settings) -> int:
    """Apply recalls whose notice was recorded but not yet answered (the process stopped in
    between): the answer and the notice's reason are written together, last, by recall()."""
    rows = xstore.unanswered_recalls(store)
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


# ------------------------------------------------------------------ quarantine, delivery state, folder import

def quarantine_list(store, state: str | None = "held", limit: int = 500) -> list[dict]:
    """Packages held aside because their sender cannot be trusted, newest first: [{id, package_id,
    source, transport_sender, claimed_sender, kind, business_type, status_code, document_id,
    reason (Vietnamese, for the clerk), package_sha256, package_size, received_at, state
    ('held' | 'dismissed'), decided_at, note}]. state=None: all."""
    return xstore.quarantine_items(store, state, limit)


def quarantine_get(store, item_id) -> dict:
    row = xstore.quarantine_get(store, item_id)
    if row is None:
        raise NotFoundError(tr("Không có gói tin bị giữ lại số {i}.").format(i=item_id))
    return row


def quarantine_dismiss(store, item_id, note: str) -> dict:
    """The administrator has looked at a held package: it stays stored (and in the audit log) but
    leaves the list of held packages. Nothing is ever acted on from the quarantine."""
    from ..domain.text import clean
    note = clean(note, "reason")
    if not note or len(note) < 3:
        raise ValidationError(tr("Cần ghi nhận xét khi bỏ qua gói tin bị giữ lại."))
    quarantine_get(store, item_id)
    xstore.quarantine_dismiss(store, item_id, note[:500])
    return quarantine_get(store, item_id)


def delivery_state(store, entry_ref) -> list[dict]:
    """Per-recipient delivery state of an outgoing entry (id, uid or reference as entries.get
    takes it), from the platform's getSentEdocList
    (refreshed every sync round): [{document_id, recipient, queued, receive_status ('pending' |
    'done' | 'fail' | 'processing' | None = not reported yet), status_desc, sent_time,
    received_time, checked_at}]."""
    return xstore.deliveries_for_entry(store, entries.get(store, entry_ref)["id"])


def import_files(store, settings, paths, max_bytes: int = 600 << 20) -> list[dict]:
    """Take packages delivered as files (a provincial gateway's folder) into the inbox exactly as
    if fetched from the platform. The package id is `file:<sha256>`, so importing the same file
    again is recognized. Returns one result per path: the inbox (or quarantine) row, or
    {path, state: 'error', reason} for a file that cannot be read."""
    import hashlib
    import os
    out = []
    for p in paths:
        try:
            size = os.path.getsize(p)
            if size > max_bytes:
                raise ValidationError(tr("Tệp {p} lớn quá giới hạn {m} MB.").format(p=p, m=max_bytes >> 20))
            h = hashlib.sha256()
            with open(p, "rb") as f:
                while chunk := f.read(1 << 20):
                    h.update(chunk)
        except OSError as exc:
            out.append({"path": str(p), "state": "error", "reason": tr("Không đọc được tệp {p}.").format(p=p),
                        "detail": str(exc)})
            continue
        except ValidationError as exc:
            out.append({"path": str(p), "state": "error", "reason": exc.message})
            continue
        item = ingest(store, settings, f"file:{h.hexdigest()}", p, source="folder")
        out.append(dict(item, path=str(p)))
    return out
