"""Command line: parse argv, call the library, print, exit non-zero with a sentence on failure.

    python -m govreport_core extract --json report.html other.txt   # one JSON object per line
    python -m govreport_core extract report.html                     # a readable table
    python -m govreport_core extract --debug report.html             # normalised text, grids, layout
    python -m govreport_core ingest reports/ --workers 2             # files and folders into the database
    python -m govreport_core ingest reports/ --dask local --workers 4 # on a Dask LocalCluster of 4 processes
    python -m govreport_core ingest s3://bucket/reports/a.pdf --dask tcp://scheduler:8786
    python -m govreport_core bench --ingest --count 300              # ingest reports/s, saves/s, peak memory
    python -m govreport_core bench --ingest --mix national           # mostly PDF, some HTML, a few scans
    python -m govreport_core export --format csv --year 2019 -o out.csv
    python -m govreport_core rebuild-default                         # regenerate data/default from ../shared
    python -m govreport_core bench                                   # reports per second
    python -m govreport_core corpus /tmp/corpus --count 1000         # generated reports with truth files
    python -m govreport_core accuracy /tmp/corpus/truth              # recall/precision per era and form
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path

from govreport_core import catalog
from govreport_core.model import Result, TableTrace
from govreport_core.service.workers import Budget
from govreport_core.store.filters import add_arguments, from_args


def positive_int(text: str) -> int:
    """An argparse type: a whole number above 0 (argparse prints the sentence and exits 2 otherwise)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text} is not above 0")
    return value


