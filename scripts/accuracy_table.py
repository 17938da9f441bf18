"""The README's accuracy table: each real form of ../shared beside the generated corpus's matching form.

    .venv/bin/python scripts/accuracy_table.py                 # about 5 min on a 2-core machine at load 10
    .venv/bin/python scripts/accuracy_table.py --count 170 --no-scan

Prints a markdown table (stdout) with one row per real form: the seeds (report pages saved as text), the real PDFs
and DOCX, each form of ../shared/real-text (told by `accuracy.form_of` from the truth's note), and a real PDF
scanned (`pdftoppm -r 200`, the pictures saved as an image-only PDF by Pillow, as tests/test_ocr.py does, read
through the budgeted worker with the default budget). Beside each: the corpus form made the same way
(`corpus OUT --count N --forms …`, then `accuracy`), scored by the same `accuracy.score_one`. Files not read
exactly are listed on stderr. Recall, precision and metadata as `python -m govreport_core accuracy` counts them.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from govreport_core.devtools.accuracy import Report, Score, run_accuracy, score_one, truth_pairs  # noqa: E402
from govreport_core.devtools.corpus.generate import write_corpus  # noqa: E402
from govreport_core.service.workers import WorkerPool  # noqa: E402

# (row label, which real files: folder and form, the corpus forms made the same way)
ROWS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("report pages saved as text (seeds: prose; 统计表 or 2019 tables one cell per line)", "seeds", "*",
     ("prose", "stats_flat", "flattened")),
    ("PDF with a text layer (WPS export, ruled tables)", "real-files", ".pdf", ("pdf_office",)),
    ("DOCX (a blank 2021 template: no figure may be invented)", "real-files", ".docx", ("docx",)),
    ("crawled page, 2019/2021 tables glued into one line", "real-text", "crawled, tables glued", ("glued",)),
    ("crawled old report, prose + glued 统计表", "real-text", "crawled, old (统计表 glued)", ("stats_glued",)),
    ("PDF converted to markdown (broken pipe tables)", "real-text", "PDF → markdown", ("md_broken",)),
    ("OCR markdown", "real-text", "OCR markdown", ("ocr_md",)),
    ("LibreOffice PDF of a report page (HTML → DOCX → PDF)", "real-text", "office PDF (LibreOffice)",
     ("pdf_lo_html",)),
    ("excerpts of report pages, mostly prose summaries", "real-text", "excerpt (text)", ("prose",)),
    ("real PDF scanned at 200 dpi (image-only PDF), default budget", "scan", "*", ()),
)


def real_reports(shared: Path) -> dict[str, list[Report]]:
    """Every real file's score, keyed by folder: the seeds', real-files' and real-text's."""
    out = {}
    for folder in ("seeds", "real-files", "real-text"):
        truth = shared / folder / "truth" if (shared / folder / "truth").is_dir() else shared / folder
        out[folder], _ = run_accuracy(truth, shared / folder)
    return out


def scanned_reports(shared: Path, names: list[str]) -> tuple[list[Report], float]:
    """Each named real PDF rasterised by pdftoppm at 200 dpi, rebuilt as a PDF of its pictures, read through the
    worker pool with the default budget; also the seconds per page."""
    reports, seconds, pages = [], 0.0, 0
    pairs = {path.stem: (path, truth) for path, truth in truth_pairs(shared / "real-files", shared / "real-files")}
    with tempfile.TemporaryDirectory() as work, WorkerPool(1) as pool:
        for name in names:
            path, truth = pairs[name]
            subprocess.run(["pdftoppm", "-r", "200", "-png", str(path), f"{work}/{name}"], check=True)
            images = [Image.open(p).convert("RGB") for p in sorted(Path(work).glob(f"{name}-*.png"))]
            data = io.BytesIO()
            images[0].save(data, "PDF", save_all=True, append_images=images[1:], resolution=200)
            start = time.perf_counter()
            (outcome,) = pool.imap([(f"{name}_scan.pdf", data.getvalue())])
            seconds += time.perf_counter() - start
            pages += len(images)
            score, problems = score_one(outcome.result.to_dict(), truth)
            reports.append(Report(f"{name}_scan.pdf", truth.get("format_era") or "?", "scan", score, problems))
    return reports, seconds / pages if pages else 0.0


def corpus_reports(count: int, seed: int) -> dict[str, list[Report]]:
    """The generated corpus in the forms the rows name, scored per form."""
    forms = frozenset(form for *_, corpus in ROWS for form in corpus)
    with tempfile.TemporaryDirectory() as folder:
        write_corpus(Path(folder), count, seed, forms)
        results, _ = run_accuracy(Path(folder) / "truth", Path(folder))
    grouped: dict[str, list[Report]] = defaultdict(list)
    for report in results:
        grouped[report.form].append(report)
    return grouped


def total(reports: list[Report]) -> Score:
    score = Score()
    for report in reports:
        score.add(report.score)
    return score


def cells(reports: list[Report]) -> str:
    if not reports:
        return "– | – | – | –"
    score = total(reports)
    return f"{score.reports} | {score.recall:.3f} | {score.precision:.3f} | {score.meta:.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--count", type=int, default=85, help="generated reports in all: 5 per era × form (17)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scan", default="hongze_2024", help="real-files PDFs to scan, comma-separated")
    parser.add_argument("--no-scan", action="store_true", help="leave the scanned row out (OCR takes about 10 s a page)")
    args = parser.parse_args()
    shared = Path(args.shared)
    start = time.perf_counter()
    real = real_reports(shared)
    lap = [f"real files {time.perf_counter() - start:.0f} s"]
    per_page = 0.0
    if not args.no_scan and shutil.which("pdftoppm") and shutil.which("tesseract"):
        real["scan"], per_page = scanned_reports(shared, [n for n in args.scan.split(",") if n])
        lap.append(f"scan {time.perf_counter() - start:.0f} s")
    corpus = corpus_reports(args.count, args.seed)
    lap.append(f"corpus {time.perf_counter() - start:.0f} s")
    print("| real form | files | recall | precision | metadata | generated form | reports | recall | precision | "
          "metadata |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for label, folder, which, corpus_forms in ROWS:
        mine = [r for r in real.get(folder, [])
                if which == "*" or r.form == which or Path(r.name).suffix == which]
        if folder == "scan":
            label += f", {per_page:.1f} s a page" if per_page else " (not run: --no-scan, or no pdftoppm/tesseract)"
        generated = [r for form in corpus_forms for r in corpus.get(form, [])]
        print(f"| {label} | {cells(mine)} | {' + '.join(f'`{f}`' for f in corpus_forms) or '–'} | {cells(generated)} |")
    everything = [r for reports in real.values() for r in reports]
    print(f"| **all real files** | {cells(everything)} | **all generated** | "
          f"{cells([r for reports in corpus.values() for r in reports])} |")
    load = os.getloadavg()
    print(f"\n{', '.join(lap)} (cumulative), load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}", file=sys.stderr)
    for report in everything + [r for reports in corpus.values() for r in reports]:
        if report.problems:
            print(f"not exact: {report.name} ({report.form}): " + "; ".join(report.problems[:6]), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
