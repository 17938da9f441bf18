"""Time every endpoint of the open-data API on a database: ms per request, through Starlette's TestClient (the
routes, the parameter checks, the queries and the JSON/CSV writing; no network).

    .venv/bin/python scripts/bench_api.py --db /tmp/scale.duckdb      # e.g. `scale --reports 100000`'s database
    .venv/bin/python scripts/bench_api.py                             # a fresh copy of the default data

Each request is timed `--runs` times after one first ("cold") request; the table shows the first and the median.
The machine's load (`uptime`) is printed with the numbers: on a shared machine every figure is inflated by it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, unquote

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

LIMIT_MS = 300  # issue 21: each endpoint under 300 ms at 100,000 reports


def requests(province: str, report_id: int) -> list[str]:
    p = quote(province)
    return [
        "/api/v1/reports.json", f"/api/v1/reports.json?province={p}&from=2019", "/api/v1/reports.csv?_size=1000",
        "/api/v1/reports.json?_sort_desc=applications_new&_size=100", "/api/v1/reports.json?_search=人民政府",
        "/api/v1/figures.json", "/api/v1/figures.json?_size=20&_sort=agency", "/api/v1/figures.csv?_layout=wide&_size=50",
        f"/api/v1/figures.json?province={p}", "/api/v1/figures.json?_layout=wide&_size=50&_sort=agency",
        f"/api/v1/reports/{report_id}.json", "/api/v1/facets.json", f"/api/v1/facets.json?province={p}",
        "/api/v1/counts.json", "/api/v1/metrics.json", "/api/v1/series.json?_metric=applications_new",
        f"/api/v1/series.json?_metric=review_total,litigation_total&province={p}", "/api/v1/coverage.json",
        "/api/v1/rates.json", "/api/v1/outcomes.json", "/api/v1/review_outcomes.json",
        "/api/v1/sums.json?_metric=litigation_direct_total,litigation_after_review_total", "/api/v1/breakdown.json",
        "/api/v1/flow.json", "/api/v1/rankings.json", "/api/v1/findings.json?_rule=K5", "/api/v1/metric_coverage.json",
        "/api/v1/latest.json", "/api/v1/areas.json?_metric=review_total&_per=applications_new&_new_format=1",
        "/api/v1/unknown.json", "/api/v1/duplicates.json", "/api/v1/", "/api/v1/openapi.json",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="database to read (default: a fresh copy of the default data)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--markdown", action="store_true", help="also print the table as markdown (for the README)")
    args = parser.parse_args()
    os.environ["GOVREPORT_DB"] = args.db or str(Path(tempfile.mkdtemp()) / "default.duckdb")

    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from govreport_core.service import api
    from govreport_core.store import queries

    client = TestClient(Starlette(routes=api.routes()))
    store = api.store()
    print(f"database: {os.environ['GOVREPORT_DB']} ({store.report_count():,} reports)")
    first = queries.reports(store, queries.Filters(), limit=1)
    province = str(first["province"].iloc[0]) if not first.empty else "江苏省"
    report_id = int(first["report_id"].iloc[0]) if not first.empty else 1
    # The last page of the reports: a keyset page deep in the selection.
    deep = "/api/v1/reports.json?_size=1000"
    pages = 0
    while pages < 200:
        answer = client.get(deep).json()
        if not answer.get("next"):
            break
        deep, pages = answer["next_url"], pages + 1
    rows = []
    for path in [*requests(province, report_id), deep]:
        started = time.perf_counter()
        response = client.get(path)
        cold = (time.perf_counter() - started) * 1000
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        rows.append((path if path != deep else f"reports.json, page {pages + 1} (the last)", response.status_code,
                     len(response.content), cold, statistics.median(times)))
    print(f"load: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    print(f"{'request':<90} {'status':>6} {'bytes':>9} {'first ms':>9} {'median ms':>9}")
    for path, status, size, cold, median in rows:
        flag = "" if median < LIMIT_MS else f"  over {LIMIT_MS} ms"
        print(f"{path[:90]:<90} {status:>6} {size:>9,} {cold:>9.1f} {median:>9.1f}{flag}")
    print(f"slowest median: {max(r[4] for r in rows):.1f} ms; slowest first: {max(r[3] for r in rows):.1f} ms")
    if args.markdown:
        print("\n| request | bytes | first ms | median ms |\n|---|---|---|---|")
        for path, _, size, cold, median in rows:
            print(f"| `{unquote(path)}` | {size:,} | {cold:.0f} | {median:.0f} |")


if __name__ == "__main__":
    main()
