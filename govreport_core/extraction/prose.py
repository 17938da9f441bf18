"""Prose: sentences that carry numbers -> figures (proactive_items and fees_collected_wan for now).

METRICS.md wants two prose figures in every era: the count of items proactively disclosed
("主动公开政府信息1136条"; an approximate "5500余条" is not a figure) and the 信息处理费 / 依申请公开
fees actually collected, in 万元 ("收取信息处理费380元" -> 0.038, "未收取" -> 0). A cumulative figure
("累计") is not the year's. When several sentences give different values, none is taken: a finding
says so. A total stated with 公布/发布/公开 + 政府信息 counts too, unless its clause names another body or a part
of the area (县直各单位, 各乡镇), or a channel (a channel's count for the year stands only when no sentence states
the total); a category ("机构职能类信息20条", "其他…信息") is never the total, nor a part after 其中.

`read_summary` hands `summary`'s reading of the 2019+ summary sentences to the table reader and to K8.
"""

from __future__ import annotations

import re
from decimal import Decimal

from govreport_core.model import Document, Figure, Finding

from .normalise import CN_DIGITS, parse_number, to_wan
from .sentences import CUMULATIVE as _CUMULATIVE
from .sentences import OTHER_BODY as _OTHER_BODY
from .sentences import PART_OF_AREA, WHOLE_AREA, after_heading
from .sentences import evidence as _evidence
from .sentences import in_table as _in_table
from .sentences import is_own_body as _is_own_body
from .sentences import sentence_span as _sentence_span
from .summary import read_summary_sentences

_NUM = r"(?P<num>\d[\d,]*(?:\.\d+)?|[" + CN_DIGITS + r"]+)"
_PROACTIVE = re.compile(
    r"主动(?:公开|发布)(?:了)?"
    # whose information: "主动公开我区各级单位政府信息2645条", "主动公开本机关政府信息"
    r"(?:(?:我|本)(?:区|县|市|州|旗|镇|乡|局|委|办|级|机关|单位|部门)[^。;,\d等类]{0,6}?(?=(?:政府|政务)信息))?"
    # a list of kinds closed by 等: "主动公开政策文件、人事信息等各类政府信息1234条"
    r"(?:[^。;,\d]{1,20}?等)?(?:各类|各种|相关|各项)?(?:政府|政务)?信息?(?:公开)?(?:数|数量|总数)?"
    r"(?:\([^()\d]{1,12}\))?(?:为|达|达到|共计|共|合计|总计)?"
    r"\s*" + _NUM + r"\s*(?P<approx>余|多)?\s*(?:条|件)"
    # the count before the noun: "共主动公开1234条政府信息"
    r"|主动(?:公开|发布)(?:了)?\s*" + _NUM.replace("num", "num2") + r"\s*(?P<approx2>余|多)?\s*条(?:各类|各项)?(?:政府|政务)信息")
# A total stated with 公布/发布/公开 + 政府信息 ("共公布政府信息1234条", "全年发布政府信息1234条"): the year's total when
# nothing narrows it. Never a reply count (予以/同意/部分/不/未 公开), a request (依申请公开) or a plan (拟/应/将).
_STATED_VERB = r"(?<![动予以意分不未请求拟应需将])(?:公布|发布|公开)(?:了)?"
_STATED_TOTAL = re.compile(
    _STATED_VERB + r"(?:各类|各项)?(?:政府|政务)信息(?:共计|共|合计|总计|为|达)?\s*" + _NUM
    + r"\s*(?P<approx>余|多)?\s*(?:条|件)"
    r"|" + _STATED_VERB + r"\s*" + _NUM.replace("num", "num2") + r"\s*(?P<approx2>余|多)?\s*条(?:各类|各项)?(?:政府|政务)信息")
# A channel's count that says it is the year's ("当年", "全年", "2023年"): the total when nothing else states it.
_YEAR_WORD = re.compile(r"当年|全年|本年|年内|今年|\d{4}\s*年")
# Every channel, listed and closed by 等: "通过政府网站、信息查阅场所等公开信息35829条" (政府 may be left out here).
_LISTED_TOTAL = re.compile(r"通过[^。;,，\d]{1,40}?等(?:渠道|途径|方式|平台|载体)?(?:共|累计)?" + _STATED_VERB
                           + r"(?:各类|各项)?(?:政府|政务)?信息(?:共计|共|合计|总计|为|达)?\s*" + _NUM
                           + r"\s*(?P<approx>余|多)?\s*条(?P<approx2>)")
