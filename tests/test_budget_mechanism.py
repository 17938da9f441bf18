"""Issue 22 (and 20.5): how the budget is counted and who waits for whom.

Memory is the resident size a file adds to its worker and the worker's children (address space reserved but never
touched costs nothing; a child's memory counts and the child dies with its worker); a scan's deadline grows with its
pages; each caller of `extract_jobs` has workers of its own (a slow file in one dashboard session never holds another
session's), within a cap; streams hand results back as they complete. Extraction is replaced by small stand-ins
where a test needs a file that behaves a certain way (`_behaving`): forked workers carry the patch.
"""

from __future__ import annotations

import mmap
import multiprocessing
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import psutil
import pytest
from report_builder import sample_report

import govreport_core.extraction.pipeline as pipeline
from govreport_core.extraction import limits
from govreport_core.model import ReportError
from govreport_core.service import workers
from govreport_core.service.ingest import extract_files, extract_stream
from govreport_core.service.workers import Budget, WorkerPool

GOOD = sample_report("2021").render_html().encode()
MB = 1_000_000


def _behaving(original):
    """extract_bytes, except for files whose name says how to behave."""
    def extract_bytes(data: bytes, name: str = "upload", max_bytes: int = 0):
        kind = Path(name).name
        if kind.startswith("reserve"):  # 3 GB of address space, never touched: no memory used
            area = mmap.mmap(-1, 3000 * MB)
            result = original(data, name, max_bytes)
            area.close()
            return result
        if kind.startswith("touch"):  # 200 MB really used
            held = bytearray(b"x") * (200 * MB)  # written, so resident
            time.sleep(5)
            return original(data + bytes(held[:0]), name, max_bytes)
        if kind.startswith("child"):  # a program of its own holding 200 MB (as Tesseract or LibreOffice would)
            child = subprocess.Popen([sys.executable, "-c", "import time; x = bytearray(200_000_000); time.sleep(60)"])
            Path(name).with_suffix(".pid").write_text(str(child.pid))
            child.wait()
        if kind.startswith("endless"):  # a file that never finishes (as glued digits once did)
            time.sleep(600)
        if kind.startswith("scan"):  # a scan of 2 pages reading for 1.5 s, or 8 s
            limits.note_scanned_pages(2)
            time.sleep(1.5 if "short" in kind else 8)
        return original(data, name, max_bytes)
    return extract_bytes


def run(jobs: list, budget: Budget) -> list:
    with WorkerPool(1, budget) as pool:
        return [outcome.result for outcome in pool.imap(jobs)]


@pytest.fixture
def behaving(monkeypatch: pytest.MonkeyPatch):
    """`run`, in workers forked after extraction was replaced by `_behaving`."""
    workers.close_workers()
    monkeypatch.setattr(pipeline, "extract_bytes", _behaving(pipeline.extract_bytes))
    yield run
    workers.close_workers()


# --- memory: resident, children included ----------------------------------------------------------------

@pytest.mark.slow  # worker processes over their memory budget
def test_reserved_address_space_is_not_memory_and_used_memory_is(behaving) -> None:
    """RLIMIT_AS = 1 GB stopped the OCR libraries before they read a page: they reserve far more than they use."""
    reserved, used = behaving([("reserve.html", GOOD), ("touch.html", GOOD)], Budget(memory_mb=100, seconds=30))
    assert reserved.error is None and reserved.figures
    assert used.error == "Reading the file uses more than 100 MB of memory; it was stopped."


@pytest.mark.slow  # worker processes over their memory budget
def test_a_childs_memory_counts_and_the_child_ends_with_its_worker(behaving, tmp_path: Path) -> None:
    name = str(tmp_path / "child.html")
    (result,) = behaving([(name, GOOD)], Budget(memory_mb=100, seconds=30))
    assert result.error == "Reading the file uses more than 100 MB of memory; it was stopped."
    child = int(Path(name).with_suffix(".pid").read_text())
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


# --- time: a scan's deadline grows with its pages ----------------------------------------------------------