def positive_float(text: str) -> float:
    """An argparse type: a finite number above 0 (nan and inf would switch a limit off)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text} is not a finite number above 0")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m govreport_core",
                                     description="Read 政府信息公开工作年度报告 files as data.")
    sub = parser.add_subparsers(dest="command", required=True)
    extract = sub.add_parser("extract", help="extract metadata and figures from report files")
    extract.add_argument("files", nargs="+", help="report files (.html .htm .txt .md)")
    extract.add_argument("--json", action="store_true", help="print one JSON object per file (JSON Lines)")
    extract.add_argument("--debug", action="store_true",
                         help="also print (to stderr) the grids, each table's layout, rows and placements, and the text")
    _budget_arguments(extract)
    accuracy = sub.add_parser("accuracy", help="recall and precision against a folder of truth files")
    accuracy.add_argument("truth_dir", help="folder of truth JSON files (the shape of ../shared/seeds/truth)")
    accuracy.add_argument("reports_dir", nargs="?", help="folder of the reports (default: the truth folder's parent)")
    accuracy.add_argument("--worst", type=positive_int, default=10, help="how many of the worst files to list")
    accuracy.add_argument("--by-form", action="store_true",
                          help="one line per form across eras (real files: ../shared/real-text ../shared/real-text)")
    corpus = sub.add_parser("corpus", help="write generated reports with known figures and their truth files")
    corpus.add_argument("out", help="output folder (truth files go to OUT/truth)")
    corpus.add_argument("--count", type=positive_int, default=1000)
    corpus.add_argument("--seed", type=int, default=1)
    corpus.add_argument("--text-only", action="store_true", help="only HTML and text forms (no PDF or DOCX)")
    corpus.add_argument("--forms", help="only these forms, comma-separated (e.g. pdf_office,pdf_office_plain,pdf_print)")
    ingest = sub.add_parser("ingest", help="extract files and folders into the database")
    ingest.add_argument("paths", nargs="+", help="report files or folders (searched recursively), or fsspec URLs")
    ingest.add_argument("--db", help="database file (default: $GOVREPORT_DB or data/govreport.duckdb)")
    ingest.add_argument("--workers", type=positive_int, default=2, help="extraction processes (default 2)")
    ingest.add_argument("--debug", action="store_true", help="log the traceback of a file that fails unexpectedly")
    _budget_arguments(ingest)
    ingest.add_argument("--dask", metavar="ADDRESS",
                        help="extract on Dask: 'local' starts a LocalCluster of --workers processes; "
                             "tcp://host:8786 uses a running scheduler")
    ingest.add_argument("--batch-size", type=positive_int, default=500, help="reports saved per transaction (default 500)")
    ingest.add_argument("--db-memory", type=positive_int, default=128, metavar="MB",
                        help="the database's memory while writing (default 128; it spills to disk beyond)")
    export = sub.add_parser("export", help="write a filtered table as CSV, XLSX, Parquet or JSON")
    export.add_argument("--format", choices=("csv", "xlsx", "parquet", "json"), default="csv")
    export.add_argument("-o", "--output", required=True, help="output file (never the database; an existing file "
                                                                 "only with --force)")
    export.add_argument("--force", action="store_true", help="overwrite an existing output file")
    export.add_argument("--db", help="database file (default: $GOVREPORT_DB or data/govreport.duckdb); it must exist")
    export.add_argument("--long", action="store_true", help="one row per report and metric (default: one per report)")
    export.add_argument("--headers", choices=("zh", "en", "key"), default="zh",
                        help="Chinese labels, English labels or metric keys")
    export.add_argument("--year", type=int, help="one data year (the same as --from YEAR --to YEAR)")
    add_arguments(export)  # every filter's flag, from the one table in filters.py
    rebuild = sub.add_parser("rebuild-default", help="regenerate data/default from ../shared")
    rebuild.add_argument("--shared", help="the shared folder (default: ../shared beside the project)")
    scale = sub.add_parser("scale", help="build a large database of plausible reports and time every page query")
    scale.add_argument("--db", required=True, help="database file to build (or to benchmark with --bench-only)")
    scale.add_argument("--reports", type=positive_int, default=100_000)
    scale.add_argument("--bench-only", action="store_true")
    bench = sub.add_parser("bench", help="print reports per second over a mixed set of inputs")
    bench.add_argument("--seconds", type=positive_float, default=3.0, help="how long to measure each input set")
    bench.add_argument("--ingest", action="store_true",
                       help="instead: ingest generated reports with 1 and 2 workers and a 2-worker LocalCluster")
    bench.add_argument("--count", type=positive_int, default=300, help="generated reports for --ingest (default 300)")
    bench.add_argument("--all-forms", action="store_true", help="--ingest on PDF and DOCX forms too (slower files)")
    bench.add_argument("--mix", metavar="NAME",
                       help="--ingest on files mixed as a collection: national (75%% PDF, 22%% HTML, 3%% scans)")
    bench.add_argument("--keep", type=Path, metavar="FOLDER",
                       help="--ingest: keep the generated files in FOLDER, or read them again from it if a run made them")
    bench.add_argument("files", nargs="*", help="extra report files to include")
    return parser


def _budget_arguments(parser: argparse.ArgumentParser) -> None:
    """Per-file limits (budget.py); sizes in MB of 1,000,000 bytes."""
    default = Budget()
    parser.add_argument("--max-size", type=positive_float, default=default.max_file_mb, metavar="MB",
                        help=f"refuse files larger than this many MB (default {default.max_file_mb:g})")
    parser.add_argument("--timeout", type=positive_float, default=default.seconds, metavar="SECONDS",
                        help=f"stop reading a file after this many seconds (default {default.seconds:g})")
    parser.add_argument("--memory", type=positive_int, default=default.memory_mb, metavar="MB",
                        help=f"memory one file's extraction may use (default {default.memory_mb}, i.e. 1 GB)")


def _budget(args: argparse.Namespace) -> Budget:
    return Budget(seconds=args.timeout, memory_mb=args.memory, max_file_mb=args.max_size,
                  expanded_mb=max(Budget().expanded_mb, args.memory))


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if getattr(args, "debug", False):  # tracebacks of files that fail unexpectedly (budget.py logs them)
        import logging

        logging.basicConfig(level=logging.WARNING, format="%(message)s")
        logging.getLogger("govreport_core.service.workers").setLevel(logging.DEBUG)
    try:
        if args.command == "extract":
            return _extract(args)
        if args.command == "accuracy":
            return _accuracy(args)
        if args.command == "scale":
            from govreport_core.devtools.scale import run_scale

            if args.bench_only and not Path(args.db).is_file():
                print(f"error: there is no database at {args.db} to benchmark; build one without --bench-only.",
                      file=sys.stderr)
                return 1
            return run_scale(Path(args.db), args.reports, args.bench_only)
        if args.command in ("ingest", "export", "rebuild-default"):
            return _database_command(args)
        if args.command == "corpus":
            return _corpus(args)
        if args.ingest or args.mix:  # a mix is only for --ingest
            from govreport_core.devtools.bench import run_ingest_bench

            return run_ingest_bench(args.count, all_forms=args.all_forms, mix=args.mix, keep=args.keep)
        from govreport_core.devtools.bench import run_bench

        return run_bench(args.files, args.seconds)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _extract(args: argparse.Namespace) -> int:
    from pathlib import Path

    from govreport_core.service.workers import extract_jobs

    failed = False
    for path, result in zip(args.files, extract_jobs([Path(p) for p in args.files], _budget(args)), strict=True):
        failed = failed or result.error is not None
        if args.debug and result.error is None:  # re-read here only what the budgeted worker could read
            _print_debug(path, result)
        if args.json:
            print(json.dumps(result.to_dict(), ensure_ascii=False), flush=True)
        else:
            print(format_result(result))
    return 1 if failed else 0


def _database_command(args: argparse.Namespace) -> int:
    import os

    from govreport_core.service.export import ExportError
    from govreport_core.store import StoreError, default_db_path

    try:
        if args.command == "rebuild-default":
            from govreport_core.devtools.default_build import rebuild_default
            from govreport_core.service.default_data import ROOT

            for path in rebuild_default(Path(args.shared) if args.shared else ROOT.parent / "shared"):
                print(f"wrote {path}")
            return 0
        from govreport_core.service.default_data import open_store

        if args.command == "ingest":
            # Shared: the dashboard may read between this run's writes; this run waits as long as it must.
            with open_store(args.db, shared=True, read_wait=None) as store:
                return _ingest(store, args)
        problem = _export_target_problem(Path(args.output), Path(args.db or default_db_path()), args.force)
        if problem:
            print(f"error: {problem}", file=sys.stderr)
            return 1
        # A path named (--db, $GOVREPORT_DB) must exist: a typo must not make a new demo database and export it.
        with open_store(args.db, read_only=True, must_exist=bool(args.db or os.environ.get("GOVREPORT_DB"))) as store:
            return _export(store, args)
    except (StoreError, ExportError, FileNotFoundError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _export_target_problem(output: Path, database: Path, force: bool) -> str | None:
    """Why `export -o output` must not write there: the database itself (or its WAL), or any existing file
    without --force. Nothing a user has is overwritten by a slip of the -o argument."""
    import os

    for protected in (database, database.with_name(database.name + ".wal")):
        if output.resolve() == protected.resolve() or (
                output.exists() and protected.exists() and os.path.samefile(output, protected)):
            return f"{output} is the database file; export to another file."
    if output.exists() and not force:
        return f"{output} already exists; add --force to overwrite it."
    if output.exists() and not output.is_file():
        return f"{output} is not a regular file."
    return None


def _ingest(store, args: argparse.Namespace) -> int:
    from govreport_core.service.ingest import IngestError, close_dask, connect_dask, ingest, terminal_progress

    store.limit_memory(args.db_memory)  # the writer's memory stays flat however many files are ingested
    progress = terminal_progress()
    try:
        client = connect_dask(args.dask, args.workers) if args.dask else None  # before any work starts
        try:
            summary = ingest(store, args.paths, workers=max(1, args.workers), progress=progress,
                             budget=_budget(args), client=client, batch_size=max(1, args.batch_size))
        finally:
            progress.close()  # before any sentence: a run stopped early ends with the sentence, not the bar
            if client is not None:
                close_dask(client)
    except IngestError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(summary.sentence())
    for note in summary.notes():
        print(f"  {note}")
    for name, reason in summary.failed:
        print(f"  failed: {name}: {reason}")
    if summary.failed_count > len(summary.failed):
        print(f"  … and {summary.failed_count - len(summary.failed)} more (all in the database's failures table)")
    return 1 if summary.failed_count else 0


def _export(store, args: argparse.Namespace) -> int:
    from govreport_core.service.export import export_bytes, faithful, write_file
    from govreport_core.store import queries

    if args.year is not None:
        setattr(args, "from", args.year)
        args.to = args.year
    parsed = from_args(args)
    for problem in parsed.problems:
        print(f"warning: {problem}", file=sys.stderr)
    filters = parsed.filters
    frame = faithful(queries.figures(store, filters) if args.long else queries.wide(store, filters), store)
    write_file(Path(args.output), export_bytes(frame, args.format, args.headers))  # whole or not at all
    print(f"wrote {len(frame)} rows ({filters.describe()}) to {args.output}")
    return 0


def _accuracy(args: argparse.Namespace) -> int:
    from pathlib import Path

    from govreport_core.devtools.accuracy import print_accuracy, run_accuracy

    truth_dir = Path(args.truth_dir)
    if not truth_dir.is_dir():
        print(f"No such folder: {truth_dir}", file=sys.stderr)
        return 2
    results, timing = run_accuracy(truth_dir, Path(args.reports_dir) if args.reports_dir else None)
    if not results:
        print(f"No report found for the truth files in {truth_dir}.", file=sys.stderr)
        return 1
    print_accuracy(results, timing, args.worst, by_form=args.by_form)
    return 0


def _corpus(args: argparse.Namespace) -> int:
    import time
    from pathlib import Path

    from govreport_core.devtools.corpus.generate import NEW_FORMS, OLD_FORMS, TEXT_FORMS, write_corpus
    from govreport_core.devtools.corpus.office_pdf import ConvertError

    forms = TEXT_FORMS if args.text_only else None
    if args.forms:
        forms = frozenset(f.strip() for f in args.forms.split(",") if f.strip())
        unknown = sorted(forms - {*NEW_FORMS, *OLD_FORMS})
        if unknown:
            print(f"Unknown form(s): {', '.join(unknown)}; the forms are {', '.join((*NEW_FORMS, *OLD_FORMS))}.",
                  file=sys.stderr)
            return 2
    start = time.perf_counter()
    try:
        paths = write_corpus(Path(args.out), args.count, args.seed, forms)
    except ConvertError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"Wrote {len(paths)} reports and their truth files to {args.out} in {time.perf_counter() - start:.1f} s.")
    return 0


def format_result(result: Result) -> str:
    """A readable summary: metadata, then every figure with its Chinese label."""
    data = result.to_dict()
    lines = [f"== {result.source.file}"]
    if result.error:
        lines.append(f"error: {result.error}")
        return "\n".join(lines)
    for key, value in data["report"].items():
        lines.append(f"  {key:<11} {value if value is not None else '—'}")
    lines.append(f"  {'figures':<11} {len(data['metrics'])}")
    for key, value in data["metrics"].items():
        mark = " (derived)" if key in data["derived"] else ""
        lines.append(f"    {catalog.label(key):<36} {key:<34} {value}{mark}")
    for applicant_key, by_applicant in data["breakdown"].items():
        parts = ", ".join(f"{catalog.APPLICANT_LABELS[a]} {v}" for a, v in by_applicant.items())
        lines.append(f"    {catalog.label(applicant_key)}按申请人: {parts}")
    for finding in data["findings"]:
        lines.append(f"  [{finding['severity']}] {finding['rule']}: {finding['message']}")
    return "\n".join(lines)


def format_trace(trace: TableTrace) -> list[str]:
    """How one table was read: its layout, its rows (key or —), each value's placement, what was left out."""
    lines = [f"--- {trace.table}: layout {trace.layout!r}, {sum(r.key is not None for r in trace.rows)} of "
             f"{len(trace.rows)} rows keyed"]
    for row in trace.rows:
        lines.append(f"  [{row.key or '—'}] {row.label} | " + " | ".join(row.cells))
    placed: dict[str, list[str]] = {}
    applicant_rows = {p.key for p in trace.placements if p.applicant is not None}
    for p in trace.placements:
        if p.applicant is None and p.key in applicant_rows:
            continue  # the 总计 column again, as the row's own figure
        name = catalog.APPLICANT_LABELS[p.applicant] if p.applicant else ""
        placed.setdefault(p.key, []).append(f"{name}{p.value} ({p.how})")
    counts = {how: sum(p.how == how for p in trace.placements) for how in ("position", "arithmetic", "convention")}
    lines.append("  placed: " + ", ".join(f"{how} {n}" for how, n in counts.items()))
    lines += [f"    {key}: " + ", ".join(values) for key, values in placed.items()]
    lines += [f"  left out {', '.join(o.keys) or '—'}: {o.reason}" for o in trace.left_out]
    return lines


def _print_debug(path: str, result: Result) -> None:
    from pathlib import Path

    from govreport_core.extraction.layouts import classify_grid, detect_era
    from govreport_core.extraction.normalise import build_document
    from govreport_core.extraction.readers import read_report

    try:
        doc = build_document(read_report(Path(path).read_bytes(), path))
    except Exception as exc:
        print(f"(debug: {exc})", file=sys.stderr)
        return
    era = detect_era(doc)
    print(f"--- {path}: format={doc.format} encoding={doc.encoding} era={era.value if era else None}", file=sys.stderr)
    for i, grid in enumerate(doc.grids):
        print(f"--- grid {i} ({classify_grid(grid)}), {len(grid.rows)}x{grid.width}", file=sys.stderr)
        for row in grid.rows:
            print("  " + " | ".join(cell.text for cell in row), file=sys.stderr)
    for trace in result.tables:
        print("\n".join(format_trace(trace)), file=sys.stderr)
    print("--- text", file=sys.stderr)
    print(doc.text, file=sys.stderr)
