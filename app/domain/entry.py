"""Fields of a register entry (ND30, Appendix VI): legal maximum lengths, types and the
normalization of input (from the CLI, a JSON import, the extractor or the UI)."""
import re
from datetime import date, datetime, timedelta
from typing import Any

from ..errors import ValidationError
from ..i18n import tr
from . import clock
from .doctypes import canonical_type, type_from_notation
from .marks import parse_urgency, refuse_secret
from .orgid import check_org_id
from .records import FieldSpec, FieldType
from .reference import canonical_number, check_notation, parse_reference
from .text import clean

KINDS = ("incoming", "outgoing", "copy")

# name: FieldSpec(type, max length, kinds it belongs to, Vietnamese label)
FIELDS: dict[str, FieldSpec] = {
    "doc_type": FieldSpec(FieldType.TEXT, 100, KINDS, "Tên loại văn bản"),
    "number": FieldSpec(FieldType.NUMBER, 11, KINDS, "Số văn bản"),
    "notation": FieldSpec(FieldType.NOTATION, 30, KINDS, "Ký hiệu văn bản"),
    "issued_on": FieldSpec(FieldType.DATE, None, KINDS, "Ngày tháng văn bản"),
    "place": FieldSpec(FieldType.TEXT, 100, KINDS, "Địa danh"),
    "issuer": FieldSpec(FieldType.TEXT, 200, KINDS, "Cơ quan ban hành"),
    "issuer_id": FieldSpec(FieldType.ORGID, 13, KINDS, "Mã định danh cơ quan ban hành"),
    "summary": FieldSpec(FieldType.TEXT, 500, KINDS, "Trích yếu nội dung"),
    "language": FieldSpec(FieldType.TEXT, 100, KINDS, "Ngôn ngữ"),
    "pages": FieldSpec(FieldType.INT, None, KINDS, "Số trang"),
    "note": FieldSpec(FieldType.MULTILINE, 500, KINDS, "Ghi chú"),
    "signer": FieldSpec(FieldType.TEXT, 50, KINDS, "Người ký"),
    "signer_title": FieldSpec(FieldType.TEXT, 100, KINDS, "Chức vụ người ký"),
    "urgency": FieldSpec(FieldType.URGENCY, None, KINDS, "Độ khẩn"),
    "file_code": FieldSpec(FieldType.TEXT, 40, KINDS, "Mã hồ sơ"),
    "file_ordinal": FieldSpec(FieldType.INT, None, KINDS, "Số thứ tự văn bản trong hồ sơ"),
    "doc_identifier": FieldSpec(FieldType.TEXT, 100, KINDS, "Mã định danh văn bản"),
    "arrival_at": FieldSpec(FieldType.DATETIME, None, ("incoming",), "Ngày đến"),
    "received_via": FieldSpec(FieldType.VIA, None, ("incoming",), "Hình thức nhận"),
    "receiving_unit": FieldSpec(FieldType.MULTILINE, 1000, ("incoming",), "Đơn vị hoặc người nhận"),
    "handling_note": FieldSpec(FieldType.MULTILINE, 2000, ("incoming",), "Ý kiến phân phối, chỉ đạo"),
    "handling_deadline": FieldSpec(FieldType.DATE, None, ("incoming",), "Hạn giải quyết"),
    "transferred_on": FieldSpec(FieldType.DATE, None, ("incoming",), "Ngày chuyển"),
    "recipients": FieldSpec(FieldType.RECIPIENTS, None, ("outgoing", "copy"), "Nơi nhận"),
    "copies": FieldSpec(FieldType.INT, None, ("outgoing", "copy"), "Số lượng bản"),
    "reply_deadline": FieldSpec(FieldType.DATE, None, ("outgoing",), "Hạn trả lời"),
    "kept_by": FieldSpec(FieldType.TEXT, 200, ("outgoing", "copy"), "Đơn vị, người nhận bản lưu"),
    "dispatched_on": FieldSpec(FieldType.DATE, None, ("outgoing", "copy"), "Ngày chuyển"),
}
# Keys accepted in input that are not stored fields as such.
INPUT_ONLY = {"reference", "secrecy", "text", "confidence", "register_number", "registered_at"}
RECIPIENT_NAME_MAX = 200

# Normalized fields, name -> value (str, int, recipient list or None), as normalize() returns them.
Fields = dict[str, Any]

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def _label(name: str) -> str:
    return FIELDS[name].label if name in FIELDS else name


def parse_date(value: object, field: str = "") -> date | None:
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
            tr("{f}: «{v}» không phải là một ngày có thật.").format(f=_label(field), v=text), str(exc),
            field=field or None, code="bad_date") from exc