@pytest.mark.slow  # waits out budgets of seconds
def test_a_scans_deadline_grows_with_its_pages(behaving, monkeypatch: pytest.MonkeyPatch) -> None:
    # base 1 s + 1 s a page: 3 s for 2 pages, where the timeout is 1 s.
    monkeypatch.setattr(limits, "SETTINGS", replace(limits.SETTINGS, scan_seconds_base=1, scan_seconds_per_page=1))
    assert limits.deadline(Budget(seconds=1), 2) == 3 and limits.deadline(Budget(seconds=60), 2) == 60
    short, long, plain = behaving([("scan_short.html", GOOD), ("scan_long.html", GOOD), ("touch.html", GOOD)],
                                  Budget(seconds=1, memory_mb=1000))
    assert short.error is None and short.figures  # 1.5 s: past the timeout, within a 2-page scan's 3 s
    assert long.error == "Reading the file took longer than 3 s (the time given to a scan of 2 pages); it was stopped."
    assert plain.error == "Reading the file took longer than 1 s; it was stopped."  # not a scan: the timeout


def test_outside_a_worker_a_page_count_changes_nothing() -> None:
    limits.note_scanned_pages(40)  # the OCR reader run in-process (tests, a notebook): nothing to tell


# --- who waits for whom -------------------------------------------------------------------------------------

def _race(budget: Budget) -> list[str]:
    """A file that never ends (`endless`, under the `behaving` fixture) in one thread, a good report in another
    started just after: the order in which they come back."""
    order: list[str] = []

    def extract(name: str, data: bytes) -> None:
        (result,) = extract_files(uploads=[(name, data)], budget=budget)
        order.append(name if result.error is None or "took longer" in result.error else f"{name}: {result.error}")

    slow = threading.Thread(target=extract, args=("endless.html", GOOD))
    slow.start()
    time.sleep(1.0)  # the slow file is in its worker
    fast = threading.Thread(target=extract, args=("good.html", GOOD))
    fast.start()
    for thread in (slow, fast):
        thread.join(200)
    return order


@pytest.fixture
def race(behaving, monkeypatch: pytest.MonkeyPatch):
    """`_race` under `behaving`, its thread callers' pools forked (as the main thread's are) so the workers carry
    the stand-in, where a fork server would start them from the unpatched module."""
    monkeypatch.setattr(workers, "_context", lambda: multiprocessing.get_context("fork"))
    return _race


@pytest.mark.slow  # waits out a 30 s budget
def test_one_callers_slow_file_does_not_hold_another_callers_file(race) -> None:
    """Two dashboard sessions, as two threads: each leases a worker of its own."""
    assert race(Budget(seconds=30)) == ["good.html", "endless.html"]  # 30 s: a margin for a loaded machine


@pytest.mark.slow  # waits out a 4 s budget
def test_past_the_cap_a_caller_waits_for_a_free_worker(race, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "MAX_LEASED_WORKERS", 1)
    assert race(Budget(seconds=4)) == ["endless.html", "good.html"]


@pytest.mark.slow  # waits out a 30 s budget
def test_a_stream_hands_results_back_as_they_complete(behaving, tmp_path: Path) -> None:
    """A file that takes its whole time budget holds back nothing but itself (ingest saves in this order)."""
    (tmp_path / "endless.html").write_bytes(GOOD)
    for n in range(6):
        (tmp_path / f"good_{n}.html").write_bytes(GOOD)
    jobs = sorted(tmp_path.iterdir())
    names = [Path(str(job)).name for job, _ in extract_stream(jobs, workers=2, budget=Budget(seconds=30))]
    assert names[-1] == "endless.html" and sorted(names[:-1]) == [f"good_{n}.html" for n in range(6)]


# --- uploads reach their worker through a file --------------------------------------------------------------

def test_an_upload_spooled_to_disk_keeps_its_name(tmp_path: Path) -> None:
    spooled = tmp_path / "0.upload"
    spooled.write_bytes(GOOD)
    (result,) = extract_files(uploads=[("荷塘区 2022.html", spooled)])
    assert result.error is None and result.source.file == "荷塘区 2022.html" and result.figures


def test_a_sparse_file_over_the_size_limit_is_refused_by_its_size(tmp_path: Path) -> None:
    sparse = tmp_path / "sparse.txt"
    with sparse.open("wb") as handle:
        handle.truncate(20_000 * MB)  # 20 GB of nothing (hashing it took 70 s before it was refused)
    with pytest.raises(ReportError, match="larger than the 50 MB size limit"):
        limits.read_regular_file(sparse, 50 * MB)
