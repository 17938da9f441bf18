"""Cross-year check K5 (FORMATS.md §5): a report's 上年结转申请数 equals the 结转下年度继续办理 of the same
agency's report of the year before.

Runs inside the store whenever the reports of an agency change (a report saved, a figure corrected, another
file of a report chosen), and over the whole database with `recheck`; each failure is a `findings` row with
rule K5 (severity warn: restructurings break it) on the later report, so 数据质量 and 报告详情 list it like the
extractor's own findings. Only the 2019/2021 formats carry both rows: the old 统计表 has no carried-over
figure (FORMATS.md §4: apps_carried_in is new only), so there is no old-format equivalent to check.
"""

from __future__ import annotations

import duckdb

RULE = "K5"
CARRIED_IN, CARRIED_OUT = "applications_carried_over", "carried_to_next_year"
# One agency across years: the same name in the same area and of the same scope (鼓楼区 exists in four cities).
SAME_AGENCY = ("{a}.agency = {b}.agency AND {a}.province IS NOT DISTINCT FROM {b}.province "
               "AND {a}.city IS NOT DISTINCT FROM {b}.city AND {a}.region IS NOT DISTINCT FROM {b}.region "
               "AND coalesce({a}.scope, 'body') = coalesce({b}.scope, 'body')")


def recheck(cursor: duckdb.DuckDBPyConnection, agency: str | None = None) -> int:
    """Recompute the K5 findings of one agency's reports (all agencies when None); returns how many failed.

    Call it inside the transaction that changed the reports, so the findings never disagree with the figures."""
    only = "AND r.agency = ?" if agency else ""
    params: list[object] = [agency] if agency else []
    cursor.execute(f"DELETE FROM findings WHERE rule = ? AND report_id IN (SELECT r.report_id FROM reports r "
                   f"WHERE TRUE {only})", [RULE, *params])
    rows = cursor.execute(
        f"WITH v AS (SELECT r.report_id, r.agency, r.province, r.city, r.region, r.scope, r.year, f.metric, f.value "
        f"FROM reports r JOIN current_figures f USING (report_id) WHERE r.active AND r.year IS NOT NULL "
        f"AND r.agency IS NOT NULL AND r.format_era IN ('2019', '2021') AND f.applicant = 'total' "
        f"AND f.metric IN (?, ?) {only}) "
        f"SELECT cur.report_id, cur.value, prev.report_id, prev.year, prev.value FROM v cur JOIN v prev "
        f"ON {SAME_AGENCY.format(a='cur', b='prev')} AND prev.year = cur.year - 1 "
        f"WHERE cur.metric = ? AND prev.metric = ? AND cur.value <> prev.value ORDER BY cur.report_id",
        [CARRIED_IN, CARRIED_OUT, *params, CARRIED_IN, CARRIED_OUT]).fetchall()
    findings = [[report_id, RULE, "warn",
                 f"上年结转申请数 {float(carried_in):g} 件，与{int(year)}年报告（报告编号 {int(previous)}）的结转下年度继续办理 "
                 f"{float(carried_out):g} 件不一致", [CARRIED_IN, CARRIED_OUT]]
                for report_id, carried_in, previous, year, carried_out in rows]
    if findings:
        cursor.executemany("INSERT INTO findings VALUES (?, ?, ?, ?, ?)", findings)
    return len(findings)
