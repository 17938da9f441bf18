"""What the prose readers share: sentences of the normalised text, their evidence, and whose they are.

`prose` (proactive items, fees, the old reports' sentences) and `summary` (the 2019+ summary sentences) read
numbers in sentences; a table cell is never a sentence, a cumulative count is never the year's, and a clause
whose subject is another body ("区财政局主动公开信息311条") counts that body, unless it is the report's own, named
as in its title ("中仓街道" in 中仓街道办事处's report, "区财政局" in 芦淞区财政局's).
"""

from __future__ import annotations

import re

from govreport_core.model import Document, Evidence
from govreport_core.settings import SETTINGS

CUMULATIVE = re.compile(r"累计|历年|总量|截至|截止")
OTHER_BODY = re.compile(r"(?P<body>[\u4e00-\u9fa5]{1,10}(?<![我本])(?P<kind>局|委员会|委|办公室|公开办|中心|街道|镇|乡|"
                        r"公司|部门))(?:共|全年|本年度)?$")
# A part of the area ("县直各单位", "各乡镇") is not the whole ("全区各部门共…": 全 before it).
PART_OF_AREA = re.compile(r"各(?:乡镇|镇街|街道|部门|单位|职能部门|县|区|市)|[区县市]直(?:各)?(?:部门|单位)")
WHOLE_AREA = re.compile(r"全(?:省|市|州|盟|区|县|旗|镇|乡)")
# What may stand before the body's own name: a time ("2023年", "全年") or the title's level character.
_BEFORE_OWN_NAME = re.compile(r"(?:^|.*(?:年度?|全年|今年|本年|年内))$")
_LEVEL_CHARS = "省市州盟县区旗镇乡"


# A section heading run into its first sentence when a page is one line ("六、其他需要报告的事项本年度收取…"): its words
# ("需要", "情况") are not the sentence's.
_GLUED_HEADING = re.compile(r"(?:[一二三四五六七八九十]{1,2}、|\([一二三四五六七八九十]{1,2}\))[^。,;:]{0,30}?(?:情况|事项|问题|措施|概述)")
# Such a heading starts a sentence where no full stop or line break does: after the title or the last sentence's
# words ("…工作年度报告一、总体情况本年度…"), not inside a list ("其中:(一)…", "…,二、…").
_HEADING_AFTER = re.compile(r"[^\s,，:：、;(（]\s*$")


def after_heading(clause: str) -> str:
    """A clause without the section heading glued before it."""
    ends = [m.end() for m in _GLUED_HEADING.finditer(clause)]
    return clause[ends[-1]:] if ends else clause


def in_table(doc: Document, pos: int) -> bool:
    """Table cells are read by the table parsers; a row label is not a sentence ("逾期未按收费通知…")."""
    return any(grid.start <= pos < grid.end for grid in doc.grids)


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    left = _after_glued_heading(text, max(text.rfind(ch, 0, start) for ch in "。;\n") + 1, start)
    right_candidates = [i for i in (text.find(ch, end) for ch in "。;\n") if i != -1]
    right = min(right_candidates) + 1 if right_candidates else len(text)
    if right - left > SETTINGS.prose_sentence_chars:
        left, right = max(left, start - SETTINGS.prose_context_chars), min(right, end + SETTINGS.prose_context_chars)
    return left, right


def _after_glued_heading(text: str, left: int, start: int) -> int:
    """Where a sentence starts on a page run into one line: after the last section heading glued inside it."""
    heading = None
    for match in _GLUED_HEADING.finditer(text, left, start):
        if match.start() == left or _HEADING_AFTER.search(text, max(left, match.start() - 4), match.start()):
            heading = match
    if heading is None:
        return left
    return heading.end() + len(text[heading.end():start]) - len(text[heading.end():start].lstrip())


def evidence(doc: Document, start: int, end: int) -> Evidence:
    left, right = sentence_span(doc.text, start, end)
    return Evidence(doc.text[left:right], left, right)


def is_own_body(name: str, kind: str, title: str) -> bool:
    """Whether "…局/街道/镇" before a count names the report's own body (its title names it too)."""
    for i in range(len(name) - len(kind)):
        tail = name[i:]  # longest tail first; it must hold more than the bare "局"/"街道"
        at = title.find(tail)
        if at == -1:
            continue
        before = name[:i]
        if before and before[-1] in _LEVEL_CHARS:  # "区财政局" for 芦淞区财政局: the same level character
            return at > 0 and title[at - 1] == before[-1] and bool(_BEFORE_OWN_NAME.match(before[:-1]))
        return bool(_BEFORE_OWN_NAME.match(before))
    return False
