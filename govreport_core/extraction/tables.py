"""The 2019 and 2021 tables: Document -> figures of 表二, 表三 (with applicant breakdown) and 表四.

`layouts.find_tables` recognises how each table is drawn and hands on its rows, keyed by the skeleton row
they name (a label and its value cells: known positions for grids and complete pipe/tab rows, order only
for flattened text). Here one placement step per table puts the values on the fixed skeleton of
FORMATS.md §2, using the table's own arithmetic (K1–K4, `resolve`) to fill blanks that the sums prove, and
refusing to place a value whose column cannot be known (a `placement` finding instead: a wrong figure is
worse than none). Each table's `TableTrace` records the layout, the rows and how every value was placed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from govreport_core import catalog
from govreport_core.catalog import APPLICANT_LABELS, APPLICANTS, TABLE2_COLUMN_LABELS, TABLE2_COLUMNS, Era
from govreport_core.model import Document, Evidence, Figure, Finding, Omission, Placement, TableTrace, TracedRow
from govreport_core.settings import SETTINGS

from .layouts import find_tables
from .layouts.cells import NA, Row, Slot, Value
from .normalise import to_wan
from .prose import read_summary

Cell = tuple[str, int]  # (row key, column index) of a table's skeleton


@dataclass
class TableResult:
    figures: list[Figure] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    traces: list[TableTrace] = field(default_factory=list)

    def omit(self, trace: TableTrace, finding: Finding) -> None:
        """A finding about values left out, also said in the table's trace."""
        self.findings.append(finding)
        trace.left_out.append(Omission(finding.keys, finding.message))

    def add(self, trace: TableTrace, figure: Figure, how: str) -> None:
        self.figures.append(figure)
        trace.placements.append(Placement(figure.key, figure.applicant, figure.value, how))


def read_tables(doc: Document, era: Era | None) -> TableResult:
    """All figures of tables 2–4 found in the document, with placement findings and one trace per table."""
    result = TableResult()
    for match in find_tables(doc, era):
        trace = TableTrace(match.table, match.layout, [_traced(row) for row in match.rows])
        result.traces.append(trace)
        keyed = match.keyed
        for key, row in list(keyed.items()):
            if row.note:  # values a recogniser could not place (a glued digit run): said, not guessed
                result.omit(trace, Finding("placement", "warn", row.note, _row_keys(match.table, key, era)))
            if row.proximity and match.table == "table2":  # table 2 has no sums to confirm a stacked row by
                result.omit(trace, Finding("placement", "warn", f"表二“{row.label}”的数值与标签分开印刷，无法由表内加总核实，未予采用。",
                                           _row_keys(match.table, key, era)))
                del keyed[key]
        if match.table == "table2" and era is not None:
            read_table2(keyed, era, result, trace)
        elif match.table == "table3":
            read_table3(keyed, result, trace, lambda: read_summary(doc))
        elif match.table == "table4" and "table4" in keyed:
            read_table4(keyed["table4"], result, trace)
    return result


def _row_keys(table: str, key: str, era: Era | None) -> tuple[str, ...]:
    """The metric keys a keyed row holds (a table-2 block's columns, table 4's 15 cells, a table-3 row)."""
    if table == "table4":
        return tuple(catalog.TABLE4_KEYS)
    if table == "table2":
        columns = TABLE2_COLUMNS.get(era, {}).get(key, ()) if era is not None else ()
        return tuple(catalog.table2_key(key, c) for c in columns)
    return (key,)


# --- table 3 --------------------------------------------------------------------------------------

def _unconfirmed(keyed: dict[str, Row], placed: dict[str, list[Slot]]) -> list[str]:
    """Rows placed by proximity (their numbers printed away from their label) that the table's sums do not
    confirm: each row's own K2 must hold (its blanks filled only by it), and K1 and K3 must be checkable and
    hold over every column."""
    near = [key for key in placed if keyed[key].proximity]
    if not near:
        return []
    cells: dict[Cell, Slot] = {(key, c): slot for key, slots in placed.items() for c, slot in enumerate(slots)}
    width = len(APPLICANTS)
    equations = table3_equations(list(placed), _leaf_keys(placed))
    own = [(left, right) for left, right in equations if len(right) == 1 and right[0][1] == width - 1
           and all(r[0] == right[0][0] for r in left)]
    resolve(own, cells)  # a row's blank cells that its printed 总计 proves (not the sums under test)

    def holds(left: list[Cell], right: list[Cell]) -> bool | None:
        if not all(isinstance(cells.get(r), Value) for r in left + right):
            return None
        return sum(cells[r].number for r in left) == sum(cells[r].number for r in right)  # type: ignore[union-attr]

    verdicts = [holds(*eq) for eq in equations if eq not in own]
    if not verdicts or any(v is not True for v in verdicts):
        return near
    return [key for key in near if any(holds(lhs, rhs) is not True for lhs, rhs in own if rhs[0][0] == key)]