def parse_datetime(value: object, field: str = "") -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return clock.to_vn(value)
    text = str(value).strip()
    try:
        if _DMY.match(text):
            d = parse_date(text, field)
            assert d is not None
            return datetime(d.year, d.month, d.day, tzinfo=clock.VN_TZ)
        return clock.to_vn(datetime.fromisoformat(text))
    except ValueError as exc:
        raise ValidationError(
            tr("{f}: «{v}» không phải là thời điểm hợp lệ.").format(f=_label(field), v=text), str(exc),
            field=field or None, code="bad_datetime") from exc


def _int(value: object, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        n = int(str(value).strip())
    except ValueError:
        raise ValidationError(tr("{f}: «{v}» không phải là số.").format(f=_label(field), v=value),
                              field=field, code="not_a_number") from None
    if n < 0 or n > 1_000_000:
        raise ValidationError(tr("{f}: giá trị {v} không hợp lệ.").format(f=_label(field), v=n),
                              field=field, code="out_of_range")
    return n


def _recipients(value: object) -> list[dict[str, str | None]]:
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


def _convert(name: str, value: Any) -> Any:
    try:
        return _convert_field(name, value)
    except ValidationError as exc:
        if exc.field is None:  # raised by a shared rule (text, notation, org id...): say which field
            exc.field = name
        raise


def _convert_field(name: str, value: Any) -> Any:
    kind = FIELDS[name].type
    maxlen = FIELDS[name].max_length
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
            f=_label(name), n=len(value), m=maxlen), field=name, code="too_long")
    return value


def normalize(kind: str, data: dict[str, Any], partial: bool = False, now: datetime | None = None) -> Fields:
    """Validated, NFC-normalized fields for `kind`. With partial=True only the keys given are
    returned (a correction). Raises ValidationError / SecretDocumentError."""
    if kind not in KINDS:
        raise ValidationError(tr("Loại sổ «{k}» không hợp lệ.").format(k=kind), field="kind", code="bad_kind")
    if not isinstance(data, dict):
        raise ValidationError(tr("Mỗi văn bản phải là một đối tượng JSON."), code="not_an_object")
    refuse_secret(data.get("secrecy"))
    unknown = sorted(k for k in data if k not in FIELDS and k not in INPUT_ONLY)
    if unknown:
        raise ValidationError(tr("Trường không được hỗ trợ: {k}.").format(k=", ".join(unknown)),
                              field=unknown[0], code="unknown_field")
    wrong_kind = sorted(k for k in data if k in FIELDS and kind not in FIELDS[k].kinds
                        and data[k] not in (None, "", []))
    if wrong_kind:
        raise ValidationError(tr("Trường {k} không dùng cho sổ này.").format(k=", ".join(wrong_kind)),
                              field=wrong_kind[0], code="wrong_kind")

    out = {k: _convert(k, data[k]) for k in FIELDS if k in data and kind in FIELDS[k].kinds}

    if data.get("reference"):
        try:
            ref = parse_reference(str(data["reference"]))
        except ValidationError as exc:
            exc.field = exc.field or "reference"
            raise
        for key, val in (("number", ref.number), ("notation", ref.notation)):
            if out.get(key) and out[key] != val:
                raise ValidationError(tr("Số, ký hiệu «{r}» không khớp với {f} «{v}».").format(
                    r=data["reference"], f=_label(key), v=out[key]), field=key, code="reference_mismatch")
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
            raise ValidationError(tr("{f}: năm không hợp lệ.").format(f=_label(name)), field=name, code="bad_year")
    for name in ("issued_on", "dispatched_on", "transferred_on"):    # done already: never in the future
        if out.get(name) and date.fromisoformat(out[name]) > now.date():
            raise ValidationError(tr("{f} {d} ở tương lai.").format(
                f=_label(name), d=date.fromisoformat(out[name]).strftime("%d/%m/%Y")),
                field=name, code="future_date")
    if out.get("arrival_at") and datetime.fromisoformat(out["arrival_at"]) > now + timedelta(minutes=5):
        raise ValidationError(tr("Ngày đến {d} ở tương lai.").format(d=clock.display_datetime(out["arrival_at"])),
                              field="arrival_at", code="future_date")
    if out.get("arrival_at") and out.get("issued_on") and \
            datetime.fromisoformat(out["arrival_at"]).date() < date.fromisoformat(out["issued_on"]):
        raise ValidationError(tr("Ngày đến sớm hơn ngày tháng văn bản."), field="arrival_at",
                              code="arrival_before_issue")

    if not partial:
        if not out.get("summary"):
            raise ValidationError(tr("Thiếu trích yếu nội dung văn bản."), field="summary", code="required")
        if kind == "incoming" and not out.get("issuer"):
            raise ValidationError(tr("Thiếu tên cơ quan ban hành (tác giả) của văn bản đến."), field="issuer",
                                  code="required")
        out.setdefault("urgency", 0)
    return out
