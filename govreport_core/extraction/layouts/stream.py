"""A document's text outside grids as one stream of tokens: label runs and groups of value cells.

Whatever tool made the text (a crawler gluing a page into one line, a PDF-to-markdown converter breaking pipe
tables, OCR markdown, text one cell per line), a table is label text and numbers in printed order. The stream
keeps exactly that: a `Run` is the label text between two groups of numbers (line breaks, pipes, markdown
rules and page markers dropped; its CJK characters mapped back to their offsets, so a label wrapped over lines
or split by a column of numbers on another line is still one run), a `Group` is the value cells between two
runs (numbers with their offsets, blank pipe cells, "—" / "/" cells). How the cells were separated is kept per
token (`sep`): a crawler's glued digits are told from cells apart by it, and a pipe line stays one row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from govreport_core.model import Document

from ..normalise import parse_number
from .cells import NA, NA_TOKENS, Slot, Value

# What separates a token from the one before it: nothing (glued), spaces, a pipe or tab cell, a line break.
GLUED, SPACE, CELL, LINE = "", " ", "|", "\n"

_RULE = re.compile(r"^\s*\|?\s*(?::?-{3,}:?\s*\|?\s*)+$")  # a markdown table's |---|---| line
# Page furniture a PDF converter leaves between rows: "- 3 -", "第 3 页 共 9 页", "3 / 9", "Page 3".
_PAGE = re.compile(r"^\s*(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
                   r"|\d{1,4}\s*/\s*\d{1,4}|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)\s*$", re.I)
# A number as tables print it: a sign or 增/减 (table 2's change), thousands separators, decimals, a money unit.
_NUMBER = re.compile(r"(?P<sign>[+\-−]|增加?|减少?)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
                     r"(?P<unit>万元|元|万|件|条|次|项|个|宗|篇|份)?")
# Row numbering glued after a row's digits ("00000007.属于…": the 7 is item 7's number, not a cell), or in
# parentheses ("(2)重复申请").
_NUMBERING_AFTER = re.compile(r"\s*[.、]\s*[\u4e00-\u9fff“\"]")
_PAREN_NUMBERING = re.compile(r"\(\d{1,2}\)")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# A header cell naming a column by number ("数据1", "列3", as OCR markdown heads its tables): a label.
_NUMBERED_HEADER = re.compile(r"(?![增减])[\u4e00-\u9fff]+\d{1,2}")
_GENERIC_COLUMN = re.compile(r"(?:数据|列)$")
_COLUMN_NUMBER_END = re.compile(r"\d{1,2}(?:\s|$)")
# Longer than any table cell (table 3's longest label is 41 characters): text with a stray "|" in it, not a cell.
_LONGEST_CELL = 200


@dataclass(frozen=True)
class Token:
    """A value cell: a number (`value`), a blank pipe cell (None) or a not-applicable mark (NA)."""

    value: Value | str | None
    start: int
    end: int
    line: int  # the number of the line it is on
    sep: str  # what separates it from the token before it: GLUED, SPACE, CELL or LINE
    pipe: bool  # on a line of pipe or tab cells (a markup table row)

    @property
    def digits(self) -> str | None:
        """The token's text when it is a bare run of digits (what a crawler's glued cells look like)."""
        return self.value.text if isinstance(self.value, Value) and self.value.text.isdigit() else None


@dataclass
class Group:
    """Value cells printed together: one pipe or tab row, one glued run, or numbers one per line."""

    tokens: list[Token]
    index: int = 0  # its place in the stream's items

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end

    @property
    def pipe(self) -> bool:
        return all(t.pipe for t in self.tokens)

    @property
    def inline(self) -> bool:
        """On one line and not a markup row: where a crawler's glued cells are."""
        return not self.pipe and len({t.line for t in self.tokens}) == 1

    @property
    def values(self) -> list[Value]:
        return [t.value for t in self.tokens if isinstance(t.value, Value)]

    def slots(self) -> list[Slot]:
        return [t.value for t in self.tokens]


