"""The filter table (filters.FILTERS): the URL parser, store.where(), the CLI flags and the caption all read it."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from report_builder import sample_report

from govreport_core.extraction.pipeline import extract_bytes
from govreport_core.store import Store, where
from govreport_core.store import queries as q
from govreport_core.store.filters import FILTERS, Filters, add_arguments, from_args, from_params


def test_every_filter_round_trips_through_the_url() -> None:
    chosen = Filters(province="湖南省", city="株洲市", region="芦淞区", levels=("county_government",), year_from=2019,
                     year_to=2021, include_unknown_year=True, eras=("2021",), scope="body", agency="人民政府",
                     governments_only=False, aggregates=True)
    params = chosen.to_params()
    assert set(params) == {spec.param for spec in FILTERS}  # one URL name per row, each used
    assert from_params(params).filters == chosen
    assert Filters().to_params() == {}


def test_every_filter_has_a_cli_flag_that_gives_the_same_selection_as_its_url() -> None:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args(["--province", "湖南省", "--from", "2019", "--to", "2021", "--unknown-year",
                              "--departments", "--level", "county_government,county_department", "--era", "2019",
                              "--agency", "局"])
    url = {"province": "湖南省", "from": "2019", "to": "2021", "unknown_year": "1", "departments": "1",
           "level": "county_government,county_department", "era": "2019", "agency": "局"}
    assert from_args(args).filters == from_params(url).filters
    assert {spec.cli for spec in FILTERS if spec.cli} <= {a.option_strings[0] for a in parser._actions}


def test_a_bad_cli_value_is_a_problem_as_in_the_url() -> None:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    parsed = from_args(parser.parse_args(["--era", "1999", "--scope", "everything"]))
    assert parsed.filters == Filters() and len(parsed.problems) == 2


def test_where_binds_every_value_and_writes_none_into_the_sql() -> None:
    hostile = "x' OR 1=1 --"
    clause, params = where(Filters(province=hostile, agency="100%_", levels=("county_government",)))
    assert hostile not in clause and "100" not in clause
    assert params == [hostile, "county_government", "%100\\%\\_%"]  # LIKE's own wildcards taken literally


def test_the_caption_says_each_choice_in_words() -> None:
    text = Filters(province="江苏省", year_from=2019, levels=("county_government",), governments_only=False).describe()
    assert text == "江苏省，2019—最新年，含部门报告，县级政府"
    english = Filters(include_unknown_year=True, eras=("pre2019",)).describe("en")
    assert english == "All areas; Include reports of unknown year; people's governments only; Before 2019 (old format)"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "f.duckdb")
    # Two county governments' reports: one of 2022, one whose title gives no year (the builder's title without one).
    dated = sample_report("2021", title="株洲市荷塘区人民政府2022年政府信息公开工作年度报告").render_html()
    undated = sample_report("2021", title="株洲市芦淞区人民政府政府信息公开工作年度报告").render_flattened()
    for name, text in (("dated.html", dated), ("undated.txt", undated)):
        result = extract_bytes(text.encode("utf-8"), name)
        store.save(result, {"year": None} if name == "undated.txt" else None)
    return store


def test_unknown_years_are_out_unless_chosen_at_every_year_range(store: Store) -> None:
    years = q.reports(store, Filters(governments_only=False, include_unknown_year=True))["year"].tolist()
    assert len(years) == 2 and 2022 in years  # the fixture: one dated, one undated report
    for bounds in ({}, {"year_from": 2019}, {"year_to": 2030}, {"year_from": 2010, "year_to": 2030}):
        without = q.counts(store, Filters(governments_only=False, **bounds))["reports"]
        with_unknown = q.counts(store, Filters(governments_only=False, include_unknown_year=True, **bounds))["reports"]
        assert (without, with_unknown) == (1, 2), bounds


def test_each_filter_s_test_of_one_report_agrees_with_its_sql_clause(tmp_path: Path) -> None:
    """`Filters.hiding(meta)` (the upload's "would the filters hide it") says of each report what the store's SQL
    does: for every filter alone and for some together, the reports the query returns are those no filter hides."""
    import random

    from govreport_core.devtools.scale import plausible_result

    store = Store(tmp_path / "g.duckdb")
    rng = random.Random(7)
    results = [plausible_result(rng, n) for n in range(120)]
    results[0].meta.year = None  # an unknown year, a nameless agency: the edges of the clauses
    results[1].meta.agency = None
    store.save_many(results)
    stored = q.reports(store, Filters(include_unknown_year=True, governments_only=False, aggregates=True))
    metas = [{k: (None if v is None or v != v else v) for k, v in row.items()} for row in stored.to_dict("records")]
    assert len(metas) == 120
    some = metas[5]
    choices = [Filters(), Filters(province=some["province"]), Filters(city=some["city"]), Filters(region=some["region"]),
               Filters(year_from=2015), Filters(year_to=2019), Filters(include_unknown_year=True),
               Filters(governments_only=False), Filters(aggregates=True), Filters(levels=("county_department",)),
               Filters(eras=("2019", "2021")), Filters(scope="area"), Filters(scope="body", aggregates=True),
               Filters(agency="教育"), Filters(agency=some["agency"][:4], governments_only=False),
               Filters(province=some["province"], year_from=2019, year_to=2022, governments_only=False,
                       include_unknown_year=True, eras=("2021",))]
    for filters in choices:
        by_sql = set(q.reports(store, filters)["report_id"])
        by_test = {m["report_id"] for m in metas if not filters.hiding(m)}
        assert by_sql == by_test, filters
        for meta in metas:  # widening shows every report, and only as much as it must
            wider = filters.widened_for(meta)
            assert not wider.hiding(meta)
            assert wider == filters or filters.hiding(meta)
