"""Build the hostile set of issue 12 and read each file through the budgeted workers; print a table.

    .venv/bin/python scripts/fuzz.py                # the full-size set (about a minute; files in a temp folder)
    .venv/bin/python scripts/fuzz.py --small        # the cases at a tenth of the size; limits 10 s, 100 MB

Each case gets a fresh worker, so "peak MB" is that worker's peak resident size (its idle size included);
"—" when the worker was stopped (time) or died (memory). The last line is this process's own peak: the
expansion never happens here.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import hostile_builder as hb  # noqa: E402

from govreport_core.extraction.limits import size_text  # noqa: E402
from govreport_core.service.workers import Budget, Job, WorkerPool  # noqa: E402


def cases(folder: Path, scale: float) -> list[tuple[str, Callable[[], Job]]]:
    def file(name: str, data: bytes) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return [
        ("good report (HTML)", lambda: file("good.html", hb.good_report().encode())),
        ("HTML 200×200 cells, rowspan/colspan 200", lambda: file("spans.html", hb.html_span_bomb(200, 200))),
        ("DOCX gridSpan 999999999", lambda: file("gridspan.docx", hb.docx_gridspan("999999999"))),
        ('DOCX gridSpan "abc"', lambda: file("gridspan_abc.docx", hb.docx_gridspan("abc"))),
        (f"DOCX document.xml inflating to {420 * scale:g} MB",
         lambda: file("inflate.docx", hb.docx_inflating(420 * scale))),
        (f"PDF Flate stream of {1500 * scale:g} MB", lambda: file("flate.pdf", hb.pdf_flate_bomb(1500 * scale))),
        (f"PDF Flate stream of {900 * scale:g} MB (under the expansion limit: the time or memory budget stops it)",
         lambda: file("flate900.pdf", hb.pdf_flate_bomb(900 * scale))),
        (f"PDF of {int(2000 * scale)} pages", lambda: file("pages.pdf", hb.pdf_pages(int(2000 * scale)))),
        ("PDF with a password", lambda: file("locked.pdf", hb.pdf_encrypted())),
        ("symlink to /dev/zero named .html", lambda: hb.zero_symlink(folder)),
        ("FIFO named .html", lambda: hb.fifo(folder)),
        ("text file of 60 MB (limit 50 MB)", lambda: file("big.txt", b"x" * 60_000_000)),
        ("random bytes named .docx", lambda: file("random.docx", bytes(range(256)) * 64)),
        ("empty upload", lambda: ("empty.html", b"")),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="a tenth of the sizes")
    args = parser.parse_args()
    budget = Budget(seconds=10, memory_mb=100, expanded_mb=100) if args.small else Budget()
    print(f"budget: {budget.seconds:g} s, {size_text(budget.memory_bytes)} memory, files up to "
          f"{size_text(budget.max_file_bytes)}, {budget.max_pages} PDF pages, {budget.max_grid_cells:,} cells a table\n")
    print("| case | file | seconds | peak MB | outcome |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, build in cases(Path(tmp), 0.1 if args.small else 1.0):
            job = build()
            size = len(job[1]) if isinstance(job, tuple) else job.lstat().st_size if job.is_symlink() or \
                not job.is_file() else job.stat().st_size
            start = time.perf_counter()
            with WorkerPool(1, budget) as pool:
                (outcome,) = list(pool.imap([job]))
            seconds = time.perf_counter() - start
            result = outcome.result
            told = result.error or (f"read: {len(result.figures)} figures, "
                                    f"{result.meta.agency if result.meta else ''}")
            peak = f"{outcome.peak_mb:.0f}" if outcome.peak_mb else "—"
            print(f"| {name} | {size_text(size)} | {seconds:.2f} | {peak} | {told} |", flush=True)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000
    print(f"\nthis process's peak resident size: {own:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
