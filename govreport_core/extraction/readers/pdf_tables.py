"""Ruled tables of a PDF page: pdfplumber's table finder and cell text, two slow steps done faster, as grids.

pdfplumber finds a page's ruled tables from its painted lines and rects (snapped and joined into edges, their
crossings, the smallest cells those describe, cells touching at a corner one table) and reads each cell's text
from the characters whose middle lies inside it. Profiled on the shared real PDFs once PDFium gave the
objects, two steps were half of a report's remaining time: `intersections_to_cells` rebuilt the sets of edges
meeting at two grid points for every pair it tested, and `Table.extract` tested every character of the page
against every row. Here each point's edges are collected once, a table's characters are taken once, and a
cell whose characters sit on one line (nearly every cell: a number, a short label) is spelled without the
word and line clustering, which gives it the same text. The results are pdfplumber's: tests/test_pdf_engines.py
checks both steps against pdfplumber's own on every page of the shared PDFs.

`raw_table` turns a table into rows of RawCells with the rowspans and colspans its cells' boxes imply (pdfplumber
gives a merged cell once, the positions it covers empty), with its column lines and the column each cell
starts in.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from operator import itemgetter

from pdfplumber.container import Container
from pdfplumber.table import Table, TableFinder, TableSettings, cells_to_tables, edges_to_intersections
from pdfplumber.utils import extract_text
from pdfplumber.utils.text import LIGATURES

from govreport_core.model import RawCell, RawTable

from .pdf_words import ALIGN, clusters, fix_text

Box = tuple[float, float, float, float]
Point = tuple[float, float]
_EDGE_TOLERANCE = 2.0  # points: cell edges closer than this are one grid line
_X_TOLERANCE = _Y_TOLERANCE = 3.0  # pdfplumber's defaults for words and lines within a cell
_BOX = itemgetter("x0", "top", "x1", "bottom")
_PAGE_EDGE = 2.0  # points: a table whose right rule is this close to the page's right edge was cut by it
_CLIPPED_WIDTH = 200.0  # points each column printed beyond the page is taken to span (its right rule is not printed)


class _TableFinder(TableFinder):
    """pdfplumber's `TableFinder` with its default settings, cells found by `_cells`."""

    def __init__(self, page: Container) -> None:
        self.page, self.settings = page, TableSettings.resolve(None)
        self.edges = self.get_edges()
        self.intersections = edges_to_intersections(self.edges, self.settings.intersection_x_tolerance,
                                                    self.settings.intersection_y_tolerance)
        self.cells = _cells(self.intersections)
        self.tables = [Table(page, group) for group in cells_to_tables(self.cells)]


def find_tables(page: Container) -> list[Table]:
    """The page's ruled tables of two or more columns (a one-column "table" is a frame drawn around text);
    `page` is pdfplumber's Page or PDFium's PageObjects."""
    return [table for table in _TableFinder(page).tables if max(len(row.cells) for row in table.rows) >= 2]


def _cells(intersections: dict[Point, dict[str, list[dict]]]) -> list[Box]:
    """pdfplumber's `intersections_to_cells`: from each grid point (in sorted order), the smallest cell whose
    corners are grid points joined by edges; each point's edges collected once."""
    vertical = {point: {_BOX(e) for e in edges["v"]} for point, edges in intersections.items()}
    horizontal = {point: {_BOX(e) for e in edges["h"]} for point, edges in intersections.items()}

    def connects(a: Point, b: Point) -> bool:
        return (a[0] == b[0] and not vertical[a].isdisjoint(vertical[b])) \
            or (a[1] == b[1] and not horizontal[a].isdisjoint(horizontal[b]))

    points = sorted(intersections)
    column: dict[float, list[Point]] = {}
    row: dict[float, list[Point]] = {}
    for point in points:
        column.setdefault(point[0], []).append(point)
        row.setdefault(point[1], []).append(point)
    cells = []
    for point in points[:-1]:
        below = column[point[0]][column[point[0]].index(point) + 1:]
        right = row[point[1]][row[point[1]].index(point) + 1:]
        cells.append(next(((*point, r[0], b[1]) for b in below if connects(point, b) for r in right
                           if connects(point, r) and (r[0], b[1]) in intersections
                           and connects((r[0], b[1]), r) and connects((r[0], b[1]), b)), None))
    return [cell for cell in cells if cell is not None]


def raw_table(table: Table) -> tuple[RawTable, list[float], list[list[int]]]:
    """Rows of RawCells with spans rebuilt from each cell's box on the table's grid lines; the column lines and
    the column each cell starts in."""
    rows = table.rows  # a property pdfplumber computes on every read
    cells = [(r, c, box) for r, row in enumerate(rows) for c, box in enumerate(row.cells) if box is not None]
    xs = _lines([v for _, _, box in cells for v in (box[0], box[2])])
    ys = _lines([v for _, _, box in cells for v in (box[1], box[3])])
    edge = table.bbox[2] if clipped(table) else None
    extra = _beyond_columns(table, edge, xs[-2] if len(xs) > 1 else xs[0]) if edge is not None else []
    texts = _cell_texts(table, rows, edge, extra[0][0] - ALIGN if extra else float("inf"))
    placed: dict[int, list[tuple[int, RawCell]]] = {}
    for r, c, (x0, top, x1, bottom) in cells:
        row, col = _index(ys, top), _index(xs, x0)
        rowspan = max(1, _index(ys, bottom) - row)
        colspan = max(1, _index(xs, x1) - col)
        placed.setdefault(row, []).append((col, RawCell(text=fix_text(texts[r][c] or ""), rowspan=rowspan,
                                                        colspan=colspan)))
    ordered = [sorted(placed[row], key=lambda item: item[0]) for row in sorted(placed)]
    grid, starts = [[cell for _, cell in row] for row in ordered], [[col for col, _ in row] for row in ordered]
    if extra:
        _add_columns(table, grid, starts, xs, extra, [(ys[row], ys[min(row + 1, len(ys) - 1)]) for row in sorted(placed)])
    return grid, xs, starts


