"""Vietnamese personal names: the surnames and the syllables of given and middle names in common
use, as evidence for a signer's name read by OCR. A name syllable outside the list that differs
from a listed one only by its tone mark or the bar of Đ ('Đúc' / 'Đức', read at full confidence)
is almost surely that one misread. Written from general knowledge of Vietnamese names, not from
any corpus; an unusual name outside the list is simply not judged."""
from __future__ import annotations

from ..domain.text import fold
from .lexicon import key

SURNAME_LIST = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
    "Dương", "Lý", "Lâm", "Trương", "Đinh", "Đoàn", "Mai", "Tô", "Tạ", "Thái", "Lưu", "Châu", "Cao", "Quách",
    "Hà", "Tăng", "Lương", "La", "Kiều", "Triệu", "Văn", "Vương", "Trịnh", "Chu", "Thân", "Từ", "Âu", "Diệp",
    "Hứa", "Mạc", "Nghiêm", "Quan", "Lại", "Khúc", "Kim", "Thạch", "Danh", "Sơn", "Tống", "Tôn", "Giang",
    "Lục", "Ông", "Nông", "Lò", "Hầu", "Tiêu", "Viên", "Phùng", "Đàm", "Đào", "Ninh")
SURNAMES = {fold(s) for s in SURNAME_LIST}
SURNAME_BY_FOLD = {fold(s): s for s in SURNAME_LIST}

GIVEN = frozenset("""
An Anh Ánh Ân Ẩn Bá Bạch Bách Ban Bản Bảo Bắc Bằng Bích Biên Biển Bình Bính Bội Bổng Bửu Ca Cảnh Cát Cần
Cẩm Cầm Chánh Châm Chân Chấn Châu Chi Chí Chiến Chiêu Chinh Chính Chỉnh Chu Chúc Chung Chương Công Cung
Cúc Cương Cường Di Diễm Diên Diện Diệp Diệu Dinh Doãn Du Dung Dũng Duy Duyên Duyệt Dư Dự Dương Dưỡng
Đại Đan Đàn Đang Đảm Đăng Đắc Đạo Đạt Điền Điệp Điều Định Đình Đoan Đoàn Đô Độ Đông Đồng Đức Được
Gấm Gia Giang Giao Giáp Hà Hạ Hai Hải Hàm Hán Hạnh Hào Hảo Hằng Hân Hậu Hiên Hiền Hiển Hiến Hiện Hiệp
Hiếu Hiệu Hinh Hoa Hòa Hóa Hoài Hoan Hoàn Hoán Hoàng Hoạt Học Hồ Hội Hồng Hợi Hợp Huân Huấn Huệ Hùng Hưng
Hương Hường Hữu Huy Huyên Huyền Huỳnh Hy Kha Khả Khải Khang Khanh Khánh Khắc Khiêm Khiết Khoa Khoái
Khôi Khởi Khuê Khương Kiên Kiện Kiệt Kiều Kim Kính Kỳ Kỷ Lai Lài Lam Lan Lãng Lâm Lân Lập Lễ Lệ Liêm Liên
Liễu Linh Loan Lộc Lợi Long Lụa Luân Luận Luật Lực Lưu Lương Lượng Ly Lý Mai Mạnh Mẫn Mậu Mến Miên Minh
Mơ Mùi My Mỹ Na Nam Năng Nga Ngà Ngân Nghi Nghĩa Nghị Nghiêm Ngọc Nguyên Nguyện Nguyệt Nhã Nhạn Nhàn
Nhân Nhất Nhật Nhi Nhiên Nhơn Nhu Nhung Như Nhựt Ninh Nữ Nương Oanh Pha Phát Phi Phong Phú Phúc Phụng
Phùng Phước Phương Phượng Quang Quảng Quân Quế Quốc Quý Quỳ Quyên Quyền Quyết Quỳnh Sa Sang Sáng Sâm
Sen Sinh Sĩ Sỹ Sơn Song Sương Tài Tại Tám Tâm Tân Tấn Tần Tất Thạc Thạch Thái Thắm Thăng Thắng Thanh
Thành Thạnh Thảo Thảnh Thân Thi Thị Thiện Thiên Thiết Thịnh Thoa Thọ Thông Thơ Thu Thuận Thục Thúy Thùy
Thủy Thuyên Thư Thức Thương Thường Tiên Tiến Tiệp Tín Tình Tĩnh Toàn Toản Tới Tôn Trà Trác Trang Tráng
Trâm Trân Trí Triết Triều Triệu Trinh Trình Trọng Trung Trúc Truyền Trường Tú Tuân Tuấn Túc Tùng Tuyên
Tuyền Tuyến Tuyết Tư Tứ Từ Tường Tước Ty Uy Uyên Vạn Văn Vân Vi Vĩ Việt Viên Viễn Vinh Vĩnh Võ Vui Vũ
Vương Vượng Vy Xuân Xuyến Yên Yến
""".split())  # noqa: SIM905  (a list)
_GIVEN_BY_FOLD: dict[str, list[str]] = {}
for _g in sorted(GIVEN):
    _GIVEN_BY_FOLD.setdefault(fold(_g).lower(), []).append(_g)
_KNOWN = {key(n) for n in GIVEN | set(SURNAME_LIST)}       # by letters and tone: 'Hoà' is 'Hòa'


def checked_name(name: str) -> tuple[str, bool]:
    """(the name with a misread mark put back where only one listed syllable fits, whether a
    syllable after the surname was doubtful)."""
    words = name.split()
    doubtful = False
    for i, w in enumerate(words[1:], 1):
        if key(w) in _KNOWN:
            continue
        same_letters = _GIVEN_BY_FOLD.get(fold(w).lower(), [])
        if same_letters:
            doubtful = True
            if len(same_letters) == 1:
                words[i] = same_letters[0]
    return " ".join(words), doubtful
