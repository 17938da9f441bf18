"""The fast paths (the wide table `report_values`, its groups `report_groups`, listings through Arrow) against
the plain queries over the figures (the `current_figures` view joined to `reports`), on a fresh small database
that went through what a real one goes through: batches of saves, duplicates (one chosen by hand), a blank
file, a re-ingest by a newer parser, corrections (a value changed, one set by hand, one removed), derived
values, unknown years and areas, K5 rechecks. Every page query must give what the plain query gives."""

from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from govreport_core import catalog
from govreport_core.devtools.scale import PROVINCES, plausible_figures
from govreport_core.model import Figure, ReportMeta, Result, Source
from govreport_core.store import Store, where
from govreport_core.store import queries as q
from govreport_core.store.frames import frame

ERAS = {2016: "pre2019", 2019: "2019", 2020: "2019", 2021: "2021", 2022: "2021"}


def _result(rng: random.Random, n: int, year: int | None, **meta: object) -> Result:
    province = PROVINCES[n % 3]
    city, region = f"{province[:3]}{n % 2 + 1}市", f"{province[:3]}{n % 2 + 1}市{n % 4 + 1}区"
    department = n % 5 == 0
    agency = f"{region}{'教育局' if department else '人民政府'}"
    era = ERAS.get(year or 2021, "2021")
    figures = plausible_figures(rng, era)
    if n % 7 == 0:  # the extractor derived a value from the table's sums
        figures = [replace(f, derived=True) if f.key == "processed_total" else f for f in figures]
    fields = {"title": f"{agency}{year}年政府信息公开工作年度报告", "province": province, "city": city, "region": region,
              "agency": agency, "level": "county_department" if department else "county_government", "year": year,
              "format_era": era, "scope": ["body", "area", None][n % 3] if not department else "body"} | meta
    return Result(Source(f"r{n}.html", f"sha-{n}", "html", 100), ReportMeta(**fields), figures, [],  # type: ignore[arg-type]
                  parser_version="1")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    rng = random.Random(7)
    store = Store(tmp_path_factory.mktemp("fast") / "fast.duckdb")
    years = [2016, 2019, 2020, 2021, 2022]
    results = [_result(rng, n, years[n % 5]) for n in range(60)]
    results += [_result(rng, 60, None), _result(rng, 61, 2021, region=None, city=None)]  # unknown year, area
    results.append(replace(_result(rng, 62, 2021), meta=ReportMeta(), figures=[]))  # a blank file: no data
    store.save_batch(results[:30])
    store.save_batch(results[30:])
    # A second file of report 3: a duplicate, then chosen to stand instead of the first.
    copy = replace(results[3], source=Source("r3-copy.html", "sha-3-copy", "html", 100))
    duplicate = store.save(copy)
    assert duplicate.status == "duplicate"
    store.choose_report(duplicate.report_id)  # type: ignore[arg-type]
    # A newer parser reads report 10 again (its figures change); corrections stay on top.
    first = store.known_source("sha-10")
    assert first is not None
    store.correct(first[0], "applications_new", 999, "印刷错误", "审核员")
    store.correct(first[0], "proactive_items", 12, "报告漏填", "审核员")  # set by hand, never stated
    store.correct(first[0], "granted", None, "无法核实", "审核员")  # removed
    store.correct(first[0], "applications_new", 998, "再次核对", "审核员")
    store.correct(first[0], "granted", 5, "核实后补填", "审核员", applicant="natural_person")
    assert store.save(replace(_result(random.Random(99), 10, 2020), parser_version="2")).status == "updated"
    store.recheck_years()
    return store


EVERYONE = q.Filters(governments_only=False, aggregates=True, include_unknown_year=True)
SELECTIONS = {
    "everyone": EVERYONE,
    "default": q.Filters(),
    "new years": q.Filters(year_from=2019, year_to=2022),
    "one province": q.Filters(province=PROVINCES[1], governments_only=False),
    "one city": q.Filters(province=PROVINCES[0], city=f"{PROVINCES[0][:3]}1市", governments_only=False),
    "by era and level": q.Filters(eras=("2021",), levels=("county_government",), aggregates=True),
    "an agency (no group key)": q.Filters(agency="人民政府", governments_only=False, include_unknown_year=True),
}


def _plain(store: Store, filters: q.Filters, where_sql: str = "TRUE") -> pd.DataFrame:
    """The current figures of the selected reports, as the view gives them, with the reports' fields."""
    clause, params = where(filters, "r")
    return store.query(f"SELECT r.report_id, {', '.join('r.' + c for c in catalog.REPORT_FIELDS)}, f.* EXCLUDE (report_id) "
                       f"FROM reports r JOIN current_figures f USING (report_id) WHERE {clause} AND f.value IS NOT NULL "
                       f"AND {where_sql} ORDER BY r.year NULLS LAST, r.province, r.city, r.region, r.agency, "
                       f"r.report_id, f.metric, f.applicant", params)


