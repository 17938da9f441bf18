"""Scale: a database of many plausible reports for fictional areas, and the time of every page query on it.

    python -m govreport_core scale --reports 1000000 --db /tmp/scale.duckdb   # build, then benchmark
    python -m govreport_core scale --db /tmp/scale.duckdb --bench-only

Reports are spread over 31 fictional provinces × 10 prefectures × 10 counties and the years 2008–2025, in
the era each year belongs to; 30% are departments' reports, a third of the governments' are area-wide or of
unknown scope, one in twenty has a finding. Their figures (with evidence text, row, column and page) come
from a pool of reports drawn by the corpus generator (its table values: the sums hold), 2,048 per era,
turned into rows by the store's own `writes.prepare`; the metadata of each report is drawn in SQL from a
hash of its number. Python would take about 0.6 ms a report to draw and convert (10,000,000 reports: hours),
so the stored tables are written by `INSERT … SELECT` from the pool, 50,000 reports at a time in report
order as saves write them; the wide table is written in display order from the pool's wide rows, as
`derived.rebuild` makes it from the stored figures (tests/test_store_fast.py holds the two equal), and its
aggregates by `derived.regroup_all`, as every rebuild makes them.

The benchmark times each page query once to warm DuckDB's own caches (no Streamlit cache), then prints the
best of three timed runs, and names the slowest page query and the slowest export of a selection; with the
machine's load (`os.getloadavg`), as the machine is shared.
"""

from __future__ import annotations

import hashlib
import os
import random
import resource
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pyarrow as pa

from govreport_core import catalog
from govreport_core.catalog import APPLICANTS, TABLE4_KEYS
from govreport_core.extraction.version import PARSER_VERSION
from govreport_core.model import Evidence, Figure, Finding, ReportMeta, Result, Source
from govreport_core.store import Store, derived, writes
from govreport_core.store import queries as q
from govreport_core.store.filters import Filters

from .corpus.generate import _table2, _table3, _table4

PROVINCES = [f"虚拟{chr(0x7532 + i)}省" for i in range(31)]  # 虚拟甲省 …: fictional on purpose
ERAS = ("pre2019", "2019", "2021")
POOL = 2048  # drawn reports per era whose figures the generated reports take
FINDING = "表三本年新收申请数与各列之和不符。"


def _row_evidence(key: str, cells: list[object], page: int) -> dict[str | None, Evidence]:
    """A table row's evidence per column as the PDF reader gives it: the row's label, then its cells."""
    row = catalog.METRICS[key].label_zh
    text = " | ".join([row, *(str(c) for c in cells)])
    return {a: Evidence(text, 0, len(text), row, catalog.APPLICANT_LABELS.get(a or "", "总计"), page)
            for a in (None, *(APPLICANTS[:-1] if len(cells) > 1 else ()))}


def plausible_figures(rng: random.Random, era: str) -> list[Figure]:
    """The figures of one drawn report of an era: a handful from an old 统计表, or the 2019/2021 tables 2–4."""
    if era == "pre2019":
        applications = rng.randint(0, 80)
        values = {"proactive_items": rng.randint(50, 9000), "applications_new": applications,
                  "processed_total": applications, "granted": rng.randint(0, applications),
                  "review_total": rng.randint(0, 5), "litigation_total": rng.randint(0, 5)}
        return [Figure(k, v, _row_evidence(k, [v], 1)[None]) for k, v in values.items()]
    _, table2 = _table2(rng, era)
    figures = [Figure(k, Decimal(str(v)) if isinstance(v, float) else v, _row_evidence(k, [v], 2)[None])  # type: ignore[arg-type]
               for k, v in table2.items()]
    for key, cells in _table3(rng, era).items():
        evidence = _row_evidence(key, cells, 3)
        figures += [Figure(key, int(v), evidence[a], applicant=a)  # type: ignore[arg-type]
                    for a, v in zip(APPLICANTS[:-1], cells[:6], strict=True)]
        figures.append(Figure(key, int(cells[6]), evidence[None]))  # type: ignore[arg-type]
    figures += [Figure(k, int(v), _row_evidence(k, [v], 4)[None])  # type: ignore[arg-type]
                for k, v in zip(TABLE4_KEYS, _table4(rng), strict=True)]
    return figures


