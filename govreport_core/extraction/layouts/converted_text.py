"""Recognisers of tables in text made by other tools (issue 14): broken markdown and glued crawled text.

- `DetachedPipeRows`: PDF-to-markdown output whose pipe tables broke. Row labels stand on lines of their own,
  each row's numbers in a one-row pipe table (its `|---|` line included or not), sometimes the numbers of
  several rows stacked before their labels, header cells split over several pipe lines. Value rows are given
  to the value-bearing labels in printed order when both counts agree (the skeleton is fixed, so order is
  what a stack keeps); otherwise only a label with exactly one value row right below it is paired. A row whose
  numbers were not right below their label, or paired without the full count, is marked `proximity`:
  `tables.py` keeps it only where the table's own sums (or the report's summary sentence) agree.
- `GluedRows`: crawled page text whose cells lost their separators ("（一）予以公开3000003"). A row's digits are
  split only where the table's sums make the split unique: K2 for a table-3 row (six applicant columns add up
  to 总计), then K1/K3 column by column for a row K2 leaves open; K4 for table 4's 15 numbers; one digit per
  column (or one number for one column) in table 2.
  Any other row is left out with a note that becomes a `placement` finding.

OCR markdown with one small pipe table per row group and generic headers (| 列1 | 列2 | …) needs no recogniser
of its own: its rows are complete pipe rows (`PipeRows`), and its 列N header cells name no row.
"""

from __future__ import annotations

import re
from decimal import Decimal
from itertools import product
from math import prod

from govreport_core import catalog
from govreport_core.catalog import APPLICANTS, TABLE2_COLUMNS, TABLE4_KEYS

from .base import Layout, Scan
from .cells import NA, Row, Slot, TextCell, Value, is_label
from .keys import key_rows

_SEPARATOR = re.compile(r"^:?-{3,}:?$")
# A label (ending in no digit) followed by the digits of its whole row, nothing between them.
_GLUED = re.compile(r"^(?P<label>.*[^\d\s.,+\-])(?P<digits>\d[\d.]*)$")
_MIN_GLUED_LINES = 3  # fewer such lines in a table's span are prose or stray numbers, not a glued table


def _lines(cells: list[TextCell]) -> list[list[TextCell]]:
    """Text cells grouped by the line they came from."""
    lines: list[list[TextCell]] = []
    for cell in cells:
        if lines and lines[-1][0].line == cell.line:
            lines[-1].append(cell)
        else:
            lines.append([cell])
    return lines


def _is_separator(cell: TextCell) -> bool:
    return isinstance(cell.content, str) and bool(_SEPARATOR.match(cell.content.strip()))


def _value_row(line: list[TextCell]) -> list[Slot] | None:
    """The slots of a pipe line holding only numbers, blanks and NA (separator lines give None too)."""
    if not line[0].in_row or any(_is_separator(c) for c in line):
        return None
    if any(isinstance(c.content, str) and c.content != NA for c in line):
        return None
    if not any(isinstance(c.content, Value) for c in line):
        return None
    return [c.content for c in line]


def _label_line(line: list[TextCell]) -> TextCell | None:
    """A line holding one label and nothing else (no pipes)."""
    if len(line) == 1 and not line[0].in_row and isinstance(line[0].content, str) and line[0].content != NA \
            and is_label(line[0].content):
        return line[0]
    return None


