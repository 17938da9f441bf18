"""Scanned PDFs: seconds per page of OCR, the engines' accuracy on table cells, and a worker's peak memory.

    .venv/bin/python scripts/bench_ocr.py             # s/page over the shared real PDFs as 200 dpi scans
    .venv/bin/python scripts/bench_ocr.py --dpi 300 --grey
    .venv/bin/python scripts/bench_ocr.py --cells     # the README's engine table: numeric table cells
    .venv/bin/python scripts/bench_ocr.py --worker    # through the budgeted worker: peak RSS per page count

Scans are made here, never stored: each page of ../shared/real-files/*.pdf rendered by pdfium at the DPI and
saved by Pillow as an image-only PDF (as `pdftoppm -r 200` and a PDF of its pictures would be).
Speed: read in this process pinned to one core (the engines run one thread each; Tesseract's children
inherit the pin), after the recogniser is loaded (a worker loads it at its start); CPU = this process and
Tesseract's, wall as measured; `uptime` is printed, since the machine is shared.
Cells: the cells of hongze_2024 pp. 3–4 and huaian_city_2024 pp. 4–5 whose text (in the PDF's own text
layer, the truth) is a number: right / wrong / left out for each engine alone and for the reader's choice.
Worker: scans of 1–30 pages (the real pages in turn) through `WorkerPool` with the default budget.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pypdfium2
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "real-files"
FILES = ("hongze_2024", "huaian_city_2024", "hongze_2023")
CELL_PAGES = (("hongze_2024", (3, 4)), ("huaian_city_2024", (4, 5)))
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")

from govreport_core.devtools.corpus import scans  # noqa: E402
from govreport_core.extraction.readers import ocr, ocr_engines, ocr_grid  # noqa: E402


def page_images(name: str, dpi: int, grey: bool) -> list[Image.Image]:
    return scans.page_images((SHARED / f"{name}.pdf").read_bytes(), dpi, grey)


def cpu() -> float:
    return sum(tesseract_cpu())


def tesseract_cpu() -> tuple[float, float]:
    """CPU seconds of this process, and of its finished children (the Tesseract runs)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def speed(dpi: int, grey: bool) -> None:
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    ocr_engines.preload()
    print(load())
    pages = cpu_total = wall_total = tesseract = 0.0
    for name in FILES:
        data = scans.image_pdf(page_images(name, dpi, grey), dpi)
        (own, children), start = tesseract_cpu(), time.perf_counter()
        document = ocr.read_scanned_pdf(data)
        wall = time.perf_counter() - start
        spent, tesseract = cpu() - own - children, tesseract + tesseract_cpu()[1] - children
        count = max(document.block_pages or [1])
        pages, cpu_total, wall_total = pages + count, cpu_total + spent, wall_total + wall
        print(f"{name}: {count} pages at {dpi} dpi{' grey' if grey else ''}: {spent / count:.2f} s CPU/page, "
              f"{wall / count:.2f} s wall/page")
    print(f"all: {pages:.0f} pages, {cpu_total / pages:.2f} s CPU/page (Tesseract {tesseract / pages:.2f}), "
          f"{wall_total / pages:.2f} s wall/page (one core)")
    print(load())


