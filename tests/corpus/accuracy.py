"""Field accuracy and the honesty of the confidences on the office corpus (tests/corpus/office.py):
per field, how many values are right; of the wrong ones, how many came back below the form's
"check this" threshold (extract.CHECK_BELOW: flagged); of the right ones shown, how many were
flagged needlessly (false alarms). Used by bench/intake.py and the tests.

Born-digital PDFs go through the real pipeline (their text layer). Scans are read by the real
OCR, page by page as the pipeline does; the word boxes can be kept on disk next to the corpus
(`ocr_cache=True`) so that a change to the extractor is measured again without OCR — the final
figures of a fresh batch are taken with the cache off."""
from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tests.corpus.metrics import FIELDS


@dataclass
class Report:
    kind: str                                   # "pdf" or "scan"
    docs: int = 0
    hits: dict = field(default_factory=lambda: {k: 0 for k in FIELDS})
    wrong: int = 0
    flagged: int = 0                            # wrong and below CHECK_BELOW
    right_shown: int = 0                        # right and not empty
    false_alarms: int = 0                       # right, shown, and below CHECK_BELOW
    misses: list = field(default_factory=list)  # (doc, case, field, truth, got, confidence)

    @property
    def overall(self) -> float:
        return sum(self.hits.values()) / max(1, self.docs * len(FIELDS))

    def per_field(self) -> dict:
        return {k: v / max(1, self.docs) for k, v in self.hits.items()}

    @property
    def flagged_share(self) -> float:
        return self.flagged / self.wrong if self.wrong else 1.0

    @property
    def false_alarm_share(self) -> float:
        return self.false_alarms / self.right_shown if self.right_shown else 0.0

    def add(self, other: Report) -> None:
        self.docs += other.docs
        for k in FIELDS:
            self.hits[k] += other.hits[k]
        self.wrong += other.wrong
        self.flagged += other.flagged
        self.right_shown += other.right_shown
        self.false_alarms += other.false_alarms
        self.misses += other.misses


def score(report: Report, doc, fields: dict) -> None:
    """Add one document's extracted fields to the report."""
    from app.scan import extract
    report.docs += 1
    for k in FIELDS:
        got, want = fields.get(k), doc.truth.get(k)
        c = 1.0 if k == "pages" else fields["confidence"].get(k, 0.0)
        if got == want:
            report.hits[k] += 1
            if got is not None and k != "pages":
                report.right_shown += 1
                report.false_alarms += c < extract.CHECK_BELOW
        else:
            report.wrong += 1
            report.flagged += c < extract.CHECK_BELOW
            report.misses.append((doc.name, doc.case, k, want, got, c))


def scan_layouts(path: Path, cache: Path | None = None) -> list:
    """The page layouts of a scan, read by the real OCR as the pipeline reads them."""
    from app.domain.pagelayout import Word
    from app.scan import inputs, layout, ocr
    if cache is not None and cache.exists():
        pages = json.loads(cache.read_text("utf-8"))
    else:
        refs = inputs.page_refs([inputs.inspect(path)])
        with tempfile.TemporaryDirectory(prefix="acc-ocr-") as work:
            futs = [ocr.pool().submit(ocr.ocr_page, r, True, work, False) for r in refs]
            results = [f.result() for f in futs]
        pages = [dict(n=r.number, w=r.width, h=r.height,
                      words=[[w.text, w.conf, w.x0, w.y0, w.x1, w.y1, w.block, w.par, w.line] for w in r.words])
                 for r in results]
        if cache is not None:
            cache.write_text(json.dumps(pages, ensure_ascii=False), "utf-8")
    return [layout.build(p["n"], p["w"], p["h"], [Word(*w) for w in p["words"]]) for p in pages]


def evaluate(docs, kind: str, ocr_cache: bool = False) -> Report:
    """Extract the fields of each document's born-digital PDF (kind 'pdf') or scan ('scan')."""
    from app.scan import extract, pipeline
    rep = Report(kind)
    for d in docs:
        if kind == "pdf":
            res = pipeline.process([d.pdf])
            fields = res.fields
        else:
            cache = d.scan.with_suffix(".ocr.json") if ocr_cache else None
            lays = scan_layouts(d.scan, cache)
            fields = extract.extract_fields(lays, pages=len(lays))
        score(rep, d, fields)
    return rep


def lines(rep: Report, title: str, show_values: bool) -> list[str]:
    """A printable summary; `show_values` lists the misses (never for a batch still held out)."""
    out = [f"  {title}: {rep.docs} docs, overall {rep.overall:.1%}; lowest field "
           f"{min(rep.per_field().values()):.0%}; wrong fields {rep.wrong}, flagged {rep.flagged} "
           f"({rep.flagged_share:.0%}); right fields flagged needlessly {rep.false_alarms}/{rep.right_shown} "
           f"({rep.false_alarm_share:.0%})",
           "        " + "  ".join(f"{k}={v:.0%}" for k, v in rep.per_field().items())]
    if show_values:
        out += [f"        miss {m}" for m in rep.misses]
    else:
        by: dict = {}
        for m in rep.misses:
            by[(m[1], m[2])] = by.get((m[1], m[2]), 0) + 1
        if by:
            out.append("        misses by case/field: " + ", ".join(f"{c}/{k}: {v}" for (c, k), v in sorted(by.items())))
    return out
