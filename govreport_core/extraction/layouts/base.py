"""What every recogniser sees and is: the `Scan` of a document, the `Layout` interface, and grid classes.

A `Scan` is made once per document: its grids sorted by the table they show (`classify_grid`), and its text
outside grids as a token stream (`stream.py`), made on first use. Recognisers only read it (the cached grid
rows and text readings excepted).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from govreport_core import catalog
from govreport_core.catalog import Era
from govreport_core.model import Document, Grid
from govreport_core.settings import SETTINGS

from ..normalise import squash
from .cells import NA_TOKENS, Row, grid_rows, token_slot
from .stream import Stream, read_stream

TABLES: tuple[str, ...] = ("table2", "table3", "table4")

T3_START = re.compile(r"勾稽关系|申请人情况|本年新收政府信息公开申请")
_T3_MARKS = ("予以公开", "不予公开", "无法提供", "不予处理", "其他处理", "结转下年度")


def classify_grid(grid: Grid) -> str | None:
    """The table a grid shows ("table2", "table3", "table4") by the labels in it, or None."""
    text = squash(" ".join(c.text for row in grid.rows for c in row))
    # The second half of a table 3 split in two (a page break) has no 本年新收 row but its outcome rows.
    if "本年新收" in text or sum(label in text for label in _T3_MARKS) >= SETTINGS.table3_marks:
        return "table3"
    if "行政复议" in text and "行政诉讼" in text and ("结果维持" in text or "维持" in text):
        return "table4"
    # Table 4 drawn as two tables (PDF): its 行政复议 | 行政诉讼 header alone, then the leaf headers and numbers.
    if text == "行政复议行政诉讼" or ("结果维持" in text and "尚未审结" in text):
        return "table4"
    # A page break can leave one row of table 2 in a grid of its own ("行政事业性收费 | 1715.26").
    if "第二十条" in text or "信息内容" in text or any(f in text for _, fragments in catalog.TABLE2_ROWS for f in fragments):
        return "table2"
    return None


def _only_numbers(grid: Grid) -> bool:
    cells = [cell.text for row in grid.rows for cell in row if cell.text.strip()]
    return bool(cells) and all(not isinstance(token_slot(text, 0), str) or text.strip() in NA_TOKENS
                               for text in cells)


def detect_era(doc: Document) -> Era | None:
    """2019 or 2021 from header tokens (FORMATS §7), else from table 3's rows; None when neither tells."""
    text = squash(doc.text)
    hits = {era: sum(text.count(t) for t in tokens) for era, tokens in catalog.ERA_TOKENS.items()}
    if not any(hits.values()):
        marker, sub_rows, whole = catalog.ERA_TABLE3_TOKENS
        if marker not in text:
            return None
        if any(t in text for t in sub_rows):
            return Era.F2021
        return Era.F2019 if all(t in text[text.index(marker):] for t in whole) else None
    return Era.F2021 if hits[Era.F2021] > hits[Era.F2019] else Era.F2019


@dataclass
class Scan:
    """A document as the recognisers see it: its grids by table, and its text outside grids as a stream."""

    doc: Document
    era: Era | None
    grids: dict[str, list[Grid]]
    readings: dict[str, Any] = field(default_factory=dict)  # each table as the text stream showed it, read once
    _rows: dict[int, list[Row]] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, doc: Document, era: Era | None) -> Scan:
        kinds: dict[int, str | None] = {}
        previous: str | None = None
        for grid in doc.grids:
            kind = classify_grid(grid)
            if kind is None and previous and _only_numbers(grid):
                kind = previous  # a page break left a table's last rows (table 4's data row) in a grid of their own
            kinds[id(grid)] = previous = kind
        grids = {table: [g for g in doc.grids if kinds[id(g)] == table] for table in TABLES}
        return cls(doc, era, grids)

    @cached_property
    def stream(self) -> Stream:
        """The text outside grids as label runs and value groups, made on first use."""
        return read_stream(self.doc)

    def grid_rows(self, grid: Grid) -> list[Row]:
        """A grid's rows (every cell after the label run a value), read once per document."""
        if id(grid) not in self._rows:
            self._rows[id(grid)] = grid_rows(grid, self.doc.text)
        return self._rows[id(grid)]


class Layout(ABC):
    """One way a table is drawn. `test`: does the document show `table` this way? `run`: its keyed rows.

    `run` returns the table's rows in printed order, those naming a skeleton row keyed (`Row.key`, by
    `keys.key_rows`); an empty list means "not mine after all" and the next recogniser is tried.
    """

    name: str  # shown by `extract --debug` and in `TableTrace.layout`
    table: str  # "table2" | "table3" | "table4"

    @abstractmethod
    def test(self, scan: Scan) -> bool: ...

    @abstractmethod
    def run(self, scan: Scan) -> list[Row]: ...

    def describe(self, scan: Scan) -> str:
        """What `extract --debug` names the layout (a recogniser may add the shape it found)."""
        return self.name
