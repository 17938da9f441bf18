"""A local 统计表 of 2008–2018 glued into a line by a crawler -> the year's figures.

Before the unified 2014 table, provinces attached their own (FORMATS §3.2: 莆田's 附表 with a `2009年度` and a
`历年累计` column, 主动公开信息数 by 政府网站/政府公报, 受理依申请公开信息总数 by channel, 答复数 by 同意/部分/否决,
复议, 诉讼, 申诉), and Fujian kept the template to 2018. Crawled, its cells run together:

    指标名称计量单位2011年度历年累计主动公开信息数条4251516其中:1.网站公开条41815092.政府公报公开条77…

Each row is a label, its unit and one digit run holding every column ("4251516": 425 this year, 1516 to date);
the next row's 序号 may be glued to it ("…15092.政府公报": 1509, then row 2). The digits are cut only where one
cut is certain (accuracy over coverage):
- a cut leaves no part with a leading zero, and the year's value is at most each cumulative one;
- rows listed under 其中 add up to the row above them in every column where some cut makes them (418+7=425 and
  1509+7=1516 leave one cut of each), which settles the cuts the sums allow only one way;
- a sentence of the report that states the figure (主动公开政府信息425条) settles its row when one cut gives it.
A row still cut several ways is left out, and so is a row with fewer numbers than columns where the table's cells
stand apart (its blank cell could be either column). The cumulative columns are never a figure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import product

from govreport_core.model import Document, Evidence, Figure

from .normalise import squash

_HEADER = re.compile(r"(?:指标名称|统计指标|指标)\s*(?:计量)?\s*单位\s*(?P<cols>(?:(?:(?:19|20)\d{2}\s*年度?|本年度?|"
                     r"历年累计|累计)\s*){2,3})")
_COLUMN = re.compile(r"(?:19|20)\d{2}\s*年度?|本年度?|历年累计|累计")
_ROW = re.compile(
    r"[ \t]*(?P<group>其中\s*[:：]?)?\s*(?:(?P<serial>\d{1,2})\s*[.、](?!\d)|[(（][一二三四五六七八九十]{1,3}[)）]|"
    r"[一二三四五六七八九十]{1,3}[、.])?"
    r"(?P<label>(?:[(（][^()（）\n]{0,40}[)）]|[^\d\n(（)）])+?)\s*(?P<unit>万元|元|人次|条|件|次|人|个|篇|宗|起|项)?\s*"
    r"(?P<digits>\d+(?:\.\d+)*(?:[ \t]+\d+(?:\.\d+)*)*)")
_SERIAL_MARK = re.compile(r"[.、](?=[^\d\s])")
_MAX_LABEL = 40
_MAX_COMBOS = 20000
_MAX_DIGITS = 24  # three columns of eight digits: a longer run is not a row of counts
_MERGED = re.compile(r"、")
# (label words, key): the first that a row's label holds names it; a row may name none (电子邮件申请数, 行政申诉数).
_KEYS: tuple[tuple[re.Pattern[str], str | None], ...] = (
    (re.compile(r"累计|其他类型|其它类型|其它形式|其他形式|电子邮件|申诉|举报"), None),
    (re.compile(r"主动公开规范性文件"), "normative_docs_proactive"),
    (re.compile(r"网站"), "proactive_via_website"),
    (re.compile(r"公报"), "proactive_via_gazette"),
    (re.compile(r"微博"), "proactive_via_weibo"),
    (re.compile(r"微信"), "proactive_via_wechat"),
    (re.compile(r"主动公开(?:政府)?(?:信息|文件)(?:数|总数|条数)"), "proactive_items"),
    (re.compile(r"当面"), "applications_in_person"),
    (re.compile(r"传真"), "applications_fax"),
    (re.compile(r"网上|网络"), "applications_online"),
    (re.compile(r"信函"), "applications_letter"),
    (re.compile(r"(?:受理|收到)[^答]*申请[^答]*数|申请总数"), "applications_new"),
    (re.compile(r"部分公开"), "partially_granted"),
    (re.compile(r"否决公开|不予公开|不同意公开"), "denied_total"),
    (re.compile(r"同意公开"), "granted"),
    (re.compile(r"答复(?:总)?数"), "replied_total"),
    (re.compile(r"办结(?:总)?数"), "processed_total"),
    (re.compile(r"行政复议"), "review_total"),
    (re.compile(r"行政诉讼"), "litigation_total"),
)
# The unified 2014 统计表 glued the same way (its rows whose names say which block they are in; FORMATS §3.3).
_KEYS_2014: tuple[tuple[re.Pattern[str], str | None], ...] = (
    (re.compile(r"维持|纠错|其他情形|主要负责同志|费用|经费"), None),  # named by their block (复议/诉讼), or money
    (re.compile(r"制发规范性文件"), "normative_docs_issued"),
    (re.compile(r"回应公众关注热点"), "hot_topic_responses"),
    (re.compile(r"政策解读稿件"), "policy_interpretations"),
    (re.compile(r"已主动公开范围"), "replied_already_public"),
    (re.compile(r"按时办结"), "processed_on_time"),
    (re.compile(r"延期办结"), "processed_extended"),
    (re.compile(r"不属于本行政机关"), "not_this_agency"),
    (re.compile(r"申请信息不存在"), "info_not_exist"),
    (re.compile(r"更改补充"), "told_to_amend"),
    (re.compile(r"其他途径"), "told_other_channel"),
    (re.compile(r"举报投诉"), "complaints_total"),
    (re.compile(r"专门机构"), "dedicated_offices"),
    (re.compile(r"查阅点"), "reading_points"),
    (re.compile(r"专职人员"), "staff_fulltime"),
    (re.compile(r"兼职人员"), "staff_parttime"),
    (re.compile(r"从事政府信息公开工作"), "staff_total"),
    (re.compile(r"会议或专题会议"), "meetings"),
    (re.compile(r"培训班"), "trainings"),
    (re.compile(r"接受培训人"), "trainees"),
)


@dataclass
class _Row:
    label: str
    start: int
    end: int
    digits: str  # "" when the run could not be told from the next row's 序号
    cuts: list[tuple[int, ...]] = field(default_factory=list)
    children: list[_Row] = field(default_factory=list)


def _cuts(digits: str, columns: int) -> list[tuple[int, ...]]:
    """Every way to cut `digits` into the year's value and the cumulative ones: no leading zero, year <= to date."""
    if "." in digits or len(digits) > _MAX_DIGITS:  # money glued with its decimals ("0.0120.05"), or no count at all
        return []
    parts = digits.split()
    if len(parts) == columns:  # a stray space kept the cells apart
        found = [tuple(int(p) for p in parts)] if all(p == "0" or p[0] != "0" for p in parts) else []
        return [c for c in found if all(c[0] <= later for later in c[1:])]
    run = "".join(parts)
    out: list[tuple[int, ...]] = []

    def cut(rest: str, taken: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        if len(taken) == columns - 1:
            yield (*taken, rest)
            return
        for i in range(1, len(rest) - (columns - len(taken) - 1) + 1):
            yield from cut(rest[i:], (*taken, rest[:i]))

    for pieces in cut(run, ()) if len(run) >= columns else ():
        if any(p[0] == "0" and p != "0" for p in pieces):
            continue
        values = tuple(int(p) for p in pieces)
        if all(values[0] <= later for later in values[1:]):
            out.append(values)
    return out


def _rows(text: str, start: int, columns: int) -> list[_Row]:
    """The table's rows from `start`, with each 其中 group under the row above it.

    A 序号 glued to the digits before it is the one that continues its list: k+1 after row k, 1 after a row that
    opens a list (a plain or a "(一)"-numbered row), the list's next after a "其中:" row. When the digits do not end in
    it, the row and the ones after it in that list are left out (where one row ends is not known)."""
    rows: list[_Row] = []
    parent: _Row | None = None
    listed: int | None = 0  # the number of the list's last row (0: a list opens; None: lost)
    pos, pending = start, None  # pending: the number glued to the digits before this row
    while (match := _ROW.match(text, pos)) is not None:
        label = squash(match.group("label"))
        if len(_NOTE.sub("", label)) > _MAX_LABEL or not re.search(r"[\u4e00-\u9fff]", label):
            break
        serial = int(match.group("serial")) if match.group("serial") else pending
        grouped = bool(match.group("group")) or serial is not None
        if serial is not None:
            listed = serial
        elif not grouped:  # a plain or "(一)" row opens a list
            listed = 0
        digits, end, value_end = match.group("digits"), match.end(), match.end("digits")
        pending = None
        if _SERIAL_MARK.match(text, end):  # "41815092.政府公报": the run ends in the next row's 序号
            tail = str(listed + 1) if listed is not None else ""
            if tail and digits.endswith(tail):
                digits, value_end, pending = digits[:-len(tail)], value_end - len(tail), int(tail)
            else:
                digits, listed = "", None
            end += 1
        row = _Row(label, match.start("label"), value_end, digits)
        row.cuts = _cuts(digits, columns) if digits else []
        if grouped and parent is not None:
            parent.children.append(row)
        else:
            parent = row
        rows.append(row)
        pos = end
    return rows


_BLOCK_HEADING = re.compile(r"^[^()（）]*?(?:情况|数量)(?=[(（][一二三四五六七八九十]{1,3}[)）])")
_NOTE = re.compile(r"[(（][^()（）]{3,}[)）]")


def _key(label: str) -> str | None:
    """The metric a row's label names, without the block heading glued before it ("八、机构建设和保障经费情况(一)…")
    and its notes ("(不包括政府公报及政府网站工作人员数)")."""
    bare = _NOTE.sub("", _BLOCK_HEADING.sub("", label))
    return next((key for pattern, key in (*_KEYS_2014, *_KEYS) if pattern.search(bare)), None)


def _settle_by_sums(rows: list[_Row]) -> None:
    """Rows under 其中 add up to their parent in every column: keep the cuts some such sum uses."""
    for parent in rows:
        group = [parent, *parent.children]
        if not parent.children or any(not r.cuts for r in group):
            continue
        size = 1
        for r in group:
            size *= len(r.cuts)
        if size > _MAX_COMBOS or size == 1:
            continue
        fits = [combo for combo in product(*(r.cuts for r in group))
                if all(sum(child[c] for child in combo[1:]) == combo[0][c] for c in range(len(combo[0])))]
        if fits:
            for i, r in enumerate(group):
                r.cuts = sorted({combo[i] for combo in fits})


def read_local_table(doc: Document, stated: dict[str, Figure]) -> list[Figure]:
    """The year's figures of a glued local 统计表 (see the module doc); `stated` are the prose's figures."""
    header = _HEADER.search(doc.text)
    if header is None:
        return []
    columns = _COLUMN.findall(header.group("cols"))
    if "累计" in columns[0] or not all("累计" in c for c in columns[1:]):
        return []  # the first column must be the year's, the others to date
    rows = _rows(doc.text, header.end(), len(columns))
    if sum(len(row.digits.split()) == len(columns) for row in rows) * 2 > len(rows):
        # The cells stand apart (a page run into one line with spaces): a row with fewer numbers has a blank cell,
        # and which column it is cannot be known ("申请办结数 件 13": 13 this year, or 1 and 3?).
        for row in rows:
            if len(row.digits.split()) != len(columns):
                row.cuts = []
    for row in rows:  # a sentence stating the figure picks the cut that gives it
        said = stated.get(_key(row.label) or "")
        if said is not None and len(row.cuts) > 1:
            row.cuts = [c for c in row.cuts if c[0] == said.value] or row.cuts
    for _ in range(2):  # a parent settled by its children settles its other children, and back
        _settle_by_sums(rows)
    figures: dict[str, Figure] = {}
    for row in rows:
        key = _key(row.label)
        if key is None or len({c[0] for c in row.cuts}) != 1:
            continue
        value = row.cuts[0][0]
        evidence = Evidence(doc.text[row.start:row.end], row.start, row.end)
        names = [key]
        if _MERGED.search(row.label):  # "信函、传真申请数 00": both are 0; another value is theirs together
            names = [k for pattern, k in _KEYS if k and k.startswith("applications_") and pattern.search(row.label)]
            if value != 0 or len(names) < 2:
                continue
        for name in names:
            figures.setdefault(name, Figure(name, value, evidence))
    return list(figures.values())
