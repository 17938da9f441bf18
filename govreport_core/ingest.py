"""Ingest: files, folders and URLs -> extraction (in-process, a process pool or a Dask cluster) -> the store.

Every file goes through ONE function, `extract_job(job) -> Result`, where a job is a local Path, an fsspec
URL (`s3://…`, `file://…`) or an upload `(name, bytes)`: the single place to wrap extraction (time and
memory budgets), whatever runs it. `extract_stream` runs jobs in order through one of three engines,
with a bounded number in flight so memory stays flat however many files there are:
- in this process (`workers=1`); a local process pool (`workers=N`, the default engine);
- a Dask distributed cluster (`client=`): a `LocalCluster` of N processes, or a running scheduler
  (`tcp://host:8786`) whose workers can read the same paths or URLs. The scheduler reschedules a lost
  worker's files on the others; a file that keeps killing its worker is a failed file with a sentence.
`ingest` streams: files are listed lazily, hashed and checked against the store in batches (a sha256
already stored by the current parser version is skipped, so a re-run resumes where the last one stopped),
extracted, and saved one batch per transaction (`Store.save_batch`). An interrupted run loses at most the
batch in flight. The store has one writer, this process: workers only return Results.

Two steps the dashboard's upload page uses: `extract_files` (paths or uploaded bytes, nothing written)
and `save_results` (results plus the user's overrides, e.g. a year typed in for a report that states none).
"""

from __future__ import annotations

import hashlib
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from . import PARSER_VERSION
from .extract import extract_bytes, extract_path
from .model import Result
from .read import DEFAULT_MAX_BYTES, EXTENSIONS, make_source
from .store import SaveOutcome, Store

Job = Path | str | tuple[str, bytes]  # a local path, an fsspec URL, or an upload (name, bytes)
Progress = Callable[[int, int, str], None]  # (done, total, file name); total may shrink as files are skipped
BATCH_SIZE = 500  # reports per transaction: a crash loses at most this many
IN_FLIGHT_PER_WORKER = 8  # jobs queued per worker: enough to keep it busy, few enough to keep memory flat
ATTEMPTS = 3  # a file whose worker dies this many times is recorded as failed
KEPT_FAILURES = 1000  # failures listed in the summary; the store's `failures` table keeps them all


class IngestError(Exception):
    """A problem that stops a run before or during it (a scheduler that cannot be reached), as a sentence."""


@dataclass
class Summary:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate: int = 0
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
                f"{self.failed_count} failed")


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


def extract_job(job: Job) -> Result:
    """Extract one job (a path, an fsspec URL or an upload); never raises: a problem is a Result with `error`."""
    name = job[0] if isinstance(job, tuple) else str(job)
    try:
        if isinstance(job, tuple):
            return extract_bytes(job[1], job[0])
        if is_url(job):
            return extract_bytes(_read_url(str(job)), str(job))
        return extract_path(job)
    except _Unreadable as exc:
        return _failed(job, str(exc))
    except Exception as exc:  # a bug in one file must not stop the run (nor kill a cluster worker's task)
        return Result(make_source(b"", name, "txt"), error=f"Internal error while reading this file: {exc!r}.",
                      parser_version=PARSER_VERSION)


