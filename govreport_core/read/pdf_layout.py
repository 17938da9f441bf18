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
  wrapped inside a narrow cell is joined by position, whatever the line order. The run may cross a page
  break: a row split there is joined, since its continuation starts no row of its own.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from ..model import RawCell, RawTable

_WORD_GAP = 3.0  # points: characters closer than this are one word (CJK text has no spaces)
_CELL_GAP = 6.0  # points: a gap this wide between words is a gutter between table cells
_ALIGN = 3.0  # points: words whose edges differ by less are in one column
_ROW_TOLERANCE = 2.0  # points: tops closer than this are one line
_FURNITURE_ZONE = 0.12  # share of the page height at its head and foot where furniture is printed
_PAGE_SPAN = 10_000.0  # a page's offset in document-wide y (larger than any page's height)
_STRAY_LINES = 8  # at most so many lines between two grids are taken as their cut rows
_NUMBER = re.compile(r"^(?:[增减+\-−]?\d[\d,]*(?:\.\d+)?(?:元|万元|%)?|[-—/]{1,2})$")
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十\d]+[)）]\s*\S{4,}$)")
_DIGIT = re.compile(r"\d")
# How a row's own label starts ("第二十条第（八）项", "一、", "（六）", "3."): text at a page head that starts so is
# a new row, not the rest of a row the page break split.
_LABEL_START = re.compile(r"^(?:第[一二三四五六七八九十\d]+条|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、])")
PAGE_NUMBER = re.compile(r"^\s*[-—–]?\s*\d{1,3}\s*[-—–]?\s*$|^\s*第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?\s*$")
# PDFs made by browsers often map CJK characters to the CJK Radicals Supplement block ("⼈⺠政府"). NFKC (in
# normalise) folds the Kangxi radicals; these have no decomposition and get their unified ideograph here.
_RADICALS = str.maketrans(
    "⺅⺆⺊⺎⺏⺐⺒⺓⺔⺕⺖⺘⺙⺛⺝⺞⺠⺡⺢⺣⺤⺦⺧⺨⺩⺪⺫⺮⺳⺶⺷⺹⺺⺻⺼⺽⺾⻀⻁⻂⻃⻄⻅⻆⻈⻉⻋⻌⻍⻏⻐⻑⻒⻓⻔⻖⻗⻘⻙⻚⻛⻜⻝⻠⻢⻣⻤⻥⻦⻨⻩⻪⻬⻮⻰⻲",
    "亻冂卜兀尣尢巳幺彑彐忄扌攵旡月歺民氵氺灬爫丬牜犭王疋罒竹㓁羊羊耂肀聿肉臼艹艹虎衤覀西见角讠贝车辶辶阝钅長镸长门阝雨青韦页风飞食饣马骨鬼鱼鸟麦黄黾齐齿龙龟",
)


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    y: float  # top, document-wide: page offset + top on the page
    bottom: float
    page: int


@dataclass
class Line:
    text: str
    words: list[Word]
    page: int
    top: float  # on its page

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)


@dataclass
class PageGrid:
    rows: RawTable
    columns: list[float]  # x of the vertical grid lines, left to right (columns + 1 of them)
    page: int  # where it starts
    last_page: int  # where it ends (a table continued on later pages)
    top: float
    bottom: float
    starts: list[list[int]] | None = None  # the column each cell starts in, where a row lacks cells before it


Item = Line | PageGrid


@dataclass
class _Page:
    items: list[Item] = field(default_factory=list)
    height: float = 0.0


def fix_text(text: str) -> str:
    return text.translate(_RADICALS)


def make_line(chars: list[dict], text: str, page: int, top: float) -> Line:
    """A pdfplumber text line (its chars) as words split at gaps wider than a character spacing."""
    words: list[Word] = []
    run: list[dict] = []
    for char in sorted(chars, key=lambda c: c["x0"]):
        if run and char["x0"] - run[-1]["x1"] > _WORD_GAP:
            words.append(_word(run, page))
            run = []
        if char["text"].strip():
            run.append(char)
    if run:
        words.append(_word(run, page))
    return Line(fix_text(text), words, page, top)


def _word(chars: list[dict], page: int) -> Word:
    offset = page * _PAGE_SPAN
    return Word(fix_text("".join(c["text"] for c in chars)), chars[0]["x0"], max(c["x1"] for c in chars),
                offset + min(c["top"] for c in chars), offset + max(c["bottom"] for c in chars), page)


def complete_tables(pages: list[tuple[list[Item], float]]) -> list[Item]:
    """Per page (items sorted by top, page height) -> one sequence with furniture gone and tables whole."""
    _drop_furniture(pages)
    items = [item for page_items, _ in pages for item in page_items if not isinstance(item, Line) or item.words]
    items = _rejoin_ruled(items)
    return _rebuild_borderless(items)


