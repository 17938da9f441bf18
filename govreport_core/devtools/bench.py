"""Benchmark: reports per second and milliseconds per report over a mixed set of inputs.

The inputs are the project's own fixtures (tests/fixtures), the seed reports in ../shared/seeds when
that folder is there, and any files named on the command line, grouped by format. Each group is
extracted repeatedly for a fixed time on one core (this process), and the figures are printed: the
time to parse the file (read: bytes -> paragraphs and grids) apart from the rest of the extraction.
The site pages among the fixtures (a report inside a government website's page) also get a line each.
PDFs get a second table, per form (a generated corpus's forms by their file names, other PDFs as real ones):
the PDFium path beside the old pdfminer path, which is kept for this comparison and the test that reads
every PDF both ways (tests/test_pdf_engines.py).
"""

from __future__ import annotations

import contextlib
import re
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from govreport_core.extraction.normalise import build_document
from govreport_core.extraction.pipeline import extract_document
from govreport_core.extraction.readers import make_source, read_report, sniff_format
from govreport_core.extraction.readers.pdf import read_pdf
from govreport_core.model import RawDocument, ReportError

ROOT = Path(__file__).resolve().parents[2]
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


def extract_timed(data: bytes, name: str, read: Callable[[bytes, str], RawDocument] = read_report) -> float:
    """Extract one report (as extract_bytes does); the seconds its parse took."""
    start = time.perf_counter()
    try:
        raw = read(data, name)
    except ReportError:
        return time.perf_counter() - start
    parsed = time.perf_counter()
    with contextlib.suppress(ReportError):  # as extract_bytes, a refusal is an outcome, not a failure
        extract_document(build_document(raw), make_source(data, name, sniff_format(data[:8192], name), raw.encoding))
    return parsed - start


def measure(items: list[tuple[str, bytes]], seconds: float,
            read: Callable[[bytes, str], RawDocument] = read_report) -> tuple[int, float, float, float, int]:
    """(reports extracted, elapsed seconds, of which parsing, CPU seconds, total bytes per pass)."""
    done, parse, start, cpu = 0, 0.0, time.perf_counter(), time.process_time()
    while True:
        for name, data in items:
            parse += extract_timed(data, name, read)
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
    if groups.get("pdf"):
        _pdf_engines(groups["pdf"], seconds)
    return 0


_CORPUS_NAME = re.compile(r"^gen_\d+_(?:2019|2021|pre2019)_(\w+)\.pdf$")


def _pdf_engines(items: list[tuple[str, bytes]], seconds: float) -> None:
    """PDFs per form (the corpus's forms by file name, every other PDF as a real one), read by the PDFium path
    and by the old pdfminer path kept for this comparison: reports/s and CPU ms per report, whole extraction."""
    forms: dict[str, list[tuple[str, bytes]]] = defaultdict(list)
    for name, data in items:
        match = _CORPUS_NAME.match(name)
        forms[match.group(1) if match else "real PDFs"].append((name, data))
    print(f"\n{'PDF form':<26} {'files':>5} {'PDFium reports/s':>17} {'CPU ms':>7} {'pdfminer reports/s':>19} "
          f"{'CPU ms':>7} {'CPU ratio':>9}")
    for form, group in sorted(forms.items(), key=lambda item: (item[0] != "real PDFs", item[0])):
        figures = []
        for engine in ("pdfium", "pdfminer"):
            def read(data: bytes, _name: str, engine: str = engine) -> RawDocument:
                return read_pdf(data, engine)
            done, elapsed, _, cpu, _ = measure(group, seconds, read)
            figures.append((done / elapsed, 1000 * cpu / done))
        (new_rate, new_cpu), (old_rate, old_cpu) = figures
        print(f"{form:<26} {len(group):>5} {new_rate:>17.1f} {new_cpu:>7.1f} {old_rate:>19.1f} {old_cpu:>7.1f} "
              f"{old_cpu / new_cpu:>8.1f}x")


def run_ingest_bench(count: int, batch_size: int = 500, all_forms: bool = False) -> int:
    """Ingest `count` generated text reports into fresh databases with each engine and print the figures.

    Engines: 1 and 2 budgeted local workers (`budget.WorkerPool`), a Dask LocalCluster of 2 worker processes
    (its start-up is timed apart). Then the store alone: saves/s one report per transaction (`Store.save`)
    and in batches (`Store.save_batch`). Peak memory is sampled over the whole process tree (the driver and
    its workers), every 50 ms."""
    import shutil
    import tempfile

    from govreport_core.service.ingest import close_dask, connect_dask, expand_paths, extract_files, ingest
    from govreport_core.store import Store

    from .corpus.generate import TEXT_FORMS, write_corpus

    work = Path(tempfile.mkdtemp(prefix="govreport-bench-"))
    try:
        folder = work / "reports"
        write_corpus(folder, count, seed=11, forms=None if all_forms else TEXT_FORMS)
        shutil.rmtree(folder / "truth")
        kind = "reports of every form (PDF and DOCX too)" if all_forms else "text reports (HTML and text forms)"
        print(f"{count} generated {kind} of every era; batches of {batch_size}")
        print(f"{'engine':<34} {'seconds':>8} {'reports/s':>10} {'peak MB':>8} {'vs 1':>6}")
        rates: dict[str, float] = {}
        for name, workers, dask in (("1 budgeted worker", 1, False), ("2 budgeted workers", 2, False),
                                    ("2-worker Dask LocalCluster", 2, True)):
            client = None
            if dask:
                start = time.perf_counter()
                client = connect_dask("local", 2)
                client.submit(sum, [1]).result()  # the workers are up
                print(f"  (LocalCluster start-up: {time.perf_counter() - start:.1f} s, not counted)")
            store = Store(work / f"{name[:1]}{int(dask)}.duckdb")
            with _PeakMemory() as peak:
                start = time.perf_counter()
                summary = ingest(store, [folder], workers=workers, client=client, batch_size=batch_size)
                elapsed = time.perf_counter() - start
            store.close()
            if client is not None:
                close_dask(client)
            rates[name] = count / elapsed
            first = next(iter(rates.values()))
            print(f"{name:<34} {elapsed:>8.1f} {rates[name]:>10.1f} {peak.megabytes:>8.0f} {rates[name] / first:>6.2f}"
                  f"   ({summary.sentence()})")
        results = extract_files(expand_paths([folder]), workers=2)
        for label, save in (("saves one per transaction (save)", lambda s: [s.save(r) for r in results]),
                            (f"saves in batches of {batch_size} (save_batch)",
                             lambda s: [s.save_batch(results[i:i + batch_size]) for i in range(0, len(results), batch_size)])):
            store = Store(work / f"save{len(label)}.duckdb")
            start = time.perf_counter()
            save(store)
            elapsed = time.perf_counter() - start
            store.close()
            print(f"{label:<44} {len(results) / elapsed:>8.1f} saves/s")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


class _PeakMemory:
    """The highest RSS of this process and its children (pool or cluster workers) while the block runs."""

    def __enter__(self) -> _PeakMemory:
        import threading

        self.megabytes = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.wait(0.05):
            total = 0
            for process in [me, *me.children(recursive=True)]:
                try:
                    total += process.memory_info().rss
                except psutil.Error:
                    continue  # a worker that just ended
            self.megabytes = max(self.megabytes, total / 1e6)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
