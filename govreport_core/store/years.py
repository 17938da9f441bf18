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


def disagrees(carried_in: float | None, carried_out: float | None) -> bool | None:
    """K5 itself: whether this year's 上年结转 differs from the 结转下年度继续办理 of the year before; None when either
    figure is missing. The store's rechecks and 报告详情's sentence both ask this."""
    if carried_in is None or carried_out is None:
        return None
    return float(carried_in) != float(carried_out)


def _message(carried_in: float, previous: int, year: int, carried_out: float) -> str:
    return (f"上年结转申请数 {float(carried_in):g} 件，与{int(year)}年报告（报告编号 {int(previous)}）的结转下年度继续办理 "
            f"{float(carried_out):g} 件不一致")


def recheck(cursor: duckdb.DuckDBPyConnection) -> int:
    """Recompute every K5 finding of the database (after a bulk load); returns how many pairs disagree."""
    cursor.execute("DELETE FROM findings WHERE rule = ?", [RULE])
    rows = cursor.execute(
        f"WITH v AS (SELECT r.report_id, r.agency, r.province, r.city, r.region, r.scope, r.year, f.metric, f.value "
        f"FROM reports r JOIN current_figures f USING (report_id) WHERE r.active AND r.year IS NOT NULL "
        f"AND r.agency IS NOT NULL AND r.format_era IN ('2019', '2021') AND f.applicant = 'total' "
        f"AND f.metric IN (?, ?)) "
        f"SELECT cur.report_id, cur.value, prev.report_id, prev.year, prev.value FROM v cur JOIN v prev "
        f"ON {SAME_AGENCY.format(a='cur', b='prev')} AND prev.year = cur.year - 1 "
        f"WHERE cur.metric = ? AND prev.metric = ? ORDER BY cur.report_id",
        [CARRIED_IN, CARRIED_OUT, CARRIED_IN, CARRIED_OUT]).fetchall()
    findings = [[report_id, RULE, "warn", _message(carried_in, previous, year, carried_out), [CARRIED_IN, CARRIED_OUT]]
                for report_id, carried_in, previous, year, carried_out in rows if disagrees(carried_in, carried_out)]
    if findings:
        cursor.executemany("INSERT INTO findings VALUES (?, ?, ?, ?, ?)", findings)
    return len(findings)


def recheck_around(cursor: duckdb.DuckDBPyConnection, report_id: int) -> int:
    """Recompute K5 for the two pairs a report belongs to (the year before → it, it → the year after); returns
    how many of them disagree. Cheap at any size: the agency's reports of three years, then their two figures
    each, read by report id (a save of one report must not scan every figure of a national database)."""
    near = cursor.execute(
        f"SELECT n.report_id, n.year, n.active AND n.format_era IN ('2019', '2021') FROM reports r JOIN reports n "
        f"ON {SAME_AGENCY.format(a='r', b='n')} AND n.year BETWEEN r.year - 1 AND r.year + 1 "
        f"WHERE r.report_id = ? AND r.year IS NOT NULL", [report_id]).fetchall()
    if not near:
        return 0
    this_year = next(year for rid, year, _ in near if rid == report_id)
    later = [rid for rid, year, _ in near if year in (this_year, this_year + 1)]  # K5 findings sit on the later year
    marks = ", ".join("?" for _ in later)
    cursor.execute(f"DELETE FROM findings WHERE rule = ? AND report_id IN ({marks})", [RULE, *later])
    counted = [(rid, year) for rid, year, counts in near if counts]
    if not counted:
        return 0
    values: dict[tuple[int, str], float] = {}
    for rid, _ in counted:  # one report at a time: `report_id = ?` lets the scan skip by zone maps
        for metric, value in cursor.execute(
                "SELECT metric, value FROM current_figures WHERE report_id = ? AND applicant = 'total' "
                "AND metric IN (?, ?) AND value IS NOT NULL", [rid, CARRIED_IN, CARRIED_OUT]).fetchall():
            values[(rid, metric)] = float(value)
    findings = []
    for cur, year in counted:
        for prev, prev_year in counted:
            carried_in, carried_out = values.get((cur, CARRIED_IN)), values.get((prev, CARRIED_OUT))
            if prev_year == year - 1 and cur in later and disagrees(carried_in, carried_out):
                findings.append([cur, RULE, "warn", _message(carried_in, prev, prev_year, carried_out),
                                 [CARRIED_IN, CARRIED_OUT]])
    if findings:
        cursor.executemany("INSERT INTO findings VALUES (?, ?, ?, ?, ?)", findings)
    return len(findings)


AROUND_LIMIT = 50  # past this many reports in one write, one pass over the database is cheaper than pairs each


def recheck_reports(cursor: duckdb.DuckDBPyConnection, report_ids: list[int]) -> None:
    """K5 for the reports one write touched: their own pairs, or the whole database for a large batch."""
    if len(report_ids) > AROUND_LIMIT:
        recheck(cursor)
        return
    for report_id in report_ids:
        recheck_around(cursor, report_id)