# ...whose clause names a channel counts that channel ("通过政府网站发布政府信息800条": 统计表 proactive_via_*).
_CHANNEL = re.compile(r"通过|网站|网上|门户|微博|微信|公众号|公报|平台|专栏|栏目|新媒体|报刊|报纸|电视|广播|客户端|APP|显示屏|发布会",
                      re.I)
# A category of information ("机构职能类信息20条", "其他政务信息5条") is one item of a list, never the total; a list
# closed by 等 before the general noun ("政策文件、规划类等各类政府信息1234条") is the total again.
_CATEGORY = re.compile(r"(?<!各)类|其他|其它")
# After a cumulative total, "其中本年度新增…" is the year's own count.
_YEAR_PART = re.compile(r"其中\s*(?:本年度?|今年|当年|年内|全年|\d{4}年度?)(?:新增|新)?$")
_FEE_NOUN = r"(?:信息处理费|依申请公开[^。;]{0,8}?费用|信息公开(?:的)?费用|公开(?:工作)?的?收费|收费)"
# A zero is "0" standing alone: never the tail of "380元" or "0.5元" (the lookarounds), with or without its unit.
_ZERO = r"(?<![\d.])0(?:\.0+)?(?![\d.])\s*(?:万元|元)?(?=\s*(?:[。;,，:]|$))"
_FEE_ZERO = re.compile(
    r"(?:未|没有|无|不|免于?|均未|不存在|尚未|并未|从未)(?:发生|产生)?(?:收取|收起|产生|发生|涉及)[^。;,]{0,12}?" + _FEE_NOUN
    + r"|(?:信息处理费|依申请公开[^。;]{0,10}?费用)[^。;\d]{0,8}?(?:为)?\s*" + _ZERO
    # "政府信息公开没有收费" (FORMATS §3.4), "依申请公开不收费"
    + r"|(?:信息公开|依申请公开)[^。;,\d]{0,8}?(?:没有|未|不|均未|从未)收(?:取)?费"
    # "在提供政府信息时未收取任何费用", "依申请提供政府信息未收取费用": the sentence names 信息 (checked by the caller)
    + r"|(?:未|没有|不|均未|从未)收取(?:任何)?(?:费用|费)"
    # "免收信息处理费" (all applicants; a waiver for some is excluded by the caller)
    + r"|免收(?:取)?(?:了)?(?:政府信息公开)?(?:信息处理费|费用)"
    # "收取信息处理费情况:本年度无。"
    + r"|信息处理费(?:的)?(?:收取|收费)?(?:情况|金额)?\s*[:：]\s*(?:本年度?|全年|今年)?\s*(?:无|没有|为零|零)\s*(?=[。;]|$)",
    re.M)
# An amount billed, owed, waived or refunded is not one collected: "逾期未缴纳信息处理费100元", "拟收取…".
_NOT_COLLECTED = re.compile(r"未|没有|不|应|拟|需|将|通知|减免|免|退|逾期|欠")
# A waiver for some applicants only ("对经济困难的申请人免收") does not say nothing was collected.
_PARTIAL_WAIVER = re.compile(r"困难|符合|条件|部分|低保|特殊")
_FEE_VERB = r"(?<![应未不免])(?:收取|收缴|共收|计收|征收)"
_FEE_AMOUNT = re.compile(
    _FEE_VERB + r"[^。;,\d]{0,10}?(?:信息处理费|依申请公开[^。;]{0,8}?费用|检索、?复制、?邮寄等?费用?|(?:检索|复制|邮寄)费用?)"
    r"[^。;\d]{0,8}?"
    r"(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>万元|元)"
    # the fee named first: "信息处理费合计120元", "信息处理费收入380元", "信息处理费收取情况:380元"
    r"|信息处理费(?:收入|合计|共计|总计|总额|收取|收缴|金额|收取金额|收取情况|收费)?(?:共计|合计)?(?:为|是|达)?\s*[:：]?\s*"
    r"(?P<num2>\d[\d,]*(?:\.\d+)?)\s*(?P<unit2>万元|元)")


