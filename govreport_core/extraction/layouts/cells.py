"""Cells and rows: the pieces every layout is read into (label + value cells), shared by the recognisers.

Grids (HTML, DOCX and PDF) give rows whose cells have known positions, blanks included; pipe
rows ("| 规章 | 0 | 0 | 0 |") and tab rows give positions when their cell count fits; text flattened one
cell per line (seed 004) gives values in order with blank cells missing. A cell is a Value (a number
with its unit and sign), None (blank), NA ("/", "—": not applicable) or a label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from govreport_core.model import Document, Grid
from govreport_core.settings import SETTINGS

from ..normalise import parse_number, squash

NA_TOKENS = frozenset({"-", "--", "—", "——", "/", "无", "-/-", "\\"})
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.,]|\([一二三四五六七八九十]+\)|\d+[.、,)]|[(（]\d+[)）])+")
_TRAILING_NUMBERS = re.compile(r"^(?P<label>.*?[^\d\s.,+\-])\s+(?P<nums>(?:[+\-]?\d[\d,]*(?:\.\d+)?\s*){1,16})$")


@dataclass
class Value:
    number: Decimal
    unit: str | None
    signed: bool
    start: int
    end: int
    text: str = ""  # the token as printed, where a text reader keeps it ("0000000": glued cells)


NA = "NA"  # a cell marked not applicable ("/", "—"): never a figure, counts as 0 in no sum
Slot = Value | None | str  # a value, a blank cell, or NA


@dataclass
class Row:
    label: str  # normalised label text as printed (the most specific label cell)
    start: int
    end: int
    source: str  # the document text the offsets point into (for evidence)
    slots: list[Slot] = field(default_factory=list)
    positional: bool = False  # True when slot i is column i (grids, complete pipe rows)
    key: str | None = None  # the skeleton row it names (a table-3 metric key, a table-2 block, "table4"), once keyed
    proximity: bool = False  # its values were not printed right after its label (kept only where the sums agree)
    note: str | None = None  # why its values were left out (a glued digit run the sums cannot split): a finding


# --- cells and rows from the document -------------------------------------------------------------

def token_slot(text: str, start: int) -> Slot | str:
    """A cell's content as a Value, None (blank), NA, or the label text itself."""
    stripped = text.strip()
    if not stripped:
        return None
    if stripped in NA_TOKENS:
        return NA
    parsed = parse_number(stripped)
    if parsed is None or (not any(ch.isdigit() for ch in stripped) and len(stripped) > 1):
        return stripped  # a label (Chinese-numeral-only cells are labels like "十"... but "0" is a value)
    number, unit, signed = parsed
    offset = text.find(stripped)
    return Value(number, unit, signed, start + offset, start + offset + len(stripped))


@dataclass
class TextCell:
    content: Slot | str
    start: int
    end: int
    line: int
    in_row: bool  # the line was split by pipes or tabs


def text_cells(doc: Document, start: int, end: int) -> list[TextCell]:
    """Cells of the text between offsets, outside grids: one per line, or split by | and tabs."""
    cells: list[TextCell] = []
    covered = [(g.start, g.end) for g in doc.grids]
    pos = start
    line_no = 0
    for line in doc.text[start:end].split("\n"):
        line_start = pos
        pos += len(line) + 1
        line_no += 1
        if any(a <= line_start < b for a, b in covered) or not line.strip():
            continue
        if "|" in line or "\t" in line:
            sep = "|" if "|" in line else "\t"
            offset = line_start
            parts = line.split(sep)
            if sep == "|":  # "| a | b |": the outer pipes make empty edge tokens
                if parts and not parts[0].strip():
                    offset += len(parts[0]) + 1
                    parts = parts[1:]
                if parts and not parts[-1].strip():
                    parts = parts[:-1]
            for part in parts:
                cells.append(TextCell(token_slot(part, offset), offset, offset + len(part), line_no, True))
                offset += len(part) + 1
            continue
        match = _TRAILING_NUMBERS.match(line)
        if match and len(squash(match.group("label"))) <= SETTINGS.max_label_chars:
            label = match.group("label")
            cells.append(TextCell(label.strip(), line_start, line_start + len(label), line_no, False))
            for num in re.finditer(r"\S+", match.group("nums")):
                a = line_start + match.start("nums") + num.start()
                cells.append(TextCell(token_slot(num.group(), a), a, a + len(num.group()), line_no, False))
            continue
        if re.fullmatch(r"[\s\d,.+\-]+", line) and len(line.split()) > 1:  # "1 1 0 0 2 ..." on one line
            for num in re.finditer(r"\S+", line):
                a = line_start + num.start()
                cells.append(TextCell(token_slot(num.group(), a), a, a + len(num.group()), line_no, False))
            continue
        cells.append(TextCell(token_slot(line, line_start), line_start, line_start + len(line), line_no, False))
    return _join_vertical_labels(cells, doc.text)


