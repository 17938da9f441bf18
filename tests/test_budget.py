"""Issue 12: hostile files within a time and memory budget, each file isolated, no orphan workers.

Every input is built here (tests/hostile_builder.py) at a small size, against a budget scaled down to match,
so each case finishes in about a second; `scripts/fuzz.py` runs the full-size set.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import hostile_builder as hb
import pytest
from conftest import ROOT
from report_builder import sample_report

import govreport_core.extraction.pipeline as extract_module
from govreport_core.extraction.limits import read_regular_file
from govreport_core.extraction.normalise import build_document
from govreport_core.model import RawCell, RawDocument, ReportError
from govreport_core.service import workers as budget_module
from govreport_core.service.ingest import extract_files, ingest
from govreport_core.service.workers import Budget, WorkerPool, extract_job
from govreport_core.store import Store

GOOD = sample_report("2021").render_html().encode()
APPLICATIONS_NEW = 25  # the spec of sample_report: 20 + 3 + 0 + 0 + 1 + 1


def figure(result, key: str):
    return next((f.value for f in result.figures if f.key == key and f.applicant is None), None)


def run(jobs: list, budget: Budget | None = None) -> list:
    with WorkerPool(1, budget or Budget()) as pool:
        return [outcome.result for outcome in pool.imap(jobs)]


# --- expanded-size limits, checked before expanding ---------------------------------------------------

def test_spans_are_capped_at_the_tables_real_extent() -> None:
    table = [[RawCell("指标", colspan=999_999_999), RawCell("数值", rowspan=999_999_999)],
             [RawCell("a"), RawCell("b"), RawCell("1")], [RawCell("c"), RawCell("d"), RawCell("2")]]
    doc = build_document(RawDocument(blocks=[table], format="html"))
    (grid,) = doc.grids
    # Not a billion columns: a colspan is capped at the widest row (its spans capped at the most cells a row
    # has, 3), here row 0 itself: 3 + 1 = 4 columns for 指标, then 数值; the rowspan ends at the last row.
    assert len(grid.rows) == 3 and grid.width == 5
    assert [cell.text for cell in grid.rows[0]] == ["指标"] * 4 + ["数值"]
    assert [cell.text for cell in grid.rows[2]] == ["c", "d", "2", "", "数值"]


def test_ordinary_spans_are_kept() -> None:
    table = [[RawCell("申请人情况", colspan=3)], [RawCell("自然人"), RawCell("法人", rowspan=2), RawCell("总计")],
             [RawCell("5"), RawCell("6")]]
    (grid,) = build_document(RawDocument(blocks=[table], format="html")).grids
    assert [[c.text for c in row] for row in grid.rows] == [
        ["申请人情况"] * 3, ["自然人", "法人", "总计"], ["5", "法人", "6"]]


def test_a_table_spreading_beyond_the_cell_limit_is_refused_before_it_is_built() -> None:
    from govreport_core.extraction.readers import read_report

    raw = read_report(hb.html_span_bomb(60, 60), "bomb.html")
    started = time.perf_counter()
    with budget_module.using(Budget(max_grid_cells=10_000)), \
            pytest.raises(ReportError, match="expands to more than 10,000 cells"):
        build_document(raw)
    assert time.perf_counter() - started < 5


def test_html_span_bomb_is_an_error_in_a_sentence() -> None:
    (result,) = run([("spans.html", hb.html_span_bomb(60, 60))], Budget(max_grid_cells=10_000))
    assert result.error and "expands to more than 10,000 cells" in result.error


def test_docx_gridspan_of_a_billion_or_not_a_number_still_reads_the_report() -> None:
    for value in ("999999999", "abc"):
        (result,) = run([("grid.docx", hb.docx_gridspan(value))])
        assert result.error is None, value
        assert figure(result, "applications_new") == APPLICATIONS_NEW


def test_docx_compression_bomb_is_refused_before_inflating() -> None:
    (result,) = run([("bomb.docx", hb.docx_inflating(5))])
    assert result.error and "compression bomb" in result.error and "expands to more than" in result.error


def test_docx_members_over_the_expanded_size_are_refused() -> None:
    from govreport_core.extraction.readers.docx import read_docx

    data = hb.docx_inflating(3)
    with budget_module.using(Budget(expanded_mb=2, max_ratio=10**9)), \
            pytest.raises(ReportError, match="expands to more than 2 MB"):
        read_docx(data)


def test_pdf_stream_decoding_beyond_the_budget_is_refused() -> None:
    (result,) = run([("flate.pdf", hb.pdf_flate_bomb(30))], Budget(expanded_mb=20))
    assert result.error == "The PDF's compressed content expands to more than 20 MB; it is not read."


def test_pdf_with_too_many_pages_is_refused() -> None:
    (result,) = run([("pages.pdf", hb.pdf_pages(30))], Budget(max_pages=20))
    assert result.error and "30 pages, more than the 20 pages" in result.error


def test_password_protected_pdf_says_so() -> None:
    (result,) = run([("locked.pdf", hb.pdf_encrypted())])
    assert result.error == "The PDF is password-protected; save an unprotected copy to read it."


# --- only regular files, size as read --------------------------------------------------------------

def test_devices_fifos_and_folders_are_not_read(tmp_path: Path) -> None:
    zero, pipe = hb.zero_symlink(tmp_path), hb.fifo(tmp_path)
    results = run([zero, pipe, tmp_path, Path("/dev/null")])
    assert [r.error for r in results] == [
        "This path is a device, not a regular file; only files are read.",
        "This path is a FIFO, not a regular file; only files are read.",
        "This path is a directory, not a regular file; only files are read.",
        "This path is a device, not a regular file; only files are read."]


def test_the_size_limit_counts_what_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 1_000_001)
    with pytest.raises(ReportError, match=r"larger than the 1 MB size limit"):
        read_regular_file(path, 1_000_000)
    assert read_regular_file(path, 2_000_000) == b"x" * 1_000_001
    (result,) = run([path], Budget(max_file_mb=1))
    assert result.error == "The file is larger than the 1 MB size limit (raise it with --max-size)."


@pytest.mark.slow  # subprocesses, LibreOffice or a generated corpus
def test_cli_states_the_size_limit_in_the_same_unit(tmp_path: Path) -> None:
    path = tmp_path / "big.html"
    path.write_bytes(b"<p>" + b"x" * 2_500_000 + b"</p>")
    run_ = subprocess.run([sys.executable, "-m", "govreport_core", "extract", "--json", "--max-size", "2", str(path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run_.returncode == 1 and "larger than the 2 MB size limit" in run_.stdout


# --- time and memory -----------------------------------------------------------------------------

def test_memory_budget_stops_one_file_and_the_next_file_goes_on(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    # 38 MB of text: its buffers are larger than glibc's largest mmap threshold (32 MB), so they are new address
    # space even in a worker forked from a parent with much free heap (the limit counts growth past the
    # worker's idle size).
    big.write_text(sample_report("2021").render_flattened() * 4500, encoding="utf-8")
    good = tmp_path / "good.html"
    good.write_bytes(GOOD)
    over, after = run([big, good], Budget(memory_mb=30, seconds=30))
    assert over.error == "Reading the file uses more than 30 MB of memory; it was stopped."
    assert after.error is None and figure(after, "applications_new") == APPLICATIONS_NEW


def test_time_budget_stops_one_file_and_the_next_file_goes_on() -> None:
    slow, after = run([("slow.pdf", hb.pdf_pages(900)), ("good.html", GOOD)], Budget(seconds=0.3))  # PDFium reads 300 in ~0.3 s
    assert slow.error == "Reading the file took longer than 0.3 s; it was stopped."
    assert after.error is None and figure(after, "applications_new") == APPLICATIONS_NEW


# --- isolation -------------------------------------------------------------------------------------

def _failing_extract(original):
    def extract_bytes(data: bytes, name: str = "upload", max_bytes: int = 0):
        if name.startswith("bug"):
            raise ValueError("a bug met by this file only")
        if name.startswith("crash"):
            os.kill(os.getpid(), signal.SIGKILL)  # a crash in C code: the worker dies
        return original(data, name, max_bytes)
    return extract_bytes


def test_any_exception_or_crash_is_that_files_error_and_the_rest_is_read(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    budget_module.close_workers()  # workers forked after the patch carry it
    monkeypatch.setattr(extract_module, "extract_bytes", _failing_extract(extract_module.extract_bytes))
    caplog.set_level(logging.DEBUG, logger="govreport_core.service.workers")
    try:
        results = extract_files(uploads=[("a.html", GOOD), ("bug.html", GOOD), ("crash.html", GOOD), ("b.html", GOOD)])
    finally:
        budget_module.close_workers()
    assert [figure(r, "applications_new") for r in results] == [APPLICATIONS_NEW, None, None, APPLICATIONS_NEW]
    assert results[1].error == ("Internal error while reading this file (ValueError); the other files are not "
                                "affected.")
    assert "stopped its worker process (signal 9): it crashed, was killed from outside" in results[2].error
    assert "Traceback" not in results[1].error and "a bug met by this file only" in caplog.text  # logged


def test_a_folder_with_one_bad_file_saves_all_its_good_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    budget_module.close_workers()
    original = extract_module.extract_path

    def extract_path(path, max_bytes=0):
        if Path(path).name.startswith("bug"):
            raise ValueError("boom")
        return original(path, max_bytes)

    monkeypatch.setattr(extract_module, "extract_path", extract_path)
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "a.html").write_bytes(GOOD)
    (tmp_path / "r" / "bug.html").write_bytes(GOOD)
    (tmp_path / "r" / "c.txt").write_text(sample_report("2019").render_flattened(), encoding="utf-8")
    store = Store(tmp_path / "g.duckdb")
    try:
        summary = ingest(store, [tmp_path / "r"], workers=2)
    finally:
        budget_module.close_workers()
    assert (summary.new, [Path(name).name for name, _ in summary.failed]) == (2, ["bug.html"])
    assert store.report_count() == 2


def test_one_job_helper_never_raises(tmp_path: Path) -> None:
    result = extract_job(tmp_path / "missing.html")
    assert result.error and "cannot be opened" in result.error


# --- no orphans --------------------------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            if f"\nPPid:\t{pid}\n" in status:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        return "State:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


@pytest.mark.slow  # an ingest in another process, killed
def test_killing_an_ingest_ends_its_workers(tmp_path: Path) -> None:
    folder = tmp_path / "slow"
    folder.mkdir()
    for name in ("a.pdf", "b.pdf"):
        (folder / name).write_bytes(hb.pdf_pages(900))  # seconds each: the workers are busy when killed
    proc = subprocess.Popen([sys.executable, "-m", "govreport_core", "ingest", str(folder), "--db",
                             str(tmp_path / "g.duckdb"), "--workers", "2"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while len(workers := _children(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(workers) >= 2, "the ingest never started its workers"
        proc.kill()
        proc.wait()
        deadline = time.monotonic() + 5
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in workers)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_figure_crosses_from_the_worker_with_every_evidence_field() -> None:
    """Workers send figures as plain tuples (budget._pack): no field of the evidence may be lost, the OCR flag included."""
    from govreport_core.model import Evidence, Figure, Result, Source

    figure = Figure("applications_new", 11, Evidence("本年新收 11", 3, 13, "一、本年新收", "总计", page=2, ocr=True), "total")
    result = Result(Source(file="scan.pdf", sha256="0" * 64, format="pdf", size=1), figures=[figure])
    assert budget_module._unpack(*budget_module._pack(result)).figures == [figure]
