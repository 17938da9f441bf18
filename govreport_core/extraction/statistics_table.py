"""The 2014 统计表 (《政府信息公开情况统计表》, 国办发〔2014〕32号) -> figures of old-format reports.

Receives a Document and hands on figures for the indicator rows of FORMATS.md §3.3, read from grids
or from text flattened one cell per line (seed 001). Rules the real tables need:
- a block heading with no value of its own ("一、主动公开情况") followed by a value: the value is its
  first indicator's, printed before that label ("一、主动公开情况 / 6105 / (一)主动公开政府信息数");
- unit cells ("万元", "人次", "2件") are not labels; notes in brackets continue the label above;
- an indicator name that repeats in two blocks ("(三)其他情形数" under 复议 and 诉讼) is read in its
  block; a 历年累计 (cumulative) column is never the year's figure;
- a 序号 (row number) printed before a row's label is never a value: it is dropped before reading;
- money is in 万元: a row whose unit cell (or label) says 元 is converted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from govreport_core.model import Document, Evidence, Figure, Finding, Grid
from govreport_core.settings import SETTINGS

from .layouts.cells import NA, TextCell, Value, strip_numbering, text_cells, token_slot
from .normalise import squash, to_wan
from .statistics_line import one_line_cells, one_line_segments


@dataclass(frozen=True)
class Indicator:
    key: str | None  # None for a heading without a value of its own
    fragments: tuple[str, ...]


# Blocks in printed order: (block heading fragments, whether the heading row carries a value, rows).
BLOCKS: tuple[tuple[tuple[str, ...], str | None, tuple[Indicator, ...]], ...] = (
    (("主动公开情况",), None, (
        Indicator("proactive_items", ("主动公开政府信息数",)),
        Indicator("normative_docs_proactive", ("主动公开规范性文件数",)),
        Indicator("normative_docs_issued", ("制发规范性文件总数",)),
        Indicator(None, ("通过不同渠道和方式公开",)),
        Indicator("proactive_via_gazette", ("政府公报",)),
        Indicator("proactive_via_website", ("网站公开",)),  # also "网站公开政府信息数", "门户网站公开"
        Indicator("proactive_via_weibo", ("政务微博公开",)),
        Indicator("proactive_via_wechat", ("政务微信公开",)),
        Indicator("proactive_via_other", ("其他方式公开",)),
    )),
    (("回应解读情况",), None, (
        Indicator("hot_topic_responses", ("回应公众关注热点", "重大舆情数")),
        Indicator(None, ("通过不同渠道和方式回应",)),
        Indicator("press_conferences_leaders", ("参加新闻发布会次数",)),
        Indicator("press_conferences", ("新闻发布会总次数", "举办新闻发布会")),
        Indicator("online_interviews_leaders", ("参加政府网站在线访谈",)),
        Indicator("online_interviews", ("在线访谈次数",)),
        Indicator("policy_interpretations", ("政策解读稿件",)),
        Indicator("responses_via_weibo_wechat", ("微博微信回应",)),
        Indicator("responses_via_other", ("其他方式回应",)),
    )),
    (("依申请公开情况",), None, (
        Indicator("applications_new", ("收到申请",)),  # 收到申请数 / 收到申请总数
        Indicator("applications_in_person", ("当面申请",)),
        Indicator("applications_fax", ("传真申请",)),
        Indicator("applications_online", ("网络申请",)),
        Indicator("applications_letter", ("信函申请",)),
        Indicator("processed_on_time", ("按时办结",)),
        Indicator("processed_extended", ("延期办结",)),
        Indicator("processed_total", ("申请办结数",)),
        Indicator("replied_already_public", ("已主动公开范围",)),
        Indicator("partially_granted", ("同意部分公开",)),
        Indicator("denied_total", ("不同意公开",)),
        Indicator("granted", ("同意公开答复", "同意公开数")),
        Indicator("replied_total", ("申请答复数",)),
        Indicator("denied_state_secret", ("涉及国家秘密",)),
        Indicator("denied_commercial_secret", ("涉及商业秘密",)),
        Indicator("denied_privacy", ("涉及个人隐私",)),
        Indicator("denied_three_safety", ("危及国家安全",)),
        Indicator("denied_not_gov_info", ("所指政府信息",)),
        Indicator("denied_law_forbidden", ("法律法规规定的其他情形",)),
        Indicator("not_this_agency", ("不属于本行政机关",)),
        Indicator("info_not_exist", ("申请信息不存在",)),
        Indicator("told_to_amend", ("更改补充",)),
        Indicator("told_other_channel", ("其他途径",)),
    )),
    (("行政复议数量", "行政复议情况"), "review_total", (
        Indicator("review_upheld", ("维持具体行政行为",)),
        Indicator("review_corrected", ("依法纠错",)),
        Indicator("review_other", ("其他情形",)),
    )),
    (("行政诉讼数量", "行政诉讼情况"), "litigation_total", (
        Indicator("litigation_upheld", ("维持具体行政行为", "驳回原告")),
        Indicator("litigation_corrected", ("依法纠错",)),
        Indicator("litigation_other", ("其他情形",)),
    )),
    (("举报投诉数量",), "complaints_total", ()),
    (("收取的费用",), "fees_collected_wan", ()),
    (("机构建设和保障经费",), None, (
        Indicator("dedicated_offices", ("专门机构数",)),
        Indicator("reading_points", ("查阅点数",)),
        Indicator("staff_fulltime", ("专职人员",)),
        Indicator("staff_parttime", ("兼职人员",)),
        Indicator("staff_total", ("从事政府信息公开工作",)),
        Indicator("budget_wan", ("专项经费",)),
    )),
    (("会议和培训",), None, (
        Indicator("meetings", ("会议或专题会议",)),
        Indicator("trainings", ("培训班数",)),
        Indicator("trainees", ("接受培训人",)),  # 接受培训人员数 / 接受培训人数
    )),
)
MONEY_KEYS = frozenset({"fees_collected_wan", "budget_wan"})
_BLOCK_NUMBER = re.compile(r"^[一二三四五六七八九十]+[、.,]")
_UNIT_ONLY = re.compile(r"^(?:单位[::]?)?(?P<unit>万元|元|条|件|次|人次|人|个|篇|宗|起|项)$")
_LABEL_MONEY_UNIT = re.compile(r"\((?:单位[::]?)?(?P<unit>万元|元)\)")  # "收取的费用(元)"
_SERIAL_HEADER = re.compile(r"^(?:序号|编号|行次)$")
_NOTE = re.compile(r"^[((](?![一二三四五六七八九十\d]+[))])")
_START = re.compile(r"统计指标|主动公开情况")
_MARKERS = ("回应解读", "申请办结", "举报投诉", "机构建设")


def has_statistics_table(doc: Document) -> bool:
    """The 2014 统计表 shows itself by its block names (FORMATS.md §7)."""
    text = squash(doc.text)
    return sum(marker in text for marker in _MARKERS) >= 2


def _block_of(label: str) -> int | None:
    bare = squash(label)
    if not _BLOCK_NUMBER.match(bare):
        return None
    for i, (fragments, _, _) in enumerate(BLOCKS):
        if any(f in bare for f in fragments):
            return i
    return None


def _indicator(label: str, block: int | None) -> Indicator | None:
    if block is None:
        return None
    bare = strip_numbering(label)
    for indicator in BLOCKS[block][2]:
        if any(f in bare for f in indicator.fragments):
            return indicator
    return None


def read_statistics_table(doc: Document) -> tuple[list[Figure], list[Finding]]:
    """The 统计表's figures, and findings on values left out (a glued 序号 that cannot be cut with certainty)."""
    if not has_statistics_table(doc):
        return [], []
    start = _START.search(doc.text)
    # From the start of the line: a table without a 统计指标 header starts at "一、主动公开情况".
    first = doc.text.rfind("\n", 0, start.start()) + 1 if start else 0
    # A 统计表 run into one line (a crawled page) is cut into its cells by `statistics_line`.
    segments = one_line_segments(doc.text)
    cells = [cell for cell in _without_serials(_unglued(text_cells(doc, first, len(doc.text)), doc.text))
             if not any(cell.start < b and cell.end > a for a, b in segments)]
    findings: list[Finding] = []
    for a, b in segments:
        line_cells, line_findings = one_line_cells(doc.text, a, b)
        cells += line_cells
        findings += line_findings
    cells += [cell for grid in doc.grids for cell in _grid_cells(grid)]
    cells.sort(key=lambda c: c.start)
    return _read_cells(cells, doc.text), findings


