"""Peak memory of `ingest` as the number of files grows: is it flat?

    .venv/bin/python scripts/bench_ingest_memory.py --counts 10000 100000 --workers 2

For each count: a generated folder of that many text reports (corpus generator), then
`python -m govreport_core ingest FOLDER --db fresh.duckdb --workers N` in a subprocess, whose process tree
is sampled every 100 ms. Prints the driver's peak RSS (the one writer: batches, the store) and the
workers' peak, the reports/s, and the ratio of the driver's peaks between the largest and smallest count.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from govreport_core.devtools.corpus.generate import TEXT_FORMS, write_corpus  # noqa: E402


def run(count: int, workers: int, work: Path, memory: int) -> tuple[float, float, float]:
    folder = work / f"reports_{count}"
    write_corpus(folder, count, seed=5, forms=TEXT_FORMS)
    shutil.rmtree(folder / "truth")
    db = work / f"ingest_{count}.duckdb"
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "govreport_core", "ingest", str(folder), "--db", str(db),
                                "--workers", str(workers), "--db-memory", str(memory)], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    driver, pool = psutil.Process(process.pid), 0.0
    peak_driver = peak_workers = 0.0
    while process.poll() is None:
        try:
            peak_driver = max(peak_driver, driver.memory_info().rss / 1e6)
            pool = sum(child.memory_info().rss for child in driver.children(recursive=True)) / 1e6
        except psutil.Error:
            pass
        peak_workers = max(peak_workers, pool)
        time.sleep(0.1)
    elapsed = time.perf_counter() - start
    shutil.rmtree(folder)
    return peak_driver, peak_workers, count / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory", type=int, default=128, help="ingest --db-memory (the writer's DuckDB memory, MB)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="govreport-memory-"))
    peaks = []
    try:
        print(f"{'files':>8} {'driver peak MB':>15} {'workers peak MB':>16} {'reports/s':>10}", flush=True)
        for count in args.counts:
            driver, workers, rate = run(count, args.workers, work, args.memory)
            peaks.append(driver)
            print(f"{count:>8,} {driver:>15.0f} {workers:>16.0f} {rate:>10.1f}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"driver peak, largest vs smallest count: {max(peaks[-1], 1) / max(peaks[0], 1):.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
