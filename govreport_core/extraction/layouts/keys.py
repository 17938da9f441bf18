"""Keying: the rows a recogniser read -> the same rows, those that name a skeleton row carrying its key.

Labels are matched against the catalog's row labels (FORMATS.md §2) whatever the layout: table 2's blocks
(first of each, only the era's), table 3's rows in skeleton order from its first 本年新收 row (a label
wrapped over two lines joined first), table 4's one number row. Every recogniser ends with `key_rows`.
"""

from __future__ import annotations

from govreport_core import catalog
from govreport_core.catalog import Era
from govreport_core.settings import SETTINGS

from ..normalise import squash
from .cells import Row, Value, is_label, strip_numbering


def key_rows(table: str, rows: list[Row], era: Era | None) -> list[Row]:
    """The rows with `key` set where they name a row of `table`'s skeleton (a wrapped label joined)."""
    if table == "table2":
        return _key_table2(rows, era)
    if table == "table3":
        return _key_table3(rows)
    return _key_table4(rows)


def keyed(rows: list[Row]) -> dict[str, Row]:
    """Key -> row, in printed order."""
    return {row.key: row for row in rows if row.key is not None}


# --- table 2 --------------------------------------------------------------------------------------

def match_table2(label: str) -> str | None:
    """The table-2 block a label names (regulations, licensing, …)."""
    bare = strip_numbering(label)
    if not bare or len(bare) > SETTINGS.max_table2_label_chars:
        return None
    slack = SETTINGS.table2_label_slack
    for block, fragments in catalog.TABLE2_ROWS:
        if block == "regulations":
            if bare == "规章":
                return block
            continue
        if any(bare == f or (bare.endswith(f) and len(bare) <= len(f) + slack) for f in fragments):
            return block
    return None


def _key_table2(rows: list[Row], era: Era | None) -> list[Row]:
    columns = catalog.TABLE2_COLUMNS.get(era, {}) if era is not None else {}
    seen: set[str] = set()
    for row in rows:
        block = match_table2(row.label)
        if block is not None and block in columns and block not in seen:
            row.key = block  # the first row of each block the era's form has
            seen.add(block)
    return rows


# --- table 3 --------------------------------------------------------------------------------------

def match_table3(label: str, previous: str | None) -> str | None:
    """The table-3 row key a label names, given the key of the row before it."""
    bare = strip_numbering(label)
    if not bare or not is_label(label):
        return None
    if bare == catalog.TABLE3_OTHER_MISC_LABEL:
        return "other_misc" if previous in ("other_no_fee", "other_no_correction") else None
    for key, fragments in catalog.TABLE3_ROWS:
        if key == "processed_total":
            if bare.startswith(("总计", "合计")) or "(七)总计" in squash(label) or "(七)合计" in squash(label):
                return key
            continue
        if any(f in bare for f in fragments):
            return key
    return None


def _key_table3(rows: list[Row]) -> list[Row]:
    """Table 3's rows keyed in skeleton order from the first 本年新收 row; a wrapped label is one row."""
    out: list[Row] = []
    seen: set[str] = set()
    previous: str | None = None
    joined_next = False
    ended = False
    for i, row in enumerate(rows):
        if joined_next:
            joined_next = False
            continue  # the second line of a wrapped label: its values went to the row it completes
        if ended:
            out.append(row)
            continue
        if _wraps(rows, i):
            # "一、本年新收政府信息" / "公开申请数量" / 20 / 3 …: a label wrapped over two lines, one cell per line
            tail = rows[i + 1]
            joined = Row(row.label + tail.label, row.start, tail.end, row.source, slots=list(tail.slots))
            if match_table3(joined.label, previous) is not None:
                row, joined_next = joined, True
        out.append(row)
        key = match_table3(row.label, previous)
        if key == "processed_total" and squash(row.label) in ("总计", "合计") and not any(
                isinstance(slot, Value) for slot in row.slots):
            continue  # the 总计 column's header, repeated where a page break split the table: not row (七)
        if key == "applications_new" and "applications_new" in seen:
            ended = True  # a second table 3 (or a prose repetition): keep the first
            continue
        if key is None or (previous is None and key != "applications_new") or key in seen:
            continue
        if key == "other_handling" and not row.slots:
            previous = key  # flattened 2021 （六） header line: its values are in the sub-rows
            continue
        row.key = key
        seen.add(key)
        previous = key
    return out


def _wraps(rows: list[Row], i: int) -> bool:
    """Row i+1 may be the second line of row i's label: row i has no values, row i+1 has values, no numbering
    of its own and names no row by itself (text cells one per line; grids and pipe rows never wrap so)."""
    if i + 1 >= len(rows):
        return False
    head, tail = rows[i], rows[i + 1]
    if head.slots or not tail.slots or tail.positional or head.one_line or tail.one_line:
        return False
    return strip_numbering(tail.label) == squash(tail.label) and match_table3(tail.label, None) is None


# --- table 4 --------------------------------------------------------------------------------------

def _key_table4(rows: list[Row]) -> list[Row]:
    """Table 4's 15 figures are one number row: the last one read (the rows above are its headers)."""
    numbered = [row for row in rows if any(isinstance(s, Value) for s in row.slots)]
    if numbered:
        numbered[-1].key = "table4"
    return rows