# --- furniture ------------------------------------------------------------------------------------

def _drop_furniture(pages: list[tuple[list[Item], float]]) -> None:
    """Lines at the head or foot of a page whose text (digits aside) recurs there on most pages."""
    if len(pages) < 2:
        return

    def key(line: Line, height: float) -> tuple[str, int] | None:
        if line.top > height * _FURNITURE_ZONE and line.top < height * (1 - _FURNITURE_ZONE):
            return None
        return _DIGIT.sub("#", re.sub(r"\s+", "", line.text)), round(line.top / _ALIGN)  # the same place

    counts: Counter[tuple[str, int]] = Counter()
    for items, height in pages:
        counts.update({k for item in items if isinstance(item, Line) and (k := key(item, height))})
    common = {k for k, n in counts.items() if n >= 2 and n * 2 >= len(pages)}
    for items, height in pages:
        items[:] = [item for item in items if not (isinstance(item, Line) and key(item, height) in common)]


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
            if stray and _cut_rows(stray, grid, nxt):
                cut = _rows_from_words([w for line in stray for w in line.words], grid.columns)
                grid.rows += cut
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
    """A text line that could be a row of a grid with these column lines (numbers included)."""
    return (isinstance(item, Line) and not PAGE_NUMBER.match(item.text)
            and columns[0] - _ALIGN <= item.x0 and item.x1 <= columns[-1] + _ALIGN)


def _cut_rows(stray: list[Line], grid: PageGrid, nxt: Item | None) -> bool:
    """Lines after a grid are rows the page break cut off it when the page ends right after them, or when
    they open the next page before the grid that continues the table there; and they carry numbers."""
    if not any(_NUMBER.match(w.text) for line in stray for w in line.words):
        return False
    if any(line.page not in (grid.last_page, grid.last_page + 1) for line in stray):
        return False
    if any(line.page == grid.last_page + 1 for line in stray):
        return isinstance(nxt, PageGrid) and nxt.page == grid.last_page + 1
    return nxt is None or nxt.page != grid.last_page


def _column_union(a: list[float], b: list[float]) -> list[float] | None:
    """The column lines of two grids that are one table: the same outer edges and most lines shared (a page
    whose rows have no cell boundary somewhere lacks that line); None for different tables."""
    if len(a) < 3 or len(b) < 3 or abs(a[0] - b[0]) > _ALIGN or abs(a[-1] - b[-1]) > _ALIGN:
        return None
    shared = sum(1 for x in b if any(abs(x - y) <= _ALIGN for y in a))
    if shared < 0.6 * max(len(a), len(b)):
        return None
    union: list[float] = []
    for x in sorted([*a, *b]):
        if not union or x - union[-1] > _ALIGN:
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
    headers = 0
    while headers < min(len(rows), len(first.rows)) and not any(_DIGIT.search(c.text) for c in rows[headers]) \
            and _text_of(rows[headers]) == _text_of(first.rows[headers]):
        headers += 1
    if headers and all(r + cell.rowspan <= headers for r, row in enumerate(rows[:headers]) for cell in row):
        rows = rows[headers:]
    split = rows and first.rows and not any(_DIGIT.search(c.text) for c in rows[0]) \
        and any(_DIGIT.search(c.text) for c in first.rows[-1])
    if split and _join_split_row(first.rows, rows) and all(cell.rowspan == 1 for cell in rows[0]):
        rows = rows[1:]
    first.rows += rows
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
    return [w for w in line.words if _NUMBER.match(w.text)]


def _borderless_run(lines: list[Line]) -> list[Item]:
    out: list[Item] = []
    i = 0
    while i < len(lines):
        end = _region_end(lines, i) if _cellular(lines[i]) else i
        region = lines[i:end]
        value_lines = sum(1 for line in region if _values(line))
        if region and (value_lines >= 2 or any(len(_values(line)) >= 3 for line in region)):
            rows = _rows_from_words([w for line in region for w in line.words], None)
            out.append(PageGrid(rows, [], region[0].page, region[-1].page, region[0].top, region[-1].top))
            i = end
            continue
        out.append(lines[i])
        i += 1
    return out


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
        if _HEADING.match(line.text) and line.x0 <= left + _ALIGN:
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


def _clusters(values: list[float]) -> list[tuple[float, float]]:
    groups: list[list[float]] = []
    for value in sorted(values):
        if groups and value - groups[-1][-1] <= _ALIGN:
            groups[-1].append(value)
        else:
            groups.append([value])
    return [(g[0], g[-1]) for g in groups]