def clipped(table: Table) -> bool:
    """The table runs past the page's right edge: its rules stop there (LibreOffice's export of a web page whose
    table is wider than the page), and the text of its last columns is printed beyond the page."""
    return table.bbox[2] >= table.page.bbox[2] - _PAGE_EDGE


def _beyond_columns(table: Table, edge: float, last: float) -> list[tuple[float, float]]:
    """The columns printed wholly beyond the page's edge: the alignments of the words starting past it (a word
    starting before it, in the table's last column from `last` on, is that column's: the edge cut it)."""
    top, bottom = table.bbox[1], table.bbox[3]
    tail = [c for c in table.page.chars if (c["x0"] + c["x1"]) / 2 >= last and not c["text"].isspace()
            and top <= (c["top"] + c["bottom"]) / 2 < bottom]
    columns = clusters([c["x0"] for c in _word_starts(tail) if c["x0"] >= edge - 0.5])
    if columns and not any((c["x0"] + c["x1"]) / 2 < edge for c in tail):
        return columns[1:]  # the last column shows none of its text (centred past the edge): the first is its
    return columns


def _add_columns(table: Table, grid: RawTable, starts: list[list[int]], xs: list[float],
                 columns: list[tuple[float, float]], bands: list[tuple[float, float]]) -> None:
    """The columns printed beyond the page's edge, as cells added at the end of each row: the characters of
    each column's words, in the row whose band holds them."""
    chars = [c for c in table.page.chars if c["x0"] >= columns[0][0] - ALIGN and not c["text"].isspace()]
    for row, starts_of_row, (top, bottom) in zip(grid, starts, bands, strict=True):
        in_row = [c for c in chars if top <= (c["top"] + c["bottom"]) / 2 < bottom]
        for k, (left, _) in enumerate(columns):
            right = columns[k + 1][0] if k + 1 < len(columns) else float("inf")
            row.append(RawCell(fix_text(_text([c for c in in_row if left - ALIGN <= c["x0"] < right - ALIGN]))))
            starts_of_row.append(len(xs) - 1 + k)
    xs += [xs[-1] + _CLIPPED_WIDTH * (k + 1) for k in range(len(columns))]


def _word_starts(chars: list[dict]) -> list[dict]:
    """The first character of each word (a gap wider than the tolerance, or a new line, starts one)."""
    starts, previous = [], None
    for char in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        if previous is None or abs(char["top"] - previous["top"]) > _Y_TOLERANCE \
                or char["x0"] > previous["x1"] + _X_TOLERANCE:
            starts.append(char)
        previous = char
    return starts


def _lines(values: list[float]) -> list[float]:
    """Distinct grid lines from cell edges, merging edges that differ by a rounding error."""
    lines: list[float] = []
    for value in sorted(values):
        if not lines or value - lines[-1] > _EDGE_TOLERANCE:
            lines.append(value)
    return lines


def _index(lines: list[float], value: float) -> int:
    i = bisect_left(lines, value - _EDGE_TOLERANCE)
    return min(i, len(lines) - 1)


def _cell_texts(table: Table, rows: list, edge: float | None = None,
                reach: float = float("inf")) -> list[list[str | None]]:
    """`Table.extract()` with its default settings: each cell's text from the characters whose middle is inside
    it (boxes closed at the top and left, open at the bottom and right). Cells ending at the `edge` of a page
    that cut the table reach on to `reach` (the text of the column the edge cut)."""
    chars = table.page.chars
    middles = sorted(((c["top"] + c["bottom"]) / 2, (c["x0"] + c["x1"]) / 2, i) for i, c in enumerate(chars))
    ys = [m[0] for m in middles]
    texts: list[list[str | None]] = []
    for row in rows:
        rx0, rtop, _, rbottom = row.bbox
        right = _right(row.bbox, edge, reach)
        found = [m for m in middles[bisect_left(ys, rtop):bisect_left(ys, rbottom)] if rx0 <= m[1] < right]
        found.sort(key=itemgetter(2))  # the page's order, which pdfplumber keeps
        texts.append([None if cell is None else
                      _text([chars[i] for my, mx, i in found if cell[0] <= mx < _right(cell, edge, reach)
                             and cell[1] <= my < cell[3]])
                      for cell in row.cells])
    return texts


def _right(box: Sequence[float], edge: float | None, reach: float) -> float:
    return reach if edge is not None and abs(box[2] - edge) < 0.5 else box[2]


def _text(chars: list[dict]) -> str:
    """pdfplumber's `extract_text` of a cell's characters. On one line (tops within the tolerance, upright),
    that is its words left to right joined by spaces, a word ending at a space or a gap of more than the
    tolerance or where a character starts left of the one before; otherwise pdfplumber's clustering."""
    if not chars:
        return ""
    tops = [char["top"] for char in chars]
    if max(tops) - min(tops) > _Y_TOLERANCE or not all(char["upright"] for char in chars):
        return extract_text(chars)
    words: list[str] = []
    word: list[str] = []
    previous: dict | None = None
    for char in sorted(chars, key=itemgetter("x0")):
        if char["text"].isspace():
            if word:
                words.append("".join(word))
            word, previous = [], None
            continue
        if previous is not None and (char["x0"] < previous["x0"] or char["x0"] > previous["x1"] + _X_TOLERANCE):
            words.append("".join(word))
            word = []
        word.append(LIGATURES.get(char["text"], char["text"]))
        previous = char
    if word:
        words.append("".join(word))
    return " ".join(words)

