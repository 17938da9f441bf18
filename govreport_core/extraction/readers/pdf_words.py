"""PDF words: pdfplumber's characters as positioned words and lines, and words of a table as grid rows.

`make_line` splits a text line into words at gaps wider than a character spacing (CJK text has no spaces)
and gives each word a document-wide top (page offset + top), so a table's words can run over a page break.
`rows_from_words` lays the words of a table without rules out as rows of cells on columns found from the
words' alignment; `cut_rows` lays out the rows a page break cut off a ruled grid on that grid's column lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

from govreport_core.model import RawCell, RawTable

ALIGN = 3.0  # points: words whose edges differ by less are in one column
_WORD_GAP = 3.0  # points: characters closer than this are one word
_ROW_TOLERANCE = 2.0  # points: tops closer than this are one line
PAGE_SPAN = 10_000.0  # a page's offset in document-wide y (larger than any page's height)
NUMBER = re.compile(r"^(?:[增减+\-−]?\d[\d,]*(?:\.\d+)?(?:元|万元|%)?|[-—/]{1,2})$")
PAGE_NUMBER = re.compile(r"^\s*[-—–]?\s*\d{1,3}\s*[-—–]?\s*$|^\s*第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?\s*$")
# How a row's own label starts ("第二十条第（八）项", "一、", "（六）", "3."): text at a page head that starts so is
# a new row, not the rest of a row the page break split.
_LABEL_START = re.compile(r"^(?:第[一二三四五六七八九十\d]+条|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、])")
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
    row_pages: list[int] = field(default_factory=list)  # the page each row is printed on

    def __post_init__(self) -> None:
        if not self.row_pages:
            self.row_pages = [self.page] * len(self.rows)


Item = Line | PageGrid


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
    offset = page * PAGE_SPAN
    return Word(fix_text("".join(c["text"] for c in chars)), chars[0]["x0"], max(c["x1"] for c in chars),
                offset + min(c["top"] for c in chars), offset + max(c["bottom"] for c in chars), page)


def group_close(values: list[float], tolerance: float) -> list[list[float]]:
    """Positions on one axis grouped where each is within `tolerance` of the one before (sorted): the columns or
    rows that words, or a scan's ruling lines, line up on. `group_close([1, 2, 9], 3)` → `[[1, 2], [9]]`."""
    groups: list[list[float]] = []
    for value in sorted(values):
        if groups and value - groups[-1][-1] <= tolerance:
            groups[-1].append(value)
        else:
            groups.append([value])
    return groups


def _clusters(values: list[float]) -> list[tuple[float, float]]:
    return [(g[0], g[-1]) for g in group_close(values, ALIGN)]


def rows_from_words(words: list[Word]) -> tuple[RawTable, list[int]]:
    """Words of a table without rules as grid rows.

    Columns: value columns from the alignment (left, centre or right, whichever is tightest) of the numbers,
    label columns from the left edges of the words left of them. Rows: a row starts where a number or a
    cell's text starts (a word after a gap in its column); every other word joins the row started last above
    it, which joins a label wrapped inside a narrow cell by position, whatever the order of the lines.
    """
    if not words:
        return [], []
    column_of, width = _aligned_columns(words)
    by_column: dict[int, list[Word]] = {}
    for word in sorted(words, key=lambda w: (w.y, w.x0)):
        by_column.setdefault(column_of(word), []).append(word)
    starts: list[float] = [w.y for w in words if NUMBER.match(w.text)]
    first_value_on_page: dict[int, float] = {}
    for w in words:
        if NUMBER.match(w.text):
            first_value_on_page[w.page] = min(first_value_on_page.get(w.page, w.y), w.y)
    first_page = min(w.page for w in words)
    spacing = _line_spacing(by_column)
    for column_words in by_column.values():
        previous: Word | None = None
        for word in column_words:
            continued = previous is not None and word.page != previous.page and word.page != first_page \
                and word.y < first_value_on_page.get(word.page, word.y + 1) \
                and not _LABEL_START.match(word.text)  # the rest of a row the page break split
            if not continued and (previous is None or word.y - previous.bottom > spacing * _height(word)):
                starts.append(word.y)
            previous = word
    anchors = [a for a, _ in _clusters(starts)]
    grid = [["" for _ in range(width)] for _ in anchors]
    for col, column_words in by_column.items():
        for word in column_words:
            row = max((r for r, a in enumerate(anchors) if a <= word.y + _ROW_TOLERANCE), default=0)
            grid[row][col] += word.text
    return _kept(grid, anchors)


