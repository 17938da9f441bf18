"""PDF layout: the lines and ruled grids pdfplumber finds page by page -> complete tables in reading order.

Receives, per page, text lines (with each word's position) and ruled grids (with their column lines); hands on
one sequence of lines and grids in which every table is whole. Offices' PDFs need three things beyond ruled
tables read page by page:
- furniture: lines repeated at the same place at the head or foot of most pages (page numbers, the browser's
  date/title/address lines, a running title in the page header) are dropped;
- tables continued on the next page: the row printed between two grids at a page foot or head (its rules
  cut by the break, so pdfplumber left it as text) is put back by the grid's column positions; a grid at the
  head of a page with the column lines of the grid at the foot of the page before joins it, its repeated
  header rows dropped and a row split by the break joined to the row it completes;
- tables without rules (LibreOffice's export of a borderless Word table): a run of lines with gaps between
  their words is rebuilt as a grid. Value columns come from the numbers' alignment, label columns from the
  labels' left edges, rows from where a cell's text starts (a number, or a label after a gap), so a label
  wrapped inside a narrow cell is joined by position, whatever the line order (`pdf_words`). The run may
  cross a page break: a row split there is joined, since its continuation starts no row of its own.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise

from govreport_core.model import RawCell, RawTable

from .pdf_borderless import rows_from_words
from .pdf_words import ALIGN, NUMBER, PAGE_NUMBER, Item, Line, PageGrid, Word, cut_rows

_CELL_GAP = 6.0  # points: a gap this wide between words is a gutter between table cells
_FURNITURE_ZONE = 0.12  # share of the page height at its head and foot where furniture is printed
_EDGE_LINES = 3  # furniture is among the first or last so many items of a page
_STRAY_LINES = 8  # at most so many lines between two grids are taken as their cut rows
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十\d]+[)）]\s*\S{4,}$)")
_DIGIT = re.compile(r"\d")


def complete_tables(pages: list[tuple[list[Item], float]]) -> list[Item]:
    """Per page (items sorted by top, page height) -> one sequence with furniture gone and tables whole."""
    _drop_furniture(pages)
    items = [item for page_items, _ in pages for item in page_items if not isinstance(item, Line) or item.words]
    items = _rejoin_ruled(items)
    return _rebuild_borderless(items)


# --- furniture ------------------------------------------------------------------------------------

def _drop_furniture(pages: list[tuple[list[Item], float]]) -> None:
    """Lines at the head or foot of a page (among its first or last few, in the zone there) whose text (digits
    aside) recurs at that place on most pages. Only the first and last few: a table's label wrapped the same
    way on two pages (a fragment such as "政府信") can fall at one place near the head of both."""
    if len(pages) < 2:
        return

    def keys(items: list[Item], height: float) -> dict[int, tuple[str, int]]:
        found = {}
        for index, item in enumerate(items):
            edge = index < _EDGE_LINES or index >= len(items) - _EDGE_LINES
            if isinstance(item, Line) and edge and not height * _FURNITURE_ZONE < item.top < height * (1 - _FURNITURE_ZONE):
                found[index] = _DIGIT.sub("#", re.sub(r"\s+", "", item.text)), round(item.top / ALIGN)  # the same place
        return found

    found = [keys(items, height) for items, height in pages]
    counts = Counter(k for page in found for k in set(page.values()))
    common = {k for k, n in counts.items() if n >= 2 and n * 2 >= len(pages)}
    for (items, _), page in zip(pages, found, strict=True):
        items[:] = [item for index, item in enumerate(items) if page.get(index) not in common]


# --- ruled grids continued on the next page -------------------------------------------------------

def _rejoin_ruled(items: list[Item]) -> list[Item]:
    """Cut rows put back into their grid; a grid continued at the head of the next page joined to it."""
    out: list[Item] = []
    i = 0
    while i < len(items):
        grid = items[i]
        i += 1
        if not isinstance(grid, PageGrid):
            out.append(grid)
            continue
        while True:
            j = i
            stray: list[Line] = []
            while j < len(items) and len(stray) < _STRAY_LINES and _inside(items[j], grid.columns):
                stray.append(items[j])  # type: ignore[arg-type]
                j += 1
            nxt = items[j] if j < len(items) else None
            if stray and (_are_cut_rows(stray, grid, nxt) or _bridges(stray, grid, nxt)):
                cut, pages = cut_rows([w for line in stray for w in line.words], grid.columns)
                grid.rows += cut
                grid.row_pages += pages
                if grid.starts is not None:
                    grid.starts += [list(range(len(row))) for row in cut]
                i = j
            elif stray:
                break  # text follows the grid on its page: the table ended there
            if isinstance(nxt, PageGrid) and nxt.page == grid.last_page + 1 \
                    and _column_union(grid.columns, nxt.columns) is not None:
                _join(grid, nxt)
                i += 1
                continue
            break
        out.append(grid)
    return out


def _inside(item: Item, columns: list[float]) -> bool:
    """A text line that could be a row of a grid with these column lines: within the grid's width, and either
    cells apart or a line of one cell (running text across most of the width is not a row)."""
    if not isinstance(item, Line) or PAGE_NUMBER.match(item.text):
        return False
    within = columns[0] - ALIGN <= item.x0 and item.x1 <= columns[-1] + ALIGN
    return within and (_cellular(item) or item.x1 - item.x0 <= 0.5 * (columns[-1] - columns[0]))


def _are_cut_rows(stray: list[Line], grid: PageGrid, nxt: Item | None) -> bool:
    """Lines after a grid are rows the page break cut off it when the page ends right after them, or when
    they open the next page before the grid that continues the table there; and they carry numbers."""
    if not any(NUMBER.match(w.text) for line in stray for w in line.words):
        return False
    if any(line.page not in (grid.last_page, grid.last_page + 1) for line in stray):
        return False
    if any(line.page == grid.last_page + 1 for line in stray):
        return isinstance(nxt, PageGrid) and nxt.page == grid.last_page + 1
    return nxt is None or nxt.page != grid.last_page


def _bridges(stray: list[Line], grid: PageGrid, nxt: Item | None) -> bool:
    """Lines without numbers between a grid at a page foot and its continuation at the next page's head: parts
    of header rows the break cut (never a section heading, which would start another table)."""
    return isinstance(nxt, PageGrid) and nxt.page == grid.last_page + 1 \
        and all(line.page in (grid.last_page, nxt.page) and not _HEADING.match(line.text) for line in stray) \
        and _column_union(grid.columns, nxt.columns) is not None


def _column_union(a: list[float], b: list[float]) -> list[float] | None:
    """The column lines of two grids that are one table: the same outer edges and most lines shared (a page
    whose rows have no cell boundary somewhere lacks that line); None for different tables."""
    if len(a) < 3 or len(b) < 3 or abs(a[0] - b[0]) > ALIGN or abs(a[-1] - b[-1]) > ALIGN:
        return None
    shared = sum(1 for x in b if any(abs(x - y) <= ALIGN for y in a))
    if shared < 0.6 * max(len(a), len(b)) and shared < min(len(a), len(b)):
        return None  # neither most lines shared nor the lines of one grid all in the other
    union: list[float] = []
    for x in sorted([*a, *b]):
        if not union or x - union[-1] > ALIGN:
            union.append(x)
    return union


def _index_in(lines: list[float], union: list[float]) -> list[int]:
    return [min(range(len(union)), key=lambda k: abs(union[k] - x)) for x in lines]


def _text_of(row: list[RawCell]) -> tuple[str, ...]:
    return tuple(re.sub(r"\s+", "", cell.text) for cell in row)


def _starts(rows: RawTable) -> list[list[int]]:
    """The column where each cell starts, cells spanning down from rows above taken into account."""
    taken: set[tuple[int, int]] = set()
    starts: list[list[int]] = []
    for r, row in enumerate(rows):
        col, row_starts = 0, []
        for cell in row:
            while (r, col) in taken:
                col += 1
            row_starts.append(col)
            taken |= {(r + dr, col + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan)}
            col += cell.colspan
        starts.append(row_starts)
    return starts


def _explicit(rows: RawTable, starts: list[list[int]], index: list[int]) -> RawTable:
    """Rows with every position held by a cell (empty ones where pdfplumber found none), columns in the units
    `index` maps them to, so that rows of two grids can be put one under the other."""
    taken: set[tuple[int, int]] = set()
    out: RawTable = []
    for r, (row, row_starts) in enumerate(zip(rows, starts, strict=True)):
        new: list[RawCell] = []
        pos = 0
        for cell, start in zip(row, row_starts, strict=True):
            first, last = index[start], index[min(start + cell.colspan, len(index) - 1)]
            while pos < first:
                if (r, pos) not in taken:
                    new.append(RawCell(""))
                pos += 1
            new.append(RawCell(cell.text, cell.rowspan, max(1, last - first)))
            taken |= {(r + dr, first + dc) for dr in range(cell.rowspan) for dc in range(max(1, last - first))}
            pos = max(pos, last)
        out.append(new)
    return out


def _join(first: PageGrid, second: PageGrid) -> None:
    """`second` continues `first` on the next page: repeated headers dropped, a split row joined, rows appended."""
    union = _column_union(first.columns, second.columns) or first.columns
    first.rows = _explicit(first.rows, first.starts or _starts(first.rows), _index_in(first.columns, union))
    first.starts, first.columns = None, union
    rows = _explicit(second.rows, second.starts or _starts(second.rows), _index_in(second.columns, union))
    pages = list(second.row_pages)
    headers = 0
    while headers < min(len(rows), len(first.rows)) and not any(_DIGIT.search(c.text) for c in rows[headers]) \
            and _text_of(rows[headers]) == _text_of(first.rows[headers]):
        headers += 1
    if headers and all(r + cell.rowspan <= headers for r, row in enumerate(rows[:headers]) for cell in row):
        rows, pages = rows[headers:], pages[headers:]
    split = rows and first.rows and not any(_DIGIT.search(c.text) for c in rows[0]) \
        and any(_DIGIT.search(c.text) for c in first.rows[-1])
    if split and _join_split_row(first.rows, rows) and all(cell.rowspan == 1 for cell in rows[0]):
        rows, pages = rows[1:], pages[1:]
    first.rows += rows
    first.row_pages += pages
    first.bottom = second.bottom
    first.last_page = second.last_page


def _join_split_row(rows: RawTable, tail_rows: RawTable) -> bool:
    """The text of a row's second part (the page break cut it; tail_rows[0]) appended to the cells of its
    first part (the last row of `rows`), column by column. Only when every text cell of the tail lies exactly
    under a cell of that row: a caption or header row across the table is a new row, not a continuation."""
    last = len(rows) - 1
    occupied: dict[int, RawCell] = {}
    for r, (row, starts) in enumerate(zip(rows, _starts(rows), strict=True)):
        for cell, start in zip(row, starts, strict=True):
            if r <= last < r + cell.rowspan:
                occupied[start] = cell
    pairs = [(cell, occupied.get(start)) for cell, start in zip(tail_rows[0], _starts(tail_rows)[0], strict=True)
             if cell.text.strip()]
    if not pairs or any(target is None or target.colspan != cell.colspan for cell, target in pairs):
        return False
    for cell, target in pairs:
        target.text += cell.text  # type: ignore[union-attr]
        cell.text = ""
    return True


# --- tables without rules -------------------------------------------------------------------------

def _rebuild_borderless(items: list[Item]) -> list[Item]:
    out: list[Item] = []
    run: list[Line] = []
    for item in [*items, None]:
        if isinstance(item, Line):
            run.append(item)
            continue
        out += _borderless_run(run)
        run = []
        if item is not None:
            out.append(item)
    return out


def _cellular(line: Line) -> bool:
    """Words separated by a gutter: cells of a table row, not a line of running text."""
    return any(b.x0 - a.x1 >= _CELL_GAP for a, b in pairwise(line.words))


def _values(line: Line) -> list[Word]:
    return [w for w in line.words if NUMBER.match(w.text)]


def _borderless_run(lines: list[Line]) -> list[Item]:
    out: list[Item] = []
    i = 0
    while i < len(lines):
        end = _region_end(lines, i) if _cellular(lines[i]) or _opens_row(lines, i) else i
        region = lines[i:end]
        if region and _tabular(region):
            rows, pages = rows_from_words([w for line in region for w in line.words])
            out.append(PageGrid(rows, [], region[0].page, region[-1].page, region[0].top, region[-1].top,
                                row_pages=pages))
            i = end
            continue
        out.append(lines[i])
        i += 1
    return out


def _opens_row(lines: list[Line], j: int) -> bool:
    """Line j is the first line of a row's label whose numbers follow right under it, left of them: a web
    page's cells are centred vertically, so a label of two lines has its numbers between them ("一、本年新收政府
    信息公" / 71 3 0 … / "开申请数量"). A section heading is followed by a header row or text, not numbers."""
    if j + 1 >= len(lines) or _cellular(lines[j]):
        return False
    line, below = lines[j], lines[j + 1]
    values = _values(below)
    height = max(w.bottom - w.y for w in line.words)
    return len(values) >= 2 and _cellular(below) and below.page == line.page \
        and below.top - (line.top + height) <= 0.5 * height and line.x1 <= min(w.x0 for w in values)


