"""Fields of a register entry (ND30, Appendix VI): legal maximum lengths, types and the
normalization of input (from the CLI, a JSON import, the extractor or the UI)."""
import re
from datetime import date, datetime, timedelta

from ..errors import ValidationError
from ..i18n import tr
from . import clock
from .doctypes import canonical_type, type_from_notation
from .marks import parse_urgency, refuse_secret
from .orgid import check_org_id
from .reference import canonical_number, check_notation, parse_reference
from .text import clean

KINDS = ("incoming", "outgoing", "copy")

# name: (type, max length, kinds it belongs to, Vietnamese label)
FIELDS: dict[str, tuple[str, int | None, tuple[str, ...], str]] = {
    "doc_type":          ("text", 100, KINDS, "Tên loại văn bản"),
    "number":            ("number", 11, KINDS, "Số văn bản"),
    "notation":          ("notation", 30, KINDS, "Ký hiệu văn bản"),
    "issued_on":         ("date", None, KINDS, "Ngày tháng văn bản"),
    "place":             ("text", 100, KINDS, "Địa danh"),
    "issuer":            ("text", 200, KINDS, "Cơ quan ban hành"),
    "issuer_id":         ("orgid", 13, KINDS, "Mã định danh cơ quan ban hành"),
    "summary":           ("text", 500, KINDS, "Trích yếu nội dung"),
    "language":          ("text", 100, KINDS, "Ngôn ngữ"),
    "pages":             ("int", None, KINDS, "Số trang"),
    "note":              ("multiline", 500, KINDS, "Ghi chú"),
    "signer":            ("text", 50, KINDS, "Người ký"),
    "signer_title":      ("text", 100, KINDS, "Chức vụ người ký"),
    "urgency":           ("urgency", None, KINDS, "Độ khẩn"),
    "file_code":         ("text", 40, KINDS, "Mã hồ sơ"),
    "file_ordinal":      ("int", None, KINDS, "Số thứ tự văn bản trong hồ sơ"),
    "doc_identifier":    ("text", 100, KINDS, "Mã định danh văn bản"),
    "arrival_at":        ("datetime", None, ("incoming",), "Ngày đến"),
    "received_via":      ("via", None, ("incoming",), "Hình thức nhận"),
    "receiving_unit":    ("multiline", 1000, ("incoming",), "Đơn vị hoặc người nhận"),
    "handling_note":     ("multiline", 2000, ("incoming",), "Ý kiến phân phối, chỉ đạo"),
    "handling_deadline": ("date", None, ("incoming",), "Hạn giải quyết"),
    "transferred_on":    ("date", None, ("incoming",), "Ngày chuyển"),
    "recipients":        ("recipients", None, ("outgoing", "copy"), "Nơi nhận"),
    "copies":            ("int", None, ("outgoing", "copy"), "Số lượng bản"),
    "reply_deadline":    ("date", None, ("outgoing",), "Hạn trả lời"),
    "kept_by":           ("text", 200, ("outgoing", "copy"), "Đơn vị, người nhận bản lưu"),
    "dispatched_on":     ("date", None, ("outgoing", "copy"), "Ngày chuyển"),
}
# Keys accepted in input that are not stored fields as such.
INPUT_ONLY = {"reference", "secrecy", "text", "confidence", "register_number", "registered_at"}
RECIPIENT_NAME_MAX = 200

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def _label(name: str) -> str:
    return FIELDS[name][3] if name in FIELDS else name


def parse_date(value, field: str = "") -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return clock.to_vn(value).date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        m = _DMY.match(text)
        if m:
            return date(int(m[3]), int(m[2]), int(m[1]))
        return date.fromisoformat(text[:10]) if len(text) >= 10 else date.fromisoformat(text)
    except ValueError as exc:
        raise ValidationError(
            tr("{f}: «{v}» không phải là một ngày có thật.").format(f=_label(field), v=text), str(exc))


def parse_datetime(value, field: str = "") -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return clock.to_vn(value)
    text = str(value).strip()
    try:
        if _DMY.match(text):
            d = parse_date(text, field)
            return datetime(d.year, d.month, d.day, tzinfo=clock.VN_TZ)
        return clock.to_vn(datetime.fromisoformat(text))
    except ValueError as exc:
        raise ValidationError(
            tr("{f}: «{v}» không phải là thời điểm hợp lệ.").format(f=_label(field), v=text), str(exc))


def _int(value, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        n = int(str(value).strip())
    except ValueError:
        raise ValidationError(tr("{f}: «{v}» không phải là số.").format(f=_label(field), v=value))
    if n < 0 or n > 1_000_000:
        raise ValidationError(tr("{f}: giá trị {v} không hợp lệ.").format(f=_label(field), v=n))
    return n


def _recipients(value) -> list[dict]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [v for v in re.split(r"[;\n]", value) if v.strip()]
    if not isinstance(value, list):
        raise ValidationError(tr("Nơi nhận phải là một danh sách."))
    out = []
    for item in value:
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict):
            raise ValidationError(tr("Nơi nhận «{v}» không hợp lệ.").format(v=item))
        name = clean(item.get("name"), "recipients")
        org_id = item.get("id") or None
        if org_id:
            org_id = check_org_id(org_id)
        if not name and not org_id:
            continue
        if name and len(name) > RECIPIENT_NAME_MAX:
            raise ValidationError(tr("Tên nơi nhận dài quá {m} ký tự: «{v}…»").format(
                m=RECIPIENT_NAME_MAX, v=name[:40]))
        out.append({"id": org_id, "name": name})
    return out


