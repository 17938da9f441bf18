"""Which file of a report stands: the same whatever order the files were saved in.

Two files of one report (the same agency, year, scope and region: a PDF and an HTML copy, a re-published
version) are one report; one of them stands (active), the others are kept inactive as its duplicates. Which
one used to be the first saved, so two ingests of the same files in another order (two processes at once, the
Dask engine saving as results complete) could keep different files standing, and the cross-year check K5
then compared different figures (2570 against 2572 findings). Now each time a write touches a group, the
file that stands is chosen by what the files are, never by when they came:
1. the file a user chose (`choose_report`, the latest choice), then one corrected by hand;
2. the better-read file: fewer failed arithmetic checks (severity error), then fewer warnings, then more
   figures (K5 itself is left out: it depends on which file stands);
3. the smaller sha256, so that even two files read equally well are told apart the same way every time.
`duplicate_of` points to the group's first report (its smallest id) from every other file of it. K5 is then
rechecked for every report whose standing changed and every report written (store/years.py).
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from . import years

GROUP = ("agency", "year", "scope", "region")  # as writes._duplicates tells two files to be one report
_SAME_GROUP = " AND ".join(f"r.{c} IS NOT DISTINCT FROM g.{c}" for c in GROUP)


def settle(cursor: duckdb.DuckDBPyConnection, report_ids: list[int] | None) -> None:
    """Choose the file that stands in every group these reports belong to (None: every group of the database),
    then recheck K5 where anything changed. Runs in the caller's transaction."""
    if report_ids is not None and not report_ids:
        return
    members = _members(cursor, report_ids)
    changed = _apply(cursor, members)
    if report_ids is None:
        years.recheck(cursor)
    else:
        years.recheck_reports(cursor, sorted({*report_ids, *changed}))


def choose(cursor: duckdb.DuckDBPyConnection, report_id: int) -> bool:
    """A user's choice: this file stands in its group from now on (until another is chosen). False: no report."""
    found = cursor.execute("UPDATE reports SET chosen_at = ? WHERE report_id = ? RETURNING report_id",
                           [datetime.now(UTC).replace(tzinfo=None), report_id]).fetchall()
    if found:
        settle(cursor, [report_id])
    return bool(found)


def _members(cursor: duckdb.DuckDBPyConnection, report_ids: list[int] | None) -> list[tuple]:
    """(report_id, group number, sort key…) of every report of the groups touched that have two files or more.
    A group is touched by a report in it now, or by one linked to it by duplicate_of (a file re-read by a newer
    parser may have left its group: the files it stood for must get another)."""
    touched = "TRUE"
    if report_ids is not None:
        cursor.register("touched_ids", pa.table({"report_id": pa.array(report_ids, pa.int32())}))
        touched = ("(r.report_id IN (SELECT report_id FROM touched_ids) "
                   "OR r.duplicate_of IN (SELECT report_id FROM touched_ids) "
                   "OR r.report_id IN (SELECT duplicate_of FROM reports WHERE report_id IN (SELECT report_id FROM touched_ids)))")
    rows = cursor.execute(
        f"WITH g AS (SELECT DISTINCT {', '.join('r.' + c for c in GROUP)} FROM reports r WHERE {touched} "
        f"AND r.status <> 'no data' AND r.agency IS NOT NULL AND r.year IS NOT NULL), "
        f"m AS (SELECT r.report_id, dense_rank() OVER (ORDER BY {', '.join('g.' + c for c in GROUP)}) AS grp, "
        f"r.chosen_at, s.sha256 FROM reports r JOIN g ON {_SAME_GROUP} JOIN sources s USING (source_id) "
        f"WHERE r.status <> 'no data') "
        f"SELECT * FROM m QUALIFY count(*) OVER (PARTITION BY grp) > 1 ORDER BY grp, report_id").fetchall()
    if report_ids is not None:
        cursor.unregister("touched_ids")
    corrected = {row[0] for row in cursor.execute(
        "SELECT DISTINCT report_id FROM corrections WHERE report_id IN (SELECT unnest(?::INTEGER[]))",
        [[row[0] for row in rows]]).fetchall()} if rows else set()
    out = []
    for report_id, group, chosen_at, sha256 in rows:  # one report at a time: `report_id = ?` skips by zone maps
        errors, warnings = cursor.execute(
            "SELECT count(*) FILTER (severity = 'error'), count(*) FILTER (severity = 'warn') FROM findings "
            "WHERE report_id = ? AND rule <> ?", [report_id, years.RULE]).fetchall()[0]
        figures = cursor.execute("SELECT count(*) FROM figures WHERE report_id = ?", [report_id]).fetchall()[0][0]
        chosen = -chosen_at.timestamp() if chosen_at is not None else float("inf")
        out.append((report_id, group, (chosen, report_id not in corrected, errors, warnings, -figures, sha256)))
    return out


def _apply(cursor: duckdb.DuckDBPyConnection, members: list[tuple]) -> list[int]:
    """Set active and duplicate_of in each group; the ids whose standing changed."""
    groups: dict[int, list[tuple]] = {}
    for report_id, group, key in members:
        groups.setdefault(group, []).append((key, report_id))
    ids, active, duplicate_of = [], [], []
    for files in groups.values():
        standing = min(files)[1]
        first = min(report_id for _, report_id in files)
        for _, report_id in files:
            ids.append(report_id)
            active.append(report_id == standing)
            duplicate_of.append(None if report_id == first else first)
    if not ids:
        return []
    cursor.register("standing", pa.table({"report_id": pa.array(ids, pa.int32()), "active": pa.array(active),
                                          "duplicate_of": pa.array(duplicate_of, pa.int32())}))
    changed = [row[0] for row in cursor.execute(
        "SELECT r.report_id FROM reports r JOIN standing s USING (report_id) WHERE r.active <> s.active").fetchall()]
    cursor.execute("UPDATE reports SET active = s.active, duplicate_of = s.duplicate_of FROM standing s "
                   "WHERE reports.report_id = s.report_id")
    cursor.unregister("standing")
    return changed
