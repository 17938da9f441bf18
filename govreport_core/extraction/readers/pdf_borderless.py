"""Tables without rules: the words of a run of lines -> grid rows.

A PDF of a Word table without borders, or of a web page's table (a page opened in LibreOffice, saved as DOCX,
exported to PDF), prints its cells as text at positions only. Columns: value columns from the numbers'
alignment (left, centre or right edges, whichever is tightest), label columns from the left edges of the words
left of them. Rows:
- each line of numbers is a row (its anchor);
- the other words of a column form cell blocks: lines closer than the table's leading are one cell's text
  wrapped (the leading is told from the gaps between rows of numbers, which are a cell's padding wider);
- a block joins the row whose numbers it stands beside: centred on them (a web page's cells are centred
  vertically), level with them (Word's are set at the top) or ending with them;
- a block beside the numbers of several rows is a label spanning them, or labels of consecutive rows the
  leading could not tell apart: its lines are shared among those rows so that each part is centred on (or
  starts level with) its row's numbers, and an outer label cut so is harmless (a row is named by its
  innermost label);
- a block beside no numbers is a row of its own with the blocks beside it (a caption, a row whose cells are
  blank), except above the first numbers, where all blocks are one header row (a column's header whole, as
  text set down a narrow column needs), and between two rows whose labels stand right of it, where it is the
  outer label of their group and joins the nearer;
- a block at the head of a page above the page's first numbers, not starting a numbered label, is the rest of
  the block its column ended the page before with, when that block was beside the page's last row of numbers
  or below it (a row the page break split).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations, pairwise
from math import comb
from statistics import median

from govreport_core.model import RawCell, RawTable

from .pdf_words import ALIGN, NUMBER, PAGE_SPAN, Word, clusters, group_close

_ROW_TOLERANCE = 2.0  # points: tops closer than this are one line
_MAX_SPLITS = 5000  # ways to share a block's lines among rows beyond which the nearest row takes each line
# How a row's own label starts ("第二十条第（八）项", "一、", "（六）", "3."): text at a page head that starts so is
# a new row, not the rest of a row the page break split.
_LABEL_START = re.compile(r"^(?:第[一二三四五六七八九十\d]+条|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、])")


@dataclass
class _Block:
    column: int
    lines: list[list[Word]] = field(default_factory=list)  # each line's words, left to right

    @property
    def top(self) -> float:
        return min(w.y for w in self.lines[0])

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.lines[-1])

    @property
    def page(self) -> int:
        return self.lines[0][0].page


@dataclass
class _Row:
    top: float
    page: int
    cells: dict[int, list[Word]] = field(default_factory=dict)

    def add(self, column: int, words: list[Word]) -> None:
        self.cells.setdefault(column, []).extend(words)
        self.top = min(self.top, min(w.y for w in words))


def rows_from_words(words: list[Word]) -> tuple[RawTable, list[int]]:
    """Words of a table without rules as grid rows, and the page each row is printed on."""
    if not words:
        return [], []
    words = _split_at_value_columns(words)
    column_of, width = _aligned_columns(words)
    value_lines = _value_lines([w for w in words if NUMBER.match(w.text)])
    bands = [(min(w.y for w in line), max(w.bottom for w in line)) for line in value_lines]
    anchors = [_Row(top, line[0].page) for (top, _), line in zip(bands, value_lines, strict=True)]
    for row, line in zip(anchors, value_lines, strict=True):
        for word in line:
            row.add(column_of(word), [word])
    height = median(w.bottom - w.y for w in words) or 1.0
    blocks = _blocks([w for w in words if not NUMBER.match(w.text)], column_of,
                     _leading(bands, words, column_of, height), bands)
    middles = [(top + bottom) / 2 for top, bottom in bands]
    loose: list[_Block] = []
    for block in blocks:
        hits = [i for i, middle in enumerate(middles)
                if block.top - 0.25 * height <= middle <= block.bottom + 0.25 * height]
        if not hits:
            loose.append(block)
        elif len(hits) == 1:
            anchors[hits[0]].add(block.column, [w for line in block.lines for w in line])
        else:
            for i, lines in zip(hits, _share(block.lines, [bands[i] for i in hits]), strict=True):
                if lines:
                    anchors[i].add(block.column, [w for line in lines for w in line])
    first = bands[0][0] if bands else float("inf")
    header = [b for b in loose if b.bottom <= first]
    rows = anchors + _loose_rows([b for b in loose if b.bottom > first and not _outer_label(b, anchors, bands)])
    if header:  # the header rows above the first numbers as one row: a column's header text whole, in order
        rows.append(_Row(header[0].top, header[0].page))
        for block in header:
            rows[-1].add(block.column, [w for line in block.lines for w in line])
    rows.sort(key=lambda row: row.top)
    return _grid(rows, width)


def _outer_label(block: _Block, anchors: list[_Row], bands: list[tuple[float, float]]) -> bool:
    """A block beside no numbers between two rows whose labels stand right of it is the outer label of a group
    of rows (centred on the group, it can fall between two of them, as （六）其他处理 over its three sub-rows):
    it joins the nearer of the two (True), rather than making a row of its own."""
    middle = (block.top + block.bottom) / 2
    above = [i for i, (_, bottom) in enumerate(bands) if bottom <= block.top]
    below = [i for i, (top, _) in enumerate(bands) if top >= block.bottom]
    if not above or not below:
        return False
    pair = (above[-1], below[0])

    def innermost(row: _Row) -> int:
        return max((col for col, words in row.cells.items() if any(not NUMBER.match(w.text) for w in words)),
                   default=-1)
    if any(innermost(anchors[i]) <= block.column for i in pair):
        return False
    nearest = min(pair, key=lambda i: abs(sum(bands[i]) / 2 - middle))
    anchors[nearest].add(block.column, [w for line in block.lines for w in line])
    return True


def _value_lines(values: list[Word]) -> list[list[Word]]:
    """The numbers grouped by line (their middles within half a line of each other), top to bottom."""
    if not values:
        return []
    height = median(w.bottom - w.y for w in values) or 1.0
    by_middle: dict[float, list[Word]] = {}
    for word in values:
        by_middle.setdefault((word.y + word.bottom) / 2, []).append(word)
    return [[w for middle in group for w in by_middle[middle]] for group in group_close(list(by_middle), 0.5 * height)]


def _leading(bands: list[tuple[float, float]], words: list[Word], column_of: Callable[[Word], int],
             height: float) -> float:
    """The largest gap (points) between two lines of one cell. Rows are a cell's padding further apart than
    a cell's lines: the smallest gap between two rows of numbers on a page is a row gap, the smallest gap
    between two label lines of a column a line gap where some label wraps; the cut is halfway, and at most
    0.4 of a line above the line gap (where every row's label wraps over more lines than its numbers take,
    the rows of numbers are further apart than the label cells). Rows of one table differ by a point or so,
    so the cut errs towards joining: a block beside two rows' numbers is shared between them again."""
    row_gaps = [b[0] - a[1] for a, b in pairwise(bands) if int(a[0] // PAGE_SPAN) == int(b[0] // PAGE_SPAN)]
    by_column: dict[int, list[Word]] = {}
    for word in sorted((w for w in words if not NUMBER.match(w.text)), key=lambda w: w.y):
        by_column.setdefault(column_of(word), []).append(word)
    line_gaps = [b.y - a.bottom for column in by_column.values() for a, b in pairwise(column)
                 if a.page == b.page and b.y - a.y > _ROW_TOLERANCE and b.y > a.bottom]
    smallest = min(line_gaps, default=None)
    if not row_gaps:  # one row of numbers: no row gap to go by
        return (smallest + 0.4 * height) if smallest is not None and smallest < 0.9 * height else 0.5 * height
    row_gap = min(row_gaps)
    if smallest is not None and smallest < row_gap - 0.05 * height:
        # rows whose labels all wrap over more lines than their numbers take are further apart than their cells
        return min((smallest + row_gap) / 2, smallest + 0.4 * height)
    return min(row_gap, smallest if smallest is not None else row_gap) - 0.1 * height


def _blocks(words: list[Word], column_of: Callable[[Word], int], leading: float,
            bands: list[tuple[float, float]]) -> list[_Block]:
    """Each column's words as cell blocks: lines closer than `leading`, on one page or continued at the head
    of the next one (above its first numbers, not starting a numbered label)."""
    first_value_on_page: dict[int, float] = {}
    last_value_on_page: dict[int, float] = {}
    for top, _ in bands:
        page = int(top // PAGE_SPAN)
        first_value_on_page[page] = min(first_value_on_page.get(page, top), top)
        last_value_on_page[page] = max(last_value_on_page.get(page, top), top)
    by_column: dict[int, list[list[Word]]] = {}
    for word in sorted(words, key=lambda w: (w.y, w.x0)):
        lines = by_column.setdefault(column_of(word), [])
        if lines and lines[-1][0].page == word.page and abs(word.y - lines[-1][0].y) <= _ROW_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    first_page = min((w.page for w in words), default=0)
    blocks: list[_Block] = []
    for column, lines in by_column.items():
        current: _Block | None = None
        for line in lines:
            first = line[0]
            joined = current is not None and (
                (first.page == current.lines[-1][0].page and first.y - current.bottom <= leading)
                or (first.page == current.lines[-1][0].page + 1 and first.page != first_page
                    and first.y < first_value_on_page.get(first.page, first.y + 1)
                    and current.bottom >= last_value_on_page.get(current.page, current.bottom)  # the page's last row
                    and not _LABEL_START.match(first.text)))
            if joined and current is not None:
                current.lines.append(line)
            else:
                current = _Block(column, [line])
                blocks.append(current)
    return blocks


def _share(lines: list[list[Word]], bands: list[tuple[float, float]]) -> list[list[list[Word]]]:
    """A block's lines shared, in order, among the rows of `bands` (the lines of numbers it stands beside):
    the split that centres each part on its row's numbers, or starts it level with them, best."""
    tops = [min(w.y for w in line) for line in lines]
    bottoms = [max(w.bottom for w in line) for line in lines]
    n, m = len(lines), len(bands)
    if n < m or comb(n - 1, m - 1) > _MAX_SPLITS:
        parts: list[list[list[Word]]] = [[] for _ in bands]
        for line, top, bottom in zip(lines, tops, bottoms, strict=True):
            nearest = min(range(m), key=lambda j: abs((top + bottom) / 2 - sum(bands[j]) / 2))
            parts[nearest].append(line)
        return parts

    def cost(cuts: tuple[int, ...]) -> float:
        total = 0.0
        for (a, b), (top, bottom) in zip(pairwise((0, *cuts, n)), bands, strict=True):
            centred = abs((tops[a] + bottoms[b - 1]) / 2 - (top + bottom) / 2)
            total += min(centred, abs(tops[a] - top), abs(bottoms[b - 1] - bottom))
        return total

    best = min(combinations(range(1, n), m - 1), key=cost)
    return [lines[a:b] for a, b in pairwise((0, *best, n))]


def _loose_rows(blocks: list[_Block]) -> list[_Row]:
    """Blocks beside no numbers as rows: blocks that overlap one another vertically are one row."""
    rows: list[_Row] = []
    bottom = float("-inf")
    for block in sorted(blocks, key=lambda b: b.top):
        if not rows or block.top > bottom or block.page != rows[-1].page:
            rows.append(_Row(block.top, block.page))
            bottom = block.bottom
        rows[-1].add(block.column, [w for line in block.lines for w in line])
        bottom = max(bottom, block.bottom)
    return rows


def _grid(rows: list[_Row], width: int) -> tuple[RawTable, list[int]]:
    table: RawTable = []
    pages: list[int] = []
    for row in rows:
        texts = ["".join(w.text for w in sorted(row.cells.get(col, []), key=lambda w: (round(w.y), w.x0)))
                 for col in range(width)]
        if any(text.strip() for text in texts):
            table.append([RawCell(text) for text in texts])
            pages.append(row.page)
    return table, pages


def _split_at_value_columns(words: list[Word]) -> list[Word]:
    """Words cut where they run into the next value column: in a table whose cells have no padding, two headers
    side by side ("科研机" "社会公") print as one word. Where the numbers are set at the left of their cells,
    a column's text starts where its numbers start; the cut needs a little space before that character (the
    cells' border), so a header spanning several columns ("法人或其他组织") stays whole."""
    values = [w for w in words if NUMBER.match(w.text)]
    if not values or _alignment(values) is not _KEYS["left"]:
        return words
    edges = [lo for lo, _ in clusters([w.x0 for w in values])]
    out: list[Word] = []
    for word in words:
        for edge in edges:
            if NUMBER.match(word.text) or not word.x0 < edge - ALIGN < edge + ALIGN < word.x1:
                continue
            parts = word.split_at(edge, gap=1.0)
            if parts is not None:
                out.append(parts[0])
                word = parts[1]
        out.append(word)
    return out


_KEYS: dict[str, Callable[[Word], float]] = {"left": lambda w: w.x0, "centre": lambda w: (w.x0 + w.x1) / 2,
                                             "right": lambda w: w.x1}


def _alignment(words: list[Word]) -> Callable[[Word], float]:
    """The edge the words of a set of columns line up on: left, centre or right, whichever groups them into the
    fewest columns, then the tightest (centred numbers of one or two digits also group by their left edges,
    a few points apart), then left."""
    def spread(name: str) -> tuple[int, float, bool]:
        groups = clusters([_KEYS[name](w) for w in words])
        return len(groups), round(sum(b - a for a, b in groups), 1), name != "left"
    return _KEYS[min(_KEYS, key=spread)]


def _aligned_columns(words: list[Word]) -> tuple[Callable[[Word], int], int]:
    """Which column a word of a table without rules is in, and how many columns there are. Value columns from
    the numbers' alignment; a word aligned with a value column on that edge is in it, whatever its width (a
    header centred over numbers starts left of them); the words left of the numbers are labels, in columns
    from their own alignment (web pages centre labels too)."""
    values = [w for w in words if NUMBER.match(w.text)]
    key = _alignment(values)
    value_columns = clusters([key(w) for w in values])
    first_value = min(w.x0 for w in values) if values else float("inf")
    cuts = [(a[1] + b[0]) / 2 for a, b in pairwise(value_columns)]

    def aligned(word: Word) -> int | None:
        return next((k for k, (lo, hi) in enumerate(value_columns) if lo - ALIGN <= key(word) <= hi + ALIGN), None)

    labels = [w for w in words if w.x0 < first_value - ALIGN and aligned(w) is None]
    label_key = _alignment(labels)
    label_edges = [a for a, _ in clusters([label_key(w) for w in labels])]

    def find(word: Word) -> int:
        if (column := aligned(word)) is not None:
            return len(label_edges) + column
        if word.x0 < first_value - ALIGN:
            return max(0, sum(1 for edge in label_edges if edge <= label_key(word) + ALIGN) - 1)
        return len(label_edges) + sum(1 for cut in cuts if cut <= key(word))
    return find, len(label_edges) + max(1, len(value_columns))