def names_category(phrase: str) -> bool:
    """Whether a counted noun phrase is one category of information, not all of it (see _CATEGORY)."""
    return bool(_CATEGORY.search(phrase.split("等")[-1]))


def _proactive_matches(text: str) -> list[tuple[re.Match[str], bool | None]]:
    """(match, stated with 主动, or None for a list of channels closed by 等) for every phrasing, in text order."""
    found: list[tuple[re.Match[str], bool | None]] = [(m, True) for m in _PROACTIVE.finditer(text)]
    found += [(m, False) for m in _STATED_TOTAL.finditer(text)] + [(m, None) for m in _LISTED_TOTAL.finditer(text)]
    return sorted(found, key=lambda item: item[0].start())


def find_proactive_items(doc: Document, title: str) -> tuple[list[Figure], list[Finding]]:
    """主动公开…N条 (or 公布/发布/公开政府信息N条) for the reporting body; `title` tells its own name.

    A count after 其中 is a part of the total stated just before it (in its sentence or the one before:
    "公开信息35829条。其中,通过门户网站公开政府信息4541条"), but the proactive count itself when what comes before
    counts all the information made ("共制作政府信息3021条,其中主动公开信息1027条")."""
    text = doc.text
    found: dict[int, Figure] = {}
    by_channel: dict[int, Figure] = {}  # stated for one channel ("通过政府网站发布…"): the total only if nothing else is
    matches = _proactive_matches(text)
    for match, proactive in matches:
        if _in_table(doc, match.start()) or names_category(match.group()):
            continue
        left, _ = _sentence_span(text, match.start(), match.end())
        clause = re.split(r"[,，、]", text[left:match.start()])[-1]
        listed = proactive is None  # "通过政府网站、查阅场所等公开信息": every channel, so the total
        if names_category(clause):  # "…，其他主动公开政府信息5条"
            continue
        channel = proactive is False and bool(_CHANNEL.search(clause))
        if channel and not _YEAR_WORD.search(clause):
            continue  # "通过政府网站发布政府信息800条": that channel's count (统计表 proactive_via_*)
        year_part = _YEAR_PART.search(clause)
        if match.group("approx") or match.group("approx2") or (
                not year_part and _CUMULATIVE.search(text, left, match.start())) or _CUMULATIVE.search(clause):
            continue
        if PART_OF_AREA.search(clause) and not WHOLE_AREA.search(clause) and not listed:
            continue  # "县直各单位主动公开政府信息303条": a part of the area's total
        if not year_part and "其中" in text[left:match.start()]:
            before = max(text.rfind(ch, 0, left - 1) for ch in "。;\n") + 1
            if any(before <= other.start() < match.start() for other, _ in matches):
                continue
        other = None if year_part else _OTHER_BODY.search(clause)
        if other and not _is_own_body(other.group("body"), other.group("kind"), title):
            continue
        parsed = parse_number(match.group("num") or match.group("num2"))
        if parsed is None:
            continue
        value = int(parsed[0])
        (by_channel if channel else found).setdefault(
            value, Figure("proactive_items", value, _evidence(doc, match.start(), match.end())))
    found = found or by_channel  # "通过部门网站当年发布政府信息393件" when no sentence states the total otherwise
    if len(found) == 1:
        return list(found.values()), []
    if len(found) > 1:
        values = "、".join(str(v) for v in found)
        return [], [Finding("prose", "warn", f"正文给出多个主动公开信息数（{values}），未予采用。", ("proactive_items",))]
    return [], []


def _is_zero_fee(doc: Document, match: re.Match[str]) -> bool:
    if _in_table(doc, match.start()):
        return False
    left, right = _sentence_span(doc.text, match.start(), match.end())
    sentence = doc.text[left:right]
    if re.search(r"收取(?:任何)?费", match.group()) and not re.search(r"信息|公开|申请", sentence):
        return False  # "未收取任何费用" about something else
    return not ("免收" in match.group() and _PARTIAL_WAIVER.search(sentence))