def _place_table3(keyed: dict[str, Row], result: TableResult, trace: TableTrace
                  ) -> tuple[dict[str, list[Slot]], dict[Cell, str], dict[str, list[Decimal]]]:
    """Slots c1..c7 per row key (rows whose columns cannot be known keep what is certain), how each was placed, and
    the applicant values printed in rows that kept only their 总计 (what the sums may later fill must agree)."""
    placed: dict[str, list[Slot]] = {}
    how: dict[Cell, str] = {}
    loose: dict[str, list[Decimal]] = {}
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
        elif n < width and sum(v.number for v in values[:-1]) == values[-1].number:
            # Blank cells dropped: the last value is 总计. More values than columns hold another row's numbers too
            # (a flattened table's rows out of order): its last one is no total of this row.
            placed[key] = [None] * (width - 1) + [values[-1]]
            how[(key, width - 1)] = "arithmetic"  # the last value is the sum of the others: 总计
            if n == 2:
                singles.append(key)
            else:
                loose[key] = [v.number for v in values[:-1]]
                result.omit(trace, Finding("placement", "warn",
                                           f"表三“{row.label}”：{n - 1}个申请人数值的列无法确定，只保留总计。", (key,)))
        else:
            result.omit(trace, Finding("placement", "warn", f"表三“{row.label}”的{n}个数值无法对应到列，未予采用。", (key,)))
    if singles:
        # Flattened text drops blank cells: a row with one applicant value equal to its total has
        # one non-empty applicant column. The first column (自然人) is the convention we assume, once
        # for the whole table, and say so.
        for key in singles:
            values = [s for s in keyed[key].slots if isinstance(s, Value)]
            placed[key][0] = values[0]
            how[(key, 0)] = "convention"
        result.findings.append(Finding("assumed", "info",
                                       "表三为逐格展开的文本且空格已省略：每行唯一的申请人数值按惯例计入“自然人”列。",
                                       tuple(singles)))
    return placed, how, loose


def _leaf_keys(placed: dict[str, list[Slot]]) -> list[str]:
    """Table 3's outcome rows that K3 adds up: the （六） sub-rows where read, else row （六） itself."""
    sub_rows = catalog.TABLE3_OTHER_SUB_ROWS
    if any(k in placed for k in sub_rows):
        return [*catalog.TABLE3_OUTCOME_LEAVES, *sub_rows]
    return [*catalog.TABLE3_OUTCOME_LEAVES, "other_handling"]


def resolve(equations: list[tuple[list[Cell], list[Cell]]], cells: dict[Cell, Slot]) -> set[Cell]:
    """Fill unknown (blank or missing) cells that the sums prove; returns the cells it filled.

    Each equation says sum(left) = sum(right) over non-negative integers. One unknown: it is the
    difference. Unknowns all on one side whose known parts already balance: they are all 0.
    """
    filled: set[Cell] = set()

    def known(ref: Cell) -> Decimal | None:
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


def table3_equations(keys: list[str], leaves: list[str]) -> list[tuple[list[Cell], list[Cell]]]:
    eqs = []
    width = len(APPLICANTS)
    for key in keys:  # K2: the six applicant columns add up to 总计
        eqs.append(([(key, c) for c in range(width - 1)], [(key, width - 1)]))
    ends = catalog.TABLE3_END_ROWS
    for c in range(width):
        if all(k in keys for k in ends):  # K1
            eqs.append(([(ends[0], c), (ends[1], c)], [(ends[2], c), (ends[3], c)]))
        if "processed_total" in keys and all(k in keys for k in leaves):  # K3
            eqs.append(([(k, c) for k in leaves], [("processed_total", c)]))
    return eqs


