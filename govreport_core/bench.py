"""Benchmark: reports per second and milliseconds per report over a mixed set of inputs.

The inputs are the project's own fixtures (tests/fixtures), the seed reports in ../shared/seeds when
that folder is there, and any files named on the command line, grouped by format. Each group is
extracted repeatedly for a fixed time on one core (this process), and the figures are printed: the
time to parse the file (read: bytes -> paragraphs and grids) apart from the rest of the extraction.
The site pages among the fixtures (a report inside a government website's page) also get a line each.
"""

from __future__ import annotations

import contextlib
import time
from collections import defaultdict
from pathlib import Path

from .extract import extract_document
from .model import ReportError
from .normalise import build_document
from .read import make_source, read_report, sniff_format

ROOT = Path(__file__).resolve().parent.parent
INPUT_FOLDERS = (ROOT / "tests" / "fixtures", ROOT.parent / "shared" / "seeds", ROOT.parent / "shared" / "real-files")
SUFFIXES = {".html", ".htm", ".txt", ".md", ".pdf", ".docx"}


def collect_inputs(extra: list[str]) -> dict[str, list[tuple[str, bytes]]]:
    groups: dict[str, list[tuple[str, bytes]]] = defaultdict(list)
    paths = [p for folder in INPUT_FOLDERS if folder.is_dir() for p in sorted(folder.rglob("*"))]
    paths += [Path(p) for p in extra]
    for path in paths:
        if path.is_file() and path.suffix.lower() in SUFFIXES and not path.name.upper().startswith("README"):
            data = path.read_bytes()
            groups[sniff_format(data, path.name)].append((path.name, data))
    return groups


def extract_timed(data: bytes, name: str) -> float:
    """Extract one report (as extract_bytes does); the seconds its parse took."""
    start = time.perf_counter()
    try:
        raw = read_report(data, name)
    except ReportError:
        return time.perf_counter() - start
    parsed = time.perf_counter()
    with contextlib.suppress(ReportError):  # as extract_bytes, a refusal is an outcome, not a failure
        extract_document(build_document(raw), make_source(data, name, sniff_format(data[:8192], name), raw.encoding))
    return parsed - start


def measure(items: list[tuple[str, bytes]], seconds: float) -> tuple[int, float, float, float, int]:
    """(reports extracted, elapsed seconds, of which parsing, CPU seconds, total bytes per pass)."""
    done, parse, start, cpu = 0, 0.0, time.perf_counter(), time.process_time()
    while True:
        for name, data in items:
            parse += extract_timed(data, name)
            done += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return done, elapsed, parse, time.process_time() - cpu, sum(len(d) for _, d in items)


def run_bench(extra: list[str], seconds: float) -> int:
    groups = collect_inputs(extra)
    if not groups:
        print("No inputs found: pass report files to benchmark.")
        return 1
    for name, data in next(iter(groups.values()))[:1]:
        extract_timed(data, name)  # warm up: OpenCC, cn2an and the gazetteer load once per process
    # CPU ms: this process's own time per report, what one core gives when others share the machine.
    print(f"{'format':<26} {'files':>5} {'KB/file':>8} {'reports/s':>10} {'ms/report':>10} {'parse ms':>9} {'rest ms':>8} "
          f"{'CPU ms':>7}")
    total_done, total_time = 0, 0.0
    sites = [(f"  {name}", [(name, data)]) for name, data in groups.get("html", []) if name.startswith("site_")]
    for fmt, items in [*sorted(groups.items()), *sites]:
        done, elapsed, parse, cpu, size = measure(items, seconds)
        if not fmt.startswith(" "):
            total_done, total_time = total_done + done, total_time + elapsed
        print(f"{fmt:<26} {len(items):>5} {size / len(items) / 1024:>8.1f} {done / elapsed:>10.1f} "
              f"{1000 * elapsed / done:>10.2f} {1000 * parse / done:>9.2f} {1000 * (elapsed - parse) / done:>8.2f} "
              f"{1000 * cpu / done:>7.2f}")
    print(f"{'all':<26} {sum(len(v) for v in groups.values()):>5} {'':>8} {total_done / total_time:>10.1f} "
          f"{1000 * total_time / total_done:>10.2f}")
    return 0
