"""The intake pipeline against real Tesseract and real files: searchable PDF, pages first,
blank and upside-down pages, kept originals, cancellation and bad input."""
import hashlib
import struct
import threading
import zlib

import pymupdf
import pytest
from PIL import Image

from app.scan import inputs, pipeline
from app.scan.errors import Cancelled, InputFileError


@pytest.mark.timeout(300)
def test_three_page_scan_to_searchable_pdf(corpus, tmp_path):
    seed = 5                                       # a 3-page Giấy mời
    doc = corpus.doc(seed)
    assert doc.truth["pages"] == 3
    seen_fields, seen_pages, progress, events = [], [], [], []
    out = tmp_path / "letter.pdf"
    res = pipeline.process([corpus.file(seed)], out_pdf=out, progress=lambda d, t: progress.append((d, t)),
                           on_fields=lambda f, final: (seen_fields.append((dict(f), final)), events.append("fields")),
                           on_page=lambda p: (seen_pages.append(p.number), events.append("page")))
    # every page once (the longest first); the header fields before the document is read
    assert sorted(seen_pages) == [1, 2, 3]
    assert events.index("fields") < len(events) - 2 and events[-1] == "fields"
    assert progress[-1] == (3, 3)
    # fields delivered before the whole document was read, then final
    assert seen_fields[0][1] is False and seen_fields[-1][1] is True
    early = seen_fields[0][0]        # from the early pass over the header part of page 1
    for k in ("reference", "issued_on", "issuer", "doc_type", "summary"):
        assert early[k] == doc.truth[k], k
        assert early["boxes"][k]["page"] == 1 and early["boxes"][k]["box"][3] < 0.45, k
    final = seen_fields[-1][0]       # the signing block comes with the full read, wherever it is
    for k in ("signer", "signer_title"):
        assert final[k] == doc.truth[k], k
        assert final["boxes"][k]["page"] == 3, k
    assert res.timings["fields_ready"] < res.timings["ocr_done"] <= res.timings["pdf_done"]
    assert res.pdf == out and not res.kept_original
    raw = out.read_bytes()
    assert raw.startswith(b"%PDF-1.") and int(raw[7:8]) >= 4
    assert len(raw) < 1_000_000, len(raw)           # a 3-page gray letter under about 1 MB
    with pymupdf.open(out) as pdf:
        assert pdf.page_count == 3
        for page in pdf:
            # true size: A4 in points (100 % scale)
            assert abs(page.rect.width - 595.3) < 6 and abs(page.rect.height - 841.9) < 6
            info = page.get_images(full=True)[0]
            dpi = info[2] / (page.rect.width / 72)
            assert dpi >= 199, dpi
        text = pdf[0].get_text()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert doc.truth["reference"] in text
    from tests.corpus.metrics import cer
    with pymupdf.open(out) as pdf:
        errors, chars = cer([l for p in doc.page_lines for l in p], "\n".join(p.get_text() for p in pdf))
    assert errors / chars < 0.01, (errors, chars)
    assert [p.blank for p in res.pages] == [False, False, False]


@pytest.mark.timeout(300)
def test_blank_page_is_flagged_not_dropped(corpus, tmp_path):
    page = Image.open(corpus.file(3, fmt="png")).convert("L")
    blank = Image.new("L", page.size, 238)
    path = tmp_path / "with-blank.tif"
    page.save(path, "TIFF", save_all=True, append_images=[blank], dpi=(300, 300))
    res = pipeline.process([path], out_pdf=tmp_path / "o.pdf")
    assert [p.blank for p in res.pages] == [False, True]
    assert res.blank_pages == [2]
    with pymupdf.open(res.pdf) as pdf:
        assert pdf.page_count == 2


@pytest.mark.timeout(300)
@pytest.mark.parametrize("angle", [180, 270])
def test_upside_down_or_sideways_page_is_turned(corpus, tmp_path, angle):
    seed = 6
    img = Image.open(corpus.file(seed, fmt="png", pages=1)).rotate(angle, expand=True)
    path = tmp_path / "turned.png"
    img.save(path, dpi=(300, 300))
    res = pipeline.process([path])
    assert res.pages[0].rotated == angle          # PIL turned it counter-clockwise; we turn it clockwise
    truth = corpus.doc(seed, pages=1).truth
    assert res.fields["issuer"] == truth["issuer"] and res.fields["signer"] == truth["signer"]
    assert res.fields["issued_on"] == truth["issued_on"]