def _convert(name: str, value):
    kind = FIELDS[name][0]
    maxlen = FIELDS[name][1]
    if kind in ("text", "multiline"):
        value = clean(value, name, multiline=kind == "multiline")
    elif kind == "number":
        value = canonical_number(value)
    elif kind == "notation":
        value = check_notation(value) if value not in (None, "") else None
    elif kind == "date":
        d = parse_date(value, name)
        value = d.isoformat() if d else None
    elif kind == "datetime":
        dt = parse_datetime(value, name)
        value = clock.iso(dt) if dt else None
    elif kind == "int":
        value = _int(value, name)
    elif kind == "urgency":
        value = int(parse_urgency(value))
    elif kind == "orgid":
        value = check_org_id(value) if value else None
    elif kind == "via":
        value = value or "paper"
        if value not in ("paper", "electronic"):
            raise ValidationError(tr("Hình thức nhận phải là paper hoặc electronic."))
    elif kind == "recipients":
        value = _recipients(value)
    if maxlen and isinstance(value, str) and len(value) > maxlen:
        raise ValidationError(tr("{f} dài {n} ký tự, vượt quá giới hạn {m} ký tự.").format(
            f=_label(name), n=len(value), m=maxlen))
    return value


def normalize(kind: str, data: dict, partial: bool = False, now: datetime | None = None) -> dict:
    """Validated, NFC-normalized fields for `kind`. With partial=True only the keys given are
    returned (a correction). Raises ValidationError / SecretDocumentError."""
    if kind not in KINDS:
        raise ValidationError(tr("Loại sổ «{k}» không hợp lệ.").format(k=kind))
    if not isinstance(data, dict):
        raise ValidationError(tr("Mỗi văn bản phải là một đối tượng JSON."))
    refuse_secret(data.get("secrecy"))
    unknown = sorted(k for k in data if k not in FIELDS and k not in INPUT_ONLY)
    if unknown:
        raise ValidationError(tr("Trường không được hỗ trợ: {k}.").format(k=", ".join(unknown)))
    wrong_kind = sorted(k for k in data if k in FIELDS and kind not in FIELDS[k][2]
                        and data[k] not in (None, "", []))
    if wrong_kind:
        raise ValidationError(tr("Trường {k} không dùng cho sổ này.").format(k=", ".join(wrong_kind)))

    out = {k: _convert(k, data[k]) for k in FIELDS if k in data and kind in FIELDS[k][2]}

    if data.get("reference"):
        ref = parse_reference(str(data["reference"]))
        for key, val in (("number", ref.number), ("notation", ref.notation)):
            if out.get(key) and out[key] != val:
                raise ValidationError(tr("Số, ký hiệu «{r}» không khớp với {f} «{v}».").format(
                    r=data["reference"], f=_label(key), v=out[key]))
            out[key] = val
        if ref.year:
            out["ref_year"] = ref.year
    if "doc_type" in out and out["doc_type"]:
        out["doc_type"] = canonical_type(out["doc_type"]) or out["doc_type"]
    elif not partial and out.get("notation"):
        out["doc_type"] = type_from_notation(out["notation"]) or ("Công văn" if out.get("notation") else None)

    now = now or clock.now()
    for name in ("issued_on", "handling_deadline", "reply_deadline", "transferred_on", "dispatched_on"):
        if out.get(name) and date.fromisoformat(out[name]).year < 1945:
            raise ValidationError(tr("{f}: năm không hợp lệ.").format(f=_label(name)))
    for name in ("issued_on", "dispatched_on", "transferred_on"):    # done already: never in the future
        if out.get(name) and date.fromisoformat(out[name]) > now.date():
            raise ValidationError(tr("{f} {d} ở tương lai.").format(
                f=_label(name), d=date.fromisoformat(out[name]).strftime("%d/%m/%Y")))
    if out.get("arrival_at") and datetime.fromisoformat(out["arrival_at"]) > now + timedelta(minutes=5):
        raise ValidationError(tr("Ngày đến {d} ở tương lai.").format(d=out["arrival_at"]))
    if out.get("arrival_at") and out.get("issued_on") and \
            datetime.fromisoformat(out["arrival_at"]).date() < date.fromisoformat(out["issued_on"]):
        raise ValidationError(tr("Ngày đến sớm hơn ngày tháng văn bản."))

    if not partial:
        if not out.get("summary"):
            raise ValidationError(tr("Thiếu trích yếu nội dung văn bản."))
        if kind == "incoming" and not out.get("issuer"):
            raise ValidationError(tr("Thiếu tên cơ quan ban hành (tác giả) của văn bản đến."))
        out.setdefault("urgency", 0)
    return out
