"""Budgets: one report file's extraction within a time and memory budget, isolated in a worker process.

A report of a few kilobytes can expand to gigabytes (a zip bomb in a DOCX, a huge Flate stream in a PDF, a
table cell spanning a billion columns) or never end (a FIFO, thousands of pages). So:
- `limits.Budget` holds the limits (60 s and 1 GB by default; the command line sets them). Readers check the
  expanded-size limits before they expand anything (`limits.py`, below the extraction); a file over a limit
  becomes a Result with an error sentence ("… expands to more than 1 GB").
- `WorkerPool` runs extractions in long-lived worker processes (a fork costs far more than extracting a
  generated report, so workers are reused), each under `RLIMIT_AS` (its idle size plus the memory budget).
  A worker that overruns the time is killed, one that dies is replaced; the next file goes on either way.
  Workers end with their parent, even after `kill -9` (PR_SET_PDEATHSIG, and a watchdog thread).
- `extract_jobs` / `extract_job` are what ingest, the command line and the upload page call: any exception in
  one file is that file's error result (traceback logged at DEBUG level, never in the result), and the
  process that calls them never holds a hostile file's expansion.
Sizes are decimal: 1 MB = 1,000,000 bytes, 1 GB = 1,000 MB (the same everywhere, messages included).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import multiprocessing.connection
import os
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from govreport_core.extraction.limits import DEFAULT_BUDGET, MB, Budget, read_url, size_text, using
from govreport_core.model import Evidence, Figure, ReportError, Result

__all__ = ["DEFAULT_BUDGET", "MB", "Budget", "Outcome", "WorkerPool", "close_workers", "extract_job", "extract_jobs"]

log = logging.getLogger(__name__)
Job = Path | str | tuple[str, bytes]  # a file, an fsspec URL (s3://…, file://…), or an upload's (name, bytes)
Progress = Callable[[int, int, str], None]  # (done, total, file name)


# --- one job, in whichever process ------------------------------------------------------------------

def job_name(job: Job) -> str:
    return job[0] if isinstance(job, tuple) else str(job)


def error_result(job: Job, message: str) -> Result:
    from govreport_core.extraction.readers import make_source, sniff_format
    from govreport_core.extraction.version import PARSER_VERSION

    name = job_name(job)
    return Result(make_source(b"", name, sniff_format(b"", name)), error=message, parser_version=PARSER_VERSION)


def run_job(job: Job, budget: Budget) -> tuple[Result, str | None]:
    """Extract one job here and now: (result, traceback text of an unexpected exception or None)."""
    from govreport_core.extraction.pipeline import extract_bytes, extract_path

    with using(budget):
        try:
            if isinstance(job, Path):
                return extract_path(job, budget.max_file_bytes), None
            if isinstance(job, str):  # a URL, read by the worker that extracts it
                try:
                    data = read_url(job, budget.max_file_bytes)
                except ReportError as exc:
                    return error_result(job, str(exc)), None
                return extract_bytes(data, job, budget.max_file_bytes), None
            return extract_bytes(job[1], job[0], budget.max_file_bytes), None
        except MemoryError:
            return error_result(job, f"The file expands to more than the {size_text(budget.memory_bytes)} "
                                     "memory budget; it is not read."), None
        except RecursionError:
            return error_result(job, "The file is nested too deeply to be read."), None
        except Exception as exc:  # a bug met by one file must not stop the others
            return error_result(job, f"Internal error while reading this file ({exc.__class__.__name__}); "
                                     "the other files are not affected."), traceback.format_exc()


# --- worker processes -------------------------------------------------------------------------------

def _die_with_parent() -> None:
    """End this worker when the process that started it ends, even by kill -9."""
    parent = os.getppid()
    with contextlib.suppress(Exception):  # Linux only; the watchdog below covers the rest
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _warm() -> None:
    """Load what every extraction needs (modules, the OpenCC converter, the gazetteer) before the memory
    limit is set, so the budget measures the file and not the first file's start-up."""
    from govreport_core.extraction import gazetteer, normalise, pipeline
    from govreport_core.extraction.readers import ocr_engines

    assert pipeline
    normalise.normalise_text("預熱")
    gazetteer.get_gazetteer()
    ocr_engines.preload()  # the OCR recogniser's model, once per worker rather than per scanned file


