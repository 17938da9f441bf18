"""Ingest: files, folders and URLs -> extraction (budgeted local workers or a Dask cluster) -> the store.

Every file goes through ONE function, `workers.extract_job(job, budget) -> Result`, where a job is a local Path,
an fsspec URL (`s3://…`, `file://…`) or an upload: extraction in a worker process under the file's time and
memory budget (`workers.py`), whatever runs it. `extract_stream` runs jobs through one of two engines, with a
bounded number in flight so memory stays flat however many files there are, and hands results back as they
complete (a file that takes its whole budget holds back nothing but itself):
- local worker processes (`workers=N`, the default engine): `workers.WorkerPool`; a worker killed by
  something else than its file's budget has its file given again (up to ATTEMPTS times), a file that keeps
  killing its worker is a failed file with a sentence;
- a Dask distributed cluster (`client=`): a `LocalCluster` of N processes, or a running scheduler
  (`tcp://host:8786`) whose workers can read the same paths or URLs. Each Dask task runs its file in a
  budgeted worker process of its own Dask worker (the same time and memory budget as the local engine; the
  nanny's memory limit is a backstop); the scheduler reschedules a lost worker's files on the others.
`ingest` streams: files are listed lazily (types and sizes from `stat`, nothing opened: a FIFO, a device or a
sparse 20 GB file is left to the worker, which refuses it with a sentence; a folder that cannot be listed is a
failure with its own), hashed and checked against the store in batches (a sha256 already stored by the current
parser version is skipped, so a re-run resumes where the last one stopped; only regular files within the size
limit are hashed, and for at most the time budget), extracted, and saved one batch per transaction
(`Store.save_batch`). An interrupted run loses at most the batch in flight. The store has one writer, this
process: workers only return Results.

Two steps the dashboard's upload page uses: `extract_files` (paths or uploads, in budgeted worker processes,
nothing written) and `save_results` (results plus the user's overrides, e.g. a year typed in).
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from govreport_core.extraction.limits import local_path
from govreport_core.extraction.names import printable_name
from govreport_core.extraction.readers import EXTENSIONS, make_source
from govreport_core.extraction.version import PARSER_VERSION
from govreport_core.model import Result
from govreport_core.store import SaveOutcome, Store, StoreError, db

from .workers import WORKER_DIED, Budget, Job, Refused, WorkerPool, extract_job, extract_jobs, job_name

Progress = Callable[[int, int, str], None]  # (done, total, file name); total may shrink as files are skipped
BATCH_SIZE = 500  # reports per transaction: a crash loses at most this many
IN_FLIGHT_PER_WORKER = 8  # jobs queued per worker: enough to keep it busy, few enough to keep memory flat
ATTEMPTS = 3  # a file whose worker dies this many times is recorded as failed
RECLUSTER_AFTER = 20_000  # reports written by one run past which the pages' wide table is put back in order
KEPT_FAILURES = 1000  # failures listed in the summary; the store's `failures` table keeps them all
DASK_MEMORY_LIMIT = "4GB"  # the nanny's limit per Dask worker process: a backstop, the files run in children


class IngestError(Exception):
    """A problem that stops a run before or during it (a scheduler that cannot be reached), as a sentence."""


@dataclass
class Summary:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate: int = 0
    no_data: int = 0  # blank templates: kept as sources, not counted as reports
    skipped: int = 0  # of the unchanged: found stored by this parser before extraction
    failed_count: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason): the first KEPT_FAILURES
    unsorted: bool = False  # the pages' wide table could not be put back in display order (Store.recluster)

    def count(self, outcome: SaveOutcome, name: str) -> None:
        if outcome.status == "failed":
            self.failed_count += 1
            if len(self.failed) < KEPT_FAILURES:
                self.failed.append((name, outcome.message))
        else:
            setattr(self, outcome.status, getattr(self, outcome.status) + 1)

    def sentence(self) -> str:
        return (f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged, {self.duplicate} duplicate, "
                f"{self.no_data} without any data, {self.failed_count} failed")

    def notes(self) -> list[str]:
        """What the user should know beyond the counts."""
        if not self.unsorted:
            return []
        return [f"note: every report is saved, but the dashboard's table of reports could not be put back in display "
                f"order within {db.RECLUSTER_MEMORY_MB:,} MB of memory: every figure is right, pages that filter by year "
                "or area read more of it and are slower."]


def is_url(job: object) -> bool:
    return isinstance(job, str) and "://" in job


def iter_jobs(paths: Iterable[str | Path]) -> Iterator[Path | str | Refused]:
    """Files, the report files inside folders (recursively, in a stable order), and URLs; lazily. Nothing is
    opened here: what a path is (FIFO, device, a file too big) is for the worker to say. A folder that cannot
    be listed is a `Refused` job with its sentence."""
    for raw in paths:
        if is_url(raw):
            yield str(raw)
            continue
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path)
        else:
            yield path


def _walk(top: Path) -> Iterator[Path | Refused]:
    """The report files under a folder, depth first in name order (os.walk's order, with its errors kept)."""
    try:
        with os.scandir(top) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        yield Refused(str(top), f"This folder cannot be read ({exc.strerror or exc}); the files in it are not read.")
        return
    folders = []
    for entry in entries:
        try:
            is_folder = entry.is_dir(follow_symlinks=False)  # a link to a folder is not followed (os.walk's way)
        except OSError:
            is_folder = False
        if is_folder:
            folders.append(Path(entry.path))
        elif Path(entry.name).suffix.lower() in EXTENSIONS:
            yield Path(entry.path)
    for folder in folders:
        yield from _walk(folder)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files, and the report files inside folders (recursively), in a stable order."""
    return [Path(job) for job in iter_jobs(paths) if not isinstance(job, Refused)]


def _failed(job: Job, reason: str) -> Result:
    return Result(make_source(b"", job_name(job), "txt"), error=reason, parser_version=PARSER_VERSION)


def extract_stream(jobs: Iterable[Job], workers: int = 1, client: Any = None,
                   budget: Budget | None = None) -> Iterator[tuple[Job, Result]]:
    """(job, result) as they complete: in `workers` budgeted processes, or on a Dask `client`."""
    if client is not None:
        return _dask_stream(iter(jobs), client, budget or Budget())
    return _local_stream(iter(jobs), workers, budget or Budget())


def _local_stream(jobs: Iterator[Job], workers: int, budget: Budget) -> Iterator[tuple[Job, Result]]:
    """Budgeted worker processes (`workers.WorkerPool`). A worker killed from outside (not by its file's budget)
    costs its file nothing: the file is given again after the others, up to ATTEMPTS times in all."""
    with WorkerPool(workers, budget) as pool:
        pending: Iterator[Job] = jobs
        for attempt in range(1, ATTEMPTS + 1):
            retry: list[Job] = []
            for outcome in pool.imap_unordered(pending):
                job = outcome.job
                assert job is not None
                died = outcome.result.error is not None and outcome.result.error.startswith(WORKER_DIED)
                if died and attempt < ATTEMPTS:
                    retry.append(job)
                elif died:
                    yield job, _failed(job, f"The process reading this file stopped {ATTEMPTS} times "
                                            "(killed, or out of memory).")
                else:
                    yield job, outcome.result
            if not retry:
                return
            pending = iter(retry)


def _dask_stream(jobs: Iterator[Job], client: Any, budget: Budget) -> Iterator[tuple[Job, Result]]:
    """Dask futures, as they complete; each file in a budgeted worker process of its Dask worker (`extract_job`).
    The scheduler moves a lost worker's files to the others by itself."""
    from distributed import KilledWorker, as_completed

    width = max(1, sum(client.nthreads().values())) * IN_FLIGHT_PER_WORKER
    flight: dict[Any, Job] = {}
    finished = as_completed()

    def submit() -> None:
        while len(flight) < width and (job := next(jobs, None)) is not None:
            future = client.submit(extract_job, job, budget, pure=False)
            flight[future] = job
            finished.add(future)

    try:
        submit()
        while flight:
            future = next(finished)
            job = flight.pop(future)
            try:
                result = future.result()
            except KilledWorker:
                result = _failed(job, "The cluster worker reading this file died each time it was given it "
                                      "(killed, or out of memory).")
            except Exception as exc:  # the client lost its scheduler: the run stops, a re-run resumes
                raise IngestError(f"The Dask cluster stopped answering ({exc.__class__.__name__}: {exc}); "
                                  "run the same command again to resume.") from exc
            finally:
                future.release()
            submit()
            yield job, result
    finally:
        for future in flight:
            future.cancel()


def extract_files(paths: list[Path] | None = None, uploads: list[tuple[str, bytes] | tuple[str, Path]] | None = None,
                  workers: int = 1, progress: Progress | None = None, budget: Budget | None = None) -> list[Result]:
    """Extract paths or uploads ((name, bytes), or (name, a file the upload was spooled to)) in `workers` worker
    processes of this caller's own under `budget`; results in input order. A file that fails (any exception,
    over its time or memory budget) is its own error result."""
    jobs: list[Job] = [*(paths or []), *(uploads or [])]
    return list(extract_jobs(jobs, budget, workers, progress))


def save_results(store: Store, results: list[Result], overrides: list[dict] | None = None) -> list[SaveOutcome]:
    """Results (with the user's overrides, one dict or None per result) into the store in one transaction."""
    return store.save_batch(results, overrides)


def ingest(store: Store, paths: Iterable[str | Path], workers: int = 1, progress: Progress | None = None,
           budget: Budget | None = None, client: Any = None, batch_size: int = BATCH_SIZE) -> Summary:
    """Everything under `paths` into the store, in batches; files already read by this parser are skipped."""
    budget = budget or Budget()
    summary = Summary()
    paths = list(paths)  # the arguments (not the files) are read twice
    total = sum(1 for _ in iter_jobs(paths))  # a listing pass first, so the progress bar can give an ETA
    done = 0
    todo = _unread(store, iter_jobs(paths), batch_size, summary, budget)
    batch: list[tuple[Job, Result]] = []
    try:
        for job, result in extract_stream(todo, workers, client, budget):
            batch.append((job, result))
            if len(batch) >= batch_size:
                _save(store, batch, summary)
                batch = []
            done += 1
            if progress:
                progress(done, total - summary.skipped, _name(job))
    except StoreError:
        batch = []  # the database refused a write (a full disk): the run stops with its one sentence, no retry
        raise
    finally:  # Ctrl-C or a lost cluster: what was extracted is kept, and a re-run starts after it
        _save(store, batch, summary)
    if summary.new + summary.updated >= RECLUSTER_AFTER:
        # The wide table in display order again: fast previews and filters (store/derived.py).
        summary.unsorted = not store.recluster()
    return summary


def _unread(store: Store, jobs: Iterator[Path | str | Refused], batch_size: int, summary: Summary,
            budget: Budget) -> Iterator[Job]:
    """The jobs whose file is not yet stored by this parser version, checked a batch at a time."""
    while chunk := list(islice(jobs, batch_size)):
        hashes = {job: None if isinstance(job, Refused) else _sha256(job, budget) for job in chunk}
        current = store.current_sources([h for h in hashes.values() if h])
        for job in chunk:
            if hashes[job] in current:
                summary.unchanged += 1
                summary.skipped += 1
            else:
                yield job


def _save(store: Store, batch: list[tuple[Job, Result]], summary: Summary) -> None:
    if not batch:
        return
    for (job, _), outcome in zip(batch, store.save_batch([r for _, r in batch]), strict=True):
        summary.count(outcome, printable_name(job_name(job)))


def _sha256(job: Path | str, budget: Budget) -> str | None:
    """The file's sha256, or None when it is not hashed here (the worker then reads it, or says why not).

    Bounded like an extraction: a local path must be a regular file (checked on the descriptor opened without
    blocking: a FIFO or /dev/zero is never read) within the size limit (st_size first: a sparse 20 GB file is
    not read at all); reading stops past the size limit or the time budget."""
    path = local_path(job) if isinstance(job, str) else str(job)
    if path is None:
        return _sha256_url(str(job), budget)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > budget.max_file_bytes:
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return _digest(handle, budget)
    except OSError:
        return None
    finally:
        os.close(fd)


def _sha256_url(url: str, budget: Budget) -> str | None:
    import fsspec  # a remote file is read here once more than by its worker: only to skip it when stored

    try:
        with fsspec.open(url, "rb") as handle:
            return _digest(handle, budget)
    except (OSError, ValueError, ImportError):
        return None


def _digest(handle: Any, budget: Budget) -> str | None:
    digest = hashlib.sha256()
    read = 0
    started = time.monotonic()
    while block := handle.read(1 << 20):
        read += len(block)
        if read > budget.max_file_bytes or time.monotonic() - started > budget.seconds:
            return None  # the worker refuses it with its sentence
        digest.update(block)
    return digest.hexdigest()


def _name(job: Job) -> str:
    return printable_name(Path(job_name(job)).name)


def connect_dask(address: str, workers: int, timeout: str = "10s") -> Any:
    """A Dask client: `local` starts a LocalCluster of `workers` processes; otherwise a running scheduler's
    address (tcp://host:8786). A scheduler that cannot be reached, or whose workers cannot start the budgeted
    process each file is read in, is an IngestError before any work starts."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise IngestError("Dask is not installed: pip install -r requirements.txt.") from exc
    if address == "local":
        # Workers that may start processes (each file runs in one, under the budget); the setting stays for the
        # nanny's restarts of a lost worker. One thread per worker process: extraction holds the GIL.
        # The scheduler's HTTP server starts even without a dashboard, on 8787 unless told (dask/distributed
        # #7207), warning when another cluster holds it: a free port on this machine only, no dashboard.
        dask.config.set({"distributed.worker.daemon": False})
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               memory_limit=DASK_MEMORY_LIMIT, dashboard_address="127.0.0.1:0",
                               scheduler_kwargs={"dashboard": False}, silence_logs=40)
        return Client(cluster)
    try:
        client = Client(address, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as exc:
        raise IngestError(f"The Dask scheduler at {address} cannot be reached ({exc.__class__.__name__}). "
                          "Is `dask scheduler` running there, and the port open?") from exc
    if any(client.run(_daemonic).values()):
        client.close()
        raise IngestError(f"The Dask workers at {address} cannot start the process each file is read in (its time "
                          "and memory budget): start them with DASK_DISTRIBUTED__WORKER__DAEMON=False in their "
                          "environment.")
    return client


def _daemonic() -> bool:
    import multiprocessing

    return bool(multiprocessing.current_process().daemon)


def close_dask(client: Any) -> None:
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()


class TerminalProgress:
    """A progress bar on stderr (tqdm) with the rate and the time left. `close` ends its line, so a sentence printed
    after a run that stopped early (a full disk) stands on a line of its own and is the last thing shown."""

    def __init__(self) -> None:
        from tqdm import tqdm

        self._make = lambda total: tqdm(total=total, unit="file", file=sys.stderr, desc="extracting", smoothing=0.1)
        self._bar: Any = None

    def __call__(self, done: int, total: int, name: str) -> None:
        if self._bar is None:
            self._bar = self._make(total)
        if self._bar.total != total:
            self._bar.total = total  # files found already stored are taken off: rate and ETA count real work
        self._bar.set_postfix_str(name[-30:], refresh=False)
        self._bar.update(done - self._bar.n)
        if done >= total:
            self.close()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()  # its last state drawn once, then a new line; never again at exit


def terminal_progress() -> TerminalProgress:
    return TerminalProgress()
