"""Varied, realistic Vietnamese register data for benchmarks (deterministic)."""
import random

ISSUERS = ["Ủy ban nhân dân tỉnh Sóc Trăng", "Sở Tài chính", "Sở Nội vụ", "Sở Kế hoạch và Đầu tư",
           "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Nông nghiệp và Phát triển nông thôn", "Công an tỉnh",
           "Bộ Thông tin và Truyền thông", "Văn phòng Chính phủ", "Ủy ban nhân dân huyện Kế Sách",
           "Ủy ban nhân dân thị xã Vĩnh Châu", "Ban Quản lý dự án", "Sở Xây dựng", "Sở Tư pháp"]
TYPES = [("Quyết định", "QĐ"), ("Công văn", None), ("Thông báo", "TB"), ("Kế hoạch", "KH"),
         ("Tờ trình", "TTr"), ("Giấy mời", "GM"), ("Báo cáo", "BC"), ("Hướng dẫn", "HD")]
SUBJECTS = ["phê duyệt kế hoạch", "tổ chức hội nghị", "triển khai thực hiện", "phòng chống thiên tai",
            "cải cách hành chính", "chuyển đổi số", "xây dựng nông thôn mới", "quyết toán ngân sách",
            "tuyển dụng công chức", "đào tạo bồi dưỡng cán bộ", "phòng chống dịch bệnh", "đê điều và thủy lợi",
            "an toàn giao thông", "bảo vệ môi trường", "giải quyết khiếu nại", "thi đua khen thưởng",
            "quy hoạch sử dụng đất", "đầu tư công trung hạn", "giáo dục nghề nghiệp", "bảo hiểm y tế"]
PLACES = ["năm 2026", "quý IV", "tháng 11", "trên địa bàn tỉnh", "giai đoạn 2026-2030", "đợt 2"]
SIGNERS = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Thị Dung", "Võ Minh Đức", "Huỳnh Thanh Hà"]


def incoming_items(count: int, seed: int = 0):
    rnd = random.Random(seed)
    for i in range(count):
        name, abbr = rnd.choice(TYPES)
        issuer = rnd.choice(ISSUERS)
        notation = f"{abbr}-UBND" if abbr else "UBND-VX"
        yield {"number": str(rnd.randint(1, 3000)), "notation": notation, "doc_type": name,
               "issuer": issuer, "issued_on": f"2026-{rnd.randint(1, 10):02d}-{rnd.randint(1, 28):02d}",
               "summary": f"Về việc {rnd.choice(SUBJECTS)} {rnd.choice(PLACES)} ({i})",
               "signer": rnd.choice(SIGNERS), "urgency": rnd.choice([0, 0, 0, 0, 1, 2, 3]),
               "arrival_at": "2026-11-20T08:00:00+07:00"}


def queries(count: int, seed: int = 1) -> list[str]:
    """Queries typed without diacritics, one to three words, sometimes a number."""
    from app.domain.text import fold
    rnd = random.Random(seed)
    out = []
    for _ in range(count):
        words = fold(rnd.choice(SUBJECTS) + " " + rnd.choice(ISSUERS)).split()
        k = rnd.randint(1, 3)
        start = rnd.randrange(0, max(1, len(words) - k))
        q = " ".join(words[start:start + k])
        if rnd.random() < 0.3:
            q = f"{rnd.randint(1, 3000)} {rnd.choice(['qd', 'tb', 'kh', 'ubnd'])}"
        out.append(q)
    return out
