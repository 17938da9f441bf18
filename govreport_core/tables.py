"""The 2019 and 2021 tables: Document -> figures of 表二, 表三 (with applicant breakdown) and 表四.

Every layout is first turned into the same thing by `rows`: a list of `Row`s (a label and its value
cells, with known positions for grids and complete pipe/tab rows, in order only for flattened text).
Then one placement step per table puts values on the fixed skeleton of FORMATS.md §2, using the
table's own arithmetic (K1–K4) to fill blanks that the sums prove, and refusing to place a value
whose column cannot be known (a `placement` finding instead: a wrong figure is worse than none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from . import catalog
from .catalog import APPLICANT_LABELS, APPLICANTS, TABLE2_COLUMNS, Era
from .model import Document, Evidence, Figure, Finding, Grid
from .normalise import squash, to_wan
from .rows import (
    NA,
    NA_TOKENS,
    Row,
    Slot,
    TextCell,
    Value,
    grid_rows,
    is_label,
    rows_from_cells,
    strip_numbering,
    text_cells,
    token_slot,
)


@dataclass
class TableResult:
    figures: list[Figure] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


# --- table 3 --------------------------------------------------------------------------------------

def match_table3(label: str, previous: str | None) -> str | None:
    """The table-3 row key a label names, given the key of the row before it."""
    bare = strip_numbering(label)
    if not bare or not is_label(label):
        return None
    if bare == catalog.TABLE3_OTHER_MISC_LABEL:
        return "other_misc" if previous in ("other_no_fee", "other_no_correction") else None
    for key, fragments in catalog.TABLE3_ROWS:
        if key == "processed_total":
            if bare.startswith(("总计", "合计")) or "(七)总计" in squash(label) or "(七)合计" in squash(label):
                return key
            continue
        if any(f in bare for f in fragments):
            return key
    return None


def table3_rows(rows: list[Row]) -> dict[str, Row]:
    """Keyed rows of table 3, read in skeleton order from the first 本年新收 row."""
    keyed: dict[str, Row] = {}
    previous: str | None = None
    joined_next = False
    for i, row in enumerate(rows):
        if joined_next:
            joined_next = False
            continue  # the second line of a wrapped label: its values went to the row it completes
        if _wraps(rows, i):
            # "一、本年新收政府信息" / "公开申请数量" / 20 / 3 …: a label wrapped over two lines, one cell per line
            tail = rows[i + 1]
            joined = Row(row.label + tail.label, row.start, tail.end, row.source, slots=list(tail.slots))
            if match_table3(joined.label, previous) is not None:
                row, joined_next = joined, True
        key = match_table3(row.label, previous)
        if key == "processed_total" and squash(row.label) in ("总计", "合计") and not any(
                isinstance(slot, Value) for slot in row.slots):
            continue  # the 总计 column's header, repeated where a page break split the table: not row (七)
        if key == "applications_new" and "applications_new" in keyed:
            break  # a second table 3 (or a prose repetition): keep the first
        if key is None or (previous is None and key != "applications_new") or key in keyed:
            continue
        if key == "other_handling" and not row.slots:
            previous = key  # flattened 2021 （六） header line: its values are in the sub-rows
            continue
        keyed[key] = row
        previous = key
    return keyed


def _wraps(rows: list[Row], i: int) -> bool:
    """Row i+1 may be the second line of row i's label: row i has no values, row i+1 has values, no numbering
    of its own and names no row by itself (text cells one per line; grids and pipe rows never wrap so)."""
    if i + 1 >= len(rows):
        return False
    head, tail = rows[i], rows[i + 1]
    if head.slots or not tail.slots or tail.positional or head.one_line or tail.one_line:
        return False
    return strip_numbering(tail.label) == squash(tail.label) and match_table3(tail.label, None) is None


def _place_table3(keyed: dict[str, Row], findings: list[Finding]) -> dict[str, list[Slot]]:
    """Slots c1..c7 per row key; rows whose columns cannot be known keep what is certain."""
    placed: dict[str, list[Slot]] = {}
    singles: list[str] = []
    width = len(APPLICANTS)
    for key, row in keyed.items():
        slots = row.slots
        if row.positional and len(slots) == width:
            placed[key] = list(slots)
            continue
        values = [s for s in slots if isinstance(s, Value)]
        n = len(values)
        if n == width:
            placed[key] = list(values)
        elif n == 0:
            continue
        elif n == 1:
            placed[key] = [None] * (width - 1) + [values[0]]  # the only printed cell: 总计 either way
        elif sum(v.number for v in values[:-1]) == values[-1].number:
            placed[key] = [None] * (width - 1) + [values[-1]]
            if n == 2:
                singles.append(key)
            else:
                findings.append(Finding("placement", "warn",
                                        f"表三“{row.label}”：{n - 1}个申请人数值的列无法确定，只保留总计。",
                                        (key,)))
        else:
            findings.append(Finding("placement", "warn",
                                    f"表三“{row.label}”的{n}个数值无法对应到列，未予采用。", (key,)))
    if singles:
        # Flattened text drops blank cells: a row with one applicant value equal to its total has
        # one non-empty applicant column. The first column (自然人) is the convention we assume, once
        # for the whole table, and say so.
        for key in singles:
            values = [s for s in keyed[key].slots if isinstance(s, Value)]
            placed[key][0] = values[0]
        findings.append(Finding("assumed", "info",
                                "表三为逐格展开的文本且空格已省略：每行唯一的申请人数值按惯例计入“自然人”列。",
                                tuple(singles)))
    return placed


def _leaf_keys(placed: dict[str, list[Slot]], era: Era | None) -> list[str]:
    leaves = [k for k, _ in catalog.TABLE3_ROWS if k not in ("applications_new", "applications_carried_over",
                                                             "processed_total", "carried_to_next_year",
                                                             "other_handling", "other_no_correction",
                                                             "other_no_fee")]
    sub_rows = ("other_no_correction", "other_no_fee", "other_misc")
    if any(k in placed for k in sub_rows):
        return [k for k in leaves if k != "other_misc"] + list(sub_rows)
    return [k for k in leaves if k != "other_misc"] + ["other_handling"]


def resolve(equations: list[tuple[list[tuple[str, int]], list[tuple[str, int]]]],
            cells: dict[tuple[str, int], Slot]) -> set[tuple[str, int]]:
    """Fill unknown (blank or missing) cells that the sums prove; returns the cells it filled.

    Each equation says sum(left) = sum(right) over non-negative integers. One unknown: it is the
    difference. Unknowns all on one side whose known parts already balance: they are all 0.
    """
    filled: set[tuple[str, int]] = set()

    def known(ref: tuple[str, int]) -> Decimal | None:
        slot = cells.get(ref)
        if isinstance(slot, Value):
            return slot.number
        return Decimal(0) if slot == NA else None

    changed = True
    while changed:
        changed = False
        for left, right in equations:
            # Each cell's value looked up once per pass (the profile's hot spot on tables with blanks).
            left_values, right_values = [known(r) for r in left], [known(r) for r in right]
            unknown_left = [r for r, v in zip(left, left_values, strict=True) if v is None]
            unknown_right = [r for r, v in zip(right, right_values, strict=True) if v is None]
            sum_left = sum((v for v in left_values if v is not None), Decimal(0))
            sum_right = sum((v for v in right_values if v is not None), Decimal(0))
            unknowns = unknown_left + unknown_right
            if not unknowns:
                continue
            if len(unknowns) == 1:
                diff = sum_right - sum_left if unknown_left else sum_left - sum_right
                if diff >= 0:
                    cells[unknowns[0]] = Value(diff, None, False, -1, -1)
                    filled.add(unknowns[0])
                    changed = True
            elif (not unknown_left and sum_left == sum_right) or (not unknown_right and sum_left == sum_right):
                for ref in unknowns:
                    cells[ref] = Value(Decimal(0), None, False, -1, -1)
                    filled.add(ref)
                changed = True
    return filled


def table3_equations(keys: list[str], leaves: list[str]) -> list:
    eqs = []
    width = len(APPLICANTS)
    for key in keys:  # K2: the six applicant columns add up to 总计
        eqs.append(([(key, c) for c in range(width - 1)], [(key, width - 1)]))
    ends = ("applications_new", "applications_carried_over", "processed_total", "carried_to_next_year")
    for c in range(width):
        if all(k in keys for k in ends):  # K1
            eqs.append(([("applications_new", c), ("applications_carried_over", c)],
                        [("processed_total", c), ("carried_to_next_year", c)]))
        if "processed_total" in keys and all(k in keys for k in leaves):  # K3
            eqs.append(([(k, c) for k in leaves], [("processed_total", c)]))
    return eqs


def read_table3(rows: list[Row], era: Era | None) -> TableResult:
    result = TableResult()
    keyed = table3_rows(rows)
    if not keyed:
        return result
    placed = _place_table3(keyed, result.findings)
    cells: dict[tuple[str, int], Slot] = {}
    for key, slots in placed.items():
        for c, slot in enumerate(slots):
            cells[(key, c)] = slot
    leaves = _leaf_keys(placed, era)
    printed = {ref for ref, slot in cells.items() if isinstance(slot, Value)}
    filled = resolve(table3_equations(list(placed), leaves), cells)
    sub_rows = [k for k in ("other_no_correction", "other_no_fee", "other_misc") if k in placed]
    for key in placed:
        row = keyed[key]
        for c, applicant in enumerate(APPLICANTS):
            slot = cells.get((key, c))
            if not isinstance(slot, Value):
                continue
            derived = (key, c) in filled and (key, c) not in printed
            evidence = _evidence(row, slot, APPLICANT_LABELS[applicant]) if not derived else _row_evidence(row)
            result.figures.append(Figure(key, _count(slot.number), evidence, applicant=applicant))
            if applicant == "total":
                result.figures.append(Figure(key, _count(slot.number), evidence, derived=derived))
    if sub_rows and "other_handling" not in placed and len(sub_rows) == 3:
        totals = [cells.get((k, len(APPLICANTS) - 1)) for k in sub_rows]
        if all(isinstance(t, Value) for t in totals):  # METRICS: 2021 other_handling = its three sub-rows
            value = sum(t.number for t in totals)  # type: ignore[union-attr]
            result.figures.append(Figure("other_handling", _count(value), _row_evidence(keyed[sub_rows[0]]),
                                         derived=True))
    return result


# --- table 2 --------------------------------------------------------------------------------------

_COLUMN_LABELS = {"new": "本年新制作/制发", "published": "本年新公开数量", "total": "对外公开总数量",
                  "repealed": "本年废止件数", "in_force": "现行有效件数", "prev_year": "上一年项目数量",
                  "prev_year_items": "上一年项目数量", "change": "本年增/减", "decisions": "处理决定数量",
                  "items": "采购项目数量", "amount_wan": "金额"}


def match_table2(label: str) -> str | None:
    bare = strip_numbering(label)
    if not bare or len(bare) > 20:
        return None
    for block, fragments in catalog.TABLE2_ROWS:
        if block == "regulations":
            if bare == "规章":
                return block
            continue
        if any(bare == f or (bare.endswith(f) and len(bare) <= len(f) + 2) for f in fragments):
            return block
    return None


def read_table2(rows: list[Row], era: Era) -> TableResult:
    result = TableResult()
    columns = TABLE2_COLUMNS[era]
    assumed: list[str] = []
    seen: set[str] = set()
    for row in rows:
        block = match_table2(row.label)
        if block is None or block in seen or block not in columns:
            continue
        seen.add(block)
        cols = columns[block]
        slots = _trim(row.slots, len(cols))
        placement = _place_table2(slots, cols, row.positional)
        if placement is None:
            if any(isinstance(s, Value) for s in slots):
                result.findings.append(Finding("placement", "warn",
                                               f"表二“{row.label}”的数值无法对应到列，未予采用。",
                                               tuple(catalog.table2_key(block, c) for c in cols)))
            continue
        if placement[1]:
            assumed.append(row.label)
        for col, slot in zip(cols, placement[0], strict=False):
            if not isinstance(slot, Value):
                continue
            key = catalog.table2_key(block, col)
            value = _table2_value(key, slot)
            if value is None:
                result.findings.append(Finding("K10", "error", f"表二“{row.label}”{_COLUMN_LABELS[col]}不是有效数值。",
                                               (key,)))
                continue
            result.figures.append(Figure(key, value, _evidence(row, slot, _COLUMN_LABELS[col])))
    if assumed:
        result.findings.append(Finding("assumed", "info", "表二以下各行有空格被省略，按“本年增/减”列为空放置："
                                       + "、".join(assumed) + "。"))
    return result


def _trim(slots: list[Slot], width: int) -> list[Slot]:
    slots = list(slots)
    while len(slots) > width and slots[-1] is None:
        slots.pop()
    return slots


def _place_table2(slots: list[Slot], cols: tuple[str, ...], positional: bool) -> tuple[list[Slot], bool] | None:
    """Slots in column order, and whether an assumption placed them; None when it cannot be known."""
    if len(slots) == len(cols):
        return slots, False
    values = [s for s in slots if isinstance(s, Value)]
    if len(values) == len(cols):
        return values, False
    if not values or len(values) > len(cols):
        return None
    if "change" in cols:
        # Blank cells dropped from flattened text: a signed value (增/减/+/-) is the change; with
        # one value missing and none signed, the blank one is 本年增/减 (no change), FORMATS §2.1.
        signed = [i for i, v in enumerate(values) if v.signed]
        change_at = cols.index("change")
        if len(signed) == 1 and len(values) == len(cols) - 1:
            i = signed[0]
            before, after = values[:i], values[i + 1:]
            if len(before) == change_at:
                return before + [values[i]] + after + [None] * (len(cols) - change_at - 1 - len(after)), True
            if len(after) == len(cols) - change_at - 1:
                return [None] * (change_at - len(before)) + before + [values[i]] + after, True
            return None
        if not signed and len(values) == len(cols) - 1:
            return [*values[:change_at], None, *values[change_at:]], True
        return None
    if cols == ("items", "amount_wan") and len(values) == 1:
        value = values[0]
        is_money = value.unit in ("元", "万元", "万") or value.number != value.number.to_integral_value()
        # One value of two: the amount shows itself by its unit or decimals; a bare count could be either.
        return ([None, value], True) if is_money else None
    return None


def _table2_value(key: str, slot: Value) -> int | Decimal | None:
    metric = catalog.METRICS[key]
    if metric.kind == catalog.Kind.MONEY:
        # FORMATS §2.1: 采购总金额 has no unit in the header and is often written in 元 ("251000元").
        default = "元" if key == "procurement_amount_wan" else "万元"
        unit = "万元" if slot.unit == "万" else slot.unit
        return to_wan(slot.number, unit, default)
    if slot.number != slot.number.to_integral_value():
        return None
    return int(slot.number)


# --- table 4 --------------------------------------------------------------------------------------

_T4_COLUMNS = ["行政复议·" + leaf for leaf in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")] + \
    ["直接起诉·" + leaf for leaf in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")] + \
    ["复议后起诉·" + leaf for leaf in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")]


def read_table4(slots: list[Slot], row: Row, positional: bool) -> TableResult:
    result = TableResult()
    keys = catalog.TABLE4_KEYS
    if not positional:
        values = [s for s in slots if isinstance(s, Value)]
        if len(values) != len(keys):
            if values:
                result.findings.append(Finding("placement", "warn",
                                               f"表四只读到{len(values)}个数值（应为15个），无法对应到列，未予采用。",
                                               tuple(keys)))
            return result
        slots = list(values)
    slots = slots[-len(keys):]
    cells: dict[tuple[str, int], Slot] = {(k, 0): s for k, s in zip(keys, slots, strict=False)}
    printed = {ref for ref, s in cells.items() if isinstance(s, Value)}
    equations = [([(keys[g + i], 0) for i in range(4)], [(keys[g + 4], 0)]) for g in (0, 5, 10)]
    filled = resolve(equations, cells) if positional else set()
    for i, key in enumerate(keys):
        slot = cells[(key, 0)]
        if isinstance(slot, Value):
            derived = (key, 0) in filled and (key, 0) not in printed
            evidence = _row_evidence(row) if derived else _evidence(row, slot, _T4_COLUMNS[i])
            result.figures.append(Figure(key, _count(slot.number), evidence, derived=derived))
    return result


# --- finding the tables ---------------------------------------------------------------------------

_T3_START = re.compile(r"勾稽关系|申请人情况|本年新收政府信息公开申请")
_T2_START = re.compile(r"第二十条\s*第?\s*\(一\)\s*项|信息内容")
# Table 4 starts at a line (or cell) 行政复议, or at its header line "行政复议  行政诉讼" as PDF text gives it;
# the characters may be spaced out or set one per line (a vertical label).
_T4_START = re.compile(r"^[ \t\u3000]*\|?\s*行\s*政\s*复\s*议[ \t\u3000]*(?:\||\t|\n|$|行\s*政\s*诉\s*讼)", re.M)
_SECTION_5 = re.compile(r"^\s*五\s*[、.,]", re.M)


_T3_MARKS = ("予以公开", "不予公开", "无法提供", "不予处理", "其他处理", "结转下年度")


def classify_grid(grid: Grid) -> str | None:
    text = squash(" ".join(c.text for row in grid.rows for c in row))
    # The second half of a table 3 split in two (a page break) has no 本年新收 row but its outcome rows.
    if "本年新收" in text or sum(label in text for label in _T3_MARKS) >= 2:
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
    """2019 or 2021 from header tokens (FORMATS §7); None when neither layout's tokens appear."""
    text = squash(doc.text)
    hits = {era: sum(text.count(t) for t in tokens) for era, tokens in catalog.ERA_TOKENS.items()}
    if not any(hits.values()):
        return None
    return Era.F2021 if hits[Era.F2021] > hits[Era.F2019] else Era.F2019


