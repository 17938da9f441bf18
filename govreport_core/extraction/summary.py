"""Summary sentences of 2019+ reports: Document -> the table 3 and table 4 figures they state.

"共收到政府信息公开申请132件,上年结转2件…目前依法办结122件,其中予以公开的27件…结转下年度继续办理的12件。
行政复议7件,结果维持6件,尚未审结1件;行政诉讼4件…". Where the report's tables are missing (an excerpt, a page
without its tables) these are its figures; where the tables are there they only cross-check them (FORMATS §5 K8,
`checks.check_k8`: the table is trusted).

Each count (a number with its counter word, or a bare number followed by its share "67,占4.61%") is named by
its label: the words between the previous count (or the clause's start) and the number. A label names one
figure or none; accuracy over coverage, so a count is left out when its label:
- joins two outcomes ("同意公开或部分公开247件", "予以公开及部分公开258件": neither one);
- names a reason or a sub-row ("因涉及第三方不予公开3件"), an applicant or a channel after 其中 ("(其中:自然人申请32件…)"),
  information items rather than requests ("不予公开信息1535条"), a part of the area ("各乡镇…", without 全),
  another year or a change ("上年收到…", "同比增加…"), a cumulative total ("累计…"), an approximate "N余件";
- counts requests received together with the carried-over ones ("共受理…24件(含上年结转1件)": the 1 is carried
  over, the 24 is not the year's new requests);
- counts letters, calls or consultations ("未收到…来信", "咨询2070人次").
A figure the sentences give two different values for is left out with a finding. "办理N件" is the processed total
only in a sentence that also states the requests received or carried over (otherwise it may mean received).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from govreport_core import catalog
from govreport_core.model import Document, Figure, Finding

from .normalise import CN_DIGITS, parse_number
from .sentences import CUMULATIVE, OTHER_BODY, PART_OF_AREA, WHOLE_AREA, after_heading, evidence, in_table, is_own_body

# A count: a number and its counter word, or a bare number followed by its share ("67,占4.61%").
# Chinese numerals only before 件/宗/起: "三个一" is a name, "一次" an adverb.
_COUNT = re.compile(r"(?<![\d.])(?P<num>\d[\d,]*)(?![\d.%])[ \t]*(?P<approx>余|多)?[ \t]*(?P<unit>件次|件|宗|起|个|条|次|项)"
                    r"|(?P<cn>[" + CN_DIGITS + r"]+)[ \t]*(?P<cn_unit>件|宗|起)"
                    r"|(?<![\d.])(?P<bare>\d+)(?=[ \t]*[,，][ \t]*占[ \t]*\d)")
_SENTENCE_END = re.compile(r"[。\n]")
# Where a label starts: after a clause mark. "、" is not one: "予以公开、部分公开258件" must stay one label.
_CLAUSE = re.compile(r"[,，:：;；(（)）]")
_GROUP_RESET = re.compile(r"[;；]")

_OUTCOMES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("partially_granted", re.compile(r"部分(?:予以|同意)?公开|同意部分公开")),
    ("denied_total", re.compile(r"不予以?公开|不同意公开|未予公开")),
    ("granted", re.compile(r"(?<![不未分])(?:予以公开|同意公开)")),
    ("unable_total", re.compile(r"无法提供")),
    ("not_processed_total", re.compile(r"不予处理")),
    ("other_handling", re.compile(r"其他处理|其它处理")),
)
# A reason or a sub-row of an outcome ("因涉及第三方合法权益不予公开3件", "重复申请1件").
_SUB_ROW = re.compile(r"秘密|法律|法规|禁止|安全|稳定|危及|第三方|内部事务|过程性|执法案卷|查询|不掌握|现成|另行制作|不明确|"
                      r"信访|举报|投诉|重复|出版物|大量|确认|重新出具|补正|缴纳|逾期")
# Information items classed by how they are disclosed ("依申请公开信息459条,不予公开信息1535条"), not requests.
_ITEMS = re.compile(r"(?:公开|提供|处理)(?:的)?(?:政府|政务)?信息(?:数|数量)?(?:共|为)?$")
_REQUEST = re.compile(r"申请|依申请公开|新收$")
# The receipt verb and what it received, up to the count: "共收到政府信息公开申请", "本年新收", "受理依申请公开事项";
# no list or quotation in between ("登记受理、第一时间转送…").
_RECEIPT = re.compile(r"(?:收到|受理|接到|接收|新收|登记)(?:了)?[^、“”\"]{0,24}$")
_REQUEST_AFTER = re.compile(r"^[ \t]*(?:的)?(?:政府信息公开|信息公开|依申请公开)?申请")
# Not requests for information: letters, visits, calls, consultations, complaints, e-government services.
_NOT_REQUESTS = re.compile(r"来信|来访|信访|咨询|投诉|举报|热线|留言|诉求|意见|建议|提案|办件|政务服务|事项数|许可|审批|"
                           r"项目|补贴|救助|听证|赔偿|仲裁|备案|注册|登记证|专利|商标")
# A request is a disclosure request when its words or its sentence (or the heading just before) say so.
_DISCLOSURE = re.compile(r"信息公开|依申请|政府信息|公开申请|申请公开|结转")  # 结转: table 3's flow of requests
# A sub-count by applicant or channel: "(其中:自然人申请32件", "通过网络申请1303件".
_BY_KIND = re.compile(r"其中|自然人|法人|企业|组织|公民|网络|网上|在线|当面|现场|信函|邮寄|传真|电子邮件|电话")
_OTHER_YEAR = re.compile(r"去年|上一?年(?!度?结转|结转)|前年|同比|较上|比上|增加|减少|增长|下降|持平")
_WITH_CARRIED = re.compile(r"^[ \t]*[(（,，]?[ \t]*(?:含|包括|包含|其中)[^。)）]{0,16}?(?:上年|上一年|去年)[^。)）]{0,6}?结转")
_CARRIED_IN = re.compile(r"(?:上年|上一年|上年度|去年)(?:度)?[^,，。]{0,6}?结转|结转上年")
_CARRIED_OUT = re.compile(r"结转(?:至|到)?(?:下(?:一)?年|次年|(?:19|20)\d{2}年)")
_CARRIED_OUT_AFTER = re.compile(r"^[ \t]*(?:的)?[ \t]*(?:结转|转)(?:至|到)?下(?:一)?年")
_PROCESSED = re.compile(r"办结|办理完(?:毕|成)|答复|办理")
_PARTIAL_PROCESS = re.compile(r"按时|延期|逾期|当场|按期|限内")
_REVIEW = re.compile(r"复议")
_SUIT = re.compile(r"诉讼|起诉")
_DISPUTE = re.compile(r"争议|纠纷")
_REVIEW_TOTAL = re.compile(r"(?:行政)?复议(?:申请|案件|案)?(?:共计|共|为)?$")
_SUIT_TOTAL = re.compile(r"(?:行政)?诉讼(?:案件|案)?(?:共计|共|为)?$")
_REVIEW_OUTCOMES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("review_upheld", re.compile(r"维持")),
    ("review_corrected", re.compile(r"纠正|纠错")),
    ("review_pending", re.compile(r"尚未审结|未审结|审理中|正在审理|未结")),
    ("review_other", re.compile(r"其他结果|其它结果|终止|撤回")),
)
# A disclosure request's units: never 条 (items of information) or 人次 (visitors).
_REQUEST_UNITS = frozenset({"件", "宗", "起", "个", "次", "项", None})
_DISCLOSURE_WORDS = re.compile(r"信息公开|政府信息|依申请")
_HEADING_WINDOW = 40  # "(二)依申请公开情况。本年度全区共收到70件申请": the heading names what the sentence counts
_NEW_ONLY = frozenset(k for k in ("applications_carried_over", "carried_to_next_year", "unable_total",
                                  "not_processed_total", "other_handling", "review_pending"))

# Zeros said in words.
_NO_GAP = r"[^。;；,，\d来咨复诉]{0,20}?"
_NO_REQUESTS = re.compile(r"(?:未|没有|尚未|无)(?:收到|接到|接收到|受理|发生)" + _NO_GAP + r"(?<!复议)申请")
_NO_REVIEW_OR_SUIT = re.compile(r"(?:未|没有|无|尚未|不存在)(?:发生|产生|收到|出现|接到|受理|因)[^。;；\d]{0,30}?行政复议"
                                r"[^。;；\d]{0,12}?(?:行政)?诉讼")
_NO_ONE = r"(?:未|没有|尚未|不存在)(?:发生|产生|收到|出现|接到|受理|因)[^。;；,，\d]{0,30}?"
_NO_REVIEW = re.compile(_NO_ONE + r"行政复议(?:案件|案|申请)?(?:的?情况)?(?=\s*(?:[。;；,，、]|$))", re.M)
_NO_SUIT = re.compile(_NO_ONE + r"行政诉讼(?:案件|案)?(?:的?情况)?(?=\s*(?:[。;；,，、]|$))", re.M)


@dataclass
class _Sentence:
    start: int
    end: int
    group: str | None = None  # "review" or "litigation": what the outcome words that follow count
    has_flow: bool = False  # it states requests received or carried over
    other: bool = False  # the last count named was of something else ("受理行政许可申请1234件,办结1230件")
    disclosure: bool | None = None  # it (or the heading before it) is about disclosure requests; found once
    disclosure_words: bool | None = None  # it names disclosure itself (review cases its disclosure work caused)


def _label(text: str, start: int, end: int) -> str:
    """The words naming the count at `end`: from the last clause mark (or `start`) on."""
    piece = text[start:end]
    marks = list(_CLAUSE.finditer(piece))
    return after_heading(piece[marks[-1].end():].strip() if marks else piece.strip())


def _outcome(label: str) -> str | None:
    """The one outcome a label names; None for none or for two joined ("同意公开或部分公开")."""
    named: list[str] = []
    rest = label
    for key, pattern in _OUTCOMES:
        if pattern.search(rest):
            named.append(key)
            rest = pattern.sub("", rest)
    return named[0] if len(named) == 1 else None


class _Reader:
    def __init__(self, doc: Document, title: str, new_era: bool) -> None:
        self.doc, self.text, self.title, self.new_era = doc, doc.text, title, new_era
        self.found: dict[str, dict[int, Figure]] = {}

    def add(self, key: str, value: int, start: int, end: int) -> None:
        if key in _NEW_ONLY and not self.new_era:
            return
        by_value = self.found.setdefault(key, {})
        if value not in by_value:  # evidence only for a new value: a long sentence repeats its counts
            by_value[value] = Figure(key, value, evidence(self.doc, start, end))

    def read(self) -> None:
        start = 0
        for end_mark in [*_SENTENCE_END.finditer(self.text), None]:
            end = end_mark.start() if end_mark else len(self.text)
            if end > start:
                self._sentence(_Sentence(start, end))
            start = end + 1
        self._zeros()

    def _sentence(self, s: _Sentence) -> None:
        text = self.text
        counts = [m for m in _COUNT.finditer(text, s.start, s.end) if not in_table(self.doc, m.start())]
        if not counts:
            return
        labels = []
        previous = s.start
        for match in counts:
            labels.append((match, text[previous:match.start()]))
            previous = match.end()
        s.has_flow = any(_RECEIPT.search(_label(between, 0, len(between))) or _CARRIED_IN.search(between)
                         for _, between in labels)
        for match, between in labels:
            if _GROUP_RESET.search(between):
                s.group = None
            key = self._key(s, match, between)
            if key is None or match.group("approx"):
                continue
            parsed = parse_number(match.group("num") or match.group("bare") or match.group("cn"))
            if parsed is not None:
                self.add(key, int(parsed[0]), match.start(), match.end())

    def _key(self, s: _Sentence, match: re.Match[str], between: str) -> str | None:
        text = self.text
        label = _label(between, 0, len(between))
        unit = match.group("unit") or match.group("cn_unit")
        after = text[match.end():min(s.end, match.end() + 24)]
        if CUMULATIVE.search(label) or (_DISPUTE.search(label) and not _REVIEW.search(label)):
            return None
        if _CARRIED_OUT.search(label) or (_CARRIED_OUT_AFTER.search(after) and len(label) <= 4):
            return "carried_to_next_year" if unit in _REQUEST_UNITS else None
        if _CARRIED_IN.search(label):
            return "applications_carried_over" if unit in _REQUEST_UNITS else None
        if _OTHER_YEAR.search(label):
            return None
        review, suit = _REVIEW.search(label), _SUIT.search(label)
        if review and suit:  # "行政复议和行政诉讼案件3件": both together
            s.group = None
            return None
        if review or suit:
            s.group = "review" if review else "litigation"
            if s.disclosure_words is None:
                s.disclosure_words = bool(_DISCLOSURE_WORDS.search(text, s.start, s.end))
            if not s.disclosure_words:
                return None  # the body's review cases of all kinds, not the ones its disclosure work caused
            total = _REVIEW_TOTAL if review else _SUIT_TOTAL
            return ("review_total" if review else "litigation_total") if total.search(label) else None
        if s.group is not None:  # "结果维持6件,尚未审结1件" after "行政复议7件"
            if s.group == "review" and unit in _REQUEST_UNITS:
                return next((key for key, pattern in _REVIEW_OUTCOMES if pattern.search(label)), None)
            return None
        if unit not in _REQUEST_UNITS:
            return None
        if _NOT_REQUESTS.search(label):
            s.other = True
            return None
        if _RECEIPT.search(label) or _outcome(label):
            s.other = False
        whole = WHOLE_AREA.search(text, max(s.start, match.start() - _HEADING_WINDOW), match.start())
        if (PART_OF_AREA.search(label) and not whole) or self._other_body(label):
            return None
        outcome = _outcome(label)
        if outcome is not None:
            return None if _SUB_ROW.search(label) or _ITEMS.search(label) else outcome
        if _PROCESSED.search(label) and not _PARTIAL_PROCESS.search(label) and not _SUB_ROW.search(label):
            if "办理" in label and not ("办结" in label or "答复" in label or s.has_flow):
                return None
            if s.other or not self._about(s):
                return None
            if "答复" in label and not self.new_era:
                return None  # the old 统计表's 申请答复数 counts replies, not requests handled
            return "processed_total"
        received = _RECEIPT.search(label)
        if received and (_REQUEST.search(label, received.start()) or _REQUEST_AFTER.match(after)):
            if _BY_KIND.search(label) or _ITEMS.search(label) or _WITH_CARRIED.search(after) or not self._about(s):
                return None
            return "applications_new"
        return None

    def _about(self, s: _Sentence) -> bool:
        if s.disclosure is None:
            s.disclosure = bool(_DISCLOSURE.search(self.text, max(0, s.start - _HEADING_WINDOW), s.end))
        return s.disclosure

    def _other_body(self, label: str) -> bool:
        """The label's subject is another body ("区财政局收到申请…"), not the report's own."""
        other = OTHER_BODY.search(re.split(r"(?:共|全年|本年度?)?(?:收到|受理|接到|新收|办结|答复|予以|同意|无法|不予)",
                                           label)[0])
        if other and "各" in (other.group("body") or ""):  # "全区各部门共收到…": all of them, the area's count
            return False
        return bool(other and other.group("body") and not is_own_body(other.group("body"), other.group("kind"),
                                                                       self.title))

    def _zeros(self) -> None:
        text = self.text
        for match in _NO_REQUESTS.finditer(text):
            if not in_table(self.doc, match.start()):
                self.add("applications_new", 0, match.start(), match.end())
        for match in _NO_REVIEW_OR_SUIT.finditer(text):
            self.add("review_total", 0, match.start(), match.end())
            self.add("litigation_total", 0, match.start(), match.end())
        for key, pattern in (("review_total", _NO_REVIEW), ("litigation_total", _NO_SUIT)):
            for match in pattern.finditer(text):
                left = max(text.rfind(ch, 0, match.start()) for ch in "。\n") + 1
                if not in_table(self.doc, match.start()) and "公开" in text[left:match.end() + 20]:
                    self.add(key, 0, match.start(), match.end())

    def result(self) -> tuple[dict[str, Figure], list[Finding]]:
        figures: dict[str, Figure] = {}
        findings: list[Finding] = []
        for key, by_value in self.found.items():
            if len(by_value) == 1:
                figures[key] = next(iter(by_value.values()))
            else:
                values = "、".join(str(v) for v in by_value)
                findings.append(Finding("prose", "warn", f"正文对“{catalog.label(key)}”给出不同的数（{values}），未予采用。",
                                        (key,)))
        return figures, findings


def read_summary_sentences(doc: Document, title: str = "", new_era: bool = True) -> tuple[dict[str, Figure],
                                                                                          list[Finding]]:
    """The table 3 / table 4 figures the sentences state, each only when its sentences agree."""
    reader = _Reader(doc, title, new_era)
    reader.read()
    return reader.result()


def zero_review_leaves(figures: dict[str, Figure]) -> list[Figure]:
    """No review case (or no lawsuit) at all: each of its table 4 cells is 0 too (non-negative counts summing to 0)."""
    out: list[Figure] = []
    for total, groups in (("review_total", ("review",)), ("litigation_total", ("litigation_direct",
                                                                               "litigation_after_review"))):
        said = figures.get(total)
        if said is None or said.value != 0:
            continue
        for group in groups:
            for leaf, _, _ in catalog.TABLE4_LEAVES:
                key = catalog.table4_key(group, leaf)
                if key not in figures:
                    out.append(Figure(key, 0, said.evidence, derived=True))
    return out
