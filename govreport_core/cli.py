"""Command line: parse argv, call the library, print, exit non-zero with a sentence on failure.

    python -m govreport_core extract --json report.html other.txt   # one JSON object per line
    python -m govreport_core extract report.html                     # a readable table
    python -m govreport_core extract --debug report.html             # normalised text, grids, layout
    python -m govreport_core ingest reports/ --workers 2             # files and folders into the database
    python -m govreport_core ingest reports/ --dask local --workers 4 # on a Dask LocalCluster of 4 processes
    python -m govreport_core ingest s3://bucket/reports/a.pdf --dask tcp://scheduler:8786
    python -m govreport_core bench --ingest --count 300              # ingest reports/s, saves/s, peak memory
    python -m govreport_core export --format csv --year 2019 -o out.csv
    python -m govreport_core rebuild-default                         # regenerate data/default from ../shared
    python -m govreport_core bench                                   # reports per second
    python -m govreport_core corpus /tmp/corpus --count 1000         # generated reports with truth files
    python -m govreport_core accuracy /tmp/corpus/truth              # recall/precision per era and form
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from . import catalog
from .model import Result
from .read import DEFAULT_MAX_BYTES


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m govreport_core",
                                     description="Read 政府信息公开工作年度报告 files as data.")
    sub = parser.add_subparsers(dest="command", required=True)
    extract = sub.add_parser("extract", help="extract metadata and figures from report files")
    extract.add_argument("files", nargs="+", help="report files (.html .htm .txt .md)")
    extract.add_argument("--json", action="store_true", help="print one JSON object per file (JSON Lines)")
    extract.add_argument("--debug", action="store_true", help="also print the normalised text, grids and layout")
    extract.add_argument("--max-size", type=float, default=DEFAULT_MAX_BYTES / 1e6, metavar="MB",
                         help="refuse files larger than this many megabytes (default 50)")
    accuracy = sub.add_parser("accuracy", help="recall and precision against a folder of truth files")
    accuracy.add_argument("truth_dir", help="folder of truth JSON files (the shape of ../shared/seeds/truth)")
    accuracy.add_argument("reports_dir", nargs="?", help="folder of the reports (default: the truth folder's parent)")
    accuracy.add_argument("--worst", type=int, default=10, help="how many of the worst files to list")
    corpus = sub.add_parser("corpus", help="write generated reports with known figures and their truth files")
    corpus.add_argument("out", help="output folder (truth files go to OUT/truth)")
    corpus.add_argument("--count", type=int, default=1000)
    corpus.add_argument("--seed", type=int, default=1)
    corpus.add_argument("--text-only", action="store_true", help="only HTML and text forms (no PDF or DOCX)")
    ingest = sub.add_parser("ingest", help="extract files and folders into the database")
    ingest.add_argument("paths", nargs="+", help="report files or folders (searched recursively), or fsspec URLs")
    ingest.add_argument("--db", help="database file (default: $GOVREPORT_DB or data/govreport.duckdb)")
    ingest.add_argument("--workers", type=int, default=2, help="extraction processes (default 2)")
    ingest.add_argument("--dask", metavar="ADDRESS",
                        help="extract on Dask: 'local' starts a LocalCluster of --workers processes; "
                             "tcp://host:8786 uses a running scheduler")
    ingest.add_argument("--batch-size", type=int, default=500, help="reports saved per transaction (default 500)")
    ingest.add_argument("--memory", type=int, default=128, metavar="MB",
                        help="the database's memory while writing (default 128; it spills to disk beyond)")
    export = sub.add_parser("export", help="write a filtered table as CSV, XLSX, Parquet or JSON")
    export.add_argument("--format", choices=("csv", "xlsx", "parquet", "json"), default="csv")
    export.add_argument("-o", "--output", required=True, help="output file")
    export.add_argument("--db", help="database file")
    export.add_argument("--long", action="store_true", help="one row per report and metric (default: one per report)")
    export.add_argument("--headers", choices=("zh", "en", "key"), default="zh",
                        help="Chinese labels, English labels or metric keys")
    export.add_argument("--year", type=int, help="one data year")
    export.add_argument("--from", dest="year_from", type=int, help="first data year")
    export.add_argument("--to", dest="year_to", type=int, help="last data year")
    export.add_argument("--province")
    export.add_argument("--city")
    export.add_argument("--region")
    export.add_argument("--departments", action="store_true", help="include department reports")
    export.add_argument("--aggregates", action="store_true",
                        help="include area-wide aggregate reports (scope area, e.g. a city-wide summary)")
    rebuild = sub.add_parser("rebuild-default", help="regenerate data/default from ../shared")
    rebuild.add_argument("--shared", help="the shared folder (default: ../shared beside the project)")
    scale = sub.add_parser("scale", help="build a large database of plausible reports and time every page query")
    scale.add_argument("--db", required=True, help="database file to build (or to benchmark with --bench-only)")
    scale.add_argument("--reports", type=int, default=100_000)
    scale.add_argument("--bench-only", action="store_true")
    bench = sub.add_parser("bench", help="print reports per second over a mixed set of inputs")
    bench.add_argument("--seconds", type=float, default=3.0, help="how long to measure each input set")
    bench.add_argument("--ingest", action="store_true",
                       help="instead: ingest generated reports with 1 and 2 workers and a 2-worker LocalCluster")
    bench.add_argument("--count", type=int, default=300, help="generated reports for --ingest (default 300)")
    bench.add_argument("--all-forms", action="store_true", help="--ingest on PDF and DOCX forms too (slower files)")
    bench.add_argument("files", nargs="*", help="extra report files to include")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "extract":
            return _extract(args)
        if args.command == "accuracy":
            return _accuracy(args)
        if args.command == "scale":
            from pathlib import Path

            from .scale import run_scale

            return run_scale(Path(args.db), args.reports, args.bench_only)
        if args.command in ("ingest", "export", "rebuild-default"):
            return _database_command(args)
        if args.command == "corpus":
            return _corpus(args)
        if args.ingest:
            from .bench import run_ingest_bench

            return run_ingest_bench(args.count, all_forms=args.all_forms)
        from .bench import run_bench

        return run_bench(args.files, args.seconds)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _extract(args: argparse.Namespace) -> int:
    from .extract import extract_path

    failed = False
    for path in args.files:
        try:
            result = extract_path(path, max_bytes=int(args.max_size * 1e6))
        except Exception as exc:  # a bug must not stop the other files nor show a traceback
            from .read import make_source

            result = Result(make_source(b"", path, "txt"), error=f"Internal error while reading this file: {exc!r}.")
        failed = failed or result.error is not None
        if args.debug:
            _print_debug(path)
        if args.json:
            print(json.dumps(result.to_dict(), ensure_ascii=False), flush=True)
        else:
            print(format_result(result))
    return 1 if failed else 0


def _database_command(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .store import StoreError

    try:
        if args.command == "rebuild-default":
            from .default import ROOT, rebuild_default

            for path in rebuild_default(Path(args.shared) if args.shared else ROOT.parent / "shared"):
                print(f"wrote {path}")
            return 0
        from .default import open_store

        store = open_store(args.db)
        if args.command == "ingest":
            return _ingest(store, args)
        return _export(store, args)
    except (StoreError, FileNotFoundError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _ingest(store, args: argparse.Namespace) -> int:
    from .ingest import IngestError, close_dask, connect_dask, ingest, terminal_progress

    store.limit_memory(args.memory)  # the writer's memory stays flat however many files are ingested
    try:
        client = connect_dask(args.dask, args.workers) if args.dask else None  # before any work starts
        try:
            summary = ingest(store, args.paths, workers=max(1, args.workers), progress=terminal_progress(),
                             client=client, batch_size=max(1, args.batch_size))
        finally:
            if client is not None:
                close_dask(client)
    except IngestError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(summary.sentence())
    for name, reason in summary.failed:
        print(f"  failed: {name}: {reason}")
    if summary.failed_count > len(summary.failed):
        print(f"  … and {summary.failed_count - len(summary.failed)} more (all in the database's failures table)")
    return 1 if summary.failed_count else 0


def _export(store, args: argparse.Namespace) -> int:
    from pathlib import Path

    from .export import export_bytes
    from .filters import Filters
    from .store import queries

    year_from = args.year if args.year is not None else args.year_from
    year_to = args.year if args.year is not None else args.year_to
    filters = Filters(province=args.province, city=args.city, region=args.region, year_from=year_from,
                      year_to=year_to, governments_only=not args.departments, aggregates=args.aggregates)
    frame = queries.figures(store, filters) if args.long else queries.wide(store, filters)
    Path(args.output).write_bytes(export_bytes(frame, args.format, args.headers))
    print(f"wrote {len(frame)} rows ({filters.describe()}) to {args.output}")
    return 0


def _accuracy(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .accuracy import print_accuracy, run_accuracy

    truth_dir = Path(args.truth_dir)
    if not truth_dir.is_dir():
        print(f"No such folder: {truth_dir}", file=sys.stderr)
        return 2
    results, timing = run_accuracy(truth_dir, Path(args.reports_dir) if args.reports_dir else None)
    if not results:
        print(f"No report found for the truth files in {truth_dir}.", file=sys.stderr)
        return 1
    print_accuracy(results, timing, args.worst)
    return 0


def _corpus(args: argparse.Namespace) -> int:
    import time
    from pathlib import Path

    from .corpus.generate import TEXT_FORMS, write_corpus

    start = time.perf_counter()
    paths = write_corpus(Path(args.out), args.count, args.seed, TEXT_FORMS if args.text_only else None)
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


def _print_debug(path: str) -> None:
    from pathlib import Path

    from .normalise import build_document
    from .read import read_report
    from .tables import classify_grid, detect_era

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
    print("--- text", file=sys.stderr)
    print(doc.text, file=sys.stderr)