# A 统计表 row glued into one line by a crawler: label, unit cell (or none) and the year's value run together.
_GLUED_ROW = re.compile(r"^(?P<label>.*?[^\d\s.,+\-])(?P<unit>万元|元|条|件|人次|次|人|个|篇|宗|起|项)?(?P<num>\d+(?:\.\d+)?)$")
_FRAGMENTS = tuple(f for heading, _, rows in BLOCKS for f in (*heading, *(f for i in rows for f in i.fragments)))


def _unglued(cells: list[TextCell], text: str) -> list[TextCell]:
    """Lines of a glued 统计表 ("(一)收到申请数件12") cut into label, unit and value cells, when the label names
    an indicator; the pieces are one row (`in_row`), so a small value is never taken for a 序号. Not when the table
    has a 历年累计 column: the year's and the cumulative digits would run together and no sum tells where one
    ends (left out)."""
    head = squash(text[cells[0].start:cells[min(len(cells), 8) - 1].end]) if cells else ""
    if "累计" in head:
        return cells
    out: list[TextCell] = []
    for cell in cells:
        match = _GLUED_ROW.match(cell.content.strip()) if isinstance(cell.content, str) and not cell.in_row else None
        if match is None or not any(f in squash(match.group("label")) for f in _FRAGMENTS):
            out.append(cell)
            continue
        at = cell.start + text[cell.start:cell.end].index(match.group(0))
        out.append(TextCell(match.group("label"), at, at + match.end("label"), cell.line, True))
        if match.group("unit"):
            out.append(TextCell(match.group("unit"), at + match.start("unit"), at + match.end("unit"), cell.line, True))
        num_at = at + match.start("num")
        out.append(TextCell(token_slot(match.group("num"), num_at), num_at, at + match.end("num"), cell.line, True))
    return out