def cells() -> None:
    """Numeric cells: the truth from the text layer, each engine's reading, and the reader's choice."""
    import pdfplumber

    tesseract = ocr_engines.tesseract()
    tally = {"Tesseract chi_sim, the cells on one sheet": [0, 0, 0],
             "Tesseract eng, digits only, the cells on one sheet": [0, 0, 0],
             "RapidOCR recogniser, each cell (at 320 px)": [0, 0, 0],
             "RapidOCR recogniser, each cell only as wide as its ink": [0, 0, 0], "as read here": [0, 0, 0]}
    wrong: list[str] = []
    for name, numbers in CELL_PAGES:
        with pdfplumber.open(SHARED / f"{name}.pdf") as pdf:
            document = pypdfium2.PdfDocument(str(SHARED / f"{name}.pdf"))
            for number in numbers:
                chars = pdf.pages[number - 1].chars
                pixels = np.array(document[number - 1].render(scale=ocr.DPI / 72, grayscale=True).to_numpy())
                tables, clean = ocr_grid.find_tables(ocr_grid.level(pixels), ocr.DPI)
                crops = [crop for table in tables for crop in ocr_grid.cell_crops(clean, table)]
                truths = [_truth(chars, table, cell) for table in tables for cell in table.cells]
                chosen = [cell.text for grid in ocr._read_tables(tesseract, clean, tables, number, [])
                          for row in grid.rows for cell in row]  # type: ignore[union-attr]
                picked = [i for i, truth in enumerate(truths) if _NUMBER.match(truth) and crops[i] is not None]
                sheet = ocr_engines.read_sheet(tesseract, [crops[i] for i in picked])  # type: ignore[misc]
                digits = ocr_engines.read_sheet(tesseract, [crops[i] for i in picked], digits=True)  # type: ignore[misc]
                readings = ocr_engines.recognise([crops[i] for i in picked])  # type: ignore[misc]
                narrow = ocr_engines.recognise([crops[i] for i in picked], min_width=0)  # type: ignore[misc]
                for k, i in enumerate(picked):
                    tess = ocr_engines.joined(sheet[k]).replace(" ", "")
                    digit = "".join(w.text for w in digits[k])
                    rapid = readings[k].text if readings[k].certainty >= ocr.MIN_SCORE else ""
                    tight = narrow[k].text if narrow[k].certainty >= ocr.MIN_SCORE else ""
                    for engine, text in zip(tally, (tess, digit, rapid, tight, chosen[i]), strict=True):
                        tally[engine][0 if text == truths[i] else 2 if not text else 1] += 1
                        if text and text != truths[i]:
                            wrong.append(f"{engine}: {name} p.{number} {truths[i]!r} read as {text!r}")
            document.close()
    print("| engine | right | wrong | left out |\n|---|---|---|---|")
    for engine, (right, bad, out) in tally.items():
        print(f"| {engine} | {right} | {bad} | {out} |")
    print("\n".join(wrong))


def _truth(chars: list[dict], table: ocr_grid.Table, cell: tuple[int, int, int, int]) -> str:
    r, c, rowspan, colspan = cell
    scale = 72 / ocr.DPI
    x0, x1 = table.xs[c] * scale, table.xs[c + colspan] * scale
    y0, y1 = table.ys[r] * scale, table.ys[r + rowspan] * scale
    inside = [ch for ch in chars if x0 < (ch["x0"] + ch["x1"]) / 2 < x1 and y0 < (ch["top"] + ch["bottom"]) / 2 < y1]
    return "".join(ch["text"] for ch in sorted(inside, key=lambda ch: (round(ch["top"]), ch["x0"]))).strip()


def worker(counts: list[int], seconds: float | None) -> None:
    """Scans written to files first, so the worker forked from this process inherits no page images."""
    import gc
    import tempfile
    from dataclasses import replace

    from govreport_core.service.workers import DEFAULT_BUDGET, WorkerPool

    budget = replace(DEFAULT_BUDGET, seconds=seconds) if seconds else DEFAULT_BUDGET
    with tempfile.TemporaryDirectory() as work:
        paths = []
        for count in counts:
            pages = [image for name in FILES for image in page_images(name, ocr.DPI, False)]
            path = Path(work) / f"scan_{count}_pages.pdf"
            path.write_bytes(scans.image_pdf([pages[i % len(pages)] for i in range(count)], ocr.DPI))
            paths.append(path)
            del pages
            gc.collect()
        print(load())
        print(f"budget: {budget.seconds:g} s, {budget.memory_mb} MB")
        with WorkerPool(1, budget) as pool:
            for count, path in zip(counts, paths, strict=True):
                (outcome,) = pool.imap([path])
                result = outcome.result
                print(f"{count} pages: {outcome.seconds:.1f} s ({outcome.seconds / count:.2f} s/page), worker peak "
                      f"RSS {outcome.peak_mb or 0:.0f} MB, {len(result.figures)} figures"
                      f"{', error: ' + result.error if result.error else ''}")
    print(load())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--grey", action="store_true", help="grey page images (default colour)")
    parser.add_argument("--cells", action="store_true", help="the engines on numeric table cells")
    parser.add_argument("--worker", action="store_true", help="through the budgeted worker, peak RSS")
    parser.add_argument("--counts", type=int, nargs="+", default=[1, 5, 10, 20, 30])
    parser.add_argument("--seconds", type=float, help="--worker: the time budget instead of the default")
    args = parser.parse_args()
    if args.cells:
        cells()
    elif args.worker:
        worker(args.counts, args.seconds)
    else:
        speed(args.dpi, args.grey)


if __name__ == "__main__":
    main()