def _reports(store: Store, filters: q.Filters) -> pd.DataFrame:
    clause, params = where(filters, "r")
    return store.query(f"SELECT r.*, s.file_name, s.format, s.ingested_at FROM reports r JOIN sources s USING (source_id) "
                       f"WHERE {clause} ORDER BY r.year NULLS LAST, r.province, r.city, r.region, r.agency, r.report_id",
                       params)


def test_the_database_went_through_what_a_real_one_does(store: Store) -> None:
    flags = store.query("SELECT count(*) FILTER (WHERE corrected) AS corrected, count(*) FILTER (WHERE derived) AS derived "
                        "FROM current_figures").iloc[0]
    assert flags["corrected"] >= 4 and flags["derived"] >= 5
    assert store.query("SELECT count(*) AS n FROM reports WHERE NOT active")["n"].iloc[0] == 2  # duplicate, blank
    assert store.query("SELECT count(*) AS n FROM findings WHERE rule = 'K5'")["n"].iloc[0] > 0


@pytest.mark.parametrize("name", SELECTIONS)
@pytest.mark.parametrize("breakdown", [False, True])
def test_the_long_table_is_the_current_figures(store: Store, name: str, breakdown: bool) -> None:
    filters = SELECTIONS[name]
    expected = _plain(store, filters, "TRUE" if breakdown else "f.applicant = 'total'")
    columns = ["report_id", *catalog.REPORT_FIELDS, "metric", "applicant", "value", "unit", "derived", "corrected",
               "extracted_value"]
    fast = q.figures(store, filters, with_breakdown=breakdown, with_evidence=False)
    pd.testing.assert_frame_equal(fast[columns].reset_index(drop=True), expected[columns], check_dtype=False)
    evidence = q.figures(store, filters, with_breakdown=breakdown, with_evidence=True)
    pd.testing.assert_frame_equal(evidence[[*columns, "evidence_text", "evidence_page"]],
                                  expected[[*columns, "evidence_text", "evidence_page"]], check_dtype=False)
    assert fast["label"].tolist() == [catalog.label(m) for m in fast["metric"]]
    # A preview: the first reports whole, as the full listing has them.
    first = q.reports(store, filters)["report_id"].head(7).tolist()
    preview = q.figures(store, filters, with_breakdown=breakdown, with_evidence=False, limit=7)
    pd.testing.assert_frame_equal(preview.reset_index(drop=True),  # a year column without NULLs: int32, not Int32
                                  fast[fast["report_id"].isin(first)].reset_index(drop=True), check_dtype=False)


@pytest.mark.parametrize("name", SELECTIONS)
def test_listings_are_the_reports_in_display_order(store: Store, name: str) -> None:
    filters = SELECTIONS[name]
    expected = _reports(store, filters)
    listed = q.reports(store, filters)
    pd.testing.assert_frame_equal(listed, expected[listed.columns.tolist()], check_dtype=False)
    assert q.reports(store, filters, limit=5)["report_id"].tolist() == expected["report_id"].head(5).tolist()
    wide = q.wide(store, filters).set_index("report_id")
    plain = _plain(store, filters, "f.applicant = 'total'").pivot(index="report_id", columns="metric", values="value")
    assert wide.index.tolist() == expected["report_id"].tolist()
    for metric in plain.columns:
        pd.testing.assert_series_equal(wide.loc[plain.index, metric].astype(float), plain[metric].astype(float),
                                       check_names=False)
    assert set(catalog.METRICS) & set(wide.columns) == set(plain.columns)  # only metrics some report gives