def find_fees_collected(doc: Document) -> tuple[list[Figure], list[Finding]]:
    found: dict[Decimal, Figure] = {}
    for match in _FEE_AMOUNT.finditer(doc.text):
        if _in_table(doc, match.start()):
            continue
        left, _ = _sentence_span(doc.text, match.start(), match.end())
        if _NOT_COLLECTED.search(after_heading(re.split(r"[,，]", doc.text[left:match.start()])[-1])):
            continue
        parsed = parse_number(match.group("num") or match.group("num2"))
        if parsed is None:
            continue
        value = to_wan(parsed[0], match.group("unit") or match.group("unit2"))
        found.setdefault(value, Figure("fees_collected_wan", value, _evidence(doc, match.start(), match.end())))
    if not found:
        zero = next((m for m in _FEE_ZERO.finditer(doc.text) if _is_zero_fee(doc, m)), None)
        if zero:
            return [Figure("fees_collected_wan", Decimal(0), _evidence(doc, zero.start(), zero.end()))], []
    if len(found) == 1:
        return list(found.values()), []
    if len(found) > 1:
        values = "、".join(str(v) for v in found)
        return [], [Finding("prose", "warn", f"正文给出多个信息处理费金额（{values}万元），未予采用。",
                            ("fees_collected_wan",))]
    return [], []


def read_prose(doc: Document, title: str | None) -> tuple[list[Figure], list[Finding]]:
    proactive, proactive_notes = find_proactive_items(doc, title or "")
    fees, fee_notes = find_fees_collected(doc)
    return [*proactive, *fees], [*proactive_notes, *fee_notes]


# --- old-format prose (2008–2018): FORMATS.md §3.4 ------------------------------------------------
# A section heading ("三、依申请公开政府信息情况") tells what the sentences under it count; old reports
# also print headings inline in one long paragraph (seed 002), and a page run into one line glues the first sentence
# to its numbered heading ("五、申请行政复议、提起行政诉讼的情况2014年,全年共收到…").
_HEADING_TITLE = r"[^\s。,;]{0,30}?(?:情况(?:统计)?|措施|事项|概述)"
_HEADING = re.compile(r"(?<![第一二三四五六七八九十])[一二三四五六七八九十]{1,2}、\s*(?P<numbered>" + _HEADING_TITLE + r")"
                      r"|(?:^|(?<=[\s。]))(?P<title>" + _HEADING_TITLE + r")(?=\s|$)", re.M)
_SECTION_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("review", re.compile(r"复议|诉讼")),
    ("fees", re.compile(r"收费|费用|收支")),
    ("replies", re.compile(r"同意公开|不予公开|未予公开")),
    ("applications", re.compile(r"依申请|申请公开")),
    ("proactive", re.compile(r"主动公开")),
)
def _count(units: str = "件|宗|次|个|起|条|人次") -> str:
    """A count with its counter word (FORMATS §3.4: 件|条|宗|起|次|人次…), noting an approximate 余/多."""
    return r"\s*(?P<num>\d[\d,]*|[" + CN_DIGITS + r"]+)\s*(?P<approx>余|多)?\s*(?:" + units + ")"