def _kept(grid: list[list[str]], anchors: list[float]) -> tuple[RawTable, list[int]]:
    """The rows with any text, and the page each is printed on (its start's page)."""
    kept = [(row, int(anchor // PAGE_SPAN)) for row, anchor in zip(grid, anchors, strict=True)
            if any(text.strip() for text in row)]
    return [[RawCell(text) for text in row] for row, _ in kept], [page for _, page in kept]


def _height(word: Word) -> float:
    return max(word.bottom - word.y, 0.1)  # a damaged font can give a character no height


def cut_rows(words: list[Word], columns: list[float]) -> tuple[RawTable, list[int]]:
    """Rows a page break cut off a ruled grid, on its column lines: one per line of numbers, every other word in
    the row of the nearest such line (a browser centres a cell's text vertically, so a wrapped label runs
    above and below its numbers)."""
    if not words:
        return [], []

    def column_of(word: Word) -> int:
        middle = (word.x0 + word.x1) / 2
        return max(0, min(len(columns) - 2, sum(1 for x in columns[1:-1] if x <= middle)))
    anchors = [a for a, _ in _clusters([w.y for w in words if NUMBER.match(w.text)])] or [words[0].y]
    grid = [["" for _ in range(len(columns) - 1)] for _ in anchors]
    for word in sorted(words, key=lambda w: (w.y, w.x0)):
        row = min(range(len(anchors)), key=lambda r: abs(anchors[r] - word.y))
        grid[row][column_of(word)] += word.text
    return _kept(grid, anchors)


def _line_spacing(by_column: dict[int, list[Word]]) -> float:
    """How far apart (in line heights) two words of a column may be and still be lines of one cell: above the
    gap between the lines of a wrapped cell (the smallest gap between labels, when it is a line's leading and
    not already the gap between rows), below the gap between rows, which adds the cell padding."""
    gaps = [(b.y - a.bottom) / _height(b) for words in by_column.values() for a, b in pairwise(words)
            if a.page == b.page and not NUMBER.match(a.text) and not NUMBER.match(b.text) and b.y > a.bottom]
    smallest = min(gaps, default=1.0)
    return smallest + 0.4 if smallest < 0.9 else 0.5


def _aligned_columns(words: list[Word]) -> tuple[Callable[[Word], int], int]:
    """Which column a word of a table without rules is in, and how many columns there are."""
    values = [w for w in words if NUMBER.match(w.text)]
    keys: dict[str, Callable[[Word], float]] = {"left": lambda w: w.x0, "centre": lambda w: (w.x0 + w.x1) / 2,
                                                "right": lambda w: w.x1}
    name = min(keys, key=lambda k: (len(_clusters([keys[k](w) for w in values])), k != "left"))
    key = keys[name]
    value_columns = _clusters([key(w) for w in values])
    first_value = min(w.x0 for w in values) if values else float("inf")
    label_edges = [a for a, _ in _clusters([w.x0 for w in words if w.x0 < first_value - ALIGN])]
    cuts = [(a[1] + b[0]) / 2 for a, b in pairwise(value_columns)]

    def find(word: Word) -> int:
        if word.x0 < first_value - ALIGN:
            return max(0, sum(1 for edge in label_edges if edge <= word.x0 + ALIGN) - 1)
        return len(label_edges) + sum(1 for cut in cuts if cut <= key(word))
    return find, len(label_edges) + max(1, len(value_columns))