_ONE_CHAR = re.compile(r"[\u4e00-\u9fff、，（）()]")
_NUMERALS = frozenset("一二三四五六七八九十〇零")


def _join_vertical_labels(cells: list[TextCell], text: str) -> list[TextCell]:
    """A label set vertically, one character per line ("三\n、\n本\n年\n度…", FORMATS §6 PDF text), is one
    label cell, not a numeral value 三 followed by labels. Runs of numerals alone are left as they are."""
    out: list[TextCell] = []
    run: list[TextCell] = []

    def flush() -> None:
        chars = "".join(text[c.start:c.end].strip() for c in run)
        if len(run) >= 3 and any(ch not in _NUMERALS for ch in chars):
            out.append(TextCell(chars, run[0].start, run[-1].end, run[0].line, False))
        else:
            out.extend(run)
        run.clear()

    for cell in cells:
        raw = text[cell.start:cell.end].strip()
        if not cell.in_row and len(raw) == 1 and raw not in NA_TOKENS and _ONE_CHAR.fullmatch(raw):
            run.append(cell)
        else:
            flush()
            out.append(cell)
    flush()
    return out


def grid_rows(grid: Grid, source: str, value_columns: int | None = None) -> list[Row]:
    """Rows of a grid: label = the label cells, slots = the value cells by distinct position.

    With `value_columns`, the last that many columns are the values (table 3's 7 applicant columns);
    otherwise every cell after the first non-label run is a value slot.
    """
    rows: list[Row] = []
    width = grid.width
    for cells in grid.rows:
        seen: set[tuple[int, int]] = set()
        labels: list[tuple[str, int, int]] = []
        slots: list[Slot] = []
        # Rows of one grid can differ in width (a table split at a page break loses a rowspan column),
        # so the value columns are the last ones this row occupies, not the grid's.
        occupied = max((c for c, cell in enumerate(cells) if cell.origin != (-1, -1)), default=width - 1) + 1
        first_value_col = occupied - value_columns if value_columns else None
        for col, cell in enumerate(cells[:occupied]):
            if cell.origin in seen:
                continue
            seen.add(cell.origin)
            content = token_slot(cell.text, cell.start)
            is_value_col = col >= first_value_col if first_value_col is not None else (
                not isinstance(content, str) or content == NA or bool(slots))
            if is_value_col:
                slots.append(content if not (isinstance(content, str) and content != NA) else None)
                if isinstance(content, str) and content != NA:
                    labels.append((content, cell.start, cell.end))  # a stray label among values
            elif isinstance(content, str) and content != NA:
                labels.append((content, cell.start, cell.end))
        if labels:
            text, start, end = labels[-1]
        elif cells:
            text, start, end = "", cells[0].start, cells[-1].end
        else:
            continue
        rows.append(Row(text, start, end, source, slots, positional=True))
    return rows


def is_label(text: str) -> bool:
    return len(squash(text)) <= SETTINGS.max_label_chars and not text.rstrip().endswith(("。", ";"))


def strip_numbering(label: str) -> str:
    return _NUMBERING.sub("", squash(label))