def read_table3(keyed: dict[str, Row], result: TableResult, trace: TableTrace,
                summary: Callable[[], dict[str, Figure]] = dict) -> None:
    """Table 3's figures; `summary` gives the totals the report's sentences state (read only when a row placed by
    proximity needs them: such a row the sums do not confirm is kept when its sentence states its 总计)."""
    if not keyed:
        return
    placed, how, loose = _place_table3(keyed, result, trace)
    unconfirmed = _unconfirmed(keyed, placed)
    if unconfirmed:
        stated = summary()
        total = len(APPLICANTS) - 1
        confirmed = [k for k in unconfirmed if k in stated and isinstance(placed[k][total], Value)
                     and placed[k][total].number == stated[k].value]  # type: ignore[union-attr]
        if confirmed:
            result.findings.append(Finding("placement", "info", "表三以下各行的数值与标签分开印刷，表内加总未能核实，"
                                           "但与正文所述总数一致，予以采用：" + "、".join(keyed[k].label for k in confirmed) + "。",
                                           tuple(confirmed)))
        unconfirmed = [k for k in unconfirmed if k not in confirmed]
    if unconfirmed:
        for key in unconfirmed:
            del placed[key]
        result.omit(trace, Finding("placement", "warn", "表三以下各行的数值与标签分开印刷，表内加总未能核实其所在行，未予采用："
                                   + "、".join(keyed[k].label for k in unconfirmed) + "。", tuple(unconfirmed)))
    cells, printed, filled = _resolved(placed)
    if _contradicted(cells, filled, loose):
        # What the sums filled contradicts the applicant values a row printed: an assumed column was wrong.
        conventions = [ref for ref, placement in how.items() if placement == "convention"]
        for key, c in conventions:
            placed[key][c] = None
            del how[(key, c)]
        if conventions:
            result.omit(trace, Finding("placement", "warn", "表三按惯例计入“自然人”列的数值与表内加总及所印申请人数值矛盾，"
                                       "未予采用。", tuple(dict.fromkeys(key for key, _ in conventions))))
        cells, printed, filled = _resolved(placed)
        for key in _contradicted(cells, filled, loose):  # still: the filled cells of that row are not known
            for c in range(len(APPLICANTS) - 1):
                if (key, c) in filled:
                    cells[(key, c)] = None
    sub_rows = [k for k in catalog.TABLE3_OTHER_SUB_ROWS if k in placed]
    for key in placed:
        row = keyed[key]
        for c, applicant in enumerate(APPLICANTS):
            slot = cells.get((key, c))
            if not isinstance(slot, Value):
                continue
            derived = (key, c) in filled and (key, c) not in printed
            evidence = _evidence(row, slot, APPLICANT_LABELS[applicant]) if not derived else _row_evidence(row)
            placement = "arithmetic" if derived else how.get((key, c), "position")
            result.add(trace, Figure(key, _count(slot.number), evidence, applicant=applicant), placement)
            if applicant == "total":
                result.add(trace, Figure(key, _count(slot.number), evidence, derived=derived), placement)
        if row.positional and len(row.slots) == len(APPLICANTS):
            _left_blank(trace, key, row, [APPLICANT_LABELS[a] for c, a in enumerate(APPLICANTS) if cells.get((key, c)) is None])
    if sub_rows and "other_handling" not in placed and len(sub_rows) == 3:
        totals = [cells.get((k, len(APPLICANTS) - 1)) for k in sub_rows]
        if all(isinstance(t, Value) for t in totals):  # METRICS: 2021 other_handling = its three sub-rows
            value = sum(t.number for t in totals)  # type: ignore[union-attr]
            result.add(trace, Figure("other_handling", _count(value), _row_evidence(keyed[sub_rows[0]]), derived=True),
                       "arithmetic")


def _resolved(placed: dict[str, list[Slot]]) -> tuple[dict[Cell, Slot], set[Cell], set[Cell]]:
    """Table 3's cells with what its sums prove filled in: (cells, the printed ones, the filled ones)."""
    cells: dict[Cell, Slot] = {(key, c): slot for key, slots in placed.items() for c, slot in enumerate(slots)}
    printed = {ref for ref, slot in cells.items() if isinstance(slot, Value)}
    return cells, printed, resolve(table3_equations(list(placed), _leaf_keys(placed)), cells)


def _contradicted(cells: dict[Cell, Slot], filled: set[Cell], loose: dict[str, list[Decimal]]) -> list[str]:
    """Rows that printed applicant values in unknown columns whose filled applicant cells are not those values."""
    out: list[str] = []
    for key, printed in loose.items():
        row = [cells.get((key, c)) for c in range(len(APPLICANTS) - 1)]
        if not any((key, c) in filled for c in range(len(APPLICANTS) - 1)):
            continue
        known = Counter(v.number for v in row if isinstance(v, Value) and v.number)
        wanted = Counter(n for n in printed if n)
        if known - wanted or (all(isinstance(v, Value) for v in row) and known != wanted):
            out.append(key)
    return out


def _left_blank(trace: TableTrace, key: str, row: Row, columns: list[str]) -> None:
    """Blank cells of a row with known columns that the sums do not prove: no figure (a blank is not a 0)."""
    if columns:
        trace.left_out.append(Omission((key,), f"“{row.label}”的空格（{'、'.join(columns)}）无法由表内加总证明，未予填写。"))