def plausible_result(rng: random.Random, number: int) -> Result:
    """One generated report drawn in Python (tests that save a few through the store): the same fictional
    areas, years and shares of departments and area-wide reports as the SQL build, its figures drawn anew."""
    province = rng.choice(PROVINCES)
    city = f"{province[:-1]}{rng.randint(1, 10)}市"
    region = f"{city[:-1]}{rng.randint(1, 10)}区"
    year = rng.randint(2008, 2025)
    era = "pre2019" if year < 2019 else ("2019" if year < 2021 else "2021")
    department = rng.random() < 0.3
    agency = f"{region}{'教育局' if department else '人民政府'}"
    meta = ReportMeta(title=f"{agency}{year}年政府信息公开工作年度报告", province=province, city=city, region=region,
                      agency=agency, level="county_department" if department else "county_government", year=year,
                      format_era=era, scope="body" if department else rng.choice(["body", "area", None]))
    findings = [Finding("K1", "warn", FINDING, ("applications_new",))] if rng.random() < 0.05 else []
    sha = hashlib.sha256(f"scale-{number}".encode()).hexdigest()
    return Result(Source(f"scale_{number:08d}.html", sha, "html", 0), meta, plausible_figures(rng, era), findings,
                  parser_version=PARSER_VERSION)


def _pool(seed: int, size: int) -> tuple[pa.Table, pa.Table]:
    """The pool's figure rows (as `writes.prepare` makes them) by place (era by era, `size` each), and the
    drawn reports' wide values (`derived.wide_rows`) by place."""
    rng = random.Random(seed)
    columns: dict[str, list[object]] = {name: [] for name in ("place", *writes.FIGURE_COLUMNS)}
    figures: list[derived.FigureRow] = []
    for place, era in enumerate(era for era in ERAS for _ in range(size)):
        result = Result(Source("pool", "pool", "html", 0), ReportMeta(format_era=era), plausible_figures(rng, era), [],
                        parser_version=PARSER_VERSION)
        rows = writes.prepare(result, None).figures
        columns["place"] += [place] * len(rows)
        for n, name in enumerate(writes.FIGURE_COLUMNS):
            columns[name] += [row[n] for row in rows]
        figures += [(place, row[0], row[1], round(float(row[2]), 6), bool(row[4])) for row in rows]
    types = dict(zip(("place", *writes.FIGURE_COLUMNS), (pa.int32(), *writes.FIGURE_TYPES), strict=True))
    return (pa.table({name: pa.array(values, types[name]) for name, values in columns.items()}),
            derived.wide_rows(list(range(len(ERAS) * size)), figures, []))


# Each report's draws are digits of one 64-bit hash of its number and the seed, in these bases (hashes of the
# number with each field's name were correlated: half the county names never came up).
DRAWS = {"province": 31, "city": 10, "region": 10, "year": 18, "department": 10, "scope": 3, "finding": 20}


def _h(field: str) -> str:
    """The report's draw of a field: 0 … DRAWS[field]-1."""
    below = 1
    for name, base in DRAWS.items():
        if name == field:
            return f"((h // {below}) % {base})::INTEGER"
        below *= base
    raise KeyError(field)


# The names of every fictional county's two bodies, numbered in display order (province, city, region, agency):
# the reports' order is then sorted on integers alone. (Sorting 10,000,000 rows with their names under the 2 GB
# cap, DuckDB 2.0.0 wrote one row of garbage: a report id of 1,771,740,135 and a province of invalid UTF-8.)
NAMES_SQL = """
CREATE TABLE scale_names AS
WITH named AS (
    SELECT p, c, g, department, $provinces[1 + p] AS province, left($provinces[1 + p], 3) || c || '市' AS city,
           left($provinces[1 + p], 3) || c || '市' || g || '区' AS region
    FROM range(31) a(p), range(1, 11) b(c), range(1, 11) d(g), (VALUES (FALSE), (TRUE)) e(department))
SELECT p, c, g, department, province, city, region,
       region || CASE WHEN department THEN '教育局' ELSE '人民政府' END AS agency,
       CASE WHEN department THEN 'county_department' ELSE 'county_government' END AS level,
       (row_number() OVER (ORDER BY province, city, region, agency))::INTEGER AS name_id
FROM named"""