@pytest.mark.parametrize("name", SELECTIONS)
def test_sums_counts_and_coverage_are_those_of_the_figures(store: Store, name: str) -> None:
    filters = SELECTIONS[name]
    reports = _reports(store, filters)
    totals = _plain(store, filters, "f.applicant = 'total'")
    assert q.counts(store, filters) == {"reports": len(reports), "regions": reports["region"].nunique(),
                                        "years": reports["year"].nunique()}
    new = totals[totals["format_era"].isin(["2019", "2021"]) & totals["year"].notna()]
    expected = new.groupby(["year", "metric"])["value"].agg(["sum", "count"]).reset_index()
    sums = q.yearly_sums(store, filters, list(catalog.METRICS))
    merged = expected.merge(sums, on=["year", "metric"], how="outer")
    assert not merged.isna().any().any(), merged[merged.isna().any(axis=1)]
    assert np.allclose(merged["sum"], merged["value"]) and (merged["count"] == merged["reports"]).all()
    given = totals.groupby("metric")["report_id"].nunique()
    coverage = q.metric_coverage(store, filters).set_index("metric")
    assert coverage["reports"].to_dict() == given.to_dict()
    assert np.allclose(coverage["share"], given[coverage.index] / len(reports))
    flow = q.totals(store, filters, ["applications_new", "granted", "carried_to_next_year"])
    chosen = totals[totals["format_era"].isin(["2019", "2021"])  # of any year, known or not
                    & totals["metric"].isin(["applications_new", "granted", "carried_to_next_year"])]
    assert flow["reports"] == chosen["report_id"].nunique()
    assert flow["values"] == pytest.approx(chosen.groupby("metric")["value"].sum().to_dict())
    for by in ("province", "city", "region"):
        known = reports[reports["year"].notna()]
        heat = known.assign(area=known[by].fillna("（未知）")).groupby(["area", "year"]).size()
        shown = q.coverage(store, filters, by=by)
        got = shown.stack() if not shown.empty else pd.Series(dtype=int)
        assert got[got > 0].to_dict() == heat.to_dict()


@pytest.mark.parametrize("name", SELECTIONS)
def test_series_breakdown_ranking_and_findings_are_those_of_the_figures(store: Store, name: str) -> None:
    filters = SELECTIONS[name]
    plain = _plain(store, filters)
    totals = plain[plain["applicant"] == "total"]
    given = totals[(totals["metric"] == "applications_new") & totals["year"].notna()]
    series = q.series(store, filters, "applications_new", by="city")
    expected = given.assign(area=given["city"].fillna("（未知）")).groupby(["year", "area"]).agg(
        value=("value", "sum"), reports=("report_id", "count"), first=("agency", lambda s: "、".join(sorted(s)[:5])))
    got = series.set_index(["year", "area"])
    assert got["reports"].to_dict() == expected["reports"].to_dict()
    assert np.allclose(got.loc[expected.index, "value"], expected["value"])
    assert [a.removesuffix(" 等") for a in got.loc[expected.index, "agencies"]] == expected["first"].tolist()
    rows = plain[(plain["metric"] == "applications_new") & (plain["applicant"] != "total")]
    breakdown = q.breakdown(store, filters).set_index("applicant")
    assert breakdown["reports"].to_dict() == rows.groupby("applicant").size().to_dict()
    assert np.allclose(breakdown["value"], rows.groupby("applicant")["value"].sum()[breakdown.index])
    top = q.ranking(store, filters, "applications_new")
    assert top["value"].tolist() == sorted(totals[totals["metric"] == "applications_new"]["value"], reverse=True)[:20]
    clause, params = where(filters, "r")
    findings = store.query(f"SELECT x.rule, count(*) AS n FROM reports r JOIN findings x USING (report_id) "
                           f"WHERE {clause} GROUP BY ALL", params)
    assert q.findings(store, filters)["rule"].value_counts().to_dict() == dict(zip(findings["rule"], findings["n"],
                                                                                    strict=True))
    # 数据质量's preview: the first of the whole list in the order chosen, and how many there are in all.
    assert q.finding_count(store, filters) == int(findings["n"].sum())
    years = store.query(f"SELECT r.year FROM reports r JOIN findings x USING (report_id) WHERE {clause}", params)["year"]
    newest = q.findings(store, filters, limit=3, sort="-year")
    assert len(newest) == min(3, len(years)) and newest["year"].tolist() == sorted(years, reverse=True)[:3]
    assert q.findings(store, filters, sort="year; DROP TABLE reports")["rule"].size == len(years)  # an unknown sort: ignored


def test_filter_options_are_those_of_the_active_reports(store: Store) -> None:
    reports = store.query("SELECT * FROM reports WHERE active")
    options = q.options(store, q.Filters(province=PROVINCES[0]))
    for column in ("province", "year", "format_era", "level", "scope", "agency"):
        assert options[column] == sorted(reports[column].dropna().unique().tolist())
    assert options["city"] == sorted(reports[reports["province"] == PROVINCES[0]]["city"].dropna().unique())
    assert options["region"] == sorted(reports[reports["province"] == PROVINCES[0]]["region"].dropna().unique())


