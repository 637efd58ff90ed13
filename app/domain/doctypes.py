"""Document types (tên loại) and their abbreviations used in notations (ND30, Appendix I)."""
from .text import fold, nfc

# name -> abbreviation; Công văn has none (its notation is issuer + unit, e.g. "12/UBND-VX").
DOC_TYPES: dict[str, str | None] = {
    "Nghị quyết": "NQ",
    "Quyết định": "QĐ",
    "Chỉ thị": "CT",
    "Quy chế": "QC",
    "Quy định": "QyĐ",
    "Thông cáo": "TC",
    "Thông báo": "TB",
    "Hướng dẫn": "HD",
    "Chương trình": "CTr",
    "Kế hoạch": "KH",
    "Phương án": "PA",
    "Đề án": "ĐA",
    "Dự án": "DA",
    "Báo cáo": "BC",
    "Biên bản": "BB",
    "Tờ trình": "TTr",
    "Hợp đồng": "HĐ",
    "Công văn": None,
    "Công điện": "CĐ",
    "Bản ghi nhớ": "BGN",
    "Bản thỏa thuận": "BTT",
    "Giấy ủy quyền": "GUQ",
    "Giấy mời": "GM",
    "Giấy giới thiệu": "GGT",
    "Giấy nghỉ phép": "GNP",
    "Phiếu gửi": "PG",
    "Phiếu chuyển": "PC",
    "Phiếu báo": "PB",
    "Bản sao y": "SY",
    "Bản trích sao": "TrS",
    "Bản sao lục": "SL",
}

_BY_FOLDED_NAME = {fold(name): name for name in DOC_TYPES}
# Old spelling "hoá/uỷ" variants fold to the same key as "hóa/ủy".
_BY_ABBR = {fold(abbr): name for name, abbr in DOC_TYPES.items() if abbr}


def canonical_type(name: str | None) -> str | None:
    """The table's spelling of a type name given in any case or diacritics, else None."""
    if not name:
        return None
    return _BY_FOLDED_NAME.get(fold(nfc(name)).strip())


def type_from_abbreviation(abbr: str) -> str | None:
    """'QĐ' -> 'Quyết định'. Case matters between QC/QyĐ only in spelling, so compare exactly first."""
    abbr = nfc(abbr)
    for name, a in DOC_TYPES.items():
        if a == abbr:
            return name
    return _BY_ABBR.get(fold(abbr))


def abbreviation(name: str) -> str | None:
    canon = canonical_type(name)
    return DOC_TYPES.get(canon) if canon else None


def type_from_notation(notation: str | None) -> str | None:
    """'QĐ-UBND' -> 'Quyết định'; 'UBND-VX' (Công văn) -> None (no type prefix)."""
    if not notation:
        return None
    return type_from_abbreviation(notation.split("-", 1)[0])
