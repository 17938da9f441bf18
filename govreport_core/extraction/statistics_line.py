"""The 2014 统计表 run into one line (a crawled page): its cells, so `statistics_table` reads them as a table.

A crawler that drops a page's markup leaves the 统计表 one line, spaced or glued:
"一、主动公开情况6105(一)主动公开政府信息数(不同渠道和方式公开相同的信息列为1条)其中:…1、政府公报公开政府信息数
02、政府网站公开政府信息数61053、政务微博…四、行政复议数量2件…专项经费(不包括…)万元8". What the line shows:
- blank cells are simply absent, units (件, 万元, 人次) stand glued before or after their number;
- notes in brackets sit between a label and its value, with numbers of their own ("列为1条"): never values;
- a row's 序号 (1、2、…) follows the value of the row before it, glued to its digits ("数61053、政务微博"): the
  序号 is the one the numbering expects next (one more than the last, from 1 after a heading), so "61053、" is the
  value 6105 and the 序号 3. A digit run that does not end in the expected 序号 cannot be cut with certainty: its
  value is left out with a finding (accuracy over coverage);
- two labels without values run together ("其中:主动公开规范性文件数制发规范性文件总数8"): a label ends at 数, so the
  value goes to the last one.
The cells keep their offsets into the document, so evidence points at the line.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from decimal import Decimal
from itertools import pairwise

from govreport_core.model import Finding
from govreport_core.settings import SETTINGS

from .layouts.cells import TextCell, Value

# One line of the page that holds at least two of the 统计表's block headings.
_BLOCK_HEADING = re.compile(r"[一二三四五六七八九十]{1,2}、\s*(?:主动公开情况|回应解读情况|依申请公开情况|行政复议数量|行政诉讼数量"
                            r"|举报投诉数量|依申请公开信息收取的费用|机构建设和保障经费情况|政府信息公开会议和培训情况)")
_START = re.compile(r"统计指标|一、\s*主动公开情况")
_CUMULATIVE = re.compile(r"累计")
_SEGMENT_MAX = 20000  # a 统计表 is 2–3 thousand characters: a hostile line is never scanned whole from every start
_TOKEN = re.compile(
    r"(?P<num>\d+(?:\.\d+)?)(?P<serial>[、.](?=\s*[\u4e00-\u9fa5]))?"
    r"|(?P<note>\((?![一二三四五六七八九十\d]{1,3}\))[^()]{0,120}\))"
    r"|(?P<heading>[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\))"
    r"|(?P<text>(?:(?![一二三四五六七八九十]{1,3}、)[^\d()\s|])+)")  # pipes are cell borders
_UNIT = r"万元|人次|元|件|条|次|个|人|篇|项|宗"
_APART = frozenset(" \t\u3000|")  # what stands between two cells on a spaced line
_UNIT_OR_DASH = re.compile(rf"(?:{_UNIT})|[—\-/]+")
_SERIAL_HEADER = re.compile(r"序号|编号|行次")
_SERIAL_RUN = 5
_LEAD_SERIAL = re.compile(r"(?<![\d.])1[\s|]*$")  # a 序号 column's 1 just before the table's first heading
_UNIT_TAIL = re.compile(rf"(?<=[数)用费])(?:{_UNIT})$")
# A label ends at 数 ("…文件数制发…"): the next label starts there, unless 数 begins a word (数量, 数据) or the rest is
# a stray character ("工作人数员").
_LABEL_CUT = re.compile(r"(?<=数)(?=[\u4e00-\u9fa5]{4})(?![量据字额目值])")


# The unified template's numbered rows (FORMATS §3.3), by how their labels begin: a table that leaves rows out keeps
# the others' numbers.
_TEMPLATE_SERIALS: tuple[tuple[str, int], ...] = (
    ("政府公报", 1), ("政府网站公开", 2), ("政务微博", 3), ("政务微信", 4), ("其他方式公开", 5),
    ("参加或举办新闻发布会", 1), ("政府网站在线访谈", 2), ("政策解读", 3), ("微博微信回应", 4), ("其他方式回应", 5),
    ("当面申请", 1), ("传真申请", 2), ("网络申请", 3), ("信函申请", 4), ("按时办结", 1), ("延期办结", 2),
    ("属于已主动公开", 1), ("同意公开答复", 2), ("同意部分公开", 3), ("不同意公开", 4), ("不属于本行政机关", 5),
    ("申请信息不存在", 6), ("告知作出更改补充", 7), ("告知通过其他途径", 8), ("专职人员", 1), ("兼职人员", 2),
)


def one_line_segments(text: str) -> list[tuple[int, int]]:
    """(start, end) of each 统计表 run into one line: from its header or first block to the line's next full stop.
    Block headings, stops and line ends are found once, so a hostile line with many starts costs one scan."""
    headings = [m.start() for m in _BLOCK_HEADING.finditer(text)]
    stops = [m.start() for m in re.finditer(r"[。\n]", text)]
    spans: list[tuple[int, int]] = []
    for match in _START.finditer(text):
        if spans and match.start() < spans[-1][1]:
            continue
        after = bisect_right(stops, match.start())
        end = min(stops[after] if after < len(stops) else len(text), match.start() + _SEGMENT_MAX)
        if bisect_left(headings, end) - bisect_left(headings, match.start()) >= 2:
            spans.append((match.start(), end))
    return spans


def one_line_cells(text: str, start: int, end: int) -> tuple[list[TextCell], list[Finding]]:
    """The cells of a 统计表 run into one line between the offsets (see the module's docstring)."""
    cells: list[TextCell] = []
    findings: list[Finding] = []
    last_serial: int | None = 0
    for match in _TOKEN.finditer(text, start, end):
        if match.group("heading"):
            last_serial = 0
            cells.append(TextCell(match.group(), match.start(), match.end(), 1, False))
            continue
        if match.group("note"):
            cells.append(TextCell(match.group(), match.start(), match.end(), 1, False))
            continue
        if match.group("text"):
            cells += _label_cells(match.group(), match.start())
            continue
        digits, at = match.group("num"), match.start("num")
        if match.group("serial"):
            value, last_serial = _cut_serial(digits, last_serial, _template_serial(text, match.end(), end))
            if value is None:
                findings.append(Finding("placement", "warn", f"统计表连写的数字“{digits}”无法确定哪几位是下一行的序号，未予采用。"))
            if not value:
                continue
            digits = value
        value_end = at + len(digits)
        cells.append(TextCell(Value(Decimal(digits), None, False, at, value_end, digits), at, value_end, 1, False))
    cells = _merged_labels(cells)
    first_serial = _serial_column(cells, text, start)
    if first_serial is not None:
        cells = _without_serial_column(cells, text, first_serial, findings)
    if _CUMULATIVE.search(text, start, end):
        cells = _years_column(cells, findings)
    return cells, findings


def _before_label(cells: list[TextCell]) -> list[int]:
    """Indexes of the numbers standing right before a label: where a 序号 column's numbers stand on one line."""
    return [i for i, (cell, after) in enumerate(pairwise(cells)) if isinstance(cell.content, Value)
            and isinstance(after.content, str) and not _UNIT_OR_DASH.fullmatch(after.content.strip())]


def _serial_column(cells: list[TextCell], text: str, start: int) -> int | None:
    """The first 序号 of a 序号 column among the cells (a row number before every row, apart from the template's
    own 1、2、 numbering), None without one. Its header stands by the table's start, or the numbers before the
    first five labels run 1 to 5 (the 1 may stand just before the table's first heading; a glued number ends in
    its 序号: "…条15203其中" is 1520 and 3). Five, as values alone could run 1, …2, …3 by chance."""
    first = 2 if _LEAD_SERIAL.search(text, max(0, start - 4), start) else 1
    if _SERIAL_HEADER.search(text, max(0, start - 12), start + 12):
        return first
    numbers = [cells[i].content.text or "" for i in _before_label(cells)[:_SERIAL_RUN]]
    runs = len(numbers) == _SERIAL_RUN and numbers[0] == str(first)
    return first if runs and all(d.endswith(str(first + n)) for n, d in enumerate(numbers)) else None


def _without_serial_column(cells: list[TextCell], text: str, expected: int, findings: list[Finding]) -> list[TextCell]:
    """The cells without the 序号 column's numbers. A number before a label is the next 序号 (dropped), or ends in
    it, glued to the value of the row above (cut); a number standing apart that skips a few 序号 is one too (a
    table that leaves rows out). Else, apart from the label, it is the row above's value (its 序号 was blank);
    glued to it, no one can tell which digits are the 序号: left out with a finding (accuracy over coverage)."""
    out = list(cells)
    drop: set[int] = set()
    for i in _before_label(cells):
        value = cells[i].content
        digits = value.text or ""
        apart = text[cells[i].end:cells[i].end + 1] in _APART
        serial = str(expected)
        if digits == serial or (apart and digits.isdigit() and not digits.startswith("0")
                                 and expected <= int(digits) < expected + SETTINGS.legacy_serial_step):
            drop.add(i)
            expected = int(digits) + 1
        elif digits.endswith(serial) and re.fullmatch(r"0|[1-9]\d*(?:\.\d+)?", digits[:-len(serial)]):
            kept = digits[:-len(serial)]
            out[i] = TextCell(Value(Decimal(kept), None, False, value.start, value.start + len(kept), kept),
                              cells[i].start, cells[i].start + len(kept), 1, False)
            expected += 1
        elif not apart:
            drop.add(i)
            findings.append(Finding("placement", "warn",
                                    f"统计表有“序号”列，连写的数字“{digits}”无法确定哪几位是序号，未予采用。"))
    return [cell for i, cell in enumerate(out) if i not in drop]


def _years_column(cells: list[TextCell], findings: list[Finding]) -> list[TextCell]:
    """With a 历年累计 column, a row's two numbers are the year's and the total to date: the first is kept. A row
    with one number (a blank cell, or the two glued into one run) cannot say which column it is: left out."""
    out: list[TextCell] = []
    i = 0
    while i < len(cells):
        if not isinstance(cells[i].content, Value):
            out.append(cells[i])
            i += 1
            continue
        j = i
        while j < len(cells) and isinstance(cells[j].content, Value):
            j += 1
        if j - i == 2:
            out.append(cells[i])
        else:
            printed = " ".join(c.content.text for c in cells[i:j] if isinstance(c.content, Value))
            findings.append(Finding("placement", "warn", f"统计表有“历年累计”列，连写的数字“{printed}”无法确定属于哪一列，未予采用。"))
        i = j
    return out


def _cut_serial(digits: str, last: int | None, template: int | None) -> tuple[str | None, int | None]:
    """(the value glued before a 序号, the 序号). The 序号 is one more than the last one, or the number the template
    gives the label after it (a table that leaves rows out skips numbers): a cut both allow the same way is
    certain, anything else is not."""
    candidates = {c for c in (last + 1 if last is not None else None, template) if c is not None}
    cuts = {(digits[:-len(str(c))], c) for c in candidates if digits.endswith(str(c))}
    if len(cuts) != 1:
        return None, None
    return next(iter(cuts))


def _template_serial(text: str, start: int, end: int) -> int | None:
    """The 序号 the unified template gives the label starting at `start` ("同意公开答复数" is 2 under 申请答复数)."""
    head = text[start:min(end, start + 24)]
    return next((serial for fragment, serial in _TEMPLATE_SERIALS if head.lstrip().startswith(fragment)), None)


def _label_cells(chunk: str, at: int) -> list[TextCell]:
    """A run of label text: cut where one label ends at 数 and the next starts; a unit at its end is its own cell
    ("接受培训人员数人次" before "62")."""
    cuts = [0, *(m.start() for m in _LABEL_CUT.finditer(chunk)), len(chunk)]
    cells = [TextCell(chunk[a:b], at + a, at + b, 1, False) for a, b in pairwise(cuts)]
    unit = _UNIT_TAIL.search(cells[-1].content)
    if unit and unit.start() > 0:
        last = cells.pop()
        cells += [TextCell(last.content[:unit.start()], last.start, last.start + unit.start(), 1, False),
                  TextCell(unit.group(), last.start + unit.start(), last.end, 1, False)]
    return cells


def _merged_labels(cells: list[TextCell]) -> list[TextCell]:
    """A numbering cell ("(一)", "四、") and the label text after it are one label, as a table prints them."""
    out: list[TextCell] = []
    for cell in cells:
        previous = out[-1] if out else None
        if (previous is not None and isinstance(previous.content, str) and isinstance(cell.content, str)
                and re.fullmatch(r"[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\)", previous.content)
                and not cell.content.startswith("(")):
            out[-1] = TextCell(previous.content + cell.content, previous.start, cell.end, 1, False)
        else:
            out.append(cell)
    return out