def _tabular(region: list[Line]) -> bool:
    """A table, not running text whose justified spaces came out wide: a row of three or more numbers, or
    numbers on two lines standing in one column (left, centre or right edges aligned)."""
    values = [(i, w) for i, line in enumerate(region) for w in _values(line)]
    if any(len(_values(line)) >= 3 for line in region):
        return True
    for key in (lambda w: w.x0, lambda w: (w.x0 + w.x1) / 2, lambda w: w.x1):
        for (i, a), (j, b) in pairwise(sorted(values, key=lambda item: key(item[1]))):
            if i != j and abs(key(a) - key(b)) <= ALIGN:
                return True
    return False


def _region_end(lines: list[Line], start: int) -> int:
    """The end of a table's run of lines: cellular lines, and between them lines that fit in the label area,
    sit inside the table, or lead to the next cellular line; a section heading at the margin ends it."""
    left = lines[start].x0
    first_value = min((w.x0 for w in _values(lines[start])), default=None)
    last = start
    for j in range(start + 1, len(lines)):
        line = lines[j]
        values = _values(line)
        if values:
            x = min(w.x0 for w in values)
            first_value = x if first_value is None else min(first_value, x)
        if _cellular(line):
            last = j
            left = min(left, line.x0)
            continue
        if _HEADING.match(line.text) and line.x0 <= left + ALIGN and not _opens_row(lines, j):
            break
        height = max(w.bottom - w.y for w in line.words)
        in_labels = first_value is not None and line.x1 <= first_value + 1
        indented = line.x0 > left + 3 * height
        leads_on = j + 1 < len(lines) and _cellular(lines[j + 1])
        if not (in_labels or indented or leads_on):
            break
        if in_labels or indented:
            last = j
    return last + 1