@dataclass
class Run:
    """Label text between two groups: its CJK characters (`label`) and where each one is in the text."""

    start: int
    end: int
    chars: list[str] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)
    breaks: list[int] = field(default_factory=list)  # where a new line or cell of label text began
    index: int = 0

    @cached_property
    def label(self) -> str:
        return "".join(self.chars)

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Text offsets of label characters first..last (inclusive)."""
        return self.offsets[first], self.offsets[last] + 1


Item = Run | Group


@dataclass
class Stream:
    text: str
    items: list[Item]

    @cached_property
    def groups(self) -> list[Group]:
        return [item for item in self.items if isinstance(item, Group)]

    @cached_property
    def runs(self) -> list[Run]:
        return [item for item in self.items if isinstance(item, Run)]

    def group_after(self, run: Run) -> Group | None:
        nxt = run.index + 1
        return self.items[nxt] if nxt < len(self.items) and isinstance(self.items[nxt], Group) else None  # type: ignore[return-value]



def read_stream(doc: Document) -> Stream:
    """The document's text as runs and groups, in printed order: grids too, each row a line of pipe cells (a grid
    no grid recogniser can key, its labels wrapped over rows, is still a table's text)."""
    builder = _Builder(doc.text)
    pos = 0
    for number, line in enumerate(doc.text.split("\n")):
        start, pos = pos, pos + len(line) + 1
        if not line.strip() or _RULE.match(line) or _PAGE.match(line):
            continue
        if "|" in line or "\t" in line:
            builder.cells(line, start, number)
        else:
            builder.inline(line, start, number, LINE, pipe=False)
    return builder.finish()


