"""How values look to the clerk: Vietnamese dates, arrival numbers, urgency and status labels."""
import json
from datetime import date, datetime

from ..domain.labels import EXCHANGE_STATUS_LABELS, INBOX_STATE_LABELS, STATUS_LABELS
from ..domain.marks import Urgency
from ..domain.reference import format_number
from .i18n import N_, tr

URGENCY_TEXT = {0: "", 1: N_("Khẩn"), 2: N_("Thượng khẩn"), 3: N_("Hỏa tốc"), 4: N_("Hỏa tốc hẹn giờ")}
# the coloured mark of each urgency in lists (none for ordinary documents)
URGENCY_COLOR = {1: "#e37400", 2: "#d93025", 3: "#a50e0e", 4: "#a50e0e"}
KIND_TEXT = {"incoming": N_("Văn bản đến"), "outgoing": N_("Văn bản đi"), "copy": N_("Bản sao")}
# The one label table (app.domain.labels), repeated here so that the window's catalogue has them.
_STATUS_NOOP = (N_("Đã đăng ký"), N_("Đã chuyển xử lý"), N_("Đang xử lý"), N_("Đã giải quyết"),
                N_("Đã thu hồi"), N_("Đã hủy số"), N_("Đã ký số"), N_("Đã phát hành"))


def vn_date(value) -> str:
    if not value:
        return ""
    try:
        if isinstance(value, str):
            value = date.fromisoformat(value[:10])
        return value.strftime("%d/%m/%Y")
    except (ValueError, TypeError):
        return str(value)


def vn_datetime(value) -> str:
    if not value:
        return ""
    try:
        dt = datetime.fromisoformat(value) if isinstance(value, str) else value
        return dt.strftime("%d/%m/%Y %H:%M")
    except (ValueError, TypeError):
        return str(value)


def number(n) -> str:
    return format_number(n) if n not in (None, "") else ""


def urgency(code) -> str:
    try:
        label = URGENCY_TEXT[int(Urgency(int(code or 0)))]
    except (ValueError, TypeError, KeyError):
        return str(code)
    return tr(label) if label else ""


_EXCHANGE_NOOP = (N_("Đã đến"), N_("Từ chối tiếp nhận"), N_("Đã tiếp nhận, đăng ký"), N_("Phân công xử lý"),
                  N_("Đang xử lý"), N_("Hoàn thành"), N_("Đề nghị lấy lại, cập nhật"),
                  N_("Đồng ý lấy lại, cập nhật"), N_("Từ chối lấy lại, cập nhật"), N_("Chờ tiếp nhận"),
                  N_("Đã tiếp nhận"), N_("Đã trả lại"), N_("ĐÃ THU HỒI"), N_("Thông báo"), N_("Gói tin lỗi"),
                  N_("Bị giữ lại"))
LABEL_TABLES = (STATUS_LABELS, EXCHANGE_STATUS_LABELS, INBOX_STATE_LABELS)   # checked by tests/ui/test_i18n.py


def status(code: str) -> str:
    return tr(STATUS_LABELS.get(code, code or ""))


def recipients(value) -> str:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return value
    return "; ".join((r.get("name") or r.get("id") or "") for r in value or [])


def urgency_color(code) -> str | None:
    try:
        return URGENCY_COLOR.get(int(code or 0))
    except (ValueError, TypeError):
        return None


def human_size(n) -> str:
    """1532516 -> '1,5 MB' (Vietnamese decimal comma)."""
    if n is None:
        return ""
    n = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            if unit == "B":
                return f"{int(n)} B"
            text = f"{n:.1f}".rstrip("0").rstrip(".") if n < 100 else f"{n:.0f}"
            return f"{text.replace('.', ',')} {unit}"
        n /= 1024
    return ""


def thousands(n) -> str:
    """12345 -> '12.345'."""
    return f"{int(n or 0):,}".replace(",", ".")
