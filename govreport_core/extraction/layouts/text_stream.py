"""Tables 2–4 read from any linear text: one reader for every shape text takes (issue 20).

The text outside grids is a stream of label runs and value groups (`stream.py`). Table 3's row labels are
found in order (`anchors.find_table3`) and each row takes the group printed right after its label. When the
groups are whole rows and as many as the skeleton's rows, but labels stand apart from them (a PDF-to-markdown
converter moving labels above or below their numbers), rows take the groups in printed order instead; a row
whose numbers were not right after its own label is marked `proximity` and kept only where the table's sums
confirm it (`tables.py`). A crawler's glued digits are cut where the sums make the cut unique (`glued.py`).
Table 2's rows are the block labels between its caption and table 3; table 4 is the numbers after its header
words. Every value keeps its offsets; `describe` names the shape the text showed for `extract --debug`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from govreport_core import catalog
from govreport_core.catalog import APPLICANT_HEADERS, APPLICANTS, TABLE2_COLUMNS, TABLE4_KEYS, Era

from ..normalise import squash
from .anchors import Anchor, find_table3, table2_block, table2_start, table4_head, table4_header
from .base import Layout, Scan
from .cells import Row, Slot, Value
from .glued import TooLong, cuts, table3_cuts
from .stream import GLUED, LINE, Group, Run, Stream, Token

_COUNT_UNITS = frozenset("件条次项个宗篇份")  # a number with one of these is a sentence's count, not a cell
_T3_HEADER = re.compile(r"勾稽关系|申请人情况")
# A row label's own numbering right before it ("一、", "（七）", "7." — one digit when digits run into it).
_NUMBERING_BEFORE = re.compile(r"(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|(?:(?<=\d)\d|(?<!\d)\d{1,2})[.、．])"
                               r"[ \t\u3000]*$")
_TAIL_CHARS = 6  # label characters a table's last row may have after the label matched (继续办理, a note)
_THOUSANDS = re.compile(r"\d{1,3}(?: \d{3})+")


@dataclass
class Reading:
    """A table as the stream showed it: its rows (keyed), the shape named in the trace, where it ends."""

    rows: list[Row]
    shape: str
    end: int  # the index of the stream's last item the table used
    start: int = 0  # text offset where the table begins
    glued: bool = False  # its digits were glued (a crawler's text)
    drops_blanks: bool = False  # a row printed fewer digits than its cells: the page leaves blank cells out
    tail: int = 0  # label characters of the next run that are still this table's (its last labels)


class TextStream(Layout):
    """A table in text, whatever its shape: read from the stream of label runs and value groups."""

    name = "text stream"

    def __init__(self, table: str) -> None:
        self.table = table

    def test(self, scan: Scan) -> bool:
        return (self.table != "table2" or scan.era is not None) and read(scan, self.table) is not None

    def run(self, scan: Scan) -> list[Row]:
        reading = read(scan, self.table)
        return reading.rows if reading else []

    def describe(self, scan: Scan) -> str:
        reading = read(scan, self.table)
        return f"{self.name}: {reading.shape}" if reading else self.name


def read(scan: Scan, table: str) -> Reading | None:
    """The table's reading, made once per document (table 2 ends where table 3 begins, table 4 starts after)."""
    if table not in scan.readings:
        stream = scan.stream
        if "table3" not in scan.readings:
            scan.readings["table3"] = read_table3(stream)
        t3 = scan.readings["table3"]
        if table == "table2":
            scan.readings[table] = read_table2(stream, scan.era, t3)
        elif table == "table4":
            scan.readings[table] = read_table4(stream, t3)
    return scan.readings[table]


# --- table 3 --------------------------------------------------------------------------------------