_COUNT = _count()
# Negated or partial forms ("不同意公开", "部分予以公开", "“不同意公开”"), quoted or not.
_NOT_NEGATED = r"(?<![不未分])(?<![不未分][“\"‘])"
_REPLY_TAIL = r"[”\"’]?(?:的|答复)?"
_SENTENCE_PATTERNS: tuple[tuple[str, str | None, re.Pattern[str]], ...] = (
    # (metric, section kind it must stand in or None for anywhere, pattern)
    ("applications_new", None, re.compile(
        # no digit or bracket in between: "共受理…事项36件(其中:自然人申请32件" is 36, never the 32 inside
        r"(?<!复议)(?:共|全年|累计)?(?:收到|受理|接到|接收|新收)(?:了)?(?:[^。;,复议\d()]{0,24}?)"
        r"(?:信息公开)?(?:申请|依申请公开(?:事项)?)(?:数|数量)?(?:共计|共|为|达)?" + _COUNT)),
    # "政府信息公开申请共10件": the noun first, with its 共/为; a clause about replies is excluded by the caller.
    ("applications_new", None, re.compile(r"信息公开申请(?:数|数量|总数)?(?:共计|共|合计|总计|为)" + _COUNT)),
    ("processed_total", None, re.compile(r"申请办结(?:数|数量)?(?:为)?" + _COUNT)),
    # 不同意公开 / 不予以公开 / 部分予以公开 are other categories: never read them as granted.
    ("granted", "replies_or_applications", re.compile(_NOT_NEGATED + r"(?:同意公开|予以公开)" + _REPLY_TAIL + _COUNT)),
    # "予以公开及部分公开258件" is a combined count, not the partial one (FORMATS §3.4).
    ("partially_granted", "replies_or_applications", re.compile(
        r"(?<![及和与或并])[“\"]?(?:同意部分公开|部分同意公开|部分予以公开|部分公开)" + _REPLY_TAIL + _COUNT)),
    ("denied_total", "replies_or_applications", re.compile(
        r"(?<![及和与或并])[“\"]?(?:不同意公开|不予以?公开|未予公开)" + _REPLY_TAIL + _COUNT)),
    ("review_total", None, re.compile(r"(?:收到|受理|发生|共有)?行政复议(?:申请|案件|案)?(?:共计|共|为)?" + _COUNT)),
    ("review_upheld", "review", re.compile(r"维持(?:了)?(?:行政机关)?(?:具体行政行为|原具体行政行为|原行政行为|原决定)?" + _COUNT)),
    ("review_other", "review", re.compile(r"(?:终止|撤回)[^。;,]{0,16}?(?:结案|终止)?" + _COUNT)),
    ("litigation_total", None, re.compile(r"行政诉讼(?:案件|案)?(?:共计|共|为)?" + _COUNT)),
    # "信息公开类行政复议7件，诉讼9件" (FORMATS §3.4): a bare 诉讼 only under the review heading.
    ("litigation_total", "review", re.compile(r"(?<![政申起])诉讼(?:案件|案)?(?:共计|共|为)?" + _COUNT)),
)
_REPLY_KEYS = ("granted", "partially_granted", "denied_total")
_ALL_GRANTED = re.compile(r"申请" + _COUNT + r"\s*[,，]\s*(?:均|全部|都|已)?(?:同意|予以)公开(?![^。;]{0,6}\d)")
# Training counts: seed 002's truth keeps "培训30余期" and "2300余人次" (flagged as approximate).
_TRAININGS = re.compile(r"(?:举办|开展|组织|召开)[^。;]{0,16}?培训(?:班)?" + _count("期|次|场|班"))
_TRAINEES = re.compile(r"培训[^。;\d]{0,12}?(?:人员|干部|工作人员)" + _count("人次|人"))
_PROACTIVE_IN_SECTION = re.compile(r"共(?:发布|公开|主动公开)[^。;,\d]{0,12}?信息" + _COUNT)
# No letter, call or consultation in between: "未收到群众来信,共收到依申请公开2件" is no zero.
_NO_APPLICATIONS = re.compile(r"(?:未|没有|尚未|无)(?:收到|接到|接收到|受理)[^。;,\d来咨复诉]{0,16}?(?<!复议)申请")
_WITH_CARRIED = re.compile(r"\s*[(（]?\s*(?:含|包括|包含)[^。)）]{0,16}?(?:上年|上一年|去年)[^。)）]{0,6}?结转")
_AREA_STAFF = re.compile(r"全(?:省|市|州|盟|区|县|旗)|各(?:县|区|乡镇|部门|单位)|余|多名|约|不完全")
# Staff in the old reports' 工作人员 sections: "从事政府信息公开工作的全职人员1人,兼职人员3人".
_STAFF = ((re.compile(r"(?:专职|全职)(?:工作)?人员(?:有|为|共)?\s*(?P<num>\d+|[" + CN_DIGITS + r"]+)\s*(?P<approx>余|多)?\s*(?:人|名)"),
           "staff_fulltime"),
          (re.compile(r"兼职(?:工作)?人员(?:有|为|共)?\s*(?P<num>\d+|[" + CN_DIGITS + r"]+)\s*(?P<approx>余|多)?\s*(?:人|名)"),
           "staff_parttime"))