def _address_space() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _serve(conn: multiprocessing.connection.Connection, budget: Budget) -> None:
    import resource

    _die_with_parent()
    _warm()
    with contextlib.suppress(OSError, ValueError):  # /proc is Linux; without it only the timeout applies
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = _address_space() + budget.memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, job = message
        start = time.perf_counter()
        result, trace = run_job(job, budget)
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        conn.send((index, *_pack(result), trace, time.perf_counter() - start, peak_kb))
        if result.error and "memory budget" in result.error:
            return  # a fresh worker for the next file: this one's heap is fragmented to the limit


def _pack(result: Result) -> tuple[Result, list[tuple]]:
    """Figures as plain tuples: pickling hundreds of frozen dataclasses per report costs more than the rest."""
    figures = [(f.key, f.value, f.applicant, f.derived, None if f.evidence is None else (
        f.evidence.text, f.evidence.start, f.evidence.end, f.evidence.row, f.evidence.column, f.evidence.page,
        f.evidence.ocr))
        for f in result.figures]
    return replace(result, figures=[]), figures


def _unpack(result: Result, figures: list[tuple]) -> Result:
    result.figures = [Figure(key, value, None if ev is None else Evidence(*ev), applicant, derived)
                      for key, value, applicant, derived, ev in figures]
    return result


@dataclass
class Outcome:
    result: Result
    seconds: float
    peak_mb: float | None  # the worker's peak resident size (None when it was killed or died)


class _Worker:
    def __init__(self, context: multiprocessing.context.BaseContext, budget: Budget) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, budget), daemon=True, name="govreport-worker")
        self.process.start()
        child.close()
        self.index: int | None = None
        self.job: Job | None = None
        self.started = 0.0

    def give(self, index: int, job: Job) -> None:
        self.index, self.job, self.started = index, job, time.monotonic()
        self.conn.send((index, job))

    def stop(self, kill: bool = False) -> None:
        if not kill and self.process.is_alive():
            with contextlib.suppress(OSError, ValueError):
                self.conn.send(None)
            self.process.join(2)
        if self.process.is_alive():
            self.process.kill()
        self.process.join(2)
        self.conn.close()


def _context() -> multiprocessing.context.BaseContext:
    """fork from the main thread (the command line: workers start in milliseconds; its other threads are only
    the store's idle timers); from a server's thread (the dashboard) a fork server, since forking a process
    whose other threads may hold locks (imports, logging) is unsafe."""
    if threading.current_thread() is threading.main_thread():
        _warm()  # once here, shared by every worker forked after
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["govreport_core.extraction.pipeline"])
    return context