class _Builder:
    def __init__(self, text: str) -> None:
        self.text = text
        self.items: list[Item] = []

    # -- lines -------------------------------------------------------------------------------------
    def cells(self, line: str, start: int, number: int) -> None:
        """A line of pipe (or tab) cells: each cell a value, a blank, NA or label text."""
        sep_char = "|" if "|" in line else "\t"
        parts = line.split(sep_char)
        offset = start
        if sep_char == "|" and parts and not parts[0].strip():  # "| a | b |": the outer pipes' empty edges
            offset += len(parts[0]) + 1
            parts = parts[1:]
        if sep_char == "|" and parts and not parts[-1].strip():
            parts = parts[:-1]
        first = True
        for part in parts:
            cell = part.strip()
            at = offset + (part.find(cell) if cell else 0)
            sep = LINE if first else CELL
            first = False
            if not cell:
                self.value(None, at, at, number, sep, pipe=True)
            elif cell in NA_TOKENS:
                self.value(NA, at, at + len(cell), number, sep, pipe=True)
            elif _NUMBERED_HEADER.fullmatch(cell):
                pass  # a generic column name: no label of any row
            else:  # a cell as long as a page is running text that a menu's "|" cut off (a crawled page on one line)
                self.inline(cell, at, number, sep, pipe=len(cell) <= _LONGEST_CELL)
            offset += len(part) + 1

    def inline(self, text: str, start: int, number: int, sep: str, pipe: bool) -> None:
        """Label text and numbers within one line (or one cell); `sep` is what precedes the first token."""
        pos = 0
        for match in _NUMBER.finditer(text):
            a, b = match.span()
            if _PAREN_NUMBERING.fullmatch(text, max(a - 1, 0), min(b + 1, len(text))):
                continue  # "(2)重复申请": numbering, part of the label
            if _GENERIC_COLUMN.search(text, max(a - 2, 0), a) and _COLUMN_NUMBER_END.match(text, a):
                continue  # "类别 数据1 数据2": a generic column name run into the row's line (a page on one line)
            if match.group("num").isdigit() and not match.group("unit") and not match.group("sign") \
                    and _NUMBERING_AFTER.match(text, b):
                if b - a == 1:
                    continue  # "7.属于…": the item's numbering
                b -= 1  # "00000007.属于…": the last digit is the next item's numbering, glued to the cells
            gap = text[pos:a]
            if gap.strip() and gap.strip() in NA_TOKENS and _standalone(text, pos, a):
                at = start + pos + gap.find(gap.strip())
                self.value(NA, at, at + len(gap.strip()), number, sep if pos == 0 else SPACE, pipe)
                sep = SPACE
            elif gap.strip():
                self.label(gap, start + pos, fresh=pos == 0 and sep in (LINE, CELL))
            elif pos > 0:
                sep = SPACE if gap else GLUED
            piece = text[a:b]
            parsed = parse_number(piece)
            if parsed is None:
                self.label(piece, start + a)
            else:
                self.value(Value(*parsed, start + a, start + b, text=piece), start + a, start + b, number, sep, pipe)
            sep = GLUED
            pos = b
        rest = text[pos:]
        if rest.strip() and rest.strip() in NA_TOKENS and _standalone(text, pos, len(text)):
            at = start + pos + rest.find(rest.strip())
            self.value(NA, at, at + len(rest.strip()), number, sep if pos == 0 else SPACE, pipe)
        elif rest.strip():
            self.label(rest, start + pos, fresh=pos == 0 and sep in (LINE, CELL))

    # -- items -------------------------------------------------------------------------------------
    def label(self, text: str, start: int, fresh: bool = False) -> None:
        """Label text joins the run being read; `fresh`: it begins a line or a cell of its own."""
        run = self.items[-1] if self.items and isinstance(self.items[-1], Run) else None
        if run is None:
            run = Run(start, start, index=len(self.items))
            self.items.append(run)
        elif fresh and run.chars:
            run.breaks.append(len(run.chars))
        for i, ch in enumerate(text):
            if _CJK.match(ch):
                run.chars.append(ch)
                run.offsets.append(start + i)
        run.end = start + len(text.rstrip())

    def value(self, value: Value | str | None, start: int, end: int, number: int, sep: str, pipe: bool) -> None:
        previous = self.items[-1] if self.items else None
        token = Token(value, start, end, number, sep if previous is not None else LINE, pipe)
        # A new pipe line is a new row: its cells do not join the numbers of the line above.
        if isinstance(previous, Group) and not (pipe and sep == LINE) and not (previous.pipe and sep == LINE):
            previous.tokens.append(token)
        else:
            self.items.append(Group([token], index=len(self.items)))

    def finish(self) -> Stream:
        # A run with no CJK character (punctuation, a stray "#") between two groups joins nothing; a group
        # without a number (a header row's empty cells, "—" marks alone) separates no label from its numbers.
        items = [item for item in self.items if not (isinstance(item, Run) and not item.chars)
                 and not (isinstance(item, Group) and not item.values)]
        merged: list[Item] = []
        for item in items:
            if isinstance(item, Group) and merged and isinstance(merged[-1], Group) and not item.tokens[0].pipe \
                    and not merged[-1].pipe and item.tokens[0].sep != LINE:
                merged[-1].tokens.extend(item.tokens)  # "0 0 . 0": punctuation between numbers of one row
                continue
            if isinstance(item, Run) and merged and isinstance(merged[-1], Run):
                merged[-1].breaks += [len(merged[-1].chars), *(b + len(merged[-1].chars) for b in item.breaks)]
                merged[-1].chars += item.chars
                merged[-1].offsets += item.offsets
                merged[-1].end = item.end
                continue
            merged.append(item)
        for i, item in enumerate(merged):
            item.index = i
        return Stream(self.text, merged)


def _standalone(text: str, a: int, b: int) -> bool:
    """Whether text[a:b] stands as a token of its own (whitespace or the line's ends around it)."""
    return (a == 0 or text[a - 1].isspace() or not text[a - 1].strip()) and (b >= len(text) or text[b].isspace())
