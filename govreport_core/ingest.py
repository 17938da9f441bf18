"""Ingest: files and folders -> extraction in worker processes -> the store, one report per transaction.

Two steps the dashboard uses too: `extract_files` (paths or uploaded bytes, in worker processes under a
time and memory budget, `budget.py`; nothing written) and `save_results` (results plus the user's
overrides, e.g. a year typed in for a report that states none), so an upload can be previewed before it is
saved. A file already stored by the same parser version is not extracted again (its sha256 says so).
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import PARSER_VERSION
from .budget import Budget, Job, extract_jobs
from .model import Result
from .read import EXTENSIONS
from .store import SaveOutcome, Store

Progress = Callable[[int, int, str], None]  # (done, total, file name)


@dataclass
class Summary:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate: int = 0
    no_data: int = 0  # blank templates: kept as sources, not counted as reports
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)

    def count(self, outcome: SaveOutcome, name: str) -> None:
        if outcome.status == "failed":
            self.failed.append((name, outcome.message))
        else:
            setattr(self, outcome.status, getattr(self, outcome.status) + 1)

    def sentence(self) -> str:
        return (f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged, {self.duplicate} duplicate, "
                f"{self.no_data} without any data, {len(self.failed)} failed")


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files, and the report files inside folders (recursively), in a stable order."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in EXTENSIONS)
        else:
            out.append(path)
    return out


def extract_files(paths: list[Path] | None = None, uploads: list[tuple[str, bytes]] | None = None,
                  workers: int = 1, progress: Progress | None = None, budget: Budget | None = None) -> list[Result]:
    """Extract paths or (name, bytes) uploads in `workers` worker processes under `budget`; results in input
    order. A file that fails (any exception, over its time or memory budget) is its own error result."""
    jobs: list[Job] = [*(paths or []), *(uploads or [])]
    return list(extract_jobs(jobs, budget, workers, progress))


def save_results(store: Store, results: list[Result], overrides: list[dict] | None = None) -> list[SaveOutcome]:
    return [store.save(result, (overrides or [{}] * len(results))[i] or None) for i, result in enumerate(results)]


def ingest(store: Store, paths: Iterable[str | Path], workers: int = 1, progress: Progress | None = None,
           budget: Budget | None = None) -> Summary:
    """Everything under `paths` into the store; the run goes on past files that fail."""
    summary = Summary()
    files = expand_paths(paths)
    todo: list[Path] = []
    for path in files:
        known = store.known_source(_sha256(path)) if path.is_file() else None
        if known and known[1] == PARSER_VERSION:
            summary.unchanged += 1
        else:
            todo.append(path)
    results = extract_files(todo, workers=workers, progress=progress, budget=budget)
    for path, result in zip(todo, results, strict=True):
        summary.count(store.save(result), str(path))
    return summary


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def terminal_progress() -> Progress:
    """A progress bar on stderr (tqdm)."""
    from tqdm import tqdm

    bar: list[tqdm] = []

    def update(done: int, total: int, name: str) -> None:
        if not bar:
            bar.append(tqdm(total=total, unit="file", file=sys.stderr, desc="extracting"))
        bar[0].set_postfix_str(name[-30:], refresh=False)
        bar[0].update(1)
        if done == total:
            bar[0].close()

    return update