def read_table3(stream: Stream) -> Reading | None:
    chain = find_table3(stream)
    if not chain:
        return None
    present = {a.key for a in chain}
    sub_rows = any(k in present for k in catalog.TABLE3_OTHER_SUB_ROWS)
    expected = [k for k, *_ in catalog.TABLE3_PRINTED_ROWS
                if (k != "other_handling" if sub_rows else k not in catalog.TABLE3_OTHER_SUB_ROWS)]
    last = chain[-1]
    end = last.run.index
    tail = 0
    if len(last.run.label) - last.last > _TAIL_CHARS:
        end, tail = end - 1, last.last  # the last labels run on into table 4's header: its numbers are not ours
    else:
        while end + 1 < len(stream.items) and isinstance(stream.items[end + 1], Group):
            end += 1  # the groups printed after the last label (labels stacked above their numbers)
    begin = chain[0].run.index
    while begin >= 2 and isinstance(stream.items[begin - 1], Group):
        begin -= 1  # the numbers of the first rows stacked between the header and their labels
    if begin < chain[0].run.index and not re.search("申请人|自然人|总计", stream.items[begin - 1].label):  # type: ignore[union-attr]
        begin = chain[0].run.index
    groups = [item for item in stream.items[begin:end + 1] if isinstance(item, Group) and _counts(item)]
    near = _near(stream, chain, expected)
    anchors_by = {a.key: a for a in chain}
    width = len(APPLICANTS)
    whole = [g for g in groups if _whole_row(g, width)]
    by_order = len(whole) == len(expected) and any(near.get(k) is not g for k, g in zip(expected, whole, strict=True))
    if by_order:
        assigned = dict(zip(expected, whole, strict=True))
    else:
        assigned = dict(near)
        _fill_between(expected, assigned, groups)
    glued = any(_leading_zero(g) for g in assigned.values()) or _runs_into_labels(stream, list(assigned.values()))
    stacked = _beside_stacked_labels(stream, chain, expected)
    near = {k: g for k, g in near.items() if g.index not in stacked}
    if begin < chain[0].run.index or not _regular(stream, groups):  # numbers apart from their labels: nearness is
        # no evidence (a row's numbers printed above its label would be taken by the row above)…
        near = {k: g for k, g in near.items() if g.pipe and "\n" not in stream.text[anchors_by[k].end:g.start]}
        # …but a label and its numbers in one pipe row are
    order = applicant_order(_header_text(stream, chain))
    rows = _table3_rows(stream, expected, assigned, near, anchors_by, glued, order)
    shape = ("glued cells, cut by the table's sums" if glued else
             "rows in printed order (labels apart from their numbers)" if by_order else _shape(list(assigned.values())))
    drops_blanks = any(g.inline and all(t.digits for t in g.tokens) and len("".join(t.digits or "" for t in g.tokens)) < width
                       for g in assigned.values())
    return Reading(rows, shape, end, chain[0].start, glued, tail=tail, drops_blanks=drops_blanks)


def _near(stream: Stream, chain: list[Anchor], expected: list[str]) -> dict[str, Group]:
    """Each row whose label is the last one before a group of numbers: that group."""
    near: dict[str, Group] = {}
    last_in_run: dict[int, Anchor] = {}
    for anchor in chain:
        last_in_run[anchor.run.index] = anchor
    for anchor in last_in_run.values():
        group = stream.group_after(anchor.run)
        if anchor.key in expected and group is not None and _counts(group):
            near[anchor.key] = group
    return near


def _regular(stream: Stream, groups: list[Group]) -> bool:
    """Whether every group of the table follows label text (no numbers of two rows printed one after another
    without a label between: a converter's stacked rows)."""
    return all(isinstance(stream.items[g.index - 1], Run) for g in groups if g.index)


def _beside_stacked_labels(stream: Stream, chain: list[Anchor], expected: list[str]) -> set[int]:
    """The groups (stream indexes) right before and after two rows' labels standing together with no numbers
    between them: a converter stacked the labels apart from their numbers, so on a page run into one line those
    numbers may be any of the rows' around them (nearness is no evidence there)."""
    rows_in_run: dict[int, int] = {}
    for anchor in chain:
        if anchor.key in expected:
            rows_in_run[anchor.run.index] = rows_in_run.get(anchor.run.index, 0) + 1
    return {index for run, count in rows_in_run.items() if count > 1 for index in (run - 1, run + 1)
            if 0 <= index < len(stream.items) and isinstance(stream.items[index], Group)}


def _fill_between(expected: list[str], assigned: dict[str, Group], groups: list[Group]) -> None:
    """Rows whose label was not found, between two rows that were: the groups between theirs, when there are
    exactly as many (placed by proximity: kept only where the sums confirm them)."""
    placed = [i for i, k in enumerate(expected) if k in assigned]
    for a, b in pairwise(placed):
        missing = expected[a + 1:b]
        if not missing:
            continue
        low, high = assigned[expected[a]].index, assigned[expected[b]].index
        between = [g for g in groups if low < g.index < high]
        if len(between) == len(missing):
            assigned.update(zip(missing, between, strict=True))


