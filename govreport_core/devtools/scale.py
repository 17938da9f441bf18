"""Scale: a database of many plausible reports for fictional areas, and the time of every page query on it.

    python -m govreport_core scale --reports 100000 --db /tmp/scale.duckdb   # build, then benchmark
    python -m govreport_core scale --db /tmp/scale.duckdb --bench-only

Reports are spread over 31 fictional provinces × 10 prefectures × 10 counties and the years 2008–2025, in
the era each year belongs to; their figures come from the corpus generator's table values (sums hold),
old reports get a handful of 统计表 figures, one report in twenty a finding. They go in through
`Store.save_many` in chunks (the wide table is filled as they go). The benchmark times each page query
once to warm DuckDB's own caches (no Streamlit cache), then prints the best of three timed runs, and names
the slowest page query and the slowest whole-selection export.
"""

from __future__ import annotations

import hashlib
import random
import resource
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from govreport_core import catalog
from govreport_core.catalog import APPLICANTS, TABLE4_KEYS
from govreport_core.extraction.version import PARSER_VERSION
from govreport_core.model import Figure, Finding, ReportMeta, Result, Source
from govreport_core.store import Store
from govreport_core.store import queries as q
from govreport_core.store.filters import Filters

from .corpus.generate import _table2, _table3, _table4

PROVINCES = [f"虚拟{chr(0x7532 + i)}省" for i in range(31)]  # 虚拟甲省 …: fictional on purpose


def plausible_result(rng: random.Random, number: int) -> Result:
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
    figures: list[Figure] = []
    if era == "pre2019":
        applications = rng.randint(0, 80)
        values = {"proactive_items": rng.randint(50, 9000), "applications_new": applications,
                  "processed_total": applications, "granted": rng.randint(0, applications),
                  "review_total": rng.randint(0, 5), "litigation_total": rng.randint(0, 5)}
        figures = [Figure(k, v, None) for k, v in values.items()]
    else:
        _, table2 = _table2(rng, era)
        figures += [Figure(k, Decimal(str(v)) if isinstance(v, float) else v, None) for k, v in table2.items()]
        for key, cells in _table3(rng, era).items():
            figures += [Figure(key, int(v), None, applicant=a) for a, v in zip(APPLICANTS[:-1], cells[:6], strict=True)]
            figures.append(Figure(key, int(cells[6]), None))  # type: ignore[arg-type]
        figures += [Figure(k, int(v), None) for k, v in zip(TABLE4_KEYS, _table4(rng), strict=True)]  # type: ignore[arg-type]
    findings = [Finding("K1", "warn", "表三本年新收申请数与各列之和不符。", ("applications_new",))] \
        if rng.random() < 0.05 else []
    sha = hashlib.sha256(f"scale-{number}".encode()).hexdigest()
    return Result(Source(f"scale_{number:06d}.html", sha, "html", 0), meta, figures, findings,
                  parser_version=PARSER_VERSION)


def build(store: Store, count: int, seed: int = 1, chunk: int = 5000) -> float:
    rng = random.Random(seed)
    start = time.perf_counter()
    for first in range(0, count, chunk):
        store.save_many([plausible_result(rng, n) for n in range(first, min(count, first + chunk))])
        print(f"  {min(count, first + chunk):,} reports", flush=True)
    return time.perf_counter() - start


EXPORT = "export: "  # whole-selection downloads; pages ask for previews (ui.PREVIEW_REPORTS) and sums


def benchmark(store: Store, repeats: int = 3) -> list[tuple[str, float]]:
    """Milliseconds of each page query, on the default selection and on a filtered one, and of the exports."""
    default = Filters(year_from=2019, year_to=2025)
    province = Filters(province=PROVINCES[3], governments_only=False)
    some_report = int(q.latest(store, 1)["report_id"].iloc[0])
    calls: list[tuple[str, Callable[[], object]]] = [
        ("export: reports (2019–2025)", lambda: q.reports(store, default)),
        ("reports, preview (1,000)", lambda: q.reports(store, default, 1000)),
        ("counts", lambda: q.counts(store, default)),
        ("figures, preview (1,000 reports)", lambda: q.figures(store, default, None, None, False, True, 1000)),
        ("wide, preview (1,000 reports)", lambda: q.wide(store, default, None, None, 1000)),
        ("export: figures, 3 metrics (2019–2025)",
         lambda: q.figures(store, default, ["applications_new", "granted", "processed_total"], with_evidence=False)),
        ("export: wide, one province", lambda: q.wide(store, province)),
        ("series by province", lambda: q.series(store, default, "applications_new", by="province")),
        ("series by region, one province", lambda: q.series(store, province, "applications_new")),
        ("outcomes", lambda: q.outcomes(store, default)),
        ("review outcomes", lambda: q.review_outcomes(store, default)),
        # The Sankey's keys (charts.FLOW_KEYS): received, the outcome groups, carried to next year.
        ("totals (flow)", lambda: q.totals(store, default, [*catalog.TABLE3_RECEIVED, *catalog.OUTCOME_GROUPS,
                                                           "carried_to_next_year"])),
        ("rates", lambda: q.rates(store, default)),
        ("ranking", lambda: q.ranking(store, default, "applications_new", 2023)),
        ("coverage by province", lambda: q.coverage(store, Filters(), by="province")),
        ("coverage by region, one province", lambda: q.coverage(store, province)),
        ("findings", lambda: q.findings(store, default)),
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
    if not bench_only:
        if store.report_count():
            print(f"{db} already holds {store.report_count():,} reports; use --bench-only or another --db.")
            return 1
        print(f"building {count:,} reports in {db} …")
        seconds = build(store, count)
        print(f"built in {seconds:.1f} s")
    print(f"{store.report_count():,} reports; database file {db.stat().st_size / 1e6:.1f} MB")
    timings = benchmark(store)
    for name, ms in timings:
        print(f"  {name:<36} {ms:8.1f} ms")
    name, ms = max((t for t in timings if not t[0].startswith(EXPORT)), key=lambda t: t[1])
    print(f"slowest page query: {name} {ms:.1f} ms")
    name, ms = max((t for t in timings if t[0].startswith(EXPORT)), key=lambda t: t[1])
    print(f"slowest export (a whole selection, not a page): {name} {ms:.1f} ms")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MB")
    return 0