_NO_REVIEW_OR_SUIT = re.compile(r"(?:未|没有|无|尚未|不存在)(?:发生|产生|收到|出现|接到|受理|因)[^。;]{0,30}?行政复议[^。;]{0,12}?行政诉讼")
# One of them denied in its own sentence ("本年度未发生政府信息公开行政诉讼。"): the noun must end the clause, so
# "未发生行政诉讼败诉" (none lost) is not "no lawsuit".
_NO_ONE = r"(?:未|没有|尚未|不存在)(?:发生|产生|收到|出现|接到|受理|因)[^。;,\d]{0,30}?"
_NO_REVIEW = re.compile(_NO_ONE + r"行政复议(?:案件|案|申请)?(?:的?情况)?(?=\s*(?:[。;,、]|$))", re.M)
_NO_SUIT = re.compile(_NO_ONE + r"行政诉讼(?:案件|案)?(?:的?情况)?(?=\s*(?:[。;,、]|$))", re.M)
# "共受理政府信息公开申请0" (FORMATS §3.4: the unit lost): only a bare 0 ends such a clause.
_ZERO_APPLICATIONS = re.compile(r"(?:收到|受理|接到)[^。;,复议]{0,12}?申请(?:数|数量)?(?:为)?\s*0(?![\d.])(?=\s*(?:[。;,]|$))", re.M)
# A clause that counts replies or handled requests is not the count of applications received.
_NOT_RECEIVED = re.compile(r"答复|办结|办理|处理|转办")
# "无此类情况。" as a sentence of its own: on its line, after a full stop, or right after its heading on one line.
_NONE_OF_THIS = re.compile(r"(?:^|(?<=[。\n]))\s*(?:无此类情况|无|没有此类情况|未发生此类情况)\s*(?:[。.]|$)", re.M)
_NONE_AFTER_HEADING = re.compile(r"\s*(?:无此类情况|无|没有此类情况|未发生此类情况)\s*(?:[。.]|$)", re.M)


def _sections(text: str) -> list[tuple[str | None, int, int]]:
    """(kind, start, end) spans of the text under each recognised heading; kind None elsewhere."""
    marks = [(m.start(), next((k for k, p in _SECTION_KINDS if p.search(m.group("numbered") or m.group("title"))), None))
             for m in _HEADING.finditer(text)]
    spans: list[tuple[str | None, int, int]] = []
    for i, (start, kind) in enumerate(marks):
        end = marks[i + 1][0] if i + 1 < len(marks) else len(text)
        spans.append((kind, start, end))
    return spans


def _kind_at(spans: list[tuple[str | None, int, int]], pos: int) -> str | None:
    for kind, start, end in spans:
        if start <= pos < end:
            return kind
    return None


