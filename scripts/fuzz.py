"""Build the hostile set of issues 12 and 22 and read each file through the budgeted workers; print tables.

    .venv/bin/python scripts/fuzz.py                # the full-size set (a few minutes; files in a temp folder)
    .venv/bin/python scripts/fuzz.py --small        # the cases at a tenth of the size; limits 10 s, 100 MB
    .venv/bin/python scripts/fuzz.py --dask         # the folder of issue 22 on a 2-worker LocalCluster too
    .venv/bin/python scripts/fuzz.py --database     # only the database file and command line cases (issue 22)

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
import itertools
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import duckdb  # noqa: E402
import hostile_builder as hb  # noqa: E402
from report_builder import sample_report, sample_table3  # noqa: E402

from govreport_core.extraction.limits import size_text  # noqa: E402
from govreport_core.extraction.pipeline import extract_bytes  # noqa: E402
from govreport_core.extraction.readers import office_convert  # noqa: E402
from govreport_core.service.workers import Budget, Job, WorkerPool  # noqa: E402
from govreport_core.store import Store, db  # noqa: E402


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


# --- the database file and the command line (issue 22.5–8) --------------------------------------------------

NOISE = ("Traceback", "nanobind", "leaked")


def _cli(*args: str, file_limit: int | None = None) -> subprocess.CompletedProcess[str]:
    def limit() -> None:  # every file the command writes may grow to `file_limit` bytes: a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    return subprocess.run([sys.executable, "-m", "govreport_core", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, preexec_fn=limit if file_limit else None)


def _told(proc: subprocess.CompletedProcess[str]) -> str:
    """What the command said last (progress bars left out), its exit status, and any library noise."""
    lines = [line.strip() for line in (proc.stderr + "\n" + proc.stdout).replace("\r", "\n").splitlines() if line.strip()]
    noise = sum(any(word in line for word in NOISE) for line in lines)
    said = next((line[line.index("error:"):] for line in lines if "error:" in line),
                next((line for line in reversed(lines) if not line.startswith("extracting")), ""))
    return f"exit {proc.returncode}: {said}" + (f" ({noise} lines of traceback or leak warnings)" if noise else "")


def _reports(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    agencies = ("株洲市芦淞区", "株洲市荷塘区", "株洲市石峰区", "株洲市天元区", "株洲市渌口区", "醴陵市", "攸县", "茶陵县")
    for n in range(count):  # 8 agencies × years from 2021 on
        title = f"{agencies[n % 8]}人民政府{2021 + n // 8}年政府信息公开工作年度报告"
        (folder / f"r{n:03}.html").write_text(sample_report("2021", title).render_html(), encoding="utf-8")
    return folder


def _changed(path: Path, *statements: str) -> Path:
    Store(path).close()
    with duckdb.connect(str(path)) as connection:
        for statement in statements:
            connection.execute(statement)
    return path


def _schema_1(path: Path) -> Path:
    full = db.MIGRATIONS
    db.MIGRATIONS = {1: full[1]}
    try:
        with Store(path) as store:
            store.query("INSERT INTO sources (sha256, file_name, ingested_at) VALUES ('x', 'a.html', now())")
            store.query("INSERT INTO reports (source_id, parser_version, agency, year) "
                        "SELECT source_id, 'old', '芦淞区人民政府', 2021 FROM sources")
    finally:
        db.MIGRATIONS = full
    return path


def database_cases(folder: Path) -> list[tuple[str, Callable[[], str]]]:
    inputs = _reports(folder / "in", 40)

    def ingest_and_copy() -> str:
        path = folder / "a.duckdb"
        Store(path).close()
        proc = _cli("ingest", str(inputs), "--db", str(path), "--workers", "1")
        wal = Path(f"{path}.wal").exists()
        shutil.copyfile(path, folder / "copy.duckdb")  # the .duckdb alone, as a backup would copy it
        with Store(folder / "copy.duckdb", read_only=True) as copy:
            kept = copy.report_count()
        return f"{_told(proc)}; .wal left: {'yes' if wal else 'no'}; the copy alone holds {kept} of 40 reports"

    def nothing_to_do() -> str:
        return _told(_cli("ingest", str(inputs), "--db", str(folder / "a.duckdb"), "--workers", "1"))

    def export_schema_1() -> str:
        path = _schema_1(folder / "v1.duckdb")
        proc = _cli("export", "--db", str(path), "--departments", "-o", str(folder / "v1.csv"))
        with Store(path, read_only=True) as store:
            return f"{_told(proc)}; now schema {store.schema_version()}"

    def refused(*statements: str) -> Callable[[], str]:
        def run() -> str:
            path = _changed(folder / f"x{len(statements)}{abs(hash(statements)) % 1000}.duckdb", *statements)
            return _told(_cli("ingest", str(inputs / "r000.html"), "--db", str(path), "--workers", "1"))
        return run

    def mistyped() -> str:
        proc = _cli("export", "--db", str(folder / "typo" / "g.duckdb"), "-o", str(folder / "t.csv"))
        return f"{_told(proc)}; folder made: {'yes' if (folder / 'typo').exists() else 'no'}"

    def export_full(fmt: str) -> Callable[[], str]:
        def run() -> str:
            target = folder / f"full.{fmt}"
            proc = _cli("export", "--db", str(folder / "a.duckdb"), "--long", "--format", fmt, "-o", str(target),
                        file_limit=20_000)
            left = sorted(p.name for p in folder.glob(f"*full.{fmt}*"))
            return f"{_told(proc)}; files left: {', '.join(left) or 'none'}"
        return run

    def ingest_full() -> str:
        path = folder / "full.duckdb"
        Store(path).close()
        more = _reports(folder / "more", 160)
        proc = _cli("ingest", str(more), "--db", str(path), "--workers", "1", "--batch-size", "10",
                    file_limit=path.stat().st_size + 700_000)
        with Store(path) as store:
            kept = store.report_count()
        again = _cli("ingest", str(more), "--db", str(path), "--workers", "1")
        return f"{_told(proc)}; kept {kept} of 160; the same command with space: {_told(again)}"

    def option(*args: str) -> Callable[[], str]:
        return lambda: _told(_cli("ingest", str(inputs), "--db", str(folder / "a.duckdb"), *args))

    def killed_conversion() -> str:
        if office_convert.soffice_path() is None:
            return "LibreOffice is not installed here"
        source = folder / "report.doc"
        source.write_bytes(_doc())
        work = folder / "office-tmp"
        work.mkdir(exist_ok=True)
        reader = subprocess.Popen(
            [sys.executable, "-c", "from pathlib import Path\nfrom govreport_core.extraction.readers import office_convert\n"
             f"office_convert.convert_to_docx(Path({str(source)!r}).read_bytes(), 'doc', timeout=600)\n"],
            cwd=ROOT, env={**os.environ, "TMPDIR": str(work)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not _naming(str(work), "soffice.bin") and time.monotonic() < deadline:
            time.sleep(0.1)
        for pid in _naming(str(work), "soffice.bin"):
            os.kill(pid, signal.SIGSTOP)  # frozen mid-conversion: it cannot end by itself
        reader.kill()  # as the worker pool stops a worker over its time
        reader.wait()
        time.sleep(5)
        left = _naming(str(work))
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        return (f"5 s after its reader was killed: {len(left)} LibreOffice processes left, "
                f"{len(list(work.glob('govreport-office-*')))} profile folders left")

    def numbers() -> str:
        html = sample_report("2021").render_html().replace("7730.28", "12345678901234.567891")
        path = folder / "n.duckdb"
        with Store(path) as store:
            store.save(extract_bytes(html.encode("utf-8"), "n.html"))
        out = folder / "n.csv"
        proc = _cli("export", "--db", str(path), "--departments", "--headers", "key", "-o", str(out))
        row = dict(zip(*[line.split(",") for line in out.read_text(encoding="utf-8-sig").splitlines()], strict=True))
        return (f"{_told(proc)}; CSV cells: applications_new {row['applications_new']}, admin_fees_amount_wan "
                f"{row['admin_fees_amount_wan']}")

    def orders() -> str:
        spec = sample_report("2021", "株洲市芦淞区人民政府2021年政府信息公开工作年度报告")
        files = [extract_bytes(spec.render_html().encode("utf-8"), "a.html")]
        spec.table3 = sample_table3("2021") | {"carried_to_next_year": [2, 1, 0, 0, 0, 0, 2]}  # a misprinted copy
        files.append(extract_bytes(spec.render_html().encode("utf-8"), "b.html"))
        files.append(extract_bytes(sample_report("2021").render_html().encode("utf-8"), "c.html"))  # 2022
        outcomes = set()
        for order in itertools.permutations(files):
            with Store() as store:
                for result in order:
                    store.save(result)
                outcomes.add((store.report_count(), store.query("SELECT count(*) AS n FROM findings WHERE rule = 'K5'")
                              ["n"].iloc[0]))
        return "; ".join(f"{reports} reports stand, {k5} K5 findings" for reports, k5 in sorted(outcomes)) + \
            f" (in all {len(list(itertools.permutations(files)))} orders)"

    return [
        ("ingest of 40 reports into a new database, then the .duckdb file copied alone", ingest_and_copy),
        ("ingest with nothing to do", nothing_to_do),
        ("export on a database of schema 1", export_schema_1),
        ("a database of schema version 99", refused("INSERT INTO schema_version VALUES (99)")),
        ("a schema version stored as text", refused("DROP TABLE schema_version",
                                                    "CREATE TABLE schema_version (version VARCHAR)",
                                                    "INSERT INTO schema_version VALUES ('4')")),
        ("a column renamed by hand (reports.agency)", refused("ALTER TABLE reports RENAME COLUMN agency TO organ")),
        ("export --db at a mistyped path", mistyped),
        ("CSV export onto a full disk (files limited to 20 kB)", export_full("csv")),
        ("XLSX export onto a full disk (files limited to 20 kB)", export_full("xlsx")),
        ("ingest of 160 reports onto a full disk (database file limited to 700 kB more)", ingest_full),
        ("--db-memory 0", option("--db-memory", "0")),
        ("--timeout nan", option("--timeout", "nan")),
        ("a .doc conversion whose reader is killed (soffice.bin frozen mid-conversion)", killed_conversion),
        ("export of 本年新收 25 and 行政事业性收费 12345678901234.567891 万元", numbers),
        ("a 2021 report, a misprinted copy of it and the 2022 report, saved in every order", orders),
    ]


def _doc() -> bytes:
    from report_builder import html_to_docx

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "in.docx").write_bytes(html_to_docx(sample_report("2021").render_html()))
        subprocess.run([str(office_convert.soffice_path()), f"-env:UserInstallation={(Path(tmp) / 'p').as_uri()}",
                        "--headless", "--convert-to", "doc:MS Word 97", "--outdir", tmp, str(Path(tmp) / "in.docx")],
                       check=True, capture_output=True, timeout=300, env={**os.environ, "HOME": tmp})
        return (Path(tmp) / "in.doc").read_bytes()


def _naming(text: str, name: str | None = None) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and text in (entry / "cmdline").read_bytes().decode("utf-8", "replace") and \
                    (name is None or (entry / "comm").read_text().strip() == name):
                pids.append(int(entry.name))
        except OSError:
            continue
    return pids


def run_database_cases() -> None:
    print("\n| case | outcome |")
    print("|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, case in database_cases(Path(tmp)):
            print(f"| {name} | {case().replace('|', '/')} |", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="a tenth of the sizes")
    parser.add_argument("--dask", action="store_true", help="the folder on a 2-worker Dask LocalCluster too")
    parser.add_argument("--database", action="store_true", help="only the database and command line cases")
    args = parser.parse_args()
    if args.database:
        run_database_cases()
        return 0
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
    run_database_cases()
    return 0


if __name__ == "__main__":
    sys.exit(main())