def _table3_rows(stream: Stream, expected: list[str], assigned: dict[str, Group], near: dict[str, Group],
                 anchors: dict[str, Anchor], glued: bool, order: list[int] | None) -> list[Row]:
    width = len(APPLICANTS)
    runs = {k: pieces for k, g in assigned.items()
            if (glued or _touching(g)) and (pieces := _glued_pieces(g, width)) is not None}
    cut = table3_cuts(runs) if runs else {}  # the standard column order: the header's cannot be checked first
    rows: list[Row] = []
    for key in expected:
        group = assigned.get(key)
        if group is None:
            continue
        anchor = anchors.get(key)
        row = _row(stream, anchor, group, key)
        row.proximity = near.get(key) is not group
        if key in runs:
            if key in cut:
                row.slots, row.positional = _values_of(group.tokens, cut[key]), True
            else:
                row.note = f"“{row.label}”后的数字“{_printed(group)}”连在一起，按表内加总无法唯一拆分，未予采用。"
        else:
            row.slots, row.positional = _cells(group, width)
        rows.append(row)
    if order and _k2_prefers(order, [r.slots for r in rows if r.positional and len(r.slots) == width]):
        for row in rows:
            if row.positional and len(row.slots) == width:
                standard: list[Slot] = [None] * width
                for printed, column in enumerate(order):
                    standard[column] = row.slots[printed]
                row.slots = standard
    return rows


def _k2_prefers(order: list[int], rows: list[list[Slot]]) -> bool:
    """Whether the rows' own sums (K2) hold with the header's column order and fail with the standard one."""
    def holds(slots: list[Slot], total: int) -> bool | None:
        values = [s.number if isinstance(s, Value) else None for s in slots]
        if any(v is None for v in values):
            return None
        return sum(v for i, v in enumerate(values) if i != total) == values[total]  # type: ignore[misc]

    total = order.index(len(APPLICANTS) - 1)
    theirs = [holds(r, total) for r in rows]
    ours = [holds(r, len(APPLICANTS) - 1) for r in rows]
    return all(v is not False for v in theirs) and any(v is True for v in theirs) and any(v is False for v in ours)


def applicant_order(header: str) -> list[int] | None:
    """The standard column (FORMATS §2.2) each printed applicant column holds, when the header names all seven
    in another order; 法人或其他组织 stands for its five columns where it is printed. None: the standard order."""
    group_at = header.find("法人或其他组织")
    text = header.replace("法人或其他组织", "〇" * 7)
    positions: dict[str, float] = {}
    for fragment, key in APPLICANT_HEADERS:
        at = text.find(fragment)
        if at >= 0 and key not in positions:
            positions[key] = at
    if len(positions) < len(APPLICANTS):
        return None
    if group_at >= 0:
        for key in APPLICANTS[1:-1]:
            positions[key] = group_at + positions[key] / 1e6
    order = [APPLICANTS.index(k) for k in sorted(APPLICANTS, key=positions.__getitem__)]
    return None if order == list(range(len(APPLICANTS))) else order


def _header_text(stream: Stream, chain: list[Anchor]) -> str:
    """Table 3's header words: the label text from 勾稽关系/申请人情况 to its first row label."""
    first = chain[0]
    text = first.run.label[:first.first]
    for item in reversed(stream.items[:first.run.index]):
        if not isinstance(item, Run) or len(text) > 400:
            break
        text = item.label + text
    starts = [m.start() for m in _T3_HEADER.finditer(text)]
    return text[starts[-1]:] if starts else ""


# --- table 2 --------------------------------------------------------------------------------------

