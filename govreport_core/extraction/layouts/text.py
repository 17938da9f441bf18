"""Recognisers of tables laid out as text: pipe rows, tab rows, or one cell per line.

Every text layout is read into the same cells by `cells.text_cells` (a line split at | or tabs, a label
with trailing numbers, one cell per line), from a table's heading to where the next table or section
begins; grids in that span are skipped. The three recognisers name what the lines look like, so
`extract --debug` says it and a more specific text layout can be put before them in the registry.
"""

from __future__ import annotations

from govreport_core.catalog import APPLICANTS, TABLE4_KEYS

from .base import Layout, Scan
from .cells import NA, Row, Slot, TextCell, rows_from_cells
from .keys import key_rows


class TextRows(Layout):
    """A table as text lines (the last resort for each table: its test is only that the heading is there)."""

    name = "text one cell per line"

    def __init__(self, table: str) -> None:
        self.table = table

    def test(self, scan: Scan) -> bool:
        return scan.span(self.table) is not None and (self.table != "table2" or scan.era is not None)

    def run(self, scan: Scan) -> list[Row]:
        cells = scan.text_cells(self.table)
        if self.table == "table4":
            rows = _table4_row(scan, cells)
        else:
            rows = rows_from_cells(cells, scan.doc.text)
            if self.table == "table3":
                for row in rows:  # pipe/tab rows whose value cells (blanks included) are exactly 7 have known columns
                    row.positional = row.one_line and len(row.slots) == len(APPLICANTS)
        return key_rows(self.table, rows, scan.era)


class PipeRows(TextRows):
    """Markdown-like rows "| 规章 | 0 | 0 | 0 |": most lines of the table hold pipes."""

    name = "pipe rows"
    separator = "|"

    def test(self, scan: Scan) -> bool:
        return super().test(scan) and _line_counts(scan, self.table, self.separator)


class TabRows(PipeRows):
    """Rows whose cells are separated by tabs (text copied out of a spreadsheet or a PDF)."""

    name = "tab rows"
    separator = "\t"


def _line_counts(scan: Scan, table: str, separator: str) -> bool:
    """Whether most non-empty lines of the table's text hold `separator`, and more of them than the other one."""
    start, end = scan.span(table) or (0, 0)
    lines = [line for line in scan.doc.text[start:end].split("\n") if line.strip()]
    with_sep = sum(separator in line for line in lines)
    other = sum(("\t" if separator == "|" else "|") in line for line in lines)
    return with_sep * 2 > len(lines) and with_sep > other


def _table4_row(scan: Scan, cells: list[TextCell]) -> list[Row]:
    """Table 4's numbers after its heading, as one row: they run until the first label after them."""
    slots: list[Slot] = []
    first: TextCell | None = None
    for cell in cells:
        if isinstance(cell.content, str) and cell.content != NA:
            if slots and not cell.in_row:
                break  # the first label after the numbers ends the table
            continue
        first = first or cell
        slots.append(cell.content)
    heading = scan.starts["table4"]
    if first is None or heading is None:
        return []
    pipe = all(c.in_row for c in cells if not isinstance(c.content, str) or c.content == NA)
    return [Row("行政复议、行政诉讼", heading.start(), heading.end(), scan.doc.text, slots,
                positional=pipe and len(slots) == len(TABLE4_KEYS))]
