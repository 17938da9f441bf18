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
import os
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

import psutil

from govreport_core.extraction.normalise import build_document
from govreport_core.extraction.pipeline import extract_document
from govreport_core.extraction.readers import make_source, read_report, sniff_format
from govreport_core.extraction.readers.pdf import read_pdf
from govreport_core.model import RawDocument, ReportError, Result
from govreport_core.store import SaveOutcome, Store

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


ENGINES = (("1 budgeted worker", 1, False), ("2 budgeted workers", 2, False), ("2-worker Dask LocalCluster", 2, True))


def run_ingest_bench(count: int, batch_size: int = 500, all_forms: bool = False, mix: str | None = None,
                     keep: Path | None = None) -> int:
    """Ingest `count` generated reports into fresh databases with each engine and print the figures.

    The reports: text reports (HTML and text forms), every form (`all_forms`), or files mixed as a collection
    would be (`mix`, e.g. "national": mostly PDF, some HTML, a few scans; devtools/corpus/mix.py). Engines: 1
    and 2 budgeted local workers (`workers.WorkerPool`), a Dask LocalCluster of 2 worker processes (its start-up
    timed apart). Per engine: wall seconds, reports/s, CPU seconds of the whole process tree (the driver, its
    workers and the programs they run), peak memory of that tree sampled every 50 ms, and the writer's time in
    `Store.save_batch`. Per form, from the 1-worker run: each file's CPU in the worker (a core's rate). Then
    the store alone: saves/s one report per transaction (`Store.save`) and in batches (`Store.save_batch`).
    `keep`: a folder the generated files are written to and kept in, or read again from when a run made them
    (making PDFs with LibreOffice and chromium takes minutes)."""
    import shutil
    import tempfile

    from .corpus.mix import MIXES

    if mix is not None and mix not in MIXES:
        print(f"There is no mix called {mix!r}; the mixes are: {', '.join(MIXES)}.")
        return 2
    work = Path(tempfile.mkdtemp(prefix="govreport-bench-"))
    try:
        print(f"load: {_load()} (a shared machine: other people's work runs beside this)")
        folder = keep or work / "reports"
        start = time.perf_counter()
        if folder.is_dir() and any(folder.iterdir()):
            files = _kept_inputs(folder)
        else:
            files = _write_inputs(folder, count, all_forms, mix)
            print(f"  (made in {time.perf_counter() - start:.0f} s, not counted)")
        print(f"batches of {batch_size}")
        per_file, one_worker_cpu, results = _engines(work, folder, files, batch_size)
        _forms(per_file, one_worker_cpu)
        _writer(work, results, batch_size)
        print(f"load: {_load()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _write_inputs(folder: Path, count: int, all_forms: bool, mix: str | None) -> int:
    """The generated files the engines read; how many."""
    import shutil

    from .corpus.generate import TEXT_FORMS, write_corpus
    from .corpus.mix import MIXES, write_mix

    if mix is not None:
        forms = write_mix(folder, count, MIXES[mix])
        print(f"{count} generated reports mixed as a {mix} collection: {MIXES[mix].sentence(count)}")
        _print_forms(forms)
        return sum(forms.values())
    write_corpus(folder, count, seed=11, forms=None if all_forms else TEXT_FORMS)
    shutil.rmtree(folder / "truth")
    kind = "reports of every form (PDF and DOCX too)" if all_forms else "text reports (HTML and text forms)"
    print(f"{count} generated {kind} of every era")
    return count


def _kept_inputs(folder: Path) -> int:
    """The files an earlier run made and kept in `folder`; how many."""
    from .corpus.mix import FORM_OF_NAME

    names = [path.name for path in folder.rglob("*") if path.is_file()]
    print(f"{len(names)} generated reports made by an earlier run, read again from {folder}")
    _print_forms(Counter(match.group(1) if (match := FORM_OF_NAME.match(name)) else "other" for name in names))
    return len(names)


def _print_forms(forms: dict[str, int]) -> None:
    print("  files per form: " + ", ".join(f"{form} {n}" for form, n in sorted(forms.items())))


def _engines(work: Path, folder: Path, files: int, batch_size: int
             ) -> tuple[list[tuple[str, float, float]], float, list[Result]]:
    """Each engine's line; the 1-worker run's (file, worker CPU, wall seconds) per file, its CPU seconds in all
    and its Results."""
    from govreport_core.service.ingest import close_dask, connect_dask, ingest

    print(f"{'engine':<28} {'seconds':>8} {'reports/s':>10} {'CPU s':>7} {'peak MB':>8} {'vs 1':>5} {'save s':>7}")
    rates: dict[str, float] = {}
    per_file: list[tuple[str, float, float]] = []
    one_worker_cpu = 0.0
    kept: list[Result] = []
    for name, workers, dask in ENGINES:
        client = None
        if dask:
            start = time.perf_counter()
            client = connect_dask("local", workers)
            client.submit(sum, [1]).result()  # the workers are up
            print(f"  (LocalCluster start-up: {time.perf_counter() - start:.1f} s, not counted)")
        store = _TimedStore(work / f"{name[:1]}{int(dask)}.duckdb", keep=not kept)
        timer = _FileTimer() if not per_file and workers == 1 and client is None else None
        with _PeakMemory() as peak:
            cpu, start = _tree_cpu(), time.perf_counter()
            summary = ingest(store, [folder], workers=workers, client=client, batch_size=batch_size, progress=timer)
            elapsed, cpu = time.perf_counter() - start, _tree_cpu() - cpu  # Dask's workers still up: counted
        cpu -= peak.cpu  # the measuring is not the work
        store.close()
        if client is not None:
            close_dask(client)
        kept = kept or store.kept
        if timer is not None:
            per_file, one_worker_cpu = timer.files, cpu
        rates[name] = files / elapsed
        first = next(iter(rates.values()))
        print(f"{name:<28} {elapsed:>8.1f} {rates[name]:>10.1f} {cpu:>7.1f} {peak.megabytes:>8.0f} "
              f"{rates[name] / first:>5.2f} {store.seconds:>7.2f}   ({summary.sentence()})")
        for file, reason in summary.failed[:3]:
            print(f"    failed: {file}: {reason}")
    return per_file, one_worker_cpu, kept


def _forms(per_file: list[tuple[str, float, float]], run_cpu: float) -> None:
    """Reports/s per form on one core: each file's CPU in the 1-worker run's worker (with the programs it ran,
    Tesseract for scans), from one finished file to the next; wall seconds beside it (the machine is shared);
    then the rest of that run's CPU per report: the driver's."""
    from .corpus.mix import FORM_OF_NAME

    groups: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for name, cpu, wall in per_file:
        match = FORM_OF_NAME.match(name)
        groups[match.group(1) if match else "other"].append((cpu, wall))
    groups["all"] = [(cpu, wall) for _, cpu, wall in per_file]
    print(f"\n{'form (1-worker run)':<28} {'files':>5} {'CPU s/report':>13} {'reports/s/core':>15} {'wall s/report':>14}")
    for form, timings in sorted(groups.items(), key=lambda item: (item[0] == "all", item[0])):
        cpu, wall = sum(t[0] for t in timings) / len(timings), sum(t[1] for t in timings) / len(timings)
        print(f"{form:<28} {len(timings):>5} {cpu:>13.3f} {1 / cpu if cpu else float('inf'):>15.1f} {wall:>14.3f}")
    outside = run_cpu - sum(cpu for _, cpu, _ in per_file)
    if per_file:  # the one driver's share (listing, hashing, receiving Results, writing), which does not scale out
        print(f"{'driver, per report':<28} {len(per_file):>5} {outside / len(per_file):>13.3f}"
              f"{'':>15} {'':>14}   (the run's CPU outside the worker's files)")


def _writer(work: Path, results: list[Result], batch_size: int) -> None:
    """The store alone on the 1-worker run's Results: one report per transaction, then in batches; per wall
    second and per CPU second of this process (DuckDB's threads included: what the writer costs a loaded core)."""
    print()
    for label, save in (("saves one per transaction (save)", lambda s: [s.save(r) for r in results]),
                        (f"saves in batches of {batch_size} (save_batch)",
                         lambda s: [s.save_batch(results[i:i + batch_size]) for i in range(0, len(results), batch_size)])):
        store = Store(work / f"save{len(label)}.duckdb")
        start, cpu = time.perf_counter(), time.process_time()
        save(store)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        store.close()
        print(f"{label:<44} {len(results) / elapsed:>8.1f} saves/s {len(results) / cpu:>8.1f} saves per CPU s")


def _load() -> str:
    return "load average " + ", ".join(f"{value:.2f}" for value in os.getloadavg()) + f" on {os.cpu_count()} cores"


def _cpu_of(processes: list[psutil.Process]) -> float:
    """CPU seconds of these processes and of their children that ended (Tesseract, LibreOffice, pool workers)."""
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue  # ended between listing and reading: its parent has it once it is reaped
        total += times.user + times.system + times.children_user + times.children_system
    return total


def _tree_cpu() -> float:
    me = psutil.Process()
    return _cpu_of([me, *me.children(recursive=True)])


class _FileTimer:
    """An ingest progress callback: each finished file's CPU seconds in the worker processes (this process's
    own work left out) and wall seconds, from the previous file's end. Exact with one worker, which reads one
    file at a time."""

    def __init__(self) -> None:
        self._me = psutil.Process()
        self._cpu, self._wall = 0.0, time.perf_counter()
        self.files: list[tuple[str, float, float]] = []

    def __call__(self, done: int, total: int, name: str) -> None:
        cpu, wall = _cpu_of(self._me.children(recursive=True)), time.perf_counter()
        self.files.append((name, max(0.0, cpu - self._cpu), wall - self._wall))
        self._cpu, self._wall = cpu, wall


class _TimedStore(Store):
    """A store that adds up the seconds its batches take to write, and keeps the Results of one run."""

    def __init__(self, path: Path, keep: bool) -> None:
        super().__init__(path)
        self.seconds, self.keep = 0.0, keep
        self.kept: list[Result] = []

    def save_batch(self, results: list[Result], overrides: list[dict[str, object] | None] | None = None
                   ) -> list[SaveOutcome]:
        start = time.perf_counter()
        try:
            return super().save_batch(results, overrides)
        finally:
            self.seconds += time.perf_counter() - start
            if self.keep:
                self.kept.extend(results)


class _PeakMemory:
    """The highest RSS of this process and its children (pool or cluster workers) while the block runs, and the
    CPU seconds the sampling itself took (listing the process tree 20 times a second is not free)."""

    def __enter__(self) -> _PeakMemory:
        import threading

        self.megabytes = self.cpu = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.wait(0.05):
            total = 0
            for process in [me, *me.children(recursive=True)]:
                try:
                    total += process.memory_info().rss
                except psutil.Error:
                    continue  # a worker that just ended
            self.megabytes = max(self.megabytes, total / 1e6)
        self.cpu = time.thread_time()

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