def test_skew_is_estimated(corpus):
    from app.scan import imaging
    clean = corpus.doc(2).pages[0]
    for angle in (-2.0, 1.3):
        tilted = clean.rotate(angle, resample=Image.BILINEAR, fillcolor=255)
        assert abs(imaging.estimate_skew(tilted) + angle) < 0.25


def _text_pdf(path, pages=1, signed_flag=False):
    font = "resources/fonts/LiberationSerif-Regular.ttf"
    doc = pymupdf.open()
    for i in range(pages):
        p = doc.new_page(width=595, height=842)
        p.insert_font(fontname="ls", fontfile=font)
        if i == 0:
            for x, y, t in [(95, 70, "ỦY BAN NHÂN DÂN"), (95, 85, "TỈNH SÓC TRĂNG"), (90, 110, "Số: 1007/QĐ-UBND"),
                            (320, 70, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                            (340, 85, "Độc lập - Tự do - Hạnh phúc"),
                            (330, 110, "Sóc Trăng, ngày 05 tháng 4 năm 2019"),
                            (260, 170, "QUYẾT ĐỊNH"), (200, 188, "Về việc ban hành Quy chế làm việc"),
                            (85, 230, "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015 và các văn bản")]:
                p.insert_text((x, y), t, fontname="ls", fontsize=12)
        else:
            p.insert_text((85, 100), f"Trang {i + 1} của quyết định", fontname="ls", fontsize=12)
    doc.save(path)
    return path


@pytest.mark.timeout(120)
def test_pdf_with_text_is_kept_byte_for_byte(tmp_path):
    path = _text_pdf(tmp_path / "digital.pdf", pages=2)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    res = pipeline.process([path])
    assert res.kept_original and res.pdf == path
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    f = res.fields
    assert (f["reference"], f["issued_on"], f["place"]) == ("1007/QĐ-UBND", "2019-04-05", "Sóc Trăng")
    assert f["issuer"] == "Ủy ban nhân dân tỉnh Sóc Trăng" and f["doc_type"] == "Quyết định"
    assert f["summary"] == "Về việc ban hành Quy chế làm việc"
    assert "Trang 2 của quyết định" in res.text and f["pages"] == 2


@pytest.mark.timeout(120)
def test_500_page_pdf_bounded_memory_and_progress(tmp_path):
    import tracemalloc
    path = _text_pdf(tmp_path / "big.pdf", pages=500)
    progress = []
    tracemalloc.start()
    res = pipeline.process([path], progress=lambda d, t: progress.append((d, t)))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert res.fields["pages"] == 500 and len(res.pages) == 500
    assert len(progress) == 500 and progress[-1] == (500, 500)
    assert peak < 40 * 1024 * 1024, peak


@pytest.mark.timeout(300)
def test_cancel_stops_and_leaves_no_output(corpus, tmp_path):
    ev = threading.Event()
    out = tmp_path / "never.pdf"
    with pytest.raises(Cancelled):
        pipeline.process([corpus.file(5)], out_pdf=out, on_page=lambda p: ev.set(), cancelled=ev.is_set)
    assert not out.exists() and not list(tmp_path.glob("*.part"))


# --- bad input -------------------------------------------------------------------------------

def _png_header(path, w, h):
    """A PNG whose header claims w x h pixels (the data is never decoded)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
    path.write_bytes(raw)
    return path


def test_huge_image_refused_before_decoding(tmp_path):
    path = _png_header(tmp_path / "huge.png", 20000, 20000)
    with pytest.raises(InputFileError) as e:
        pipeline.process([path])
    assert "quá lớn" in e.value.message and "20000" in e.value.message


def test_corrupted_encrypted_empty_and_unsupported(tmp_path):
    good = _text_pdf(tmp_path / "good.pdf")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(good.read_bytes()[:300])
    enc = tmp_path / "enc.pdf"
    with pymupdf.open(good) as d:
        d.save(enc, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="u", owner_pw="o")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    zero = tmp_path / "zero.pdf"
    zero.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>"
                     b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    txt = tmp_path / "note.txt"
    txt.write_text("không phải ảnh")
    bad_jpeg = tmp_path / "bad.jpg"
    bad_jpeg.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 50)
    expected = {broken: "hỏng", enc: "mật khẩu", empty: "rỗng", zero: "không có trang", txt: "không phải PDF",
                bad_jpeg: "hỏng"}
    for path, words in expected.items():
        with pytest.raises(InputFileError) as e:
            inputs.inspect(path)
        assert words in e.value.message, (path.name, e.value.message)
        assert e.value.detail


@pytest.mark.timeout(120)
def test_photo_that_is_not_a_document(tmp_path):
    import numpy as np
    rng = np.random.default_rng(1)
    arr = (rng.random((900, 1200, 3)) * 255).astype("uint8")
    arr[300:600, 400:800] = (30, 120, 40)
    path = tmp_path / "photo.jpg"
    Image.fromarray(arr, "RGB").save(path, quality=80)
    res = pipeline.process([path])
    f = res.fields
    assert all(f[k] is None for k in ("reference", "issuer", "doc_type", "summary", "signer"))
    assert max(f["confidence"].values()) < 0.5
    assert res.pdf.exists()


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_500_page_scanned_pdf(corpus, tmp_path):
    """500 image pages (mostly blank sheets, a letter every 50): bounded memory, progress, every page."""
    import psutil
    letter = Image.open(corpus.file(6, fmt="png", pages=1)).convert("L").resize((1240, 1754))
    blank = Image.new("L", letter.size, 240)
    pages = [letter if i % 50 == 0 else blank for i in range(500)]
    src = tmp_path / "big-scan.pdf"
    pages[0].save(src, "PDF", resolution=150, save_all=True, append_images=pages[1:])
    proc = psutil.Process()
    rss0, peak = proc.memory_info().rss, [0]

    def progress(d, t):
        peak[0] = max(peak[0], proc.memory_info().rss)
    res = pipeline.process([src], out_pdf=tmp_path / "out.pdf", progress=progress)
    assert len(res.pages) == 500 and sum(p.blank for p in res.pages) == 490
    with pymupdf.open(res.pdf) as pdf:
        assert pdf.page_count == 500
    assert peak[0] - rss0 < 300 * 1024 * 1024


@pytest.mark.timeout(300)
def test_ocr_worker_killed_gives_clear_error_and_next_run_works(corpus, tmp_path):
    import os
    import signal

    from app.scan import ocr
    from app.scan.errors import ScanError

    def kill_a_worker(info):
        for pid in list(ocr.pool()._processes):
            os.kill(pid, signal.SIGKILL)
    with pytest.raises(ScanError) as e:
        pipeline.process([corpus.file(5)], out_pdf=tmp_path / "x.pdf", on_page=kill_a_worker)
    assert "dừng đột ngột" in e.value.message
    assert not (tmp_path / "x.pdf").exists()
    res = pipeline.process([corpus.file(6, fmt="png", pages=1)])
    assert res.fields["reference"] == corpus.doc(6, pages=1).truth["reference"]


@pytest.mark.timeout(300)
def test_colour_scan_stays_in_colour(tmp_path):
    from tests.corpus.generate import make_document, write_document
    doc = make_document(12, pages=1, color=True, stamp=True)
    path = write_document(doc, tmp_path, "jpg")
    assert Image.open(path).mode == "RGB"
    res = pipeline.process([path], out_pdf=tmp_path / "colour.pdf")
    with pymupdf.open(res.pdf) as pdf:
        xref = pdf[0].get_images(full=True)[0][0]
        assert pymupdf.Pixmap(pdf, xref).n == 3          # the red stamp and blue signature are kept
    for k in ("reference", "issuer", "issued_on", "doc_type", "signer"):
        assert res.fields[k] == doc.truth[k], k
    # an image-only colour PDF is rendered in colour, a gray one in gray
    colour_pdf = write_document(doc, tmp_path, "pdf")
    gray_pdf = write_document(make_document(12, pages=1), tmp_path, "pdf", name="gray")
    for p, mode in ((colour_pdf, "RGB"), (gray_pdf, "L")):
        img, dpi = inputs.load_page(inputs.page_refs([inputs.inspect(p)])[0])
        assert (img.mode, dpi) == (mode, 300)


def _page_image(corpus, seed=5, page=0):
    from app.scan import imaging, ocr
    ref = inputs.page_refs([inputs.inspect(corpus.file(seed))])[page]
    clean, dpi, _skew, _ink = ocr._prepared(ref, None)
    return imaging.to_gray(clean), dpi


@pytest.mark.timeout(120)
def test_loaded_engine_reads_as_the_tesseract_program(corpus, monkeypatch):
    """The worker's Tesseract kept loaded (C API) gives the very words, boxes and text layer
    of the `tesseract` program it replaces; the program stays the fallback."""
    from app.scan import ocr, tesseract
    if tesseract.engine(ocr.LANG) is None:
        pytest.skip("libtesseract cannot be loaded here")
    gray, dpi = _page_image(corpus)
    gray = gray.crop((0, 0, gray.width, gray.height // 3))     # the header: a few seconds
    tsv_api, pdf_api = ocr.read_image(gray, dpi)
    monkeypatch.setenv("VANTHU_OCR_ENGINE", "cli")
    assert tesseract.engine(ocr.LANG) is None
    tsv_cli, pdf_cli = ocr.read_image(gray, dpi)
    api, cli = ocr.parse_tsv(tsv_api), ocr.parse_tsv(tsv_cli)
    assert len(api) > 20 and [(w.text, w.x0, w.y0, w.x1, w.y1) for w in api] == \
        [(w.text, w.x0, w.y0, w.x1, w.y1) for w in cli]
    texts = []
    for data in (pdf_api, pdf_cli):
        with pymupdf.open(stream=data, filetype="pdf") as d:
            assert d[0].get_images() == []                   # text only: the scan is laid under it
            texts.append(d[0].get_text())
    assert "CỘNG HÒA" in texts[0] and texts[0] == texts[1]


@pytest.mark.timeout(60)
def test_strips_are_cut_between_text_lines(corpus):
    """A page is only ever cut through white rows; page 1's preview strips end below the
    header table and below the summary; the work estimate follows the text."""
    import numpy as np

    from app.scan import imaging
    gray, _dpi = _page_image(corpus)
    arr = np.asarray(gray)
    for parts, marks in ((2, ()), (4, ()), (1, (0.2, 0.4))):
        rows = imaging.strip_cuts(gray, parts, marks)
        assert rows[0] == 0 and rows[-1] == gray.height and rows == sorted(set(rows))
        assert len(rows) == 2 + max(parts - 1, len(marks)), rows
        for y in rows[1:-1]:
            band = arr[y - 4:y + 4]
            assert (band < 128).sum() <= 2 * max(1, gray.width // 125), y   # white, specks aside
    head = imaging.strip_cuts(gray, 1, (0.2, 0.4))
    assert 0.2 * gray.height <= head[1] < 0.35 * gray.height and 0.4 * gray.height <= head[2] < 0.55 * gray.height
    work = imaging.strip_work(gray, [0, gray.height // 2, gray.height])
    assert all(w > 0 for w in work)
    blank = Image.new("L", (2480, 3508), 255)
    assert imaging.strip_cuts(blank, 2) == [0, 3508] and imaging.strip_work(blank, [0, 3508]) == [0.0]


def test_strips_per_page():
    assert pipeline._parts(1, 2) == 2          # a single page on 2 cores: both read it
    assert pipeline._parts(3, 2) == 1 and pipeline._parts(2, 2) == 1 and pipeline._parts(1, 1) == 1


@pytest.mark.timeout(300)
def test_single_page_read_in_strips_gives_the_same_fields(corpus, monkeypatch):
    """One page read in two strips by two workers: the same fields as read whole."""
    src = corpus.file(3, pages=1)
    got = {}
    for strips in ("1", "2"):
        monkeypatch.setenv("VANTHU_OCR_STRIPS", strips)
        res = pipeline.process([src], searchable=False, early_fields=False)
        got[strips] = {k: res.fields[k] for k in ("reference", "issued_on", "issuer", "doc_type", "signer")}
    assert got["1"] == got["2"] and got["1"]["reference"] == corpus.doc(3, pages=1).truth["reference"]


@pytest.mark.timeout(120)
def test_the_loaded_engine_prints_nothing_on_the_terminal(tmp_path):
    """Tesseract's library prints notes to stderr ('Estimating resolution as 109' for a page
    without a resolution, 'Detected 16 diacritics' for some sideways pages): a clerk running
    `vanthu extract` saw them. Run in a child process: the notes are written to file descriptor 2."""
    import subprocess
    import sys
    code = ("from PIL import Image, ImageDraw\n"
            "from app.scan.tesseract import engine\n"
            "im = Image.new('L', (600, 200), 255)\n"
            "ImageDraw.Draw(im).text((20, 80), 'Hello 123', fill=0)\n"
            "e = engine('vie')\n"
            "assert e is not None\n"
            "e.read(im, 0, pdf=False)\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=90)
    assert p.returncode == 0, p.stderr
    assert p.stderr == ""
