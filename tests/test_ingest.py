"""Ingest from the command line and the two-step extract/save API; the embedded default data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, shared_path
from report_builder import html_to_docx, sample_report

from govreport_core.service.ingest import extract_files, save_results
from govreport_core.store import Store
from govreport_core.store import queries as q
from govreport_core.store.filters import Filters


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "govreport_core", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.slow  # subprocesses, LibreOffice or a generated corpus
def test_ingest_a_folder_twice_with_a_bad_file_among_good_ones(tmp_path: Path) -> None:
    folder = tmp_path / "reports" / "nested"
    folder.mkdir(parents=True)
    (folder / "a.html").write_text(sample_report("2019").render_html(), encoding="utf-8")
    (folder / "b.txt").write_text(sample_report("2021").render_flattened(), encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02" * 500)
    db = tmp_path / "g.duckdb"
    first = cli("ingest", str(tmp_path / "reports"), "--db", str(db), "--workers", "2")
    assert first.returncode == 1 and "2 new" in first.stdout and "1 failed" in first.stdout
    assert "broken.txt" in first.stdout and "binary" in first.stdout and "Traceback" not in first.stderr
    second = cli("ingest", str(tmp_path / "reports"), "--db", str(db))
    assert "0 new" in second.stdout and "2 unchanged" in second.stdout
    out = tmp_path / "out.csv"
    assert cli("export", "--db", str(db), "--format", "csv", "--year", "2020", "-o", str(out)).returncode == 0
    exported = pd.read_csv(out, encoding="utf-8-sig")
    assert exported["数据年度"].tolist() == [2020] and exported["本年新收申请数"].tolist() == [25]


def test_preview_then_save_with_a_year_typed_in(tmp_path: Path) -> None:
    upload = sample_report("2021", title="株洲市芦淞区人民政府政府信息公开工作年度报告").render_html().encode()
    (result,) = extract_files(uploads=[("upload.html", upload)])
    assert result.meta.year is None  # the text does not say
    store = Store(tmp_path / "g.duckdb")
    assert store.report_count() == 0  # nothing written by the preview
    (outcome,) = save_results(store, [result], [{"year": 2022}])
    assert outcome.status == "new"
    assert q.reports(store, Filters(year_from=2022, year_to=2022))["year"].tolist() == [2022]


@pytest.mark.slow  # subprocesses, LibreOffice or a generated corpus
def test_ingest_waits_for_a_database_another_process_holds_then_says_so(tmp_path: Path) -> None:
    db = tmp_path / "held.duckdb"
    Store(db).close()
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); time.sleep(30)", str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        report = tmp_path / "a.html"
        report.write_text(sample_report("2021").render_html(), encoding="utf-8")
        import os

        proc = subprocess.run([sys.executable, "-m", "govreport_core", "ingest", str(report), "--db", str(db)],
                              cwd=ROOT, capture_output=True, text=True, timeout=120,
                              env={**os.environ, "GOVREPORT_DB_WAIT": "2"})
    finally:
        holder.kill()
        holder.wait()
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "waiting" in proc.stdout and "in use by another process" in proc.stderr


@pytest.mark.slow  # subprocesses, LibreOffice or a generated corpus
def test_ingest_a_folder_of_pdf_and_docx_reports(tmp_path: Path) -> None:
    """Issue 7 §2b: PDF and DOCX go through `ingest`; PDF evidence keeps its page number."""
    import json

    folder = tmp_path / "attachments"
    folder.mkdir()
    real = shared_path("real-files/hongze_2023.pdf")
    (folder / real.name).write_bytes(real.read_bytes())  # a temporary copy: ingest reads folders
    (folder / "generated.docx").write_bytes(html_to_docx(sample_report("2019").render_html()))
    (folder / "template.docx").write_bytes(shared_path("real-files/template_2021_blank.docx").read_bytes())
    db = tmp_path / "g.duckdb"
    Store(db).close()  # exists and is empty, so it is not filled from the default data
    run = cli("ingest", str(folder), "--db", str(db))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 new" in run.stdout and "1 without any data" in run.stdout  # the blank template is no report
    truth = json.loads(shared_path("real-files/hongze_2023.json").read_text(encoding="utf-8"))["metrics"]
    store = Store(db)
    frame = q.figures(store, Filters(governments_only=False, include_unknown_year=True))
    store.close()
    pdf = frame[frame["title"] == "洪泽区人民政府2023年政府信息公开工作年度报告"].set_index("metric")
    for key in ("applications_new", "licensing_decisions", "admin_fees_amount_wan"):
        assert pdf.loc[key, "value"] == truth[key]
    assert pdf.loc["applications_new", "evidence_page"] == 3  # the page the row is printed on
    docx = frame[frame["year"] == 2020].set_index("metric")
    assert docx.loc["applications_new", "value"] == 25  # the spec: 20 + 3 + 1 + 1
    assert docx["evidence_page"].isna().all()  # a Word file has no fixed pages


def test_an_ingest_whose_table_cannot_be_put_in_order_saves_everything_and_says_so(tmp_path: Path,
                                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A large ingest ends by putting the pages' wide table back in display order; when the database's memory is too
    small for that sort, every report is still saved and the run ends with a note, not a traceback."""
    from govreport_core.service import ingest as ingest_module
    from govreport_core.store import db

    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.html").write_text(sample_report("2019").render_html(), encoding="utf-8")
    (folder / "b.txt").write_text(sample_report("2021").render_flattened(), encoding="utf-8")
    monkeypatch.setattr(ingest_module, "RECLUSTER_AFTER", 1)  # a "large" ingest of two files
    monkeypatch.setattr(db, "RECLUSTER_MEMORY_MB", 8)  # too little for the sort (store/db.py's recluster)
    store = Store(tmp_path / "g.duckdb")
    real = Store.recluster

    def within_8_mb(self: Store) -> bool:
        self.limit_memory(8)
        try:
            return real(self)
        finally:
            self.limit_memory(128)

    monkeypatch.setattr(Store, "recluster", within_8_mb)
    summary = ingest_module.ingest(store, [folder])
    assert (summary.new, summary.unsorted, store.report_count()) == (2, True, 2)
    (note,) = summary.notes()
    assert "every report is saved" in note and "within 8 MB" in note