def _read_url(url: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    import fsspec

    try:
        with fsspec.open(url, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except ImportError as exc:  # e.g. s3:// without s3fs installed
        raise _Unreadable(f"This kind of URL needs a package that is not installed ({exc}).") from exc
    except (OSError, ValueError) as exc:
        raise _Unreadable(f"The file cannot be opened: {exc}.") from exc
    if len(data) > max_bytes:
        raise _Unreadable(f"The file is over the {max_bytes / 1e6:.0f} MB limit.")
    return data


class _Unreadable(Exception):
    pass


def _failed(job: Job, reason: str) -> Result:
    name = job[0] if isinstance(job, tuple) else str(job)
    return Result(make_source(b"", name, "txt"), error=reason, parser_version=PARSER_VERSION)


def extract_stream(jobs: Iterable[Job], workers: int = 1, client: Any = None) -> Iterator[tuple[Job, Result]]:
    """(job, result) in the jobs' order, extracted here, in `workers` processes, or on a Dask `client`."""
    if client is not None:
        return _dask_stream(iter(jobs), client)
    if workers <= 1:
        return ((job, extract_job(job)) for job in jobs)
    return _pool_stream(iter(jobs), workers)


def _pool_stream(jobs: Iterator[Job], workers: int) -> Iterator[tuple[Job, Result]]:
    """A local process pool; a worker that dies (killed, out of memory) breaks the pool: the files in flight
    are given to a new pool, and one whose worker died ATTEMPTS times is recorded as failed."""
    pool = _new_pool(workers)
    flight: deque[list[Any]] = deque()  # [job, future | Result | None (not yet given to a pool), attempts]

    def submit_waiting() -> None:
        nonlocal pool
        while True:
            try:
                for entry in flight:
                    if entry[1] is None:
                        entry[1] = pool.submit(extract_job, entry[0])
                return
            except BrokenProcessPool:
                pool = _replace_broken(pool, flight, workers)

    try:
        while True:
            while len(flight) < workers * IN_FLIGHT_PER_WORKER and (job := next(jobs, None)) is not None:
                flight.append([job, None, 1])
            submit_waiting()
            if not flight:
                return
            job, pending, _ = flight[0]
            if not isinstance(pending, Result):
                try:
                    pending = pending.result()
                except BrokenProcessPool:
                    pool = _replace_broken(pool, flight, workers)
                    continue
            flight.popleft()
            yield job, pending
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _replace_broken(pool: ProcessPoolExecutor, flight: deque[list[Any]], workers: int) -> ProcessPoolExecutor:
    """A new pool for a broken one; files whose result was lost wait to be given to it again."""
    # Wait for the broken pool's threads to end: forking new workers while they hold a lock leaves them stuck.
    pool.shutdown(wait=True, cancel_futures=True)
    for entry in flight:
        future = entry[1]
        if future is None or isinstance(future, Result) or (future.done() and not future.cancelled()
                                                            and future.exception() is None):
            continue
        if entry[2] >= ATTEMPTS:
            entry[1] = _failed(entry[0], f"The process reading this file stopped {ATTEMPTS} times "
                                         "(killed, or out of memory).")
        else:
            entry[1], entry[2] = None, entry[2] + 1
    return _new_pool(workers)


def _new_pool(workers: int) -> ProcessPoolExecutor:
    # Ctrl-C stops the run in this process (which saves what it has); the workers just end with the pool.
    return ProcessPoolExecutor(max_workers=workers, initializer=signal.signal, initargs=(signal.SIGINT, signal.SIG_IGN))


def _dask_stream(jobs: Iterator[Job], client: Any) -> Iterator[tuple[Job, Result]]:
    """Dask futures, in order; the scheduler moves a lost worker's files to the others by itself."""
    from distributed import KilledWorker

    width = max(1, sum(client.nthreads().values())) * IN_FLIGHT_PER_WORKER
    flight: deque[tuple[Job, Any]] = deque()
    try:
        while True:
            while len(flight) < width and (job := next(jobs, None)) is not None:
                flight.append((job, client.submit(extract_job, job, pure=False)))
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
                  workers: int = 1, progress: Progress | None = None) -> list[Result]:
    """Extract paths or (name, bytes) uploads, in `workers` processes; results in input order."""
    jobs: list[Job] = [*(paths or []), *(uploads or [])]
    results: list[Result] = []
    for i, (job, result) in enumerate(extract_stream(jobs, workers if len(jobs) > 1 else 1)):
        results.append(result)
        if progress:
            progress(i + 1, len(jobs), _name(job))
    return results


def save_results(store: Store, results: list[Result], overrides: list[dict] | None = None) -> list[SaveOutcome]:
    """Results (with the user's overrides, one dict or None per result) into the store in one transaction."""
    return store.save_batch(results, overrides)


def ingest(store: Store, paths: Iterable[str | Path], workers: int = 1, progress: Progress | None = None,
           client: Any = None, batch_size: int = BATCH_SIZE) -> Summary:
    """Everything under `paths` into the store, in batches; files already read by this parser are skipped."""
    summary = Summary()
    paths = list(paths)  # the arguments (not the files) are read twice
    total = sum(1 for _ in iter_jobs(paths))  # a listing pass first, so the progress bar can give an ETA
    done = 0
    todo = _unread(store, iter_jobs(paths), batch_size, summary)
    batch: list[tuple[Job, Result]] = []
    try:
        for job, result in extract_stream(todo, workers, client):
            batch.append((job, result))
            if len(batch) >= batch_size:
                _save(store, batch, summary)
                batch = []
            done += 1
            if progress:
                progress(done, total - summary.skipped, _name(job))
    finally:  # Ctrl-C or a lost cluster: what was extracted is kept, and a re-run starts after it
        _save(store, batch, summary)
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