def test_the_groups_are_the_sums_of_the_active_reports(store: Store) -> None:
    from govreport_core.store.derived import VALUE_COLUMNS

    keys = ["year", "province", "city", "level", "scope", "format_era"]
    blank = {k: "∅" for k in keys if k != "year"} | {"year": 0}  # a missing key is a group of its own
    plain = _plain(store, EVERYONE).fillna(blank)
    expected = plain.groupby([*keys, "metric", "applicant"])["value"].agg(["sum", "count"])
    groups = store.query("SELECT * FROM report_groups").fillna(blank).set_index(keys)
    assert not groups.index.duplicated().any()
    got = {(*group, *VALUE_COLUMNS[name]): (row[name], row[f"n__{name}"]) for group, row in groups.iterrows()
           for name in VALUE_COLUMNS if row[f"n__{name}"]}
    assert sorted(got) == sorted(expected.index)
    assert [got[k][1] for k in expected.index] == expected["count"].tolist()
    assert np.allclose([got[k][0] for k in expected.index], expected["sum"])
    reports = _reports(store, EVERYONE).fillna(blank).groupby(keys).size()
    assert groups["reports"].sort_index().to_dict() == reports.sort_index().to_dict()
    names = ["province", "city", "region", "agency"]
    listed = _reports(store, EVERYONE).fillna(dict.fromkeys(names, "∅")).groupby(names).size()
    counted = store.query("SELECT * FROM report_names").fillna(dict.fromkeys(names, "∅")).set_index(names)["reports"]
    assert counted.sort_index().to_dict() == listed.sort_index().to_dict()


def test_a_save_a_correction_and_a_choice_keep_the_fast_paths_current(store: Store, tmp_path: Path) -> None:
    """On a copy: every later write is seen at once by the wide table and its groups."""
    import shutil

    path = tmp_path / "copy.duckdb"
    store.close()
    shutil.copy(store.path, path)
    copy = Store(path)
    before = q.counts(copy, EVERYONE)["reports"]
    rng = random.Random(5)
    new = _result(rng, 500, 2022)
    report_id = copy.save(new).report_id
    assert q.counts(copy, EVERYONE)["reports"] == before + 1
    copy.correct(report_id, "granted", Decimal("1234.5"), "核对", "审核员")  # type: ignore[arg-type]
    wide = q.wide(copy, EVERYONE).set_index("report_id")
    assert wide.loc[report_id, "granted"] == 1234.5
    sums = q.yearly_sums(copy, q.Filters(province=new.meta.province, year_from=2022, year_to=2022,  # type: ignore[union-attr]
                                        governments_only=False, aggregates=True), ["granted"])
    plain = _plain(copy, q.Filters(province=new.meta.province, year_from=2022, year_to=2022,  # type: ignore[union-attr]
                                   governments_only=False, aggregates=True), "f.metric = 'granted' AND f.applicant = 'total'")
    assert sums["value"].tolist() == pytest.approx([plain["value"].sum()])
    assert copy.save(replace(new, source=Source("again.html", "sha-again", "html", 1))).status == "duplicate"
    duplicate = int(copy.query("SELECT max(report_id) AS r FROM reports")["r"].iloc[0])
    copy.choose_report(duplicate)
    ids = set(q.reports(copy, EVERYONE)["report_id"])
    assert duplicate in ids and report_id not in ids and q.counts(copy, EVERYONE)["reports"] == before + 1
    store._open(write=True, wait=5)  # the module's store goes on for the other tests


def test_arrow_frames_are_the_frames_duckdb_gives(store: Store) -> None:
    for sql in ("SELECT * FROM reports", "SELECT * FROM current_figures", "SELECT * FROM sources",
                "SELECT * EXCLUDE (figure_flags) FROM report_values", "SELECT * FROM corrections"):
        pd.testing.assert_frame_equal(frame(store, sql), store.query(sql))


def test_a_figure_without_a_wide_column_is_refused(store: Store) -> None:
    from govreport_core.store import StoreError

    report_id = int(store.query("SELECT min(report_id) AS r FROM reports WHERE active")["r"].iloc[0])
    with pytest.raises(StoreError, match="applicant"):
        store.correct(report_id, "proactive_items", 3, "试", "审核员", applicant="commercial")
    odd = _result(random.Random(1), 900, 2021)
    odd = replace(odd, figures=[*odd.figures, Figure("proactive_items", 3, None, applicant="commercial")])
    assert store.save(odd).status == "failed"