def _rows_from_words(words: list[Word], columns: list[float] | None) -> RawTable:
    """Words of a table (no rules, or the cut rows of a ruled one) as grid rows.

    Columns: the given grid lines, else value columns from the alignment (left, centre or right, whichever is
    tightest) of the numbers and label columns from the left edges of the words left of them. Rows: a row
    starts where a number or a cell's text starts (a word after a gap in its column); every other word joins
    the row started last above it, which joins a label wrapped inside a narrow cell by position.
    """
    if not words:
        return []
    if columns:
        return _cut_rows_by_values(words, columns)
    column_of = _column_finder(words, columns)
    by_column: dict[int, list[Word]] = {}
    for word in words:
        by_column.setdefault(column_of(word), []).append(word)
    starts: list[float] = [w.y for w in words if _NUMBER.match(w.text)]
    first_value_on_page: dict[int, float] = {}
    for w in words:
        if _NUMBER.match(w.text):
            first_value_on_page[w.page] = min(first_value_on_page.get(w.page, w.y), w.y)
    first_page = min(w.page for w in words)
    for column_words in by_column.values():
        column_words.sort(key=lambda w: (w.y, w.x0))
    spacing = _line_spacing(by_column)
    for column_words in by_column.values():
        previous: Word | None = None
        for word in column_words:
            continued = previous is not None and word.page != previous.page and word.page != first_page \
                and word.y < first_value_on_page.get(word.page, word.y + 1) \
                and not _LABEL_START.match(word.text)  # the rest of a row the page break split
            if not continued and (previous is None or word.y - previous.bottom > spacing * (word.bottom - word.y)):
                starts.append(word.y)
            previous = word
    anchors = [a for a, _ in _clusters(starts)]
    width = len(columns) - 1 if columns else 1 + max(by_column)
    grid = [["" for _ in range(width)] for _ in anchors]
    for col, column_words in by_column.items():
        for word in column_words:
            row = max((r for r, a in enumerate(anchors) if a <= word.y + _ROW_TOLERANCE), default=0)
            grid[row][col] += word.text
    return [[RawCell(text) for text in row] for row in grid if any(text.strip() for text in row)]


def _cut_rows_by_values(words: list[Word], columns: list[float]) -> RawTable:
    """Rows cut off a ruled grid: one per line of numbers, every other word in the row of the nearest such
    line (a browser centres a cell's text vertically, so a wrapped label runs above and below its numbers)."""
    column_of = _column_finder(words, columns)
    anchors = [a for a, _ in _clusters([w.y for w in words if _NUMBER.match(w.text)])] or [words[0].y]
    grid = [["" for _ in range(len(columns) - 1)] for _ in anchors]
    for word in sorted(words, key=lambda w: (w.y, w.x0)):
        row = min(range(len(anchors)), key=lambda r: abs(anchors[r] - word.y))
        grid[row][column_of(word)] += word.text
    return [[RawCell(text) for text in row] for row in grid if any(text.strip() for text in row)]


def _line_spacing(by_column: dict[int, list[Word]]) -> float:
    """How far apart (in line heights) two words of a column may be and still be lines of one cell: above the
    gap between the lines of a wrapped cell (the smallest gap between labels, when it is a line's leading and
    not already the gap between rows), below the gap between rows, which adds the cell padding."""
    gaps = [(b.y - a.bottom) / (b.bottom - b.y) for words in by_column.values() for a, b in pairwise(words)
            if a.page == b.page and not _NUMBER.match(a.text) and not _NUMBER.match(b.text) and b.y > a.bottom]
    smallest = min(gaps, default=1.0)
    return smallest + 0.4 if smallest < 0.9 else 0.5


def _column_finder(words: list[Word], columns: list[float] | None):
    if columns:
        edges = columns

        def in_grid(word: Word) -> int:
            middle = (word.x0 + word.x1) / 2
            return max(0, min(len(edges) - 2, sum(1 for x in edges[1:-1] if x <= middle)))
        return in_grid
    values = [w for w in words if _NUMBER.match(w.text)]
    keys = {"left": lambda w: w.x0, "centre": lambda w: (w.x0 + w.x1) / 2, "right": lambda w: w.x1}
    name = min(keys, key=lambda k: (len(_clusters([keys[k](w) for w in values])), k != "left"))
    key = keys[name]
    value_columns = _clusters([key(w) for w in values])
    first_value = min(w.x0 for w in values) if values else float("inf")
    label_edges = [a for a, _ in _clusters([w.x0 for w in words if w.x0 < first_value - _ALIGN])]
    cuts = [(a[1] + b[0]) / 2 for a, b in pairwise(value_columns)]

    def find(word: Word) -> int:
        if word.x0 < first_value - _ALIGN:
            return sum(1 for edge in label_edges if edge <= word.x0 + _ALIGN) - 1
        return len(label_edges) + sum(1 for cut in cuts if cut <= key(word))
    return find
