"""Keying: the rows a recogniser read -> the same rows, those that name a skeleton row carrying its key.

Labels are matched against the catalog's row labels (FORMATS.md §2): table 2's blocks (first of each, only
the era's), table 3's rows in skeleton order from its first 本年新收 row, table 4's one number row. Every grid
recogniser ends with `key_rows` (the text stream keys its rows as it finds their labels).
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
    """Table 3's rows keyed in skeleton order from the first 本年新收 row."""
    out: list[Row] = []
    seen: set[str] = set()
    previous: str | None = None
    ended = False
    for row in rows:
        if ended:
            out.append(row)
            continue
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


# --- table 4 --------------------------------------------------------------------------------------

def _key_table4(rows: list[Row]) -> list[Row]:
    """Table 4's 15 figures are one number row: the last one read (the rows above are its headers)."""
    numbered = [row for row in rows if any(isinstance(s, Value) for s in row.slots)]
    if numbered:
        numbered[-1].key = "table4"
    return rows
