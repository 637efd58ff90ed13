"""The one table of clerk-facing labels for codes: entry statuses, edXML status codes, inbox
states, register kinds (urgency labels: app.domain.marks). Marked with N_() and translated with tr() where shown, so a
code reads the same in every screen, book and command."""
from ..i18n import N_, tr

STATUS_LABELS: dict[str, str] = {
    "registered": N_("Đã đăng ký"), "forwarded": N_("Đã chuyển xử lý"), "in_progress": N_("Đang xử lý"),
    "done": N_("Đã giải quyết"), "recalled": N_("Đã thu hồi"), "voided": N_("Đã hủy số"),
    "signed": N_("Đã ký số"), "dispatched": N_("Đã phát hành"),
}

# edXML status codes (Status packages between agencies).
EXCHANGE_STATUS_LABELS: dict[str, str] = {
    "01": N_("Đã đến"), "02": N_("Từ chối tiếp nhận"), "03": N_("Đã tiếp nhận, đăng ký"),
    "04": N_("Phân công xử lý"), "05": N_("Đang xử lý"), "06": N_("Hoàn thành"),
    "13": N_("Đề nghị lấy lại, cập nhật"), "15": N_("Đồng ý lấy lại, cập nhật"),
    "16": N_("Từ chối lấy lại, cập nhật"),
}

INBOX_STATE_LABELS: dict[str, str] = {
    "pending": N_("Chờ tiếp nhận"), "accepted": N_("Đã tiếp nhận"), "rejected": N_("Đã trả lại"),
    "recalled": N_("ĐÃ THU HỒI"), "info": N_("Thông báo"), "invalid": N_("Gói tin lỗi"),
    "quarantined": N_("Bị giữ lại"),
}

KIND_LABELS: dict[str, str] = {"incoming": N_("văn bản đến"), "outgoing": N_("văn bản đi"),
                               "copy": N_("bản sao")}

def status_label(code: str | None) -> str:
    """The translated label of an entry status (the code itself if unknown)."""
    return tr(STATUS_LABELS[code]) if code in STATUS_LABELS else (code or "")


def exchange_status_label(code: str | None) -> str:
    return tr(EXCHANGE_STATUS_LABELS[code]) if code in EXCHANGE_STATUS_LABELS else (code or "")


def inbox_state_label(state: str | None) -> str:
    return tr(INBOX_STATE_LABELS[state]) if state in INBOX_STATE_LABELS else (state or "")


def kind_label(kind: str) -> str:
    return tr(KIND_LABELS[kind]) if kind in KIND_LABELS else kind
