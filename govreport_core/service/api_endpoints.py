"""The open-data API's endpoints: each a name, its options and the store query it answers with.

Every table is what a page shows or a chart draws, from the same query function (`store.queries`) with the same
filters, so "this view as JSON" is the view. `ENDPOINTS` is read by the routes (`api.py`), the index page and the
OpenAPI document (`api_docs.py`) and the dashboard's links. No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pandas as pd

from govreport_core import catalog
from govreport_core.service import export
from govreport_core.service.api_params import (
    BY,
    HEADERS,
    NEXT,
    SEARCH,
    SORT,
    SORT_DESC,
    BadRequest,
    Option,
    Request,
    check_token,
    encode_token,
    require,
    size,
)
from govreport_core.store import Store
from govreport_core.store import queries as q
from govreport_core.store.filters import Filters

PREFIX = "/api/v1"
# The Sankey's keys (dashboard/charts.FLOW_KEYS: a test holds them equal): received, outcome groups, carried over.
FLOW_KEYS = (*catalog.TABLE3_RECEIVED, *catalog.OUTCOME_GROUPS, "carried_to_next_year")


@dataclass
class Table:
    """A table answer: its rows, the selection's row count when known, the next page's token."""

    frame: pd.DataFrame
    count: int | None = None
    next: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


Run = Callable[[Store, Request], Any]  # -> Table, or a dict (one report, the facets)


@dataclass(frozen=True)
class Endpoint:
    name: str  # the path under /api/v1/ without its suffix
    summary: str
    run: Run
    options: tuple[Option, ...] = ()
    filters: bool = True  # takes the page filters
    formats: tuple[str, ...] = ("json", "csv")
    example: str = ""  # an example query string
    chart: str = ""  # the page and chart whose table this is


def area_level(filters: Filters) -> str:
    """The areas the pages compare: provinces, a chosen province's cities, a chosen city's counties (ui.area_level)."""
    return "region" if filters.city else ("city" if filters.province else "province")


def _key(request: Request) -> list[tuple[str, bool]]:
    column = request.options.get("_sort_desc") or request.options.get("_sort")
    return q.sort_key(column, descending=bool(request.options.get("_sort_desc")))


def _after(request: Request, key: list[tuple[str, bool]]) -> list[Any] | None:
    token = request.options.get("_next")
    return None if token is None else check_token(token, key)


def _reports(store: Store, request: Request) -> Table:
    key = _key(request)
    search = request.options["_search"]
    frame, following = q.reports_page(store, request.filters, request.options["_size"], key, _after(request, key), search)
    count = q.counts(store, request.filters, search=search)["reports"]
    return Table(frame, count, encode_token(following) if following else None)


LONG_PAGE = 20  # reports per page of the long layout: up to ~5,000 rows with their evidence
WIDE_PAGE = 50  # reports per page of the wide layout: 270 columns each (13,500 cells)


def _figures(store: Store, request: Request) -> Table:
    key = _key(request)
    o = request.options
    if o["_layout"] == "long" and o["_size"] > LONG_PAGE:
        raise BadRequest(f"Parameter '_size' takes at most {LONG_PAGE} reports with _layout=long (every figure of a "
                         f"report is a row, about 80 to 250 rows a report); got {o['_size']}.")
    metrics = list(o["_metric"]) if o["_metric"] else None
    frame, following = q.figures_page(store, request.filters, o["_size"], key, _after(request, key), o["_search"],
                                      metrics, wide=o["_layout"] == "wide", breakdown=o["_breakdown"])
    count = q.counts(store, request.filters, search=o["_search"])["reports"]
    return Table(frame, count, encode_token(following) if following else None, {"count_of": "reports"})


def report(store: Store, report_id: int) -> dict[str, Any]:
    detail = q.report_detail(store, report_id)
    if not detail:
        raise BadRequest(f"There is no report {report_id}.", 404)
    before = q.previous_year(store, report_id) if detail["meta"].get("year") else {}
    previous = None
    if before:
        previous = {"report_id": before["meta"]["report_id"], "meta": before["meta"],
                    "figures": before["figures"][["metric", "applicant", "value"]]}
    return {"report_id": report_id, "meta": detail["meta"], "figures": detail["figures"],
            "findings": detail["findings"], "corrections": detail["corrections"], "previous_year": previous}


def _facets(store: Store, request: Request) -> dict[str, Any]:
    wanted = request.options["_facet"] or q.FACETS
    counted = q.facets(store, request.filters, search=request.options["_search"])
    return {"count": q.counts(store, request.filters, search=request.options["_search"])["reports"],
            "facets": {name: counted[name] for name in wanted}, "facet_size": request.options["_facet_size"]}


def _series(store: Store, request: Request) -> Table:
    o = request.options
    by = o["_by"] or area_level(request.filters)
    frames = [q.series(store, request.filters, metric=m, by=by).assign(metric=m) for m in require(o, "_metric")]
    frame = pd.concat(frames, ignore_index=True)
    if o["_year"] is not None:
        frame = frame[frame["year"] == o["_year"]].reset_index(drop=True)
    return Table(frame[["metric", "year", "area", "value", "reports", "agencies"]], extra={"by": by})


def _coverage(store: Store, request: Request) -> Table:
    by = request.options["_by"] or area_level(request.filters)
    grid = q.coverage(store, request.filters, by=by)
    if grid.empty:
        return Table(pd.DataFrame(columns=["area", "year", "reports"]), extra={"by": by})
    frame = grid.reset_index().melt(id_vars="area", var_name="year", value_name="reports")
    frame = frame[frame["reports"] > 0].sort_values(["area", "year"]).reset_index(drop=True)
    return Table(frame.astype({"year": int, "reports": int}), extra={"by": by})


def _flow(store: Store, request: Request) -> Table:
    totals = q.totals(store, request.filters, keys=FLOW_KEYS)
    rows = [{"metric": k, "label": catalog.label(k), "side": "in" if k in catalog.TABLE3_RECEIVED else "out",
             "value": totals["values"].get(k)} for k in FLOW_KEYS]
    return Table(pd.DataFrame(rows), extra={"reports": totals["reports"]})


def _table(fn: Callable[..., pd.DataFrame], **fixed: Any) -> Run:
    """An endpoint that is one query function over the filters (and fixed arguments)."""
    return lambda store, request: Table(fn(store, request.filters, **fixed))


def _counts(store: Store, request: Request) -> dict[str, Any]:
    return q.counts(store, request.filters, search=request.options["_search"])


METRICS_OPT = Option("_metric", "metrics", "metric keys, comma-separated, at most 10 (see metrics.json)", high=10)
TABLE3 = tuple(k for k, m in catalog.METRICS.items() if m.table == "table3" and q.value_column(k, "natural_person"))
YEAR = Option("_year", "year", "only this data year")
FACET_NAMES = Option("_facet", "choices", "only these facets, comma-separated", allowed=q.FACETS)
LANG = Option("_lang", "choice", "the texts' language", "en", allowed=("zh", "en"))
FILTER_EXAMPLE = "province=江苏省&from=2019"


def _ranking(store: Store, request: Request) -> Table:
    o = request.options
    return Table(q.ranking(store, request.filters, metric=o["_metric"], year=o["_year"], limit=o["_size"]))


def _sums(store: Store, request: Request) -> Table:
    return Table(q.yearly_sums(store, request.filters, keys=list(require(request.options, "_metric"))))


def _breakdown(store: Store, request: Request) -> Table:
    return Table(q.breakdown(store, request.filters, metric=request.options["_metric"]))


def _findings(store: Store, request: Request) -> Table:
    rules = request.options["_rule"] or ()
    return Table(q.findings(store, request.filters, rules=tuple(rules)))


def _dictionary(store: Store, request: Request) -> Table:
    return Table(export.data_dictionary(request.options["_lang"], request.options["_search"] or ""))


def _latest(store: Store, request: Request) -> Table:
    return Table(q.recent(store, request.filters, limit=request.options["_size"]))


def _areas(store: Store, request: Request) -> Table:
    o = request.options
    if o["_per"] and not o["_metric"]:
        raise BadRequest("Parameter '_per' divides '_metric': give '_metric' too.")
    return Table(q.area_values(store, request.filters, numerator=o["_metric"], denominator=o["_per"],
                               new_format_only=o["_new_format"]))


ENDPOINTS: dict[str, Endpoint] = {e.name: e for e in (
    Endpoint("reports", "The reports of the selection, a page at a time (报告详情's list; 数据导出 by report).", _reports,
             (size(100, 1000), NEXT, SORT, SORT_DESC, SEARCH, HEADERS), example=FILTER_EXAMPLE + "&_size=20"),
    Endpoint("figures", "Every figure of a page of reports: long (one row per report × metric × applicant, with its "
             "evidence) or wide (one row per report, a column per metric and table-3 applicant).", _figures,
             (size(10, WIDE_PAGE, f"reports (at most {LONG_PAGE} with _layout=long, {WIDE_PAGE} with wide)"), NEXT, SORT, SORT_DESC, SEARCH,
              Option("_layout", "choice", "long or wide", "long", allowed=("long", "wide")),
              Option("_breakdown", "flag", "the applicant columns of table 3 too (1) or only the totals (0)", True),
              METRICS_OPT, HEADERS), example=FILTER_EXAMPLE + "&_layout=wide&_metric=applications_new,granted"),
    Endpoint("facets", "How many reports of the selection each province, city, county, level, year, format era and "
             "scope has.", _facets,
             (SEARCH, FACET_NAMES, Option("_facet_size", "int", "values listed per facet at most", 100, high=5000)),
             formats=("json",), example="province=湖南省"),
    Endpoint("counts", "The selection's headline: reports, counties, years (总览).", _counts, (SEARCH,),
             formats=("json",), example=FILTER_EXAMPLE, chart="overview: headline"),
    Endpoint("metrics", "The data dictionary: every metric key with its labels, table, unit, formats and "
             "comparability.", _dictionary, (LANG, SEARCH, HEADERS), filters=False, example="_search=复议"),
    Endpoint("series", "A metric summed per year and area, with how many reports each sum adds up (the line charts; "
             "with _year, the bars comparing areas).", _series, (METRICS_OPT, BY, YEAR, HEADERS),
             example="_metric=applications_new", chart="proactive, applications, review: series"),
    Endpoint("coverage", "Reports per area and year (总览's heat grid).", _coverage, (BY, HEADERS), example=FILTER_EXAMPLE,
             chart="overview: coverage"),
    Endpoint("rates", "Each rate per year as a ratio of the selection's sums, with numerator, denominator and reports.",
             _table(q.rates), (HEADERS,), example=FILTER_EXAMPLE, chart="overview, applications, review: rates"),
    Endpoint("outcomes", "Table 3's outcome rows summed per year (2019/2021 reports).", _table(q.outcomes), (HEADERS,),
             example=FILTER_EXAMPLE, chart="applications: outcomes"),
    Endpoint("review_outcomes", "Review and litigation outcomes per year (table 4).", _table(q.review_outcomes),
             (HEADERS,), example=FILTER_EXAMPLE, chart="review: outcomes"),
    Endpoint("sums", "Sums of chosen metrics per year (2019/2021 reports), with how many reports each adds up.", _sums,
             (METRICS_OPT, HEADERS), example="_metric=litigation_direct_total,litigation_after_review_total",
             chart="review: direct suits and suits after review"),
    Endpoint("breakdown", "A table-3 row's applicant columns summed over the selection.", _breakdown,
             (Option("_metric", "choice", "a table-3 row's metric key", "applications_new", allowed=TABLE3), HEADERS),
             example=FILTER_EXAMPLE, chart="applications: applicants"),
    Endpoint("areas", "The map's table: the selection's reports per area (province, city, county, adcode); with _metric "
             "that metric summed over the reports giving it, with _per too a second sum over the reports giving both (the "
             "map colours their ratio); `given` counts those reports.", _areas,
             (Option("_metric", "metric", "a metric key summed per area"),
              Option("_per", "metric", "a metric key summed beside it, the ratio's denominator"),
              Option("_new_format", "flag", "2019/2021 reports only (1)", False), HEADERS),
             example="province=江苏省&_metric=review_total&_per=applications_new&_new_format=1", chart="map: areas"),
    Endpoint("flow", "Received and carried-over applications against outcomes and carried to next year (the Sankey).",
             _flow, (HEADERS,), example=FILTER_EXAMPLE, chart="applications: flow"),
    Endpoint("rankings", "The reports with the largest value of a metric.", _ranking,
             (Option("_metric", "metric", "a metric key", "review_total"), YEAR, size(20, 1000), HEADERS),
             example="_metric=applications_new&_year=2023", chart="review: ranking"),
    Endpoint("findings", "The checks' findings on the selected reports, errors first (数据质量).", _findings,
             (Option("_rule", "choices", "only these rule ids, comma-separated", allowed=tuple(catalog.RULES)),
              HEADERS), example="_rule=K5", chart="quality: findings"),
    Endpoint("metric_coverage", "How many selected reports give each metric.", _table(q.metric_coverage), (HEADERS,),
             example=FILTER_EXAMPLE, chart="quality: metric coverage"),
    Endpoint("latest", "The selection's reports added last (总览's 最近加入).", _latest, (size(10, 100), HEADERS),
             example="_size=5", chart="overview: latest"),
    Endpoint("unknown", "Reports whose year or county the text did not give (数据质量).",
             lambda store, request: Table(q.unknown(store)), (HEADERS,), filters=False, chart="quality: unknown"),
    Endpoint("duplicates", "Files recognised as the same report, with the one that stands (数据质量).",
             lambda store, request: Table(q.duplicates(store)), (HEADERS,), filters=False, chart="quality: duplicates"),
)}


def url(name: str, fmt: str = "json", filters: Filters | None = None, base: str = "", **options: Any) -> str:
    """The API's URL of an endpoint for a selection and options (`_metric=("a", "b")` joins with commas); what
    the dashboard's "this view as JSON / CSV" links and the index page's examples are made of."""
    params = dict(filters.to_params()) if filters is not None else {}
    for key, value in options.items():
        if value is None or value in ("", ()):
            continue
        params[key] = ",".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    query = urlencode(params, safe=",")
    return f"{base.rstrip('/')}{PREFIX}/{name}.{fmt}" + (f"?{query}" if query else "")