def read_tables(doc: Document, era: Era | None) -> TableResult:
    """All figures of tables 2–4 found in the document, with placement findings."""
    result = TableResult()
    kinds: dict[int, str | None] = {}
    previous: str | None = None
    for grid in doc.grids:
        kind = classify_grid(grid)
        if kind is None and previous and _only_numbers(grid):
            kind = previous  # a page break left a table's last rows (table 4's data row) in a grid of their own
        kinds[id(grid)] = previous = kind
    grids = {kind: [g for g in doc.grids if kinds[id(g)] == kind] for kind in ("table2", "table3", "table4")}
    t3_text = _T3_START.search(doc.text)
    t2_text = _T2_START.search(doc.text)
    t4_text = None
    if t3_text:
        t4_text = _T4_START.search(doc.text, t3_text.end())
    # Table 2
    if era is not None:
        rows = [r for g in grids["table2"] for r in grid_rows(g, doc.text)]
        if not rows:  # tables 2 and 3 drawn as one table: table 2 is the rows above table 3's header
            rows = [r for g in grids["table3"] for r in _rows_above_table3(g, doc.text)]
        if not rows and t2_text:
            end = t3_text.start() if t3_text and t3_text.start() > t2_text.start() else len(doc.text)
            rows = rows_from_cells(text_cells(doc, t2_text.start(), end), doc.text)
        _merge(result, read_table2(rows, era))
    # Table 3
    rows = [r for g in grids["table3"] for r in _in_applicant_order(g, grid_rows(g, doc.text, value_columns=len(APPLICANTS)))]
    if not rows and t3_text:
        end = t4_text.start() if t4_text else len(doc.text)
        cells = text_cells(doc, t3_text.start(), end)
        rows = _positional_text_rows(rows_from_cells(cells, doc.text), len(APPLICANTS))
    _merge(result, read_table3(rows, era))
    # Table 4
    if not grids["table4"]:  # all three tables drawn as one: table 4 is the rows below its 行政复议 header
        grids["table4"] = [part for g in grids["table3"] if (part := _grid_below_table4_header(g))]
    if grids["table4"]:
        # the last number row of each table-4 grid (a page break or a two-table layout gives several)
        per_grid = [rows[-1] for grid in grids["table4"]
                    if (rows := [r for r in grid_rows(grid, doc.text) if any(isinstance(s, Value) for s in r.slots)])]
        if [len(r.slots) for r in per_grid] == [5, 10]:
            # 行政复议 (5 columns) and 行政诉讼 (10) drawn as two tables: their number rows joined, in order
            row = per_grid[0]
            _merge(result, read_table4([s for r in per_grid for s in r.slots], row, positional=True))
        elif per_grid:
            row = per_grid[-1]
            _merge(result, read_table4(row.slots, row, positional=len(row.slots) >= 15))
    elif t4_text:
        section_end = _SECTION_5.search(doc.text, t4_text.end())
        end = section_end.start() if section_end else len(doc.text)
        cells = text_cells(doc, t4_text.start(), end)
        slots: list[Slot] = []
        first: TextCell | None = None
        for cell in cells:
            if isinstance(cell.content, str) and cell.content != NA:
                if slots and not cell.in_row:
                    break  # the first label after the numbers ends the table
                continue
            first = first or cell
            slots.append(cell.content)
        if first is not None:
            row = Row("行政复议、行政诉讼", t4_text.start(), t4_text.end(), doc.text)
            pipe = all(c.in_row for c in cells if not isinstance(c.content, str) or c.content == NA)
            _merge(result, read_table4(slots, row, positional=pipe and len(slots) == 15))
    return result