def _grid_cells(grid: Grid) -> list[TextCell]:
    """A grid 统计表 cell by cell in reading order, without its 历年累计 (cumulative) column."""
    cumulative = {col for row in grid.rows for col, cell in enumerate(row) if "累计" in cell.text}
    serial = {col for row in grid.rows for col, cell in enumerate(row) if _SERIAL_HEADER.match(squash(cell.text))}
    out: list[TextCell] = []
    for r, row in enumerate(grid.rows):
        row_cells = [TextCell(token_slot(cell.text, cell.start), cell.start, cell.end, r, True)
                     for col, cell in enumerate(row)
                     if cell.origin == (r, col) and col not in cumulative | serial and cell.text]
        out += _drop_row_serial(row_cells)
    return out


# --- 序号 (row numbers) ---------------------------------------------------------------------------

def _is_serial(content: object) -> bool:
    """A bare small whole number ("12", not "12件", "+3" or "0.5"): what a 序号 cell looks like."""
    return (isinstance(content, Value) and content.unit is None and not content.signed
            and content.number == content.number.to_integral_value() and 0 < content.number < SETTINGS.legacy_max_serial)


def _is_label(content: object) -> bool:
    return isinstance(content, str) and content != NA and not _UNIT_ONLY.match(squash(content))


def _drop_row_serial(row: list[TextCell]) -> list[TextCell]:
    """One table row (grid row, pipe or tab line): a bare number before the row's label is its 序号.

    Without this the reader takes it as a value: after a heading row ("1 | 一、主动公开情况 | — | —")
    the next row's 序号 looks like a value printed before the first indicator's label."""
    filled = [cell for cell in row if cell.content is not None]
    if len(filled) >= 2 and _is_serial(filled[0].content) and _is_label(filled[1].content):
        return [cell for cell in row if cell is not filled[0]]
    return row


def _without_serials(cells: list[TextCell]) -> list[TextCell]:
    """Text cells without 序号: per row for pipe and tab lines, by the numbering for flattened text."""
    out: list[TextCell] = []
    row: list[TextCell] = []
    for cell in cells:
        if row and not (cell.in_row and cell.line == row[0].line):
            out += _drop_row_serial(row)
            row = []
        if cell.in_row:
            row.append(cell)
        else:
            out.append(cell)
    out += _drop_row_serial(row)
    return _drop_flattened_serials(out)


