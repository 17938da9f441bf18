"""PDF words: a page's characters as positioned words and lines, and the pieces the layout is made of.

`make_line` splits a text line into words at gaps wider than a character spacing (CJK text has no spaces)
and gives each word a document-wide top (page offset + top), so a table's words can run over a page break.
`cut_rows` lays out the rows a page break cut off a ruled grid on that grid's column lines (tables without
rules are `pdf_borderless`'s).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from govreport_core.model import RawCell, RawTable

ALIGN = 3.0  # points: words whose edges differ by less are in one column
_WORD_GAP = 3.0  # points: characters closer than this are one word
PAGE_SPAN = 10_000.0  # a page's offset in document-wide y (larger than any page's height)
# A row's numbering ("（一）", "2.") right after other text; not "第（一）项", nor a decimal ("12.5").
_NUMBERING_AFTER_TEXT = re.compile(r"(?<=[^\s第])(?=[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[.、．](?!\d))")
NUMBER = re.compile(r"^(?:[增减+\-−]?\d[\d,]*(?:\.\d+)?(?:元|万元|%)?|[-—/]{1,2})$")
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
    pieces: tuple[tuple[str, float, float], ...] = ()  # each character's text, x0 and x1 (to cut a word in two)

    def split_at(self, x: float, gap: float = 0.0) -> tuple[Word, Word] | None:
        """The word cut before its first character starting at or right of x, if at least `gap` points of space
        precede that character (None if no such cut falls inside the word)."""
        cut = next((i for i, (_, x0, _) in enumerate(self.pieces) if x0 >= x - 0.5), None)
        if not cut or self.pieces[cut][1] - self.pieces[cut - 1][2] < gap:
            return None
        left, right = self.pieces[:cut], self.pieces[cut:]
        return (Word("".join(t for t, _, _ in left), left[0][1], max(x1 for _, _, x1 in left), self.y, self.bottom,
                     self.page, left),
                Word("".join(t for t, _, _ in right), right[0][1], max(x1 for _, _, x1 in right), self.y, self.bottom,
                     self.page, right))


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
    """A text line (its chars) as words split at gaps wider than a character spacing, and where a row's
    numbering starts after other text ("三、本年（一）予以公开": two cells of a table whose cells have no padding)."""
    words: list[Word] = []
    run: list[dict] = []
    for char in sorted(chars, key=lambda c: c["x0"]):
        if run and char["x0"] - run[-1]["x1"] > _WORD_GAP:
            words += [_word(part, page) for part in _split_numbered(run)]
            run = []
        if char["text"].strip():
            run.append(char)
    if run:
        words += [_word(part, page) for part in _split_numbered(run)]
    return Line(fix_text(text), words, page, top)


def _split_numbered(run: list[dict]) -> list[list[dict]]:
    """The run of characters cut before each numbering that follows other text."""
    starts, offset = {}, 0
    for index, char in enumerate(run):
        starts[offset] = index
        offset += len(char["text"])
    cuts = [starts[m.start()] for m in _NUMBERING_AFTER_TEXT.finditer("".join(c["text"] for c in run))
            if m.start() in starts]
    return [run[a:b] for a, b in pairwise([0, *cuts, len(run)]) if a < b]


def _word(chars: list[dict], page: int) -> Word:
    offset = page * PAGE_SPAN
    pieces = tuple((fix_text(c["text"]), c["x0"], c["x1"]) for c in chars)
    return Word("".join(t for t, _, _ in pieces), chars[0]["x0"], max(c["x1"] for c in chars),
                offset + min(c["top"] for c in chars), offset + max(c["bottom"] for c in chars), page, pieces)


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


def clusters(values: list[float]) -> list[tuple[float, float]]:
    """The (first, last) of each group of positions within ALIGN of one another: columns or lines of words."""
    return [(g[0], g[-1]) for g in group_close(values, ALIGN)]


def _kept(grid: list[list[str]], anchors: list[float]) -> tuple[RawTable, list[int]]:
    """The rows with any text, and the page each is printed on (its start's page)."""
    kept = [(row, int(anchor // PAGE_SPAN)) for row, anchor in zip(grid, anchors, strict=True)
            if any(text.strip() for text in row)]
    return [[RawCell(text) for text in row] for row, _ in kept], [page for _, page in kept]


def cut_rows(words: list[Word], columns: list[float]) -> tuple[RawTable, list[int]]:
    """Rows a page break cut off a ruled grid, on its column lines: one per line of numbers, every other word in
    the row of the nearest such line (a browser centres a cell's text vertically, so a wrapped label runs
    above and below its numbers)."""
    if not words:
        return [], []

    def column_of(word: Word) -> int:
        middle = (word.x0 + word.x1) / 2
        return max(0, min(len(columns) - 2, sum(1 for x in columns[1:-1] if x <= middle)))
    anchors = [a for a, _ in clusters([w.y for w in words if NUMBER.match(w.text)])] or [words[0].y]
    grid = [["" for _ in range(len(columns) - 1)] for _ in anchors]
    for word in sorted(words, key=lambda w: (w.y, w.x0)):
        row = min(range(len(anchors)), key=lambda r: abs(anchors[r] - word.y))
        grid[row][column_of(word)] += word.text
    return _kept(grid, anchors)