# Header text of an applicant column -> its key; 法人或其他组织 (the group over five columns) is taken out first.
_APPLICANT_HEADERS = (("总计", "total"), ("合计", "total"), ("自然人", "natural_person"), ("商业企业", "commercial"),
                      ("科研机构", "research"), ("社会公益", "social_org"), ("法律服务", "legal_service"),
                      ("其他", "other_org"))


def applicant_columns(grid: Grid) -> list[str | None]:
    """The applicant each of the grid's last seven columns holds, read from its header rows (None: not named)."""
    width = grid.width
    texts = [""] * len(APPLICANTS)
    for cells in grid.rows:
        tail = cells[width - len(APPLICANTS):] if len(cells) == width else []
        if any(not isinstance(token_slot(c.text, c.start), str) for c in tail):
            break  # the first data row ends the header
        for i, cell in enumerate(tail):
            texts[i] += squash(cell.text)
    keys: list[str | None] = []
    for text in texts:
        text = text.replace("法人或其他组织", "").replace("申请人情况", "")
        keys.append(next((key for fragment, key in _APPLICANT_HEADERS if fragment in text), None))
    return keys


def _in_applicant_order(grid: Grid, rows: list[Row]) -> list[Row]:
    """Table 3 rows with their seven values in FORMATS §2.2's column order, whatever order the header gives.

    A header naming the seven applicants in another order (总计 first, 法人 columns first) is followed; a header
    that names some columns but not all seven leaves the rows without positions, so only arithmetic places them."""
    keys = applicant_columns(grid)
    if keys == list(APPLICANTS) or not any(keys):
        return rows
    if sorted(k for k in keys if k) == sorted(APPLICANTS):
        order = [keys.index(a) for a in APPLICANTS]
        for row in rows:
            if len(row.slots) == len(APPLICANTS):
                row.slots = [row.slots[i] for i in order]
        return rows
    for row in rows:
        row.positional = False
    return rows


