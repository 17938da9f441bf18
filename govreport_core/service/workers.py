"""Budgets: one report file's extraction within a time and memory budget, isolated in a worker process.

A report of a few kilobytes can expand to gigabytes (a zip bomb in a DOCX, a huge Flate stream in a PDF, a
table cell spanning a billion columns) or never end (thousands of pages, digits a table cannot split). So:
- `limits.Budget` holds the limits (60 s and 1 GB by default; the command line sets them). Readers check the
  expanded-size limits before they expand anything (`limits.py`, below the extraction); a file over a limit
  becomes a Result with an error sentence ("… expands to more than 1 GB").
- `WorkerPool` runs extractions in long-lived worker processes (a fork costs far more than extracting a
  generated report, so workers are reused). The pool samples each busy worker's resident memory, children
  included (`resident.py`), and kills one whose file has added more than the memory budget; it kills one
  past its file's deadline (the timeout, longer for a scan once its page count is known:
  `limits.note_scanned_pages`). RLIMIT_AS stays only as a loose backstop of several GB. A worker that dies
  is replaced; the next file goes on either way. Workers end with their parent, even after `kill -9`
  (PR_SET_PDEATHSIG, and a watchdog thread).
- `extract_jobs` / `extract_job` are what the command line, the upload page and Dask workers call: each
  call leases its own workers (`leased_pool`), so one caller's slow file never waits for or holds
  another's, within MAX_LEASED_WORKERS processes in all. Any exception in one file is that file's error
  result (traceback logged at DEBUG level, never in the result), and the calling process never holds a
  hostile file's expansion.
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

from govreport_core.extraction.limits import (
    DEFAULT_BUDGET,
    MB,
    Budget,
    deadline,
    on_scanned_pages,
    read_regular_file,
    read_url,
    size_text,
    using,
)
from govreport_core.model import Evidence, Figure, ReportError, Result

from .resident import Tree, kill_tree, rss

__all__ = ["DEFAULT_BUDGET", "MB", "Budget", "Outcome", "Refused", "WorkerPool", "close_workers", "extract_job",
           "extract_jobs", "leased_pool"]

log = logging.getLogger(__name__)
SAMPLE_SECONDS = 0.1  # how often a busy worker's resident memory is read
MAX_LEASED_WORKERS = 4  # worker processes all callers of extract_jobs share (dashboard sessions, Dask threads)
IDLE_SECONDS = 600.0  # an idle leased pool older than this is closed at the next lease


@dataclass(frozen=True)
class Refused:
    """A path found unreadable before any worker sees it (a folder that cannot be listed): its sentence."""

    name: str
    reason: str


# A file, an fsspec URL (s3://…, file://…), an upload's (name, bytes) or (name, spooled file), or a refusal.
Job = Path | str | tuple[str, bytes] | tuple[str, Path] | Refused
Progress = Callable[[int, int, str], None]  # (done, total, file name)


# --- one job, in whichever process ------------------------------------------------------------------

def job_name(job: Job) -> str:
    if isinstance(job, Refused):
        return job.name
    return job[0] if isinstance(job, tuple) else str(job)


def error_result(job: Job, message: str) -> Result:
    from govreport_core.extraction.readers import make_source, sniff_format
    from govreport_core.extraction.version import PARSER_VERSION

    name = job_name(job)
    return Result(make_source(b"", name, sniff_format(b"", name)), error=message, parser_version=PARSER_VERSION)


def memory_message(budget: Budget) -> str:
    return f"Reading the file uses more than {size_text(budget.memory_bytes)} of memory; it was stopped."


def time_message(budget: Budget, scanned_pages: int) -> str:
    if deadline(budget, scanned_pages) > budget.seconds:
        return (f"Reading the file took longer than {deadline(budget, scanned_pages):g} s (the time given to a "
                f"scan of {scanned_pages} pages); it was stopped.")
    return f"Reading the file took longer than {budget.seconds:g} s; it was stopped."


def run_job(job: Job, budget: Budget) -> tuple[Result, str | None]:
    """Extract one job here and now: (result, traceback text of an unexpected exception or None)."""
    from govreport_core.extraction.pipeline import extract_bytes, extract_path

    if isinstance(job, Refused):
        return error_result(job, job.reason), None
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
            name, content = job
            if isinstance(content, Path):  # an upload spooled to disk: its bytes never crossed a pipe
                content = read_regular_file(content, budget.max_file_bytes)
            return extract_bytes(content, name, budget.max_file_bytes), None
        except MemoryError:  # the address-space backstop: more than any budget
            return error_result(job, memory_message(budget)), None
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
    """Load what every extraction needs (modules, the OpenCC converter, the gazetteer) once, so a file's
    memory is its own and not the first file's start-up."""
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
    with contextlib.suppress(OSError, ValueError):  # /proc is Linux; without it the sampling still holds
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = _address_space() + budget.address_space_bytes
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    current = [0]
    on_scanned_pages(lambda pages: conn.send(("pages", current[0], pages)))  # the pool pushes the deadline back
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, job = message
        current[0] = index
        conn.send(("start", index, rss(os.getpid())))  # the file's memory is what it adds to this
        start = time.perf_counter()
        result, trace = run_job(job, budget)
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        conn.send(("done", index, *_pack(result), trace, time.perf_counter() - start, peak_kb))
        if result.error == memory_message(budget):
            return  # a fresh worker for the next file: this one's heap is fragmented to the backstop


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
    job: Job | None = None


