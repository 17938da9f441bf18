"""Prose: sentences that carry numbers -> figures (proactive_items and fees_collected_wan for now).

METRICS.md wants two prose figures in every era: the count of items proactively disclosed
("主动公开政府信息1136条"; an approximate "5500余条" is not a figure) and the 信息处理费 / 依申请公开
fees actually collected, in 万元 ("收取信息处理费380元" -> 0.038, "未收取" -> 0). A cumulative figure
("累计") is not the year's. When several sentences give different values, none is taken: a finding
says so.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .model import Document, Evidence, Figure, Finding
from .normalise import CN_DIGITS, parse_number, to_wan

_NUM = r"(?P<num>\d[\d,]*(?:\.\d+)?|[" + CN_DIGITS + r"]+)"
_PROACTIVE = re.compile(
    r"主动公开(?:了)?(?:各类|各种|相关)?(?:政府|政务)?信息(?:公开)?(?:数|数量|总数)?(?:为|达|达到|共计|共|合计|总计)?"
    r"\s*" + _NUM + r"\s*(?P<approx>余|多)?\s*(?:条|件)")
_CUMULATIVE = re.compile(r"累计|历年|总量|截至|截止")
_FEE_ZERO = re.compile(
    r"(?:未|没有|无|不|免于?|均未)(?:收取|产生|发生|涉及)?[^。;,]{0,12}?(?:信息处理费|依申请公开[^。;]{0,8}?费用|公开(?:工作)?的?收费|收费)"
    r"|(?:信息处理费|依申请公开[^。;]{0,10}?费用)[^。;]{0,6}?(?:为)?\s*0\s*(?:元|万元)")
_FEE_AMOUNT = re.compile(
    r"(?:收取|收缴|共收)[^。;,]{0,6}?(?:信息处理费|依申请公开[^。;]{0,8}?费用)[^。;\d]{0,8}?"
    r"(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>万元|元)")


def _sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(ch, 0, start) for ch in "。;\n") + 1
    right_candidates = [i for i in (text.find(ch, end) for ch in "。;\n") if i != -1]
    right = min(right_candidates) + 1 if right_candidates else len(text)
    if right - left > 200:
        left, right = max(left, start - 60), min(right, end + 60)
    return left, right


def _evidence(doc: Document, start: int, end: int) -> Evidence:
    left, right = _sentence_span(doc.text, start, end)
    return Evidence(doc.text[left:right], left, right)


def find_proactive_items(doc: Document) -> tuple[list[Figure], list[Finding]]:
    found: dict[int, Figure] = {}
    for match in _PROACTIVE.finditer(doc.text):
        left, _ = _sentence_span(doc.text, match.start(), match.end())
        if match.group("approx") or _CUMULATIVE.search(doc.text, left, match.start()):
            continue
        parsed = parse_number(match.group("num"))
        if parsed is None:
            continue
        value = int(parsed[0])
        found.setdefault(value, Figure("proactive_items", value, _evidence(doc, match.start(), match.end())))
    if len(found) == 1:
        return list(found.values()), []
    if len(found) > 1:
        values = "、".join(str(v) for v in found)
        return [], [Finding("prose", "warn", f"正文给出多个主动公开信息数（{values}），未予采用。", ("proactive_items",))]
    return [], []


def find_fees_collected(doc: Document) -> tuple[list[Figure], list[Finding]]:
    found: dict[Decimal, Figure] = {}
    for match in _FEE_AMOUNT.finditer(doc.text):
        parsed = parse_number(match.group("num"))
        if parsed is None:
            continue
        value = to_wan(parsed[0], match.group("unit"))
        found.setdefault(value, Figure("fees_collected_wan", value, _evidence(doc, match.start(), match.end())))
    if not found:
        match = _FEE_ZERO.search(doc.text)
        if match:
            return [Figure("fees_collected_wan", Decimal(0), _evidence(doc, match.start(), match.end()))], []
    if len(found) == 1:
        return list(found.values()), []
    if len(found) > 1:
        values = "、".join(str(v) for v in found)
        return [], [Finding("prose", "warn", f"正文给出多个信息处理费金额（{values}万元），未予采用。",
                            ("fees_collected_wan",))]
    return [], []


def read_prose(doc: Document) -> tuple[list[Figure], list[Finding]]:
    figures: list[Figure] = []
    findings: list[Finding] = []
    for finder in (find_proactive_items, find_fees_collected):
        more, notes = finder(doc)
        figures += more
        findings += notes
    return figures, findings