# --- table 2 --------------------------------------------------------------------------------------

def read_table2(keyed: dict[str, Row], era: Era, result: TableResult, trace: TableTrace) -> None:
    columns = TABLE2_COLUMNS[era]
    assumed: list[str] = []
    for block, row in keyed.items():
        cols = columns[block]
        slots = _trim(row.slots, len(cols))
        placement = _place_table2(slots, cols)
        if placement is None:
            if any(isinstance(s, Value) for s in slots):
                result.omit(trace, Finding("placement", "warn", f"表二“{row.label}”的数值无法对应到列，未予采用。",
                                           tuple(catalog.table2_key(block, c) for c in cols)))
            continue
        if placement[1]:
            assumed.append(row.label)
        for col, slot in zip(cols, placement[0], strict=False):
            if not isinstance(slot, Value):
                continue
            key = catalog.table2_key(block, col)
            printed = TABLE2_COLUMN_LABELS[col][0]
            value = _table2_value(key, slot)
            if value is None:
                result.omit(trace, Finding("K10", "error", f"表二“{row.label}”{printed}不是有效数值。", (key,)))
                continue
            result.add(trace, Figure(key, value, _evidence(row, slot, printed)), "convention" if placement[1] else "position")
    if assumed:
        result.findings.append(Finding("assumed", "info", "表二以下各行有空格被省略，按“本年增/减”列为空放置："
                                       + "、".join(assumed) + "。"))


def _trim(slots: list[Slot], width: int) -> list[Slot]:
    slots = list(slots)
    while len(slots) > width and slots[-1] is None:
        slots.pop()
    return slots


def _place_table2(slots: list[Slot], cols: tuple[str, ...]) -> tuple[list[Slot], bool] | None:
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

# The column each of table 4's 15 cells is named by in evidence ("直接起诉·结果维持").
_T4_COLUMNS = [f"{group.column_zh}·{leaf_zh}" for group in catalog.TABLE4_GROUPS for _, leaf_zh, _ in catalog.TABLE4_LEAVES]


def read_table4(row: Row, result: TableResult, trace: TableTrace) -> None:
    keys = catalog.TABLE4_KEYS
    positional = row.positional and len(row.slots) >= len(keys)
    slots = row.slots
    if not positional:
        values = [s for s in slots if isinstance(s, Value)]
        if len(values) != len(keys):
            if values:
                result.omit(trace, Finding("placement", "warn",
                                           f"表四只读到{len(values)}个数值（应为{len(keys)}个），无法对应到列，未予采用。",
                                           tuple(keys)))
            return
        slots = list(values)
    slots = slots[-len(keys):]
    cells: dict[Cell, Slot] = {(k, 0): s for k, s in zip(keys, slots, strict=False)}
    printed = {ref for ref, s in cells.items() if isinstance(s, Value)}
    width = len(catalog.TABLE4_LEAVES)
    equations = [([(keys[g + i], 0) for i in range(width - 1)], [(keys[g + width - 1], 0)])
                 for g in range(0, len(keys), width)]  # K4: each group's outcomes add up to its 总计
    filled = resolve(equations, cells) if positional else set()
    for i, key in enumerate(keys):
        slot = cells[(key, 0)]
        if isinstance(slot, Value):
            derived = (key, 0) in filled and (key, 0) not in printed
            evidence = _row_evidence(row) if derived else _evidence(row, slot, _T4_COLUMNS[i])
            result.add(trace, Figure(key, _count(slot.number), evidence, derived=derived), "arithmetic" if derived else "position")
    if positional:
        _left_blank(trace, "table4", row, [_T4_COLUMNS[i] for i, key in enumerate(keys) if cells[(key, 0)] is None])


# --- evidence and traces --------------------------------------------------------------------------

def _evidence(row: Row, value: Value, column: str) -> Evidence:
    """The row from its label to the value (or the value alone when they lie far apart)."""
    near = 0 <= value.end - row.start <= SETTINGS.evidence_window
    start, end = (row.start, value.end) if near else (value.start, value.end)
    return Evidence(row.source[start:end], start, end, row=row.label, column=column)


def _row_evidence(row: Row) -> Evidence:
    return Evidence(row.source[row.start:row.end], row.start, row.end, row=row.label)


def _traced(row: Row) -> TracedRow:
    def text(slot: Slot) -> str:
        if isinstance(slot, Value):
            return row.source[slot.start:slot.end] if slot.start >= 0 else str(slot.number)
        return "" if slot is None else NA

    return TracedRow(row.key, row.label, tuple(text(s) for s in row.slots))


def _count(value: Decimal) -> int | Decimal:
    return int(value) if value == value.to_integral_value() else value