class DetachedPipeRows(Layout):
    """Labels on lines of their own, each row's numbers in a one-row pipe table (before or after it)."""

    name = "pipe rows detached from labels"

    def __init__(self, table: str) -> None:
        self.table = table

    def test(self, scan: Scan) -> bool:
        if scan.span(self.table) is None or (self.table == "table2" and scan.era is None):
            return False
        lines = _lines(scan.text_cells(self.table))
        values = sum(_value_row(line) is not None for line in lines)
        labels = sum(_label_line(line) is not None for line in lines)
        return values >= 2 and labels >= 2

    def run(self, scan: Scan) -> list[Row]:
        source = scan.doc.text
        items: list[Row | list[Slot]] = []  # label rows and value rows, in printed order
        for line in _lines(scan.text_cells(self.table)):
            slots = _value_row(line)
            label = _label_line(line)
            if slots is not None:
                items.append(slots)
            elif label is not None:
                items.append(Row(str(label.content), label.start, label.end, source, slots=[None]))
        labels = key_rows(self.table, [item for item in items if isinstance(item, Row)], scan.era)
        for row in labels:
            row.slots = []
        targets = [row for row in labels if row.key is not None]
        if self.table == "table3" and any(r.key in catalog.TABLE3_OTHER_SUB_ROWS for r in targets):
            targets = [r for r in targets if r.key != "other_handling"]  # 2021: its numbers are its sub-rows'
        value_rows = [item for item in items if not isinstance(item, Row)]
        if not targets or not value_rows:
            return []
        right_below = {id(items[i - 1]): item for i, item in enumerate(items)
                       if i and not isinstance(item, Row) and isinstance(items[i - 1], Row)
                       and (i + 1 == len(items) or isinstance(items[i + 1], Row))}
        in_order = len(targets) == len(value_rows)
        for n, row in enumerate(targets):
            below = right_below.get(id(row))
            slots = value_rows[n] if in_order else below
            if slots is None:
                continue
            row.slots = list(slots)
            row.positional = len(slots) == self._width(row, scan)
            row.proximity = not in_order or slots is not below  # only the order of a complete table is evidence
        for row in labels:
            if row.key is not None and row not in targets:
                row.key = None  # a group heading (2021 （六）) keeps no numbers of its own
        return labels

    def _width(self, row: Row, scan: Scan) -> int:
        if self.table == "table3":
            return len(APPLICANTS)
        if self.table == "table4":
            return len(TABLE4_KEYS)
        columns = TABLE2_COLUMNS.get(scan.era, {}) if scan.era is not None else {}
        return len(columns.get(row.key or "", ()))


# --- glued cells ----------------------------------------------------------------------------------

def splits(digits: str, count: int, groups: int = 1, limit: int = 2) -> list[list[int]]:
    """Ways (at most `limit`) to cut `digits` into `count` whole numbers without leading zeros such that in
    each of `groups` equal groups the others add up to the last (K2 for a table-3 row, K4 for table 4)."""
    size = count // groups
    found: list[list[int]] = []
    parts: list[int] = []

    def walk(pos: int) -> None:
        if len(found) >= limit:
            return
        done = len(parts)
        if done and done % size == 0 and sum(parts[done - size:done - 1]) != parts[done - 1]:
            return  # a group closed whose sum fails
        if done == count:
            if pos == len(digits):
                found.append(list(parts))
            return
        left = count - done
        if len(digits) - pos < left:
            return
        for end in range(pos + 1, len(digits) - left + 2):
            piece = digits[pos:end]
            if len(piece) > 1 and piece[0] == "0":
                break
            parts.append(int(piece))
            walk(end)
            parts.pop()

    walk(0)
    return found