def _drop_flattened_serials(cells: list[TextCell]) -> list[TextCell]:
    """Text flattened one cell per line has no rows, so a 序号 shows only as a bare number right before
    a label. Such numbers are row numbers when the table has a 序号 header or when the first three run
    k, k+1, k+2 (k <= 2); then each one that continues the numbering (up by 1 to `legacy_serial_step`) is
    dropped. A number that breaks the numbering is a value of the row above (its 序号 was blank)."""
    candidates = [(i, int(cell.content.number)) for i, (cell, after) in enumerate(pairwise(cells))
                  if not (cell.in_row or after.in_row) and _is_serial(cell.content) and _is_label(after.content)
                  and isinstance(cell.content, Value)]
    if not candidates:
        return cells
    header = any(_SERIAL_HEADER.match(squash(cell.content)) for cell in cells[:candidates[0][0]]
                 if isinstance(cell.content, str) and not cell.in_row)
    first = [number for _, number in candidates[:3]]
    runs = first == list(range(first[0], first[0] + 3)) and first[0] <= 2
    if not (header or runs):
        return cells
    dropped: set[int] = set()
    last = 0
    for i, number in candidates:
        if last < number <= last + SETTINGS.legacy_serial_step:
            dropped.add(i)
            last = number
    return [cell for i, cell in enumerate(cells) if i not in dropped]


def _read_cells(cells: list[TextCell], text: str) -> list[Figure]:
    figures: dict[str, Figure] = {}
    block: int | None = None
    current: tuple[str, int] | None = None  # (key, label start) the next value belongs to
    pending_first: tuple[Value, int] | None = None  # a value printed after a heading, before its first row
    unit: str | None = None  # the current row's unit (unit cell or "(元)" in the label)
    money: tuple[str, Value, int] | None = None  # a money figure read before its row's unit cell
    for cell in cells:
        content = cell.content
        if isinstance(content, str) and content != NA:
            label = content.strip()
            unit_cell = _UNIT_ONLY.match(squash(label))
            if unit_cell:
                unit = unit_cell.group("unit")
                if money is not None and unit in ("元", "万元"):  # "费用 | 1500 | 元": unit after the value
                    _add(figures, *money, text, unit)
                    money = None
                continue
            label_unit = _LABEL_MONEY_UNIT.search(squash(label))
            if _NOTE.match(squash(label)) and current is not None:
                unit = label_unit.group("unit") if label_unit else unit  # a note "(单位:元)" continues the label
                continue
            money = None
            unit = label_unit.group("unit") if label_unit else None
            if "累计" in label:  # a cumulative column header: what follows is not the year's
                current = None
                continue
            new_block = _block_of(label)
            if new_block is not None:
                block = new_block
                own_key = BLOCKS[block][1]
                current = (own_key, cell.start) if own_key else None
                pending_first = None
                if own_key is None:
                    current = ("__heading__", cell.start)
                continue
            indicator = _indicator(label, block)
            if indicator is None or indicator.key is None:
                current = None
                continue
            if pending_first is not None and indicator.key not in figures:
                value, label_start = pending_first
                _add(figures, indicator.key, value, label_start, text)
                pending_first = None
            current = (indicator.key, cell.start)
            continue
        if not isinstance(content, Value) or current is None:
            continue
        key, label_start = current
        if key == "__heading__":
            pending_first = (content, label_start)
        elif key not in figures:
            _add(figures, key, content, label_start, text, unit)
            if key in MONEY_KEYS and content.unit is None and unit is None:
                money = (key, content, label_start)
        current = None  # one value per indicator: a second number is another column (历年累计)
    return list(figures.values())


def _add(figures: dict[str, Figure], key: str, value: Value, label_start: int, text: str,
         row_unit: str | None = None) -> None:
    if key in MONEY_KEYS:  # the cell's own unit ("1500元"), else the row's, else the 统计表's 万元
        number = to_wan(value.number, value.unit or row_unit, "万元")
    elif value.number != value.number.to_integral_value() or value.number < 0:
        return
    else:
        number = int(value.number)
    start, end = (label_start, value.end) if 0 <= value.end - label_start <= SETTINGS.legacy_evidence_window else (value.start, value.end)
    figures[key] = Figure(key, number, Evidence(text[start:end], start, end))
