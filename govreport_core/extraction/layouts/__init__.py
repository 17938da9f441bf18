"""Layouts: a Document -> the rows of tables 2, 3 and 4, keyed, and which layout each was drawn in.

The same table reaches us drawn many ways (FORMATS.md §6). Grids (HTML, DOCX, ruled or borderless PDF tables)
keep their cells' positions: a grid, a grid shared by two tables, table 4 drawn as two tables, table 3 split
across grids (`grids.py`). Everything else is text, whatever tool made it (pipe or tab rows, one cell per
line, a crawled page glued into one line, broken PDF-to-markdown, OCR markdown): one reader takes it as a
stream of label runs and value groups and finds the skeleton's labels in it (`text_stream.py`). Each way is
a recogniser (`base.Layout`), as Python-Markdown's block processors are: `test(scan)` says whether the
document shows its table that way, `run(scan)` returns the table's rows in printed order, those that name
a skeleton row keyed (`Row.key`: a table-3 metric key, a table-2 block, "table4"). `find_tables` tries the
recognisers of each table in the order of `LAYOUTS` and keeps the first whose `run` returns keyed rows (none:
"not mine after all", try the next). Placing the keyed values on the skeleton is `tables.py`'s job.

Adding a layout (say, a table drawn as an image map):
1. Write a class (in `grids.py` or a new module here) subclassing `Layout`, with `name` (what
   `extract --debug` shows; `describe(scan)` may add the shape found), `table` ("table2" | "table3" |
   "table4"), `test(scan) -> bool` (cheap; look at `scan.grids[table]`, `scan.stream`, `scan.era`) and
   `run(scan) -> list[Row]`. Set `Row.positional` only when slot i is certainly column i, else placement
   goes by order and the table's sums; `Row.proximity` when its numbers were not printed with its label.
   Table 4 is one row of its 15 numbers.
2. Put an instance in `LAYOUTS` before the more general recogniser it refines (the text stream is last).
3. Add a test in `tests/test_layouts.py` asserting the layout named in `Result.tables` and the figures read
   (`test_a_new_recogniser_is_one_class_in_the_registry` shows the shape).
Thresholds go in `settings.Settings`, labels in `catalog.py`; nothing else needs to change.
"""

from __future__ import annotations

from dataclasses import dataclass

from govreport_core.catalog import Era
from govreport_core.model import Document

from .base import TABLES, Layout, Scan, classify_grid, detect_era
from .cells import Row
from .grids import Grids, Table2InTable3Grid, Table3SplitGrids, Table4InTable3Grid, Table4TwoTables
from .keys import keyed
from .text_stream import TextStream

# Tried in this order for each table; the first whose test passes and whose run returns rows reads it.
LAYOUTS: tuple[Layout, ...] = (
    Grids("table2"), Table2InTable3Grid(), TextStream("table2"),
    Table3SplitGrids(), Grids("table3"), TextStream("table3"),
    Table4TwoTables(), Grids("table4"), Table4InTable3Grid(), TextStream("table4"),
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
            # Rows none of which names a skeleton row (a grid whose labels wrap over its rows) are not a reading.
            if layout.table == table and layout.test(scan) and (rows := layout.run(scan)) and any(r.key for r in rows):
                found.append(Match(table, layout.describe(scan), rows))
                break
    return found


__all__ = ["LAYOUTS", "Layout", "Match", "Scan", "classify_grid", "detect_era", "find_tables"]
