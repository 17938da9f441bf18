"""Layouts: a Document -> the rows of tables 2, 3 and 4, keyed, and which layout each was drawn in.

The same table reaches us drawn many ways (FORMATS.md §6): a grid, a grid shared by two tables, table 4
drawn as two tables, table 3 split across grids, pipe rows, tab rows, text one cell per line, and text made
by other tools (`converted.py`: pipe tables broken by PDF-to-markdown tools, cells glued by a crawler). Each way is
a recogniser (`base.Layout`), as Python-Markdown's block processors are: `test(scan)` says whether the
document shows its table that way, `run(scan)` returns the table's rows in printed order, those that name
a skeleton row keyed (`Row.key`: a table-3 metric key, a table-2 block, "table4"). `find_tables` tries the
recognisers of each table in the order of `LAYOUTS` and keeps the first whose `run` returns rows (an empty
list: "not mine after all", try the next). Placing the keyed values on the skeleton is `tables.py`'s job.

Adding a layout (say, OCR markdown with one pipe table per row group):
1. Write a class in `grids.py` or `text.py` (or a new module here) subclassing `Layout`, with `name` (what
   `extract --debug` shows), `table` ("table2" | "table3" | "table4"), `test(scan) -> bool` (cheap; look at
   `scan.grids[table]`, `scan.span(table)`, `scan.text_cells(table)`, `scan.era`) and `run(scan) -> list[Row]`,
   ending in `key_rows(table, rows, scan.era)`. Build rows with `cells` (`text_cells`, `rows_from_cells`,
   `grid_rows`); set `Row.positional` only when slot i is certainly column i, else placement goes by order
   and the table's sums. Table 4 is one row of its 15 numbers.
2. Put an instance in `LAYOUTS` before the more general recogniser it refines (the text ones are last:
   `TextRows` accepts any text after a table's heading).
3. Add its fixture (a small file under `tests/fixtures/`, or a variant of `tests/report_builder.py`'s sample
   report) and a test in `tests/test_layouts.py` asserting the layout named in `Result.tables` and the
   figures read (`test_a_new_recogniser_is_one_class_in_the_registry` shows the shape).
Thresholds go in `settings.Settings`, labels in `catalog.py`; nothing else needs to change.
"""

from __future__ import annotations

from dataclasses import dataclass

from govreport_core.catalog import Era
from govreport_core.model import Document

from .base import TABLES, Layout, Scan, classify_grid, detect_era
from .cells import Row
from .converted_text import DetachedPipeRows, GluedRows
from .grids import Grids, Table2InTable3Grid, Table3SplitGrids, Table4InTable3Grid, Table4TwoTables
from .keys import keyed
from .text import PipeRows, TabRows, TextRows

# Tried in this order for each table; the first whose test passes and whose run returns rows reads it.
LAYOUTS: tuple[Layout, ...] = (
    Grids("table2"), Table2InTable3Grid(), DetachedPipeRows("table2"), PipeRows("table2"), TabRows("table2"),
    GluedRows("table2"), TextRows("table2"),
    Table3SplitGrids(), Grids("table3"), DetachedPipeRows("table3"), PipeRows("table3"), TabRows("table3"),
    GluedRows("table3"), TextRows("table3"),
    Table4TwoTables(), Grids("table4"), Table4InTable3Grid(), PipeRows("table4"), TabRows("table4"), GluedRows("table4"),
    TextRows("table4"),
)


@dataclass
class Match:
    """One table found: the recogniser that read it and its rows (keyed where they name a skeleton row)."""

    table: str
    layout: str
    rows: list[Row]

    @property
    def keyed(self) -> dict[str, Row]:
        return keyed(self.rows)


def find_tables(doc: Document, era: Era | None, layouts: tuple[Layout, ...] = LAYOUTS) -> list[Match]:
    """Tables 2–4 as the first recogniser of each that matches reads them (table 2 only with a known era)."""
    scan = Scan.of(doc, era)
    found: list[Match] = []
    for table in TABLES:
        for layout in layouts:
            if layout.table == table and layout.test(scan) and (rows := layout.run(scan)):
                found.append(Match(table, layout.name, rows))
                break
    return found


__all__ = ["LAYOUTS", "Layout", "Match", "Scan", "classify_grid", "detect_era", "find_tables"]