def read_table2(stream: Stream, era: Era | None, t3: Reading | None) -> Reading | None:
    if era is None:
        return None
    start = table2_start(stream)
    end = t3.start if t3 else len(stream.text)
    if start is None or start >= end:
        return None
    columns = TABLE2_COLUMNS[era]
    glued = bool(t3 and t3.glued)
    blanks_dropped = bool(t3 and t3.drops_blanks)
    rows: list[Row] = []
    groups: list[Group] = []
    seen: set[str] = set()
    for run in stream.runs:
        if run.end < start or run.start >= end:
            continue
        named = table2_block(run)
        group = stream.group_after(run)
        if named is None or named[0] not in columns or named[0] in seen or group is None or group.start >= end:
            continue
        block = named[0]
        seen.add(block)
        groups.append(group)
        width = len(columns[block])
        row = _row(stream, None, group, block, (run, named[1]))
        tokens = group.tokens
        if group.inline and (glued or _leading_zero(group) or _touching(group)) and not (
                len(tokens) == width and not _touching(group) and not _leading_zero(group)):
            digits = "".join(t.digits or "?" for t in tokens)
            if width == 1 and len(tokens) == 1:
                row.slots, row.positional = [tokens[0].value], True  # one cell: the run is its number
            elif digits.isdigit() and len(digits) == width and (not blanks_dropped or set(digits[:-1]) <= {"0"}):
                # One digit per cell; where the page leaves blank cells out (table 3 shows it), only when no digit
                # but the last could start a longer number ("007"): "137" may be 1, 37 with 本年增/减 blank.
                row.slots, row.positional = _values_of(tokens, [int(d) for d in digits]), True
            else:  # no sum ties table 2's columns: a run of several cells is never cut
                row.note = f"表二“{row.label}”的数字“{_printed(group)}”连在一起，无法确定各列的数值，未予采用。"
        elif width == 1 and (joined := _thousands(group)) is not None:
            row.slots, row.positional = [joined], True
        else:
            row.slots, row.positional = _cells(group, width)
        rows.append(row)
    if not rows:
        return None
    return Reading(rows, "glued cells" if glued else _shape(groups), groups[-1].index, start, glued)


# --- table 4 --------------------------------------------------------------------------------------

def read_table4(stream: Stream, t3: Reading | None) -> Reading | None:
    start = t3.end + 1 if t3 else next((r.index for r in stream.runs if table4_head(r.label)), None)
    if start is None or start >= len(stream.items):
        return None
    width = len(TABLE4_KEYS)
    groups: list[Group] = []
    head: Run | None = None
    for item in stream.items[start:]:
        if isinstance(item, Run):
            label = item.label[t3.tail:] if t3 and item.index == start else item.label
            if groups:
                if not table4_header(label):
                    break
                continue
            if table4_head(label) and table4_header(label):
                head = item
            elif head is not None or item.end - stream.items[start].start > 2000:
                break
            continue
        if head is None or not _counts(item):
            if head is not None:
                break
            continue
        groups.append(item)
        if sum(len(g.tokens) for g in groups) >= width and not any(_leading_zero(g) for g in groups):
            break
    if head is None or not groups:
        return None
    tokens = [t for g in groups for t in g.tokens]
    label = "行政复议、行政诉讼"
    row = Row(label, head.start, head.end, stream.text, key="table4")
    glued = bool(t3 and t3.glued) or any(_leading_zero(g) or _touching(g) for g in groups)
    pieces = [t.digits for t in tokens]
    if glued and all(p is not None for p in pieces) and len(tokens) < width:
        try:
            found = cuts(pieces, width, groups=len(catalog.TABLE4_GROUPS))  # type: ignore[arg-type]
        except TooLong:
            found = []
        if len(found) == 1:
            row.slots, row.positional = _values_of(tokens, found[0]), True
        else:
            row.note = f"表四的数字“{' '.join(p or '' for p in pieces)}”连在一起，按表内加总无法唯一拆分，未予采用。"
        shape = "glued cells, cut by the table's sums"
    else:
        slots = [t.value for t in tokens]
        pipe = all(g.pipe for g in groups)
        if pipe:
            while len(slots) > width and slots[-1] is None:
                slots.pop()
        row.slots = slots if pipe else [s for s in slots if s is not None]
        row.positional = pipe and len(row.slots) == width
        shape = _shape(groups)
    return Reading([row], shape, groups[-1].index, head.start, glued)


# --- rows and cells -------------------------------------------------------------------------------

def _row(stream: Stream, anchor: Anchor | None, group: Group, key: str,
         named: tuple[Run, int] | None = None) -> Row:
    """A keyed row: its label as printed (from its anchor, or where a run names it), its offsets."""
    if anchor is not None:
        start, end = anchor.start, anchor.end
        numbering = _NUMBERING_BEFORE.search(stream.text, max(0, start - 8), start)
        start = numbering.start() if numbering else start  # the row as printed: "一、本年新收…", "7.属于…"
    elif named is not None:
        start, end = named[0].offsets[named[1]], named[0].end
    else:
        start, end = group.start, group.start
    label = squash(stream.text[start:end]).replace("|", "") if end > start else catalog.label(key) if key in catalog.METRICS else key
    return Row(label, start, end, stream.text, key=key)