class GluedRows(Layout):
    """A table whose cells were glued together: each row a label followed by all its digits."""

    name = "glued cells"

    def __init__(self, table: str) -> None:
        self.table = table

    def _glued(self, scan: Scan) -> list[tuple[TextCell, re.Match[str] | None]]:
        """Each non-pipe line of the span as one cell, with its label/digits cut when it ends in digits."""
        out = []
        for line in _lines(scan.text_cells(self.table)):
            if any(c.in_row for c in line):
                return []  # pipes or tabs: not glued text
            start, end = line[0].start, line[-1].end
            text = scan.doc.text[start:end]
            out.append((TextCell(text, start, end, line[0].line, False), _GLUED.match(text.strip())))
        return out

    def test(self, scan: Scan) -> bool:
        if scan.span(self.table) is None or (self.table == "table2" and scan.era is None):
            return False
        glued = self._glued(scan)
        if self.table == "table4":
            return any(re.fullmatch(r"\d{15,}", str(cell.content).strip()) for cell, _ in glued)
        return sum(m is not None and len(m.group("digits")) >= 2 for _, m in glued) >= _MIN_GLUED_LINES

    def run(self, scan: Scan) -> list[Row]:
        if self.table == "table4":
            return self._table4(scan)
        source = scan.doc.text
        rows: list[Row] = []
        runs: dict[int, tuple[str, int]] = {}  # id(row) -> its digit run and where it starts
        for cell, match in self._glued(scan):
            text = str(cell.content)
            start = cell.start + len(text) - len(text.lstrip())
            if match is None:
                rows.append(Row(text.strip(), start, start + len(text.strip()), source))
                continue
            row = Row(match.group("label"), start, start + match.end("label"), source, slots=[None])
            runs[id(row)] = (match.group("digits"), start + match.start("digits"))
            rows.append(row)
        rows = key_rows(self.table, rows, scan.era)
        chosen = _table3_cuts({row.key: runs[id(row)][0] for row in rows if row.key and id(row) in runs}) \
            if self.table == "table3" else {}
        for row in rows:
            row.slots = []
            digits, at = runs.get(id(row), ("", -1))
            if row.key is None or not digits:
                continue
            cuts = chosen.get(row.key) if self.table == "table3" else self._cut(row, digits, scan)
            if cuts is None:
                row.note = f"“{row.label}”后的数字“{digits}”连在一起，按表内加总无法唯一拆分，未予采用。"
                continue
            row.slots = _values(cuts, at)
            row.positional = True
        return rows

    def _cut(self, row: Row, digits: str, scan: Scan) -> list[str] | None:
        """A table-2 row's digit run cut into its cells, or None when the cut is not unique."""
        if not digits or not re.fullmatch(r"\d[\d.]*", digits):
            return None
        columns = TABLE2_COLUMNS.get(scan.era, {}).get(row.key or "", ()) if scan.era is not None else ()
        if len(columns) == 1:
            return [digits]
        if digits.isdigit() and len(digits) == len(columns):
            return list(digits)
        return None

    def _table4(self, scan: Scan) -> list[Row]:
        source = scan.doc.text
        heading = scan.starts["table4"]
        for cell, _ in self._glued(scan):
            digits = str(cell.content).strip()
            if not re.fullmatch(r"\d{15,}", digits):
                continue
            found = splits(digits, len(TABLE4_KEYS), groups=3)
            at = cell.start + str(cell.content).index(digits)
            row = Row("行政复议、行政诉讼", heading.start() if heading else at, at, source, key="table4")
            if len(found) != 1:
                row.note = f"表四的数字“{digits}”连在一起，按表内加总无法唯一拆分，未予采用。"
                return [row]
            row.slots = _values([str(n) for n in found[0]], at)
            row.positional = True
            return [row]
        return []


_MAX_CANDIDATES = 24  # a row with more ways to split than this is left out rather than searched further
_MAX_COMBINATIONS = 5000  # open rows of one equation tried together at most this many ways


def _table3_cuts(runs: dict[str, str]) -> dict[str, list[str]]:
    """Table 3's rows cut where the sums make the cut unique: first each row by its own K2, then the rows that
    K2 leaves open by K1 or K3 (every column): where exactly one combination of their cuts balances an equation
    whose other rows are cut, until nothing changes."""
    candidates = {key: splits(digits, len(APPLICANTS), limit=_MAX_CANDIDATES + 1) if digits.isdigit() else []
                  for key, digits in runs.items()}
    fixed = {key: found[0] for key, found in candidates.items() if len(found) == 1}
    subs = [k for k in catalog.TABLE3_OTHER_SUB_ROWS if k in runs]
    leaves = [*catalog.TABLE3_OUTCOME_LEAVES, *(subs or ["other_handling"])]
    ends = catalog.TABLE3_END_ROWS
    equations = [(list(ends[:2]), list(ends[2:])), (leaves, ["processed_total"])]  # K1, K3: each column
    changed = True
    while changed:
        changed = False
        for left, right in equations:
            open_rows = [k for k in left + right if k not in fixed]
            if not open_rows or any(k not in candidates for k in open_rows):
                continue
            choices = [candidates[k] for k in open_rows]
            if any(not 1 < len(c) <= _MAX_CANDIDATES for c in choices) or prod(len(c) for c in choices) > _MAX_COMBINATIONS:
                continue
            balanced = []
            for combination in product(*choices):
                rows = {**fixed, **dict(zip(open_rows, combination, strict=True))}
                if all(sum(rows[k][c] for k in left) == sum(rows[k][c] for k in right) for c in range(len(APPLICANTS))):
                    balanced.append(combination)
            if len(balanced) == 1:
                fixed |= dict(zip(open_rows, balanced[0], strict=True))
                changed = True
    return {key: [str(n) for n in cut] for key, cut in fixed.items()}


def _values(cuts: list[str], start: int) -> list[Slot]:
    """Values for cut pieces of a digit run starting at offset `start` (each piece's own offsets)."""
    slots: list[Slot] = []
    pos = 0
    for piece in cuts:
        slots.append(Value(Decimal(piece), None, False, start + pos, start + pos + len(piece)))
        pos += len(piece)
    return slots