# Every report drawn, in integers: its ids (the sequences advanced as saves would), year, names, draws, place in
# the pool and place in display order.
DRAW_SQL = f"""
CREATE TABLE scale_reports AS
WITH drawn AS (
    SELECT n, {_h('province')} AS p, 1 + {_h('city')} AS c, 1 + {_h('region')} AS g,
           2008 + {_h('year')} AS year, {_h('department')} < 3 AS department, {_h('scope')} AS s,
           {_h('finding')} = 0 AS finding, (hash(n, $seed, 'pool') % $pool)::INTEGER AS pick
    FROM (SELECT n, hash(n, $seed) AS h FROM range($count) t(n))),
ided AS (
    SELECT n, nextval('source_ids')::INTEGER AS source_id, nextval('report_ids')::INTEGER AS report_id, year,
           a.name_id, s, finding,
           (CASE WHEN year < 2019 THEN 0 WHEN year < 2021 THEN 1 ELSE 2 END) * $pool + pick AS place
    FROM drawn JOIN scale_names a USING (p, c, g, department))
SELECT *, row_number() OVER (ORDER BY year, name_id, report_id) AS pos FROM ided ORDER BY pos"""
# {_DRAWN}: each report with its names and the fields they give, for the statements below.
_DRAWN = """(SELECT m.*, a.province, a.city, a.region, a.agency, a.level,
    CASE WHEN m.year < 2019 THEN 'pre2019' WHEN m.year < 2021 THEN '2019' ELSE '2021' END AS format_era,
    CASE WHEN a.department OR m.s = 0 THEN 'body' WHEN m.s = 1 THEN 'area' END AS scope,
    a.agency || m.year || '年政府信息公开工作年度报告' AS title
    FROM scale_reports m JOIN scale_names a USING (name_id))"""

# The stored tables, a range of report ids at a time (saves write each batch's rows together; the order within
# a range is DuckDB's: sorting every chunk took three times as long).
BASE_SQL = [
    """INSERT INTO sources SELECT source_id, sha256('scale-' || n), printf('scale_%08d.html', n), 'html', 0, NULL,
       $now FROM scale_reports WHERE report_id BETWEEN $first AND $last ORDER BY source_id""",
    f"""INSERT INTO reports (report_id, source_id, title, province, city, region, agency, level, year, format_era,
       scope, parser_version, active, status)
       SELECT report_id, source_id, title, province, city, region, agency, level, year, format_era, scope, $version,
       TRUE, 'report' FROM {_DRAWN} WHERE report_id BETWEEN $first AND $last ORDER BY report_id""",
    f"""INSERT INTO figures (report_id, {', '.join(writes.FIGURE_COLUMNS)})
       SELECT m.report_id, {', '.join(f"p.{c}" for c in writes.FIGURE_COLUMNS)}
       FROM scale_reports m JOIN scale_pool p USING (place) WHERE m.report_id BETWEEN $first AND $last""",
    f"""INSERT INTO findings SELECT report_id, 'K1', 'warn', '{FINDING}', ['applications_new'] FROM scale_reports
       WHERE finding AND report_id BETWEEN $first AND $last ORDER BY report_id""",
]
# The wide table, a range of display places at a time: in display order as `derived.rebuild` makes it (at the
# grain of a range: zone maps and previews need no finer).
VALUES_SQL = f"""
INSERT INTO report_values SELECT m.report_id, TRUE, m.title, m.province, m.city, m.region, m.agency, m.level, m.year,
    m.format_era, NULL, NULL, m.scope, printf('scale_%08d.html', m.n), 'html', $now, v.* EXCLUDE (report_id)
FROM {_DRAWN} m JOIN scale_pool_values v ON v.report_id = m.place
WHERE m.pos BETWEEN $first AND $last"""


