"""The embedded default data (data/default): every real report of ../shared that reads exactly as its truth says,
named by its file; a file that disagrees with its truth is left out with the reason; a fresh database shows them."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from conftest import shared_path

from govreport_core.devtools.default_build import exact_rows, rebuild_default
from govreport_core.service.default_data import DEFAULT_DIR, open_store, write_default
from govreport_core.store import queries as q
from govreport_core.store.filters import Filters


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_default_data_equals_what_rebuild_default_writes(tmp_path: Path) -> None:
    said: list[str] = []
    write_default(exact_rows(shared_path(), said.append), tmp_path)
    for name in ("reports.csv", "figures.csv", "findings.csv"):
        assert (tmp_path / name).read_bytes() == (DEFAULT_DIR / name).read_bytes(), f"run rebuild-default ({name})"
    kept = {row["file"] for row in _rows(tmp_path, "reports")}
    left_out = {line.split()[2] for line in said}
    # Every report with a truth file under seeds, real-files and real-text is either kept or named as left out.
    with_truth = {f"seeds/{p.stem}.txt" for p in shared_path("seeds", "truth").glob("*.json")} | {
        f"{folder}/{json.loads(p.read_text(encoding='utf-8'))['file']}"
        for folder in ("real-files", "real-text") for p in shared_path(folder).glob("*.json")}
    assert kept | (left_out & with_truth) == with_truth and not kept & left_out
    assert all(line.startswith("left out: ") and line.endswith(")") for line in said)


def test_a_report_is_left_out_when_it_disagrees_with_its_truth(tmp_path: Path) -> None:
    """The same real file three times: with its truth, with one figure of the truth altered, with the year altered;
    and once without a truth. Only the first is kept, and each other one is named with why."""
    source = shared_path("real-text", "005_pingtan_zone_2019.txt")
    truth = json.loads(shared_path("real-text", "005_pingtan_zone_2019.json").read_text(encoding="utf-8"))
    folder = tmp_path / "shared" / "real-text"
    folder.mkdir(parents=True)
    altered = {"kept": truth, "figure": {**truth, "metrics": {**truth["metrics"], "applications_new": 24}},
               "year": {**truth, "year": 2018}}
    for stem, body in altered.items():
        shutil.copy(source, folder / f"{stem}.txt")
        (folder / f"{stem}.json").write_text(json.dumps({**body, "file": f"{stem}.txt"}, ensure_ascii=False), "utf-8")
    shutil.copy(source, folder / "orphan.txt")
    said: list[str] = []
    rebuild_default(tmp_path / "shared", tmp_path / "out", said.append)
    assert [row["file"] for row in _rows(tmp_path / "out", "reports")] == ["real-text/kept.txt"]
    figures = {row["metric"]: row["value"] for row in _rows(tmp_path / "out", "figures") if row["applicant"] in ("", "total")}
    assert figures["applications_new"] == str(truth["metrics"]["applications_new"])  # 23, as the truth says
    wanted = len(truth["metrics"]) - 1 + len(truth["metrics"]["applications_by_applicant"])  # applicants one by one
    assert sorted(said) == [
        f"left out: real-text/figure.txt (recall {(wanted - 1) / wanted:.2f}, 1 wrong: applications_new=23≠24)",
        "left out: real-text/orphan.txt (no truth file)",
        "left out: real-text/year.txt (recall 1.00, metadata 3/4: year=2019≠2018)"]


def test_a_fresh_database_is_filled_from_the_default_data(tmp_path: Path) -> None:
    store = open_store(tmp_path / "fresh.duckdb")
    reports = q.reports(store, Filters(governments_only=False, include_unknown_year=True, aggregates=True))
    assert "芦淞区人民政府" in set(reports["agency"]) and len(reports) >= 8
    detail = q.report_detail(store, int(reports.set_index("agency").loc["芦淞区人民政府", "report_id"]))
    figures = detail["figures"].set_index(["metric", "applicant"])
    assert figures.loc[("applications_new", "total"), "value"] == 11  # seed 004's truth
    assert "本年新收" in figures.loc[("applications_new", "total"), "evidence_text"]


def test_the_overview_shows_pingtan_over_the_years_its_reports_cover(tmp_path: Path) -> None:
    """平潭's real reports (real-text, 2011–2022) as 总览's reports per area and year, area-wide summaries included."""
    years = {json.loads(p.read_text(encoding="utf-8"))["year"] for p in shared_path("real-text").glob("*pingtan*.json")}
    store = open_store(tmp_path / "fresh.duckdb")
    coverage = q.coverage(store, Filters(aggregates=True))
    pingtan = coverage[coverage.index.str.startswith("平潭")]
    assert {int(year) for year in pingtan.columns if pingtan[year].sum()} == years