def test_the_scale_build_writes_the_derived_tables_a_rebuild_makes(tmp_path: Path) -> None:
    """devtools/scale writes the wide table and its groups by SQL from its pool; the store's own rebuild (a
    migration's) from the stored figures gives the same rows."""
    from govreport_core.devtools.scale import build
    from govreport_core.store import derived

    store = Store(tmp_path / "scale.duckdb")
    build(store, 400, chunk=150, pool=40)

    def tables() -> list[pd.DataFrame]:
        wide = store.query("SELECT * EXCLUDE (figure_flags), figure_flags::VARCHAR AS flags FROM report_values")
        groups = store.query("SELECT * FROM report_groups")
        names = store.query("SELECT * FROM report_names")
        return [frame.sort_values(list(frame.columns[:min(7, len(frame.columns))])).reset_index(drop=True)
                for frame in (wide, groups, names)]

    built = tables()
    assert len(built[0]) == 400 and built[1]["reports"].sum() == 400
    with store.bulk() as tx:
        derived.rebuild(tx)
    for made, rebuilt in zip(built, tables(), strict=True):
        pd.testing.assert_frame_equal(made, rebuilt, check_exact=False)
    # And the figures the pages show are those stored: K1's sums hold in every new-format report.
    wide = q.wide(store, q.Filters(eras=("2019", "2021"), governments_only=False, aggregates=True))
    assert ((wide["applications_new"] + wide["applications_carried_over"])
            == (wide["processed_total"] + wide["carried_to_next_year"])).all()


def test_the_groups_kept_by_difference_are_those_a_regroup_makes(store: Store, tmp_path: Path) -> None:
    """On a copy: a better-read file of a stored report stands (store/duplicates.py) and the stored one stops
    counting though this save did not write it; a correction, a re-read, a choice by hand follow. After each,
    the groups kept by difference equal, to the last decimal, those made anew from the wide table, and the wide
    rows' `active` is the reports'."""
    import shutil

    from govreport_core.store import derived

    path = tmp_path / "copy.duckdb"
    store.close()
    shutil.copy(store.path, path)
    copy = Store(path)

    def assert_current() -> None:
        mismatch = copy.query("SELECT count(*) AS n FROM report_values v JOIN reports r USING (report_id) "
                              "WHERE v.active <> r.active")["n"].iloc[0]
        assert mismatch == 0
        for aggregate in derived.AGGREGATES:
            keys = ", ".join(aggregate.keys)
            kept = copy.query(f"SELECT * FROM {aggregate.table} ORDER BY {keys}")
            made = copy.query(f"SELECT * FROM ({aggregate.of('report_values')}) ORDER BY {keys}")
            pd.testing.assert_frame_equal(kept, made, check_dtype=False, check_exact=True)

    full = _result(random.Random(11), 700, 2021)
    first = copy.save(replace(full, figures=full.figures[:-5])).report_id  # a poorer read of the same report
    assert_current()
    better = copy.save(replace(full, source=Source("r700-better.html", "sha-700-better", "html", 100)))
    assert better.status == "duplicate"
    active = dict(copy.query("SELECT report_id, active FROM reports WHERE report_id IN (?, ?)",
                             [first, better.report_id]).itertuples(index=False))
    assert active == {first: False, better.report_id: True}  # the better read stands
    assert_current()
    copy.correct(first, "granted", Decimal("12345678901.25"), "核对", "审核员")  # type: ignore[arg-type]
    assert copy.query("SELECT active FROM reports WHERE report_id = ?", [first])["active"].iloc[0]  # corrected stands
    assert_current()
    assert copy.save(replace(full, figures=full.figures[:-2], parser_version="2")).status == "updated"
    assert_current()
    copy.choose_report(better.report_id)  # type: ignore[arg-type]
    assert_current()
    copy.close()
    store._open(write=True, wait=5)  # the module's store goes on for the other tests


@pytest.mark.parametrize("sort", ["-applications_new", "agency", "year"])
def test_a_sorted_listing_is_the_selection_in_that_order(store: Store, sort: str) -> None:
    """The export page's sort: the whole selection ordered by one column (NULLs last), ties in display order;
    a preview is the first reports of that order, the long table follows its reports."""
    column = sort.removeprefix("-")
    everything = q.wide(store, EVERYONE)
    expected = everything.sort_values(column, ascending=not sort.startswith("-"), na_position="last",
                                      kind="stable")["report_id"].tolist()  # `everything` is in display order
    assert q.wide(store, EVERYONE, sort=sort)["report_id"].tolist() == expected
    assert q.wide(store, EVERYONE, limit=7, sort=sort)["report_id"].tolist() == expected[:7]
    for with_evidence in (False, True):
        long = q.figures(store, EVERYONE, limit=7, sort=sort, with_evidence=with_evidence)
        assert list(dict.fromkeys(long["report_id"])) == [r for r in expected[:7] if r in set(long["report_id"])]
    with pytest.raises(ValueError):
        q.wide(store, EVERYONE, sort="1; DROP TABLE reports")