class _Worker:
    def __init__(self, context: multiprocessing.context.BaseContext, budget: Budget) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, budget), daemon=True, name="govreport-worker")
        self.process.start()
        child.close()
        self.tree = Tree(self.process.pid)
        self.index = -1
        self.job: Job | None = None
        self.started = 0.0
        self.idle_rss: int | None = None  # its size when it took the file (it says so: after its start-up)
        self.pages = 0  # scanned pages of the file it reads (0: not a scan)

    def give(self, index: int, job: Job) -> None:
        self.index, self.job, self.started, self.pages, self.idle_rss = index, job, time.monotonic(), 0, None
        self.conn.send((index, job))

    def stop(self, kill: bool = False) -> None:
        if not kill and self.process.is_alive():
            with contextlib.suppress(OSError, ValueError):
                self.conn.send(None)
            self.process.join(2)
        if self.process.is_alive():
            kill_tree(self.process.pid)  # with the programs it started (Tesseract, LibreOffice)
        self.process.join(2)
        self.conn.close()


def _context() -> multiprocessing.context.BaseContext:
    """fork from the main thread (the command line: workers start in milliseconds; its other threads are only
    the store's idle timers); from a server's thread (the dashboard, a Dask worker) a fork server, since
    forking a process whose other threads may hold locks (imports, logging) is unsafe."""
    if threading.current_thread() is threading.main_thread():
        _warm()  # once here, shared by every worker forked after
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["govreport_core.extraction.pipeline"])
    return context


class WorkerPool:
    """Long-lived extraction workers under the budget; outcomes in input order (`imap`) or as they complete."""

    def __init__(self, workers: int = 1, budget: Budget = DEFAULT_BUDGET) -> None:
        self.size = max(1, workers)
        self.budget = budget
        self._context = _context()
        self.kind = self._context.get_start_method()
        self._workers: list[_Worker] = []
        self.used = time.monotonic()

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
        waiting: dict[int, Outcome] = {}
        next_out = 0
        for index, outcome in self._indexed(jobs):
            waiting[index] = outcome
            while next_out in waiting:
                yield waiting.pop(next_out)
                next_out += 1

    def imap_unordered(self, jobs: Iterable[Job]) -> Iterator[Outcome]:
        """Outcomes as the files finish (`Outcome.job` says which): a slow file holds back nothing but itself."""
        for _, outcome in self._indexed(jobs):
            yield outcome

    def _indexed(self, jobs: Iterable[Job]) -> Iterator[tuple[int, Outcome]]:
        running: dict[int, _Worker] = {}
        try:
            yield from self._run(iter(enumerate(jobs)), running)
        finally:
            self.used = time.monotonic()
            for worker in running.values():  # abandoned half-way: their answers must not reach the next call
                self._replace(worker)

    def _run(self, todo: Iterator[tuple[int, Job]], running: dict[int, _Worker]) -> Iterator[tuple[int, Outcome]]:
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
            if not running:
                return
            yield from self._collect(running)

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

    def _collect(self, running: dict[int, _Worker]) -> Iterator[tuple[int, Outcome]]:
        """Wait for answers (or a sample's time), then settle each busy worker: done, dead, late or too big."""
        due = min(w.started + deadline(self.budget, w.pages) for w in running.values())
        waitables: list = [w.conn for w in running.values()] + [w.process.sentinel for w in running.values()]
        timeout = max(0.0, min(due - time.monotonic(), SAMPLE_SECONDS))
        ready = set(multiprocessing.connection.wait(waitables, timeout=timeout))
        for index, worker in list(running.items()):
            outcome = self._read(worker) if worker.conn in ready else None
            if outcome is None:
                outcome = self._budget_breach(worker, dead=worker.process.sentinel in ready)
            if outcome is not None:
                del running[index]
                outcome.job = worker.job
                yield index, outcome

    def _read(self, worker: _Worker) -> Outcome | None:
        """The worker's messages: a scan's page count (its deadline grows), then its file's result."""
        while True:
            try:
                if not worker.conn.poll():
                    return None
                message = worker.conn.recv()
            except (EOFError, OSError):
                return None  # it died: `_budget_breach` says how
            if message[0] == "start":
                worker.idle_rss = int(message[2])
                continue
            if message[0] == "pages":
                worker.pages = max(worker.pages, int(message[2]))
                continue
            _, _, shell, figures, trace, seconds, peak_kb = message
            result = _unpack(shell, figures)
            if trace:
                log.debug("%s: %s", job_name(worker.job), trace)
            if not worker.process.is_alive() or result.error == memory_message(self.budget):
                self._replace(worker, kill=False)
            return Outcome(result, seconds, peak_kb / 1000 if peak_kb else None)

    def _budget_breach(self, worker: _Worker, dead: bool) -> Outcome | None:
        """An outcome for a worker that died, ran past its file's deadline or grew past the memory budget."""
        elapsed = time.monotonic() - worker.started
        if dead or not worker.process.is_alive():
            worker.process.join(1)
            message = _died_message(worker.process.exitcode)
        elif elapsed >= deadline(self.budget, worker.pages):
            message = time_message(self.budget, worker.pages)
        elif worker.idle_rss is not None and worker.tree.resident() - worker.idle_rss > self.budget.memory_bytes:
            message = memory_message(self.budget)
        else:
            return None
        self._replace(worker)
        return Outcome(error_result(worker.job, message), elapsed, None)