def build(store: Store, count: int, seed: int = 1, chunk: int = 50_000, pool: int = POOL) -> float:
    """Write `count` generated reports into an empty store; seconds taken."""
    start = time.perf_counter()
    size = min(pool, max(count, 1))
    figures, wide = _pool(seed, size)
    print(f"  a pool of {3 * size:,} drawn reports in {time.perf_counter() - start:.1f} s", flush=True)
    now = datetime.now(UTC).replace(tzinfo=None)
    with store.bulk() as tx:
        tx.register("pool", figures)
        tx.register("pool_values", wide)
        tx.execute("CREATE TABLE scale_pool AS SELECT * REPLACE (CAST(value AS DECIMAL(20, 6)) AS value) FROM pool")
        tx.execute("CREATE TABLE scale_pool_values AS SELECT * FROM pool_values")
        tx.execute(NAMES_SQL, {"provinces": PROVINCES})
        tx.execute(DRAW_SQL, {"seed": seed, "pool": size, "count": count})
    print(f"  {count:,} reports drawn, {time.perf_counter() - start:.0f} s", flush=True)
    for first in range(1, count + 1, chunk):
        with store.bulk() as tx:
            for sql in BASE_SQL:
                params = {"first": first, "last": first + chunk - 1, "now": now, "version": PARSER_VERSION}
                tx.execute(sql, {k: v for k, v in params.items() if f"${k}" in sql})
        if (first - 1) % (20 * chunk) == 0 or first + chunk > count:
            print(f"  {min(count, first + chunk - 1):,} reports stored, {time.perf_counter() - start:.0f} s", flush=True)
    for first in range(1, count + 1, chunk):
        with store.bulk() as tx:
            tx.execute(VALUES_SQL, {"first": first, "last": first + chunk - 1, "now": now})
    print(f"  the wide table, {time.perf_counter() - start:.0f} s", flush=True)
    with store.bulk() as tx:
        derived.regroup_all(tx)  # the groups, as every rebuild makes them
    print(f"  its groups, {time.perf_counter() - start:.0f} s", flush=True)
    with store.bulk() as tx:
        for table in ("scale_reports", "scale_names", "scale_pool", "scale_pool_values"):
            tx.execute(f"DROP TABLE {table}")
    _check(store, count)
    return time.perf_counter() - start


def _check(store: Store, count: int) -> None:
    """The build's own sanity: every report stored once, in both tables, with the names drawn (a database engine's
    fault once wrote a row of garbage; a benchmark on such a table would time the wrong thing)."""
    checks = {
        "reports": "SELECT count(*), count(DISTINCT report_id), min(report_id), max(report_id) FROM reports",
        "report_values": "SELECT count(*), count(DISTINCT report_id), min(report_id), max(report_id) FROM report_values",
    }
    for table, sql in checks.items():
        found = tuple(int(x) for x in store.query(sql).iloc[0])
        if found != (count, count, 1, count):
            raise RuntimeError(f"{table}: {found} (rows, ids, lowest, highest), where {count:,} reports were built")
    provinces = set(store.query("SELECT DISTINCT province FROM report_values")["province"])
    if not provinces <= set(PROVINCES):
        raise RuntimeError(f"report_values holds provinces that were never drawn: {set(provinces) - set(PROVINCES)}")


EXPORT = "export: "  # whole-selection downloads; pages ask for previews (ui.PREVIEW_REPORTS) and sums


