"""Ingest: files, folders and URLs -> extraction (in-process, a process pool or a Dask cluster) -> the store.

Every file goes through ONE function, `extract_job(job, budget) -> Result`, where a job is a local Path, an
fsspec URL (`s3://…`, `file://…`) or an upload `(name, bytes)`: extraction under the file's time and memory
budget (`budget.py`), whatever runs it. `extract_stream` runs jobs in order through one of two engines, with
a bounded number in flight so memory stays flat however many files there are:
- local worker processes (`workers=N`, the default engine): `budget.WorkerPool`, each worker under
  RLIMIT_AS and a timeout; a worker killed by something else than its file's budget has its file given
  again (up to ATTEMPTS times), a file that keeps killing its worker is a failed file with a sentence;
- a Dask distributed cluster (`client=`): a `LocalCluster` of N processes, or a running scheduler
  (`tcp://host:8786`) whose workers can read the same paths or URLs. The scheduler reschedules a lost
  worker's files on the others; the budget's size limits and exception isolation hold there too.
`ingest` streams: files are listed lazily, hashed and checked against the store in batches (a sha256
already stored by the current parser version is skipped, so a re-run resumes where the last one stopped),
extracted, and saved one batch per transaction (`Store.save_batch`). An interrupted run loses at most the
batch in flight. The store has one writer, this process: workers only return Results.

Two steps the dashboard's upload page uses: `extract_files` (paths or uploaded bytes, in budgeted worker
processes, nothing written) and `save_results` (results plus the user's overrides, e.g. a year typed in).
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from govreport_core.extraction.readers import EXTENSIONS, make_source
from govreport_core.extraction.version import PARSER_VERSION
from govreport_core.model import Result
from govreport_core.store import SaveOutcome, Store

from .workers import WORKER_DIED, Budget, Job, WorkerPool, extract_jobs, run_job

Progress = Callable[[int, int, str], None]  # (done, total, file name); total may shrink as files are skipped
BATCH_SIZE = 500  # reports per transaction: a crash loses at most this many
IN_FLIGHT_PER_WORKER = 8  # jobs queued per worker: enough to keep it busy, few enough to keep memory flat
ATTEMPTS = 3  # a file whose worker dies this many times is recorded as failed
RECLUSTER_AFTER = 20_000  # reports written by one run past which the pages' wide table is put back in order
KEPT_FAILURES = 1000  # failures listed in the summary; the store's `failures` table keeps them all


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


def is_url(job: object) -> bool:
    return isinstance(job, str) and "://" in job


def iter_jobs(paths: Iterable[str | Path]) -> Iterator[Path | str]:
    """Files, the report files inside folders (recursively, in a stable order), and URLs; lazily."""
    for raw in paths:
        if is_url(raw):
            yield str(raw)
            continue
        path = Path(raw)
        if not path.is_dir():
            yield path
            continue
        for folder, dirs, files in os.walk(path):
            dirs.sort()
            for name in sorted(files):
                if Path(name).suffix.lower() in EXTENSIONS:
                    yield Path(folder) / name


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files, and the report files inside folders (recursively), in a stable order."""
    return [Path(job) for job in iter_jobs(paths)]


def extract_job(job: Job, budget: Budget | None = None) -> Result:
    """Extract one job here (a path, an fsspec URL or an upload) within the budget's size limits; never raises:
    a problem is a Result with `error`. What a Dask worker runs; local engines run it in budgeted workers."""
    return run_job(job, budget or Budget())[0]


def _failed(job: Job, reason: str) -> Result:
    name = job[0] if isinstance(job, tuple) else str(job)
    return Result(make_source(b"", name, "txt"), error=reason, parser_version=PARSER_VERSION)


def extract_stream(jobs: Iterable[Job], workers: int = 1, client: Any = None,
                   budget: Budget | None = None) -> Iterator[tuple[Job, Result]]:
    """(job, result) as they are extracted: in `workers` budgeted processes, or on a Dask `client`."""
    if client is not None:
        return _dask_stream(iter(jobs), client, budget)
    return _local_stream(iter(jobs), workers, budget or Budget())


def _local_stream(jobs: Iterator[Job], workers: int, budget: Budget) -> Iterator[tuple[Job, Result]]:
    """Budgeted worker processes (`budget.WorkerPool`). A worker killed from outside (not by its file's budget)
    costs its file nothing: the file is given again after the others, up to ATTEMPTS times in all."""
    retry: deque[Job] = deque()
    with WorkerPool(workers, budget) as pool:
        pending: Iterator[Job] = jobs
        for attempt in range(1, ATTEMPTS + 1):
            given: deque[Job] = deque()

            def feed(source: Iterator[Job] = pending, given: deque[Job] = given) -> Iterator[Job]:
                for job in source:
                    given.append(job)
                    yield job

            for outcome in pool.imap(feed()):
                job = given.popleft()
                died = outcome.result.error is not None and outcome.result.error.startswith(WORKER_DIED)
                if died and attempt < ATTEMPTS:
                    retry.append(job)
                    continue
                if died:
                    yield job, _failed(job, f"The process reading this file stopped {ATTEMPTS} times "
                                            "(killed, or out of memory).")
                    continue
                yield job, outcome.result
            if not retry:
                return
            pending, retry = iter(list(retry)), deque()


