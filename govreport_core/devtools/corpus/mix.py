"""Folders of generated reports mixed as a collection would be, for `bench --ingest --mix NAME`.

A mix gives each kind of file its share: PDFs (every PDF form of the corpus, in turn: reportlab's, Word files
exported by LibreOffice with ruled or borderless tables, web pages printed by chromium or opened in
LibreOffice), report web pages (HTML), and scans (LibreOffice PDFs rendered at 200 dpi and saved as page
images: only OCR reads them). Files are named `gen_<n>_<era>_<form>.<ext>` (scans: form `scan`), so a
timing per file gives a rate per form; the truth files are not written (this is for speed, not accuracy).
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .generate import NEW_FORMS, write_corpus
from .scans import SCAN_DPI, scanned

KIND_FORMS = {
    "PDF": tuple(form for form in NEW_FORMS if form.startswith("pdf")),
    "HTML": ("html", "html_blank"),  # report pages as sites publish them, zeros written or cells left blank
    "scan": ("pdf_office",),  # what is printed, signed and scanned: the office's own Word file
}
FORM_OF_NAME = re.compile(r"^gen_\d+_(?:2019|2021|pre2019)_(\w+)\.\w+$")


@dataclass(frozen=True)
class Mix:
    shares: tuple[tuple[str, float], ...]  # (kind of KIND_FORMS, share of the files), shares adding up to 1

    def counts(self, count: int) -> dict[str, int]:
        """Files per kind: the shares rounded (largest remainder), every kind at least one file when there
        are enough files for that, so a small run still reads each kind."""
        exact = {kind: share * count for kind, share in self.shares}
        counts = {kind: int(value) for kind, value in exact.items()}
        if count >= len(counts):
            counts = {kind: max(1, n) for kind, n in counts.items()}
        by_remainder = sorted(exact, key=lambda kind: exact[kind] - int(exact[kind]), reverse=True)
        for kind in by_remainder:
            if sum(counts.values()) >= count:
                break
            counts[kind] += 1
        while sum(counts.values()) > count:  # the minimum of one took files from the largest kind
            counts[max(counts, key=counts.__getitem__)] -= 1
        return counts

    def sentence(self, count: int) -> str:
        counts = self.counts(count)
        return "; ".join(f"{counts[kind]} {kind} ({100 * share:g}%: {', '.join(KIND_FORMS[kind])}"
                         f"{f' at {SCAN_DPI} dpi' if kind == 'scan' else ''})" for kind, share in self.shares)


# A year's national collection: mostly PDF (what most offices publish), some report web pages, a few scans.
# The shares are an estimate (no count of the published forms exists), written down so runs compare.
MIXES = {"national": Mix((("PDF", 0.75), ("HTML", 0.22), ("scan", 0.03)))}


def write_mix(folder: Path, count: int, mix: Mix, seed: int = 11) -> Counter[str]:
    """`count` generated files in folder/<kind>/, shared out as `mix` says; the number of files per form."""
    for offset, (kind, n) in enumerate(mix.counts(count).items()):
        if n == 0:
            continue
        target = folder / kind
        forms = frozenset(KIND_FORMS[kind])
        if kind != "scan":
            write_corpus(target, n, seed=seed + offset, forms=forms)
            shutil.rmtree(target / "truth")
            continue
        source = folder / "scan-source"
        target.mkdir(parents=True)
        for path in write_corpus(source, n, seed=seed + offset, forms=forms):
            name = path.name.replace(f"_{KIND_FORMS['scan'][0]}.pdf", "_scan.pdf")
            (target / name).write_bytes(scanned(path.read_bytes()))
        shutil.rmtree(source)
    return Counter(match.group(1) for path in folder.rglob("gen_*") if (match := FORM_OF_NAME.match(path.name)))