def _grid_below_table4_header(grid: Grid) -> Grid | None:
    """The part of a grid from table 4's 行政复议 | 行政诉讼 header down, when table 4 shares table 3's grid."""
    for i, cells in enumerate(grid.rows):
        texts = {squash(cell.text) for cell in cells}
        if "行政复议" in texts and "行政诉讼" in texts:
            return Grid(grid.rows[i:], grid.rows[i][0].start, grid.end)
    return None


def _rows_above_table3(grid: Grid, source: str) -> list[Row]:
    """The rows of a grid before table 3's 勾稽关系/申请人情况 header, when they hold table 2's 第二十条 blocks."""
    rows = grid_rows(grid, source)
    head = next((i for i, row in enumerate(rows) if _T3_START.search(row.label)), None)
    if not head or not any("第二十条" in squash(row.label) or "信息内容" in row.label for row in rows[:head]):
        return []
    return rows[:head]


def _positional_text_rows(rows: list[Row], width: int) -> list[Row]:
    """Pipe/tab rows whose value cells (blanks included) number exactly `width` have known columns."""
    for row in rows:
        row.positional = row.one_line and len(row.slots) == width
    return rows


def _merge(into: TableResult, part: TableResult) -> None:
    into.figures.extend(part.figures)
    into.findings.extend(part.findings)


# --- evidence -------------------------------------------------------------------------------------

def _evidence(row: Row, value: Value, column: str) -> Evidence:
    """The row from its label to the value (or the value alone when they lie far apart)."""
    start, end = (row.start, value.end) if 0 <= value.end - row.start <= 240 else (value.start, value.end)
    return Evidence(row.source[start:end], start, end, row=row.label, column=column)


def _row_evidence(row: Row) -> Evidence:
    return Evidence(row.source[row.start:row.end], row.start, row.end, row=row.label)


def _count(value: Decimal) -> int | Decimal:
    return int(value) if value == value.to_integral_value() else value