def _dask_stream(jobs: Iterator[Job], client: Any, budget: Budget | None) -> Iterator[tuple[Job, Result]]:
    """Dask futures, in order; the scheduler moves a lost worker's files to the others by itself."""
    from distributed import KilledWorker

    width = max(1, sum(client.nthreads().values())) * IN_FLIGHT_PER_WORKER
    flight: deque[tuple[Job, Any]] = deque()
    try:
        while True:
            while len(flight) < width and (job := next(jobs, None)) is not None:
                flight.append((job, client.submit(extract_job, job, budget, pure=False)))
            if not flight:
                return
            job, future = flight.popleft()
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
            yield job, result
    finally:
        for _, future in flight:
            future.cancel()


def extract_files(paths: list[Path] | None = None, uploads: list[tuple[str, bytes]] | None = None,
                  workers: int = 1, progress: Progress | None = None, budget: Budget | None = None) -> list[Result]:
    """Extract paths or (name, bytes) uploads in `workers` worker processes under `budget`; results in input
    order. A file that fails (any exception, over its time or memory budget) is its own error result."""
    jobs: list[Job] = [*(paths or []), *(uploads or [])]
    return list(extract_jobs(jobs, budget, workers, progress))


def save_results(store: Store, results: list[Result], overrides: list[dict] | None = None) -> list[SaveOutcome]:
    """Results (with the user's overrides, one dict or None per result) into the store in one transaction."""
    return store.save_batch(results, overrides)


def ingest(store: Store, paths: Iterable[str | Path], workers: int = 1, progress: Progress | None = None,
           budget: Budget | None = None, client: Any = None, batch_size: int = BATCH_SIZE) -> Summary:
    """Everything under `paths` into the store, in batches; files already read by this parser are skipped."""
    summary = Summary()
    paths = list(paths)  # the arguments (not the files) are read twice
    total = sum(1 for _ in iter_jobs(paths))  # a listing pass first, so the progress bar can give an ETA
    done = 0
    todo = _unread(store, iter_jobs(paths), batch_size, summary)
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
    finally:  # Ctrl-C or a lost cluster: what was extracted is kept, and a re-run starts after it
        _save(store, batch, summary)
    if summary.new + summary.updated >= RECLUSTER_AFTER:
        store.recluster()  # the wide table in display order again: fast previews and filters (store/derived.py)
    return summary


def _unread(store: Store, jobs: Iterator[Path | str], batch_size: int, summary: Summary) -> Iterator[Job]:
    """The jobs whose file is not yet stored by this parser version, checked a batch at a time."""
    while chunk := list(islice(jobs, batch_size)):
        hashes = {job: _sha256(job) for job in chunk}
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
        summary.count(outcome, str(job))


def _sha256(job: Path | str) -> str | None:
    """The file's sha256 (streamed), or None when it cannot be read here (the worker then says why)."""
    import fsspec  # local paths too: one way to open both

    digest = hashlib.sha256()
    try:
        with fsspec.open(str(job), "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except (OSError, ValueError, ImportError):
        return None
    return digest.hexdigest()


def _name(job: Job) -> str:
    return job[0] if isinstance(job, tuple) else Path(str(job)).name


def connect_dask(address: str, workers: int, timeout: str = "10s") -> Any:
    """A Dask client: `local` starts a LocalCluster of `workers` processes; otherwise a running scheduler's
    address (tcp://host:8786). A scheduler that cannot be reached is an IngestError before any work starts."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise IngestError("Dask is not installed: pip install -r requirements.txt.") from exc
    if address == "local":
        # One thread per worker process: extraction is pure Python and holds the GIL.
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=40)
        return Client(cluster)
    try:
        return Client(address, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as exc:
        raise IngestError(f"The Dask scheduler at {address} cannot be reached ({exc.__class__.__name__}). "
                          "Is `dask scheduler` running there, and the port open?") from exc


def close_dask(client: Any) -> None:
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()


def terminal_progress() -> Progress:
    """A progress bar on stderr (tqdm) with the rate and the time left."""
    from tqdm import tqdm

    bar: list[tqdm] = []

    def update(done: int, total: int, name: str) -> None:
        if not bar:
            bar.append(tqdm(total=total, unit="file", file=sys.stderr, desc="extracting", smoothing=0.1))
        if bar[0].total != total:
            bar[0].total = total  # files found already stored are taken off: rate and ETA count real work
        bar[0].set_postfix_str(name[-30:], refresh=False)
        bar[0].update(done - bar[0].n)
        if done >= total:
            bar[0].close()

    return update