WORKER_DIED = "The extraction of this file stopped its worker process"  # a killed worker's file may be given again


def _died_message(code: int | None) -> str:
    how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
    return f"{WORKER_DIED} ({how}): it crashed, was killed from outside, or ran out of memory. It is not read."


# --- what the rest of the project calls ------------------------------------------------------------

_LEASES = threading.Condition()
_IDLE: list[WorkerPool] = []  # pools no caller holds, their workers warm for the next call
_LEASED = [0]  # worker processes held by callers now


@contextlib.contextmanager
def leased_pool(workers: int = 1, budget: Budget = DEFAULT_BUDGET) -> Iterator[WorkerPool]:
    """A pool of `workers` processes for this caller alone; a caller waits while MAX_LEASED_WORKERS are held by
    others. Returned pools are kept warm for the next caller (closed after IDLE_SECONDS unused)."""
    size = min(max(1, workers), MAX_LEASED_WORKERS)
    kind = "fork" if threading.current_thread() is threading.main_thread() else "forkserver"
    with _LEASES:
        _LEASES.wait_for(lambda: _LEASED[0] + size <= MAX_LEASED_WORKERS)
        _LEASED[0] += size
        pool = next((p for p in _IDLE if (p.kind, p.size, p.budget) == (kind, size, budget)), None)
        closing = [p for p in _IDLE if p is not pool and time.monotonic() - p.used > IDLE_SECONDS]
        _IDLE[:] = [p for p in _IDLE if p is not pool and p not in closing]
    for old in closing:
        old.close()
    pool = pool or WorkerPool(size, budget)
    try:
        yield pool
    finally:
        with _LEASES:
            _LEASED[0] -= size
            _IDLE.append(pool)
            closing = []
            while sum(p.size for p in _IDLE) > MAX_LEASED_WORKERS:  # idle processes within the cap too
                closing.append(_IDLE.pop(0))
            _LEASES.notify_all()
        for old in closing:
            old.close()


def extract_jobs(jobs: Iterable[Job], budget: Budget | None = None, workers: int = 1,
                 progress: Progress | None = None) -> Iterator[Result]:
    """Extract each job (a Path or an upload's (name, bytes)) in a worker process under `budget`; one Result
    per job, in input order, lazily. Never raises for a file: timeouts, memory overruns, crashes and
    exceptions are that file's `Result.error`. Each call holds its own workers while it runs."""
    items = jobs if isinstance(jobs, list) else list(jobs)
    with leased_pool(workers, budget or DEFAULT_BUDGET) as pool:
        for done, outcome in enumerate(pool.imap(items), start=1):
            if progress:
                progress(done, len(items), Path(job_name(items[done - 1])).name)
            yield outcome.result


def extract_job(job: Job, budget: Budget | None = None) -> Result:
    """One file or upload, isolated under `budget` (see `extract_jobs`); what a Dask worker runs per file."""
    with leased_pool(1, budget or DEFAULT_BUDGET) as pool:
        (outcome,) = pool.imap([job])
    return outcome.result


def close_workers() -> None:
    """End the idle leased pools (tests that patch the extraction want workers forked after the patch)."""
    with _LEASES:
        pools = list(_IDLE)
        _IDLE.clear()
    for pool in pools:
        pool.close()
