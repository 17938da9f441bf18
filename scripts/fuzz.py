"""Build the hostile set of issues 12 and 22 and read each file through the budgeted workers; print tables.

    .venv/bin/python scripts/fuzz.py                # the full-size set (a few minutes; files in a temp folder)
    .venv/bin/python scripts/fuzz.py --small        # the cases at a tenth of the size; limits 10 s, 100 MB
    .venv/bin/python scripts/fuzz.py --dask         # the folder of issue 22 on a 2-worker LocalCluster too

Root reads any folder: to see a folder it cannot list refused as a user's run would, drop that power with
`setpriv --bounding-set=-dac_override,-dac_read_search .venv/bin/python scripts/fuzz.py`.

Each case gets a fresh worker, so "peak MB" is that worker's peak resident size (its idle size included);
"—" when the worker was stopped (time or memory) or died. Then a folder holding issue 22's paths (a FIFO, a
link to /dev/zero, a sparse 20 GB file, a folder it cannot list, names that are not UTF-8 or hold a newline,
the expansion bombs and six good reports) goes through `ingest` itself, driver included, on the local engine
(and with --dask on a LocalCluster): every path with its outcome, and the run's seconds. The last line is this
process's own peak: the expansion never happens here.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import hostile_builder as hb  # noqa: E402
from report_builder import sample_report  # noqa: E402

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
        # issue 22
        (f"DOCX of dense text inflating to {450 * scale:g} MB (below every expansion limit)",
         lambda: file("dense.docx", hb.docx_dense(450 * scale))),
        ("text with a glued table-3 row of 600 digits", lambda: file("glued.txt", hb.glued_digits(600))),
        ("sparse file of 20 GB named .txt", lambda: sparse(folder / "sparse.txt")),
        ("good report named with bytes that are not UTF-8", lambda: file(os.fsdecode(b"\xff\xfe.html"),
                                                                            hb.good_report().encode())),
        *scan_cases(folder),
    ]


def sparse(path: Path) -> Path:
    with path.open("wb") as handle:
        handle.truncate(20_000_000_000)
    return path


def scan_cases(folder: Path) -> list[tuple[str, Callable[[], Job]]]:
    """A real report's five pages as page images only (a scan), when ../shared is beside the project."""
    real = ROOT.parent / "shared" / "real-files" / "hongze_2024.pdf"
    if not real.exists():
        return []

    def build() -> Path:
        import io

        import pypdfium2

        document = pypdfium2.PdfDocument(real.read_bytes())
        images = [document[n].render(scale=200 / 72, grayscale=True).to_pil().convert("L") for n in range(len(document))]
        out = io.BytesIO()
        images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=200)
        (folder / "scan.pdf").write_bytes(out.getvalue())
        return folder / "scan.pdf"

    return [("scan of 5 pages (hongze_2024 at 200 DPI): OCR, deadline 30 s + 15 s a page", build)]


def hostile_folder(folder: Path, scale: float) -> Path:
    """Issue 22's folder: every kind of path the driver meets, the bombs, and six good reports."""
    folder.mkdir()
    for n in range(6):
        title = f"株洲市荷塘区人民政府{2016 + n}年政府信息公开工作年度报告"
        (folder / f"good_{n}.html").write_text(sample_report("2021", title=title).render_html(), encoding="utf-8")
    (folder / os.fsdecode(b"not-utf8-\xff\xfe.html")).write_bytes(hb.good_report().replace("2022年", "2015年").encode())
    (folder / "new\nline.html").write_bytes(hb.good_report().replace("2022年", "2014年").encode())
    (folder / "flate900.pdf").write_bytes(hb.pdf_flate_bomb(900 * scale))
    (folder / "dense.docx").write_bytes(hb.docx_dense(450 * scale))
    (folder / "glued.txt").write_bytes(hb.glued_digits(600))
    hb.fifo(folder, "pipe.html")
    hb.zero_symlink(folder, "zero.html")
    sparse(folder / "sparse.txt")
    locked = folder / "locked"
    locked.mkdir()
    (locked / "inside.html").write_bytes(hb.good_report().encode())
    locked.chmod(0)  # unreadable to anyone but root (run as root, the folder is read)
    return folder


def ingest_folder(folder: Path, budget: Budget, dask: bool) -> None:
    from govreport_core.service.ingest import close_dask, connect_dask, ingest
    from govreport_core.store import Store

    client = connect_dask("local", 2) if dask else None
    outcomes: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "fuzz.duckdb")
        start = time.perf_counter()
        summary = ingest(store, [folder], workers=2, budget=budget, client=client, batch_size=1,
                         progress=lambda done, total, name: outcomes.setdefault(name, f"{time.perf_counter() - start:.1f}"))
        seconds = time.perf_counter() - start
        store.close()
    if client is not None:
        close_dask(client)
    failed = {Path(name).name: reason for name, reason in summary.failed}
    print(f"\n`ingest` of the folder, {'a 2-worker Dask LocalCluster' if dask else '2 local workers'}: "
          f"{summary.sentence()} in {seconds:.1f} s\n")
    print("| path | done at (s) | outcome |")
    print("|---|---|---|")
    for name in sorted({*outcomes, *failed}):
        print(f"| {name} | {outcomes.get(name, '—')} | {failed.get(name, 'saved')} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="a tenth of the sizes")
    parser.add_argument("--dask", action="store_true", help="the folder on a 2-worker Dask LocalCluster too")
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
        scale = 0.1 if args.small else 1.0
        folder = hostile_folder(Path(tmp) / "folder", scale)
        try:
            for dask in (False, True) if args.dask else (False,):
                ingest_folder(folder, budget, dask)
        finally:
            (folder / "locked").chmod(0o755)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000
    print(f"\nthis process's peak resident size: {own:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