def benchmark(store: Store, repeats: int = 3) -> list[tuple[str, float]]:
    """Milliseconds of each page query, on the default selection and on a filtered one, and of the exports."""
    default = Filters(year_from=2019, year_to=2025)
    province = Filters(province=PROVINCES[3], governments_only=False)
    county = Filters(region=q.options(store, province)["region"][0], governments_only=False)
    some_report = int(q.latest(store, 1)["report_id"].iloc[0])
    calls: list[tuple[str, Callable[[], object]]] = [
        ("export: reports (2019–2025)", lambda: q.reports(store, default)),
        ("reports, preview (1,000)", lambda: q.reports(store, default, 1000)),
        ("counts", lambda: q.counts(store, default)),
        # As the export page shows it: without evidence (the download has it).
        ("figures, preview (1,000 reports)", lambda: q.figures(store, default, None, None, False, False, 1000)),
        ("wide, preview (1,000 reports)", lambda: q.wide(store, default, None, None, 1000)),
        ("export: figures, 3 metrics (2019–2025)",
         lambda: q.figures(store, default, ["applications_new", "granted", "processed_total"], with_evidence=False)),
        ("export: wide, one province", lambda: q.wide(store, province)),
        ("export: figures, every metric, one province", lambda: q.figures(store, province, with_evidence=False)),
        ("export: figures with evidence, one county", lambda: q.figures(store, county)),
        ("series by province", lambda: q.series(store, default, "applications_new", by="province")),
        ("series by region, one province", lambda: q.series(store, province, "applications_new")),
        ("series by city, one province", lambda: q.series(store, province, "applications_new", by="city")),
        ("outcomes", lambda: q.outcomes(store, default)),
        ("review outcomes", lambda: q.review_outcomes(store, default)),
        # The Sankey's keys (charts.FLOW_KEYS): received, the outcome groups, carried to next year.
        ("totals (flow)", lambda: q.totals(store, default, [*catalog.TABLE3_RECEIVED, *catalog.OUTCOME_GROUPS,
                                                           "carried_to_next_year"])),
        ("rates", lambda: q.rates(store, default)),
        ("ranking", lambda: q.ranking(store, default, "applications_new", 2023)),
        ("coverage by province", lambda: q.coverage(store, Filters(), by="province")),
        ("coverage by region, one province", lambda: q.coverage(store, province)),
        # 数据质量 shows the first 1,000 findings in the order chosen and how many there are; the API gives all.
        ("findings, preview (1,000)", lambda: q.findings(store, default, limit=1000, sort="-year")),
        ("findings, count", lambda: q.finding_count(store, default)),
        ("export: findings (2019–2025)", lambda: q.findings(store, default)),
        ("breakdown", lambda: q.breakdown(store, default)),
        ("metric coverage", lambda: q.metric_coverage(store, default)),
        ("latest additions", lambda: q.latest(store)),
        ("unknown year or region", lambda: q.unknown(store)),
        ("filter options", lambda: q.options(store, province)),
        ("report detail", lambda: q.report_detail(store, some_report)),
    ]
    timings = []
    for name, call in calls:
        call()  # warm
        best = float("inf")
        for _ in range(repeats):  # the best of a few: the machine may be shared
            start = time.perf_counter()
            call()
            best = min(best, time.perf_counter() - start)
        timings.append((name, 1000 * best))
    return timings


def run_scale(db: Path, count: int, bench_only: bool) -> int:
    store = Store(db)
    store.limit_memory(2048)  # a shared machine: the build and the queries stay within 2 GB
    print(f"load average (1, 5, 15 min) at the start: {_load()}")
    if not bench_only:
        if store.query("SELECT count(*) AS n FROM sources")["n"].iloc[0]:
            print(f"{db} already holds reports; use --bench-only or another --db.")
            return 1
        print(f"building {count:,} reports in {db} …")
        seconds = build(store, count)
        used = resource.getrusage(resource.RUSAGE_SELF)
        print(f"built in {seconds:.1f} s ({used.ru_utime + used.ru_stime:.0f} s of CPU; peak memory "
              f"{used.ru_maxrss / 1024:,.0f} MB; load now {_load()})")
    print(f"{store.report_count():,} reports; database file {db.stat().st_size / 1e6:,.1f} MB")
    timings = benchmark(store)
    for name, ms in timings:
        print(f"  {name:<44} {ms:8.1f} ms")
    name, ms = max((t for t in timings if not t[0].startswith(EXPORT)), key=lambda t: t[1])
    print(f"slowest page query: {name} {ms:.1f} ms")
    name, ms = max((t for t in timings if t[0].startswith(EXPORT)), key=lambda t: t[1])
    print(f"slowest export (a whole selection, not a page): {name} {ms:.1f} ms")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process (the exports' DataFrames included): {peak:,.0f} MB; "
          f"load average at the end: {_load()}")
    return 0


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())
