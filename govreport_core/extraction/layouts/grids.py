"""Recognisers of tables drawn as grids (HTML <table>, DOCX tables, ruled PDF tables).

A grid's cells have known positions, blanks included, so its rows are positional. Grids are sorted by
the table they show in `Scan` (`classify_grid`); these recognisers read them, including the layouts where
one grid holds two tables or one table is drawn over several grids.
"""

from __future__ import annotations

from govreport_core.catalog import APPLICANT_HEADERS, APPLICANTS
from govreport_core.model import Grid

from ..normalise import squash
from .base import T3_START, Layout, Scan
from .cells import Row, Value, grid_rows, token_slot
from .keys import key_rows


class Grids(Layout):
    """A table in grids of its own (one, or several where page breaks cut it)."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.name = "grid"

    def test(self, scan: Scan) -> bool:
        return bool(scan.grids[self.table]) and (self.table != "table2" or scan.era is not None)

    def run(self, scan: Scan) -> list[Row]:
        if self.table == "table3":
            rows = [r for g in scan.grids["table3"] for r in _table3_rows(g, scan.doc.text)]
        else:
            rows = [r for g in scan.grids[self.table] for r in scan.grid_rows(g)]
        return key_rows(self.table, rows, scan.era)


class Table3SplitGrids(Grids):
    """Table 3 cut by a page break into two grids (the second without 本年新收, its header maybe repeated)."""

    def __init__(self) -> None:
        super().__init__("table3")
        self.name = "table 3 split across grids"

    def test(self, scan: Scan) -> bool:
        return len(scan.grids["table3"]) > 1


class Table2InTable3Grid(Layout):
    """Tables 2 and 3 drawn as one grid: table 2 is the rows above table 3's 勾稽关系/申请人情况 header."""

    name = "tables 2 and 3 in one grid"
    table = "table2"

    def test(self, scan: Scan) -> bool:
        return scan.era is not None and bool(scan.grids["table3"])

    def run(self, scan: Scan) -> list[Row]:
        rows = [r for g in scan.grids["table3"] for r in _rows_above_table3(g, scan.doc.text)]
        return key_rows("table2", rows, scan.era)


class Table4TwoTables(Layout):
    """Table 4 drawn as two tables, 行政复议 (5 columns) and 行政诉讼 (10): their number rows joined, in order."""

    name = "table 4 as two tables"
    table = "table4"

    def test(self, scan: Scan) -> bool:
        return [len(r.slots) for r in self._number_rows(scan)] == [5, 10]

    def run(self, scan: Scan) -> list[Row]:
        review, litigation = self._number_rows(scan)
        row = Row(review.label, review.start, review.end, review.source, [*review.slots, *litigation.slots],
                  positional=True)
        return key_rows("table4", [row], scan.era)

    @staticmethod
    def _number_rows(scan: Scan) -> list[Row]:
        """The last number row of each table-4 grid."""
        return [rows[-1] for grid in scan.grids["table4"]
                if (rows := [r for r in scan.grid_rows(grid) if any(isinstance(s, Value) for s in r.slots)])]


class Table4InTable3Grid(Layout):
    """Tables 3 and 4 (or 2, 3 and 4) drawn as one grid: table 4 is the rows from its 行政复议 | 行政诉讼 header."""

    name = "table 4 in table 3's grid"
    table = "table4"

    def test(self, scan: Scan) -> bool:
        return not scan.grids["table4"] and bool(scan.grids["table3"])

    def run(self, scan: Scan) -> list[Row]:
        parts = [part for g in scan.grids["table3"] if (part := _grid_below_table4_header(g))]
        return key_rows("table4", [r for part in parts for r in grid_rows(part, scan.doc.text)], scan.era)


# --- table 3's applicant columns ------------------------------------------------------------------

def applicant_columns(grid: Grid) -> list[str | None]:
    """The applicant each of the grid's last seven columns holds, read from its header rows (None: not named)."""
    width = grid.width
    texts = [""] * len(APPLICANTS)
    for cells in grid.rows:
        tail = cells[width - len(APPLICANTS):] if len(cells) == width else []
        if any(isinstance(token_slot(c.text, c.start), Value) for c in tail):
            break  # the first data row (a number in it; a blank header cell is not one) ends the header
        for i, cell in enumerate(tail):
            texts[i] += squash(cell.text)
    keys: list[str | None] = []
    for text in texts:
        text = text.replace("法人或其他组织", "").replace("申请人情况", "")
        keys.append(next((key for fragment, key in APPLICANT_HEADERS if fragment in text), None))
    return keys


def _table3_rows(grid: Grid, source: str) -> list[Row]:
    """Table 3 rows with their seven values in FORMATS §2.2's column order, whatever order the header gives.

    A header naming the seven applicants in another order (总计 first, 法人 columns first) is followed; a header
    that names some columns but not all seven leaves the rows without positions, so only arithmetic places them."""
    rows = grid_rows(grid, source, value_columns=len(APPLICANTS))
    keys = applicant_columns(grid)
    if keys == list(APPLICANTS) or not any(keys):
        return rows
    if sorted(k for k in keys if k) == sorted(APPLICANTS):
        order = [keys.index(a) for a in APPLICANTS]
        for row in rows:
            if len(row.slots) == len(APPLICANTS):
                row.slots = [row.slots[i] for i in order]
        return rows
    if _total_column_missing(keys, rows):  # the six applicants named, 总计 not in the grid: its cells blank
        named = [k for k in keys if k]
        for row in rows:
            if len(row.slots) in (len(named), len(APPLICANTS)):  # a label spanning into the columns was seen once
                values = row.slots if len(row.slots) == len(named) else [s for s, k in zip(row.slots, keys, strict=True) if k]
                by_key = dict(zip(named, values, strict=True))
                row.slots = [by_key.get(a) for a in APPLICANTS]
        return rows
    for row in rows:
        row.positional = False
    return rows


def _total_column_missing(keys: list[str | None], rows: list[Row]) -> bool:
    """The header names the six applicants once each and no 总计, and the seventh column from the right holds no
    number in any row: the table lost its 总计 column (a PDF of a table wider than the page, cut at its edge)."""
    named = [k for k in keys if k]
    if "total" in named or len(named) != len(APPLICANTS) - 1 or len(set(named)) != len(named):
        return False
    blank = keys.index(None)
    return not any(isinstance(row.slots[blank], Value) for row in rows if len(row.slots) == len(APPLICANTS))


# --- one grid, several tables ---------------------------------------------------------------------

def _grid_below_table4_header(grid: Grid) -> Grid | None:
    """The part of a grid from table 4's 行政复议 | 行政诉讼 header down, when table 4 shares table 3's grid."""
    for i, cells in enumerate(grid.rows):
        texts = {squash(cell.text) for cell in cells}
        if "行政复议" in texts and "行政诉讼" in texts:
            return Grid(grid.rows[i:], grid.rows[i][0].start, grid.end)
    return None


def _rows_above_table3(grid: Grid, source: str) -> list[Row]:
    """The rows of a grid before table 3's 勾稽关系/申请人情况 header, when they hold table 2's 第二十条 blocks."""
    rows = grid_rows(grid, source)
    head = next((i for i, row in enumerate(rows) if T3_START.search(row.label)), None)
    if not head or not any("第二十条" in squash(row.label) or "信息内容" in row.label for row in rows[:head]):
        return []
    return rows[:head]