def read_old_prose(doc: Document) -> tuple[list[Figure], list[Finding]]:
    """Figures from the sentences of an old-format report; each metric only when its sentences agree."""
    text = doc.text
    spans = _sections(text)
    found: dict[str, dict[int, Figure]] = {}

    def add(key: str, value: int, start: int, end: int) -> None:
        found.setdefault(key, {}).setdefault(value, Figure(key, value, _evidence(doc, start, end)))

    for key, where, pattern in _SENTENCE_PATTERNS:
        for match in pattern.finditer(text):
            if _in_table(doc, match.start()):
                continue
            kind = _kind_at(spans, match.start())
            if where == "review" and kind != "review":
                continue
            if where == "replies_or_applications" and kind not in ("replies", "applications"):
                continue
            if key in ("applications_new", "processed_total", *_REPLY_KEYS) and kind == "review":
                continue
            left, _ = _sentence_span(text, match.start(), match.end())
            if match.group("approx") or _CUMULATIVE.search(text, left, match.start()):
                continue
            clause = re.split(r"[,，]", text[left:match.start()])[-1]
            if key == "applications_new" and (_NOT_RECEIVED.search(clause + match.group())
                                               or _WITH_CARRIED.match(text, match.end())):
                continue  # replies counted, or the carried-over requests counted in ("24件(含上年结转1件)")
            parsed = parse_number(match.group("num"))
            if parsed is not None:
                add(key, int(parsed[0]), match.start(), match.end())
    for match in _PROACTIVE_IN_SECTION.finditer(text):
        if _kind_at(spans, match.start()) == "proactive" and not match.group("approx") \
                and not names_category(match.group()) \
                and not names_category(re.split(r"[,，、。;\n]", text[max(0, match.start() - 20):match.start()])[-1]):
            parsed = parse_number(match.group("num"))
            if parsed is not None:
                add("proactive_items", int(parsed[0]), match.start(), match.end())
    for match in _ALL_GRANTED.finditer(text):
        parsed = parse_number(match.group("num"))
        if parsed is not None and _kind_at(spans, match.start()) != "review":
            add("granted", int(parsed[0]), match.start(), match.end())
    approximate: list[str] = []
    for pattern, key in _STAFF:
        for match in pattern.finditer(text):
            left, right = _sentence_span(text, match.start(), match.end())
            if _AREA_STAFF.search(text, left, right) or _in_table(doc, match.start()):
                continue  # the staff of a whole area, or an estimate ("全州有…1200余名,其中专职人员530名")
            parsed = parse_number(match.group("num"))
            if parsed is not None and not match.group("approx"):
                add(key, int(parsed[0]), match.start(), match.end())
    for key, pattern in (("trainings", _TRAININGS), ("trainees", _TRAINEES)):
        for match in pattern.finditer(text):
            parsed = parse_number(match.group("num"))
            if parsed is not None:
                add(key, int(parsed[0]), match.start(), match.end())
                if match.group("approx"):
                    approximate.append(key)
    for match in _ZERO_APPLICATIONS.finditer(text):
        if _kind_at(spans, match.start()) != "review" and not _in_table(doc, match.start()):
            add("applications_new", 0, match.start(), match.end())
    for match in _NO_APPLICATIONS.finditer(text):
        if _kind_at(spans, match.start()) != "review":
            add("applications_new", 0, match.start(), match.end())
    zero_review = [m for m in _NO_REVIEW_OR_SUIT.finditer(text)]
    zero_review += [m for m in _NONE_OF_THIS.finditer(text) if _kind_at(spans, m.start()) == "review"]
    zero_review += [m for heading in _HEADING.finditer(text) if (m := _NONE_AFTER_HEADING.match(text, heading.end()))
                    and _kind_at(spans, m.start()) == "review"]
    for match in zero_review:
        add("review_total", 0, match.start(), match.end())
        add("litigation_total", 0, match.start(), match.end())
    for key, pattern in (("review_total", _NO_REVIEW), ("litigation_total", _NO_SUIT)):
        for match in pattern.finditer(text):
            if _in_table(doc, match.start()):
                continue
            left, right = _sentence_span(text, match.start(), match.end())
            if _kind_at(spans, match.start()) == "review" or "公开" in text[left:right]:
                add(key, 0, match.start(), match.end())
    # A reply count larger than the applications is another count (seed 000: 同意公开政府信息5501件).
    if "applications_new" in found and len(found["applications_new"]) == 1:
        applications = next(iter(found["applications_new"]))
        for key in _REPLY_KEYS:
            if key in found:
                found[key] = {v: f for v, f in found[key].items() if v <= applications}
    figures, findings = _agreeing(found)
    for key in sorted(set(approximate) & {f.key for f in figures}):
        findings.append(Finding("prose", "info", f"“{key}”为约数（原文“余”），按所写数字记录。", (key,)))
    return figures, findings


def _agreeing(found: dict[str, dict[int, Figure]]) -> tuple[list[Figure], list[Finding]]:
    figures: list[Figure] = []
    findings: list[Finding] = []
    for key, by_value in found.items():
        if len(by_value) == 1:
            figures.extend(by_value.values())
        elif len(by_value) > 1:
            values = "、".join(str(v) for v in by_value)
            findings.append(Finding("prose", "warn", f"正文对“{key}”给出不同的数（{values}），未予采用。", (key,)))
    return figures, findings


def read_summary(doc: Document) -> dict[str, Figure]:
    """The table 3 / table 4 totals the summary sentences of a 2019+ report state (`summary`), for K8."""
    return read_summary_sentences(doc)[0]