class WorkerPool:
    """Long-lived extraction workers under the budget; results come back in input order."""

    def __init__(self, workers: int = 1, budget: Budget = DEFAULT_BUDGET) -> None:
        self.size = max(1, workers)
        self.budget = budget
        self._context = _context()
        self._workers: list[_Worker] = []

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for worker in self._workers:
            worker.stop()
        self._workers = []

    def imap(self, jobs: Iterable[Job]) -> Iterator[Outcome]:
        """Outcomes in input order, while later jobs are still running."""
        todo = iter(enumerate(jobs))
        done: dict[int, Outcome] = {}
        running: dict[int, _Worker] = {}
        try:
            yield from self._run(todo, done, running)
        finally:
            for worker in running.values():  # abandoned half-way: their answers must not reach the next call
                self._replace(worker)

    def _run(self, todo: Iterator[tuple[int, Job]], done: dict[int, Outcome],
             running: dict[int, _Worker]) -> Iterator[Outcome]:
        next_out = 0
        exhausted = False
        while True:
            while not exhausted and len(running) < self.size:
                item = next(todo, None)
                if item is None:
                    exhausted = True
                    break
                worker = self._idle(running)
                try:
                    worker.give(*item)
                except (OSError, ValueError):  # died since its last job: start a new one for this file
                    self._replace(worker)
                    worker = self._idle(running)
                    worker.give(*item)
                running[item[0]] = worker
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
            if not running:
                if exhausted:
                    return
                continue
            self._collect(running, done)

    def _idle(self, running: dict[int, _Worker]) -> _Worker:
        busy = {id(w) for w in running.values()}
        for worker in self._workers:
            if id(worker) not in busy:
                return worker
        worker = _Worker(self._context, self.budget)
        self._workers.append(worker)
        return worker

    def _replace(self, worker: _Worker, kill: bool = True) -> None:
        worker.stop(kill=kill)
        self._workers.remove(worker)

    def _collect(self, running: dict[int, _Worker], done: dict[int, Outcome]) -> None:
        now = time.monotonic()
        deadline = min(w.started for w in running.values()) + self.budget.seconds
        waitables: list = [w.conn for w in running.values()] + [w.process.sentinel for w in running.values()]
        ready = set(multiprocessing.connection.wait(waitables, timeout=max(0.0, deadline - now)))
        for index, worker in list(running.items()):
            if worker.conn in ready:
                try:
                    _, shell, figures, trace, seconds, peak_kb = worker.conn.recv()
                    result = _unpack(shell, figures)
                except (EOFError, OSError):
                    result, trace, seconds, peak_kb = None, None, 0.0, None
                if result is not None:
                    if trace:
                        log.debug("%s: %s", job_name(worker.job), trace)
                    done[index] = Outcome(result, seconds, peak_kb / 1000 if peak_kb else None)
                    del running[index]
                    if not worker.process.is_alive() or (result.error and "memory budget" in result.error):
                        self._replace(worker, kill=False)
                    continue
            if worker.process.sentinel in ready or worker.conn in ready:
                worker.process.join(1)
                code = worker.process.exitcode
                done[index] = Outcome(error_result(worker.job, _died_message(code, self.budget)),
                                      time.monotonic() - worker.started, None)
                del running[index]
                self._replace(worker)
            elif time.monotonic() - worker.started >= self.budget.seconds:
                done[index] = Outcome(error_result(worker.job, f"Reading the file took longer than "
                                                               f"{self.budget.seconds:g} s; it was stopped."),
                                      time.monotonic() - worker.started, None)
                del running[index]
                self._replace(worker)


WORKER_DIED = "The extraction of this file stopped its worker process"  # a killed worker's file may be given again


def _died_message(code: int | None, budget: Budget) -> str:
    how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
    return (f"{WORKER_DIED} ({how}); the file most likely expands to "
            f"more than the {size_text(budget.memory_bytes)} memory budget. It is not read.")


# --- what the rest of the project calls ------------------------------------------------------------

_POOL_LOCK = threading.Lock()
_POOL: WorkerPool | None = None


def _shared_pool(workers: int, budget: Budget) -> WorkerPool:
    global _POOL
    if _POOL is None or _POOL.size != max(1, workers) or _POOL.budget != budget:
        if _POOL is not None:
            _POOL.close()
        _POOL = WorkerPool(workers, budget)
    return _POOL


def extract_jobs(jobs: Iterable[Job], budget: Budget | None = None, workers: int = 1,
                 progress: Progress | None = None) -> Iterator[Result]:
    """Extract each job (a Path or an upload's (name, bytes)) in a worker process under `budget`; one Result
    per job, in input order, lazily. Never raises for a file: timeouts, memory overruns, crashes and
    exceptions are that file's `Result.error`. The workers are kept for the next call (same size and
    budget); one call runs at a time per process."""
    budget = budget or DEFAULT_BUDGET
    items = jobs if isinstance(jobs, list) else list(jobs)
    with _POOL_LOCK:
        pool = _shared_pool(workers, budget)
        for done, outcome in enumerate(pool.imap(items), start=1):
            if progress:
                progress(done, len(items), Path(job_name(items[done - 1])).name)
            yield outcome.result


def extract_job(job: Job, budget: Budget | None = None) -> Result:
    """One file or upload, isolated under `budget` (see `extract_jobs`)."""
    return next(extract_jobs([job], budget))


def close_workers() -> None:
    global _POOL
    with _POOL_LOCK:
        if _POOL is not None:
            _POOL.close()
            _POOL = None