def _cells(group: Group, width: int) -> tuple[list[Slot], bool]:
    """A group's cells: a pipe row's cells right-aligned to the table's width (blanks kept, known columns);
    otherwise the printed values in order (blank cells were never printed)."""
    slots = group.slots()
    if group.pipe:
        while len(slots) > width and slots[-1] is None:
            slots.pop()  # a trailing empty cell of a wider header
        if len(slots) > width and all(s is None for s in slots[:-width]):
            slots = slots[-width:]  # the padding between a label and its numbers
        return slots, len(slots) == width
    return [s for s in slots if s is not None], False


def _glued_pieces(group: Group, width: int) -> list[str] | None:
    """A group's digit runs when they may be glued cells: all on one line, digits only, fewer than the row's
    cells or with a run no number starts with (a leading 0)."""
    pieces = [t.digits for t in group.tokens]
    if not group.inline or (len(pieces) == width and not _leading_zero(group) and not _touching(group)):
        return None
    return [p or "?" for p in pieces]  # a piece that is no bare digit run ("增9") cuts no way


def _values_of(tokens: list[Token], numbers: list[int]) -> list[Slot]:
    """Values for the numbers a run of glued tokens was cut into, each with its own offsets."""
    slots: list[Slot] = []
    text = "".join(t.digits for t in tokens)
    starts = [t.start + i for t in tokens for i in range(len(t.digits))]
    pos = 0
    for number in numbers:
        length = len(str(number))
        piece = text[pos:pos + length]
        slots.append(Value(Decimal(number), None, False, starts[pos], starts[pos + length - 1] + 1, piece))
        pos += length
    return slots


def _thousands(group: Group) -> Value | None:
    """One number printed with spaces between its thousands ("2 293") where the row has one cell."""
    tokens = group.tokens
    if len(tokens) < 2 or not all(t.digits for t in tokens):
        return None
    text = " ".join(t.digits or "" for t in tokens)
    if not _THOUSANDS.fullmatch(text):
        return None
    digits = text.replace(" ", "")
    return Value(Decimal(digits), None, False, tokens[0].start, tokens[-1].end, digits)


def _counts(group: Group) -> bool:
    """A group of table cells: numbers without a sentence's unit (件, 条 …)."""
    return bool(group.values) and not any(v.unit and v.unit in _COUNT_UNITS for v in group.values)


def _whole_row(group: Group, width: int) -> bool:
    """A group that is a whole row by itself: a pipe row of the table's width (one cell may be blank), or as
    many numbers as the row has cells (one may be missing) however they were separated."""
    cells, _ = _cells(group, width)
    return width - 1 <= len(cells) <= width


def _touching(group: Group) -> bool:
    """Numbers printed with nothing between them ("195增9212"): cells a crawler glued."""
    return any(t.sep == GLUED for t in group.tokens[1:])


def _runs_into_labels(stream: Stream, groups: list[Group]) -> bool:
    """A page run into one line without separators: most rows' numbers touch the labels on both sides
    ("数量1919二、上年结转…"). Blank cells dropped there leave a row's digits one run ("1919": 19 and 19, or 1919), so
    its runs are cut only where the sums decide, like any glued row."""
    def touches(group: Group) -> bool:
        before = stream.text[group.start - 1:group.start]
        after = stream.text[group.end:group.end + 1]
        return group.inline and bool(before.strip()) and bool(after.strip())
    touching = sum(touches(g) for g in groups)
    return touching >= 2 and touching * 2 > len(groups)


def _leading_zero(group: Group) -> bool:
    return any(d is not None and len(d) > 1 and d[0] == "0" for d in (t.digits for t in group.tokens))


def _printed(group: Group) -> str:
    return " ".join(t.value.text if isinstance(t.value, Value) else "" for t in group.tokens)


def _shape(groups: list[Group]) -> str:
    if groups and sum(g.pipe for g in groups) * 2 > len(groups):
        return "pipe or tab rows"
    if groups and sum(g.tokens[0].sep == LINE for g in groups) * 2 > len(groups):
        return "one cell per line"
    return "label and numbers on a line"
