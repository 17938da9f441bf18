"""The report's title: on a line of its own, split over lines, or inside a page flattened into one line.

A title is a line that reads like a report title (an agency or area, maybe a year, then 政府/政务信息公开…报告),
joined with the lines it was split from ("洪泽区人民政府" / "2023年政府信息公开工作年度报告"). When page chrome
lists other reports above the body, `find_title` says which one is the report's.

A crawled page is often one line: menus, a breadcrumb (当前位置:首页>…>正文), the page's field labels (标 题,
发布机构), a page number (-1-), then the title and, with no break, the body ("…工作年度报告本报告由…"). There a
title is found inside the running text (`_titles_inside`): it ends in 信息公开…报告 and starts where a title can
(a year, a place the gazetteer knows, or right after a separator, a label or the line's start), with nothing
between that start and 信息公开 but the body's name and the year. A sentence that merely mentions a report
("现将…年度报告如下", "根据《…年度报告编制…》的通知", "在…年度报告中") is never a title.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from govreport_core.model import Document

from .gazetteer import get_gazetteer
from .normalise import squash

# A title: an agency or area, maybe a year, then 政府/政务信息公开…报告; no sentence punctuation, no Latin words.
TITLE = re.compile(r"^(?P<title>[^。,;:!?A-Za-z]{0,60}?(?:(?:政府|政务)?信息公开|政务公开)[^。,;:!?A-Za-z]{0,16}?报告)(?P<tail>.*)$")
_TITLE_BAD = re.compile(r"范文|模板|模版|下载|\.docx?$|\.pdf$|通知|制度|办法|规定|条例")
# Chinese-numeral years are often typed with a look-alike zero: ○ (U+25CB), ◯, an ASCII 0, a Latin or Greek O
# ("二○二三", "二0二三", "二O二三"). Read inside a 4-character year before 年 only, so other text is untouched.
ZEROS = "○◯0OoΟο"
CN_YEAR = rf"[〇零一二][〇零一二三四五六七八九{ZEROS}]{{3}}"
_LOOKALIKE_YEAR = re.compile(rf"{CN_YEAR}(?=\s*年)")
LOOKALIKE_ZERO = re.compile(f"[{ZEROS}]")
YEAR = re.compile(rf"((?:19|20)\d{{2}}|{CN_YEAR})\s*年")
# A title line that ends in its year ("南城街街道办事处2021年" / "政府信息公开工作年度报告", FORMATS §6).
_YEAR_END = re.compile(rf"(?:(?:19|20)\d{{2}}|{CN_YEAR})\s*年度?$")
_TAIL_MAX = 8  # "(全文)", "(2023年)" after a title; more is a sentence
_PUNCTUATION = re.compile(r"[。,;:!?>]")  # a labelled field or a breadcrumb, not part of a title
# What stands before a title on its line: a crawler's "标题:" field, a markdown heading's "#".
_LINE_LEAD = re.compile(r"^(?:标题\s*[:：]?|#+)")
# A title's first line that stops before 报告 ("2023年政府信息公开" / "工作年度报告").
_TITLE_START = re.compile(r"(?:政府|政务)?信息公开|政务公开")
# Where the report body starts: a section heading, a sentence, or a table row. A title just above it is
# the report's own; titles further up are page chrome (lists of other reports, breadcrumbs).
BODY_START = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.]|第[一二三四五六七八九十]{1,3}(?:部分|章))|。|\|")
_ORG_END = re.compile(r"(人民政府|政府|办公室|办公厅|办事处|管委会|管理委员会|委员会|局|厅|委|院|所|中心|镇|乡|街道|区|县|市|州|旗|盟)$")

# --- a title inside running text ------------------------------------------------------------------
# 信息公开 (or 政务公开), then only the words a title ends with, then 报告: "信息公开工作年度报告", "政务公开年度工作报告".
_KEYWORD_TO_END = re.compile(r"(?:(?:政府|政务)?信息公开|政务公开)(?:[ \t]?(?:工作|年度|管理|情况))*[ \t]?报告")
_IN_TEXT_YEAR = re.compile(rf"(?:(?:19|20)\d{{2}}|{CN_YEAR})年度?|[ \t]?(?:19|20)\d{{2}}[ \t]年度?[ \t]?")
_YEAR_BEFORE = re.compile(rf"(?:(?:19|20)\d{{2}}|{CN_YEAR})\s*年度?\s*$")  # a menu of years: which is the title's is not said
_PREFIX_MAX = 45  # the body's name and the year before 信息公开
# Where no title starts: a separator, a bracket, a quotation, a page number's dash, a bullet.
_SEPARATOR = re.compile(r"[\s。,;:!?>》<《|•·\-—_/\\【】\[\]()\"“”'‘’「」]")
# Field labels and chrome words that end just before a title ("标题2023年…", "正文洪江区…") and never stand inside one.
_LABEL = (r"标\s?题|题\s?目|正\s?文|名\s?称|来\s?源|发布机构|发布时间|发布日期|日期|时间|首页|当前位置|栏目|字号|浏览|打印|分享"
          r"|下载|文档|范文")
LABEL_END = re.compile(rf"(?:{_LABEL})$")
_NOT_IN_PREFIX = re.compile(rf"{_LABEL}|公开|公布|发布|报告|年报|网站|门户|做好|印发|转发|编制|通知|根据|按照|依据|现将|[A-Za-z]")
# A sentence that mentions a report: "现将…报告如下", "根据…报告", "在…报告中", "…报告的通知".
_SENTENCE_BEFORE = re.compile(r"(?:现将|将|把|对|了|是|为|在|从|向|经|由|按|据|照|的|和|与|及|好|制|布|发|印|送|写|成|《|<|“|\")$")
_SENTENCE_AFTER = re.compile(r"^(?:如下|向社会|予以|公布|发布(?!时间|日期|机构)|的|中|已|和|及|与|、|,|》|”|\"|编制|进行|要求|工作的|通知"
                             r"|格式|模板|样本|范本|>)")


class _Found(NamedTuple):
    start: int
    end: int
    title: str


def plain_year(text: str) -> str:
    """'二○二三年' -> '二〇二三年': look-alike zeros inside a Chinese-numeral year become 〇."""
    return _LOOKALIKE_YEAR.sub(lambda m: LOOKALIKE_ZERO.sub("〇", m.group()), text)


def _starts(text: str, keyword: int) -> list[int]:
    """Where a title ending at `keyword` may start, earliest first: a year, a place, or after a separator or label."""
    low = max(0, keyword - _PREFIX_MAX)
    window = text[low:keyword]
    starts = {low + m.start() + (window[m.start()] in " \t") for m in _IN_TEXT_YEAR.finditer(window)}
    starts |= {low + m.start for m in get_gazetteer().find(window)}
    starts |= {p for p in range(low, keyword) if p == 0 or _SEPARATOR.match(text[p - 1]) or LABEL_END.search(text[low:p])}
    return sorted(p for p in starts if not _SEPARATOR.match(text[p]))


def _clean_prefix(prefix: str) -> bool:
    """A body's name and a year only: no separator (a space only around a PDF-spaced year), label, chrome word or
    verb, and each part beside the year a body's or an area's name ("上海市科委", "自治州"; not "现公布")."""
    parts = [part for part in _IN_TEXT_YEAR.split(prefix) if part]
    if len(_IN_TEXT_YEAR.findall(prefix)) > 1:  # a menu of years: which one is the title's is not said
        return False
    return all(not _SEPARATOR.search(part) and not _NOT_IN_PREFIX.search(part) and not re.search(r"\d", part)
               and (_ORG_END.search(part) or part == "关于" or _ORG_END.search(part.removesuffix("关于")))
               for part in parts)


def _titles_inside(text: str, limit: int) -> list[_Found]:
    """Titles inside running text up to `limit` (offsets into `text`), in order. Each ends at 信息公开…报告 and
    starts at the earliest place a title can; a mention inside a sentence is no title."""
    found: list[_Found] = []
    for match in _KEYWORD_TO_END.finditer(text, 0, limit):
        start = next((p for p in _starts(text, match.start()) if _clean_prefix(text[p:match.start()])
                      and not _YEAR_BEFORE.search(text, max(0, p - 8), p)), None)
        if start is None:
            continue
        before = squash(text[max(0, start - 4):start])
        after = text[match.end():match.end() + 6].lstrip()
        if (before and _SENTENCE_BEFORE.search(before) and not LABEL_END.search(before)) or _SENTENCE_AFTER.match(after) \
                or _TITLE_BAD.search(after):
            continue
        title = squash(text[start:match.end()])
        if not _TITLE_BAD.search(title):
            found.append(_Found(start, match.end(), title))
    return found


def _from_running_text(line: str) -> list[_Found]:
    """Titles in a long line before its body starts (the first full stop after the first title)."""
    found = _titles_inside(line, len(line))
    if not found:
        return []
    stop = line.find("。", found[0].end)
    return [f for f in found if stop == -1 or f.start < stop]


# --- the title of a document ----------------------------------------------------------------------

def find_title(doc: Document) -> str | None:
    """The report's title. Of several different titles above the body, the one the HTML <title> names, else the
    one standing alone (not in a list of reports), else the one nearest to the body: earlier ones are page chrome.
    A page flattened into one line gives titles inside its running text: the first one naming a body."""
    raw = [plain_year(line.strip()) for line in doc.text[:6000].split("\n")]
    raw = [line for line in raw if line]
    lines = [squash(line) for line in raw]
    candidates: list[tuple[int, str, str]] = []
    running: list[str] = []  # titles found inside running text
    run_on: list[str] = []  # titles inside a line that starts with a title and runs on
    for index, line in enumerate(lines):
        if (candidates or running) and BODY_START.search(line):
            break
        found = _title_at(lines, index)
        if found and not _polluted(found[0]):
            candidates.append((index, *found))
            if len(found[1]) > _TAIL_MAX:  # the line runs on: other reports' titles may follow in it
                run_on += [f.title for f in _from_running_text(raw[index])]
        else:  # chrome, the title and the body run together on one line
            running += [f.title for f in _from_running_text(raw[index])]
    hint = TITLE.match(plain_year(squash(doc.title_hint))) if doc.title_hint else None
    if not candidates:  # the page's <title> before a title found in running text (which may be a related link)
        return hint.group("title") if hint else _choose_running(running) if running else None
    # Only a line that is nothing but a title can be chosen over the first one: not a sentence that cites
    # another report ("根据《…关于做好2018年政务公开年度报告编制…》", seed 003).
    alone = [(index, title) for index, title, tail in candidates if len(tail) <= _TAIL_MAX and "《" not in title]
    if not alone:
        if not _all_compatible([candidates[0][1], *run_on]):  # a list of reports run into one line
            return _choose_running(run_on)
        return _choose_running(running) if running else candidates[0][1]
    named = ([item for item in alone if org_of(item[1])] or [item for item in alone if YEAR.search(item[1])]
             or alone)
    titles = [title for _, title in named]
    if len(set(titles)) == 1:
        return titles[0]
    if hint and hint.group("title") in titles:  # the page's <title> picks one of several reports
        return hint.group("title")
    at = dict(named)
    standalone = [title for index, title in named if at.get(index - 1, title) == title == at.get(index + 1, title)]
    if len(set(standalone)) == 1:  # the others sit in a list of reports ("相关阅读", a sidebar)
        return standalone[0]
    return titles[-1]


def _polluted(title: str) -> bool:
    """A line-start title that carries chrome before it ("-1-洪泽区…", "…有效性标题2014年…", a menu's "…年报"): read it
    inside the line."""
    found = _titles_inside(title, len(title))
    before = title[:found[-1].start] if found else ""
    return bool(before) and bool(_SEPARATOR.search(before) or _NOT_IN_PREFIX.search(before))


def _choose_running(titles: list[str]) -> str | None:
    """The first title that names a body, else the first with a year: later ones follow the title in the body.
    Titles of other bodies or years in the same run are a list of reports (links, a breadcrumb): the report's own
    is the one printed twice (listed, then as the heading); with none such, no one can tell (None)."""
    named = [t for t in titles if org_of(t)] or [t for t in titles if YEAR.search(t)] or titles
    if _all_compatible(named):
        return named[0]
    repeated = {t for t in named if named.count(t) > 1}
    return repeated.pop() if len(repeated) == 1 else None


def _all_compatible(titles: list[str]) -> bool:
    return all(_compatible(titles[0], other) for other in titles[1:])


def _compatible(one: str, other: str) -> bool:
    """Two titles of the same report: the same year where both say one, one body's name inside the other's."""
    years, other_years = YEAR.findall(one), YEAR.findall(other)
    body, other_body = org_of(one), org_of(other)
    return (not years or not other_years or years == other_years) and (
        not body or not other_body or body in other_body or other_body in body)


def _title_at(lines: list[str], index: int) -> tuple[str, str] | None:
    """The title (and the text after it) on line `index`, joined with the lines it was split from."""
    line = _LINE_LEAD.sub("", lines[index])
    match = TITLE.match(line)
    following = lines[index + 1] if index + 1 < len(lines) else ""
    if not match and _TITLE_START.search(line) and len(line) <= 30 and following and len(following) <= 20:
        match = TITLE.match(line + following)  # "2023年政府信息公开" / "工作年度报告"
        if match and match.group("tail"):
            match = None
    if not match or _TITLE_BAD.search(match.group("title")) or _TITLE_BAD.search(match.group("tail")[:4]):
        return None
    title = match.group("title")
    if len(YEAR.findall(title)) > 1:  # a menu of years run into the title ("芦淞区人民政府2021年2022年2023年…")
        return None
    if title.count("《") > title.count("》"):  # inside a quoted document name ("依据《…年度报告格式》"): a citation
        return None
    # A title split over lines: "洪泽区人民政府" / "2023年政府信息公开…", "芦淞区人民政府2023年" / "政府信息公开…".
    for back in (1, 2):
        if org_of(title) or index < back:
            break
        previous = lines[index - back]
        if (len(previous) > 30 or _PUNCTUATION.search(previous) or TITLE.match(previous)
                or not (_ORG_END.search(previous) or _YEAR_END.search(previous))
                or len(YEAR.findall(previous + title)) > 1):  # a menu of years ("2021年2022年2023年")
            break
        title = previous + title
    return title, match.group("tail")


def org_of(title: str) -> str:
    """The reporting body or area written in the title, without the year: '株洲市芦淞区人民政府'."""
    head = re.split(rf"(?:(?:19|20)\d{{2}}|{CN_YEAR})\s*年度?", title)
    candidates = [part for part in head if part]
    org = candidates[0] if candidates else ""
    org = re.split(r"(?:(?:政府|政务)?信息公开|政务公开)", org)[0]
    return re.sub(r"关于$", "", org.strip())  # "芦淞区人民政府关于2023年…报告"
