"""Metadata: Document -> ReportMeta (title, area, agency, level, year, published, adcode, scope).

The title is a line that reads like a report title (an agency or area, maybe a year, then
政府/政务信息公开…报告), joined with the lines it was split from ("洪泽区人民政府" / "2023年政府信息公开工作年度报告",
"南城街街道办事处2021年" / "政府信息公开工作年度报告"). When page chrome lists other reports above the body,
`find_title` says which one is the report's. The year is the data year from the title or the statistics period,
never the publication date; without either it is null (seed 002). Areas come from the gazetteer.
When the title names no body, the page does (来源 line, signature, header line); a site's owner gives the province
and city only. `read_metadata` also returns info findings on how the place was read (a one-character slip).
The format era is decided by the tables (see `tables.detect_era`), in `extract`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

import cn2an

from govreport_core.catalog import FIRST_YEAR, LAST_YEAR, ZONE_WORDS, zone_tier
from govreport_core.model import Document, Finding, ReportMeta
from govreport_core.settings import SETTINGS

from .gazetteer import Location, get_gazetteer
from .normalise import squash
from .title import BODY_START, CN_YEAR, LABEL_END, LOOKALIKE_ZERO, TITLE, YEAR, find_title, org_of

# "来源:株洲市芦淞区人民政府" / "发布机构:…局": who published the page, read only when the title names no body.
# Offices (办公室) and media centres publish for others, so only governments and departments count.
# A page run into one line glues the next field's label to it ("来源:XX区人民政府发布时间:…"); an info table as text
# has no colon ("发布机构 XX局").
# What follows a field's value: the next field, or (a page run into one line) the body's first section heading.
_NEXT_FIELD = (r"(?=[^\u4e00-\u9fa5]|$|发布|时间|日期|浏览|点击|作者|字号|访问|阅读|分享|打印|索引|文号|成文"
               r"|[一二三四五六七八九十]{1,3}、)")
_SOURCE = re.compile(r"(?:来源|发布机构|发文机关)(?:\s*[:：]\s*|\s+)"
                     r"([\u4e00-\u9fa5]{2,30}?(?:人民政府|办事处|管理委员会|管委会|局|委员会|厅))" + _NEXT_FIELD)
# At the page's foot only a line of its own: "（来源：国务院办公厅）" after a quotation cites, it does not publish.
# On a page run into one line, after a sentence or a space (still never inside brackets).
_FOOT_SOURCE = re.compile(r"(?:^|\n|(?<=[。\s]))[ \t]*(?:信息)?" + _SOURCE.pattern)
# A closing signature: the body's name, then the date on the next line ("株洲市芦淞区人民政府" / "2024年1月18日").
_SIGNED_DATE = re.compile(r"[\u4e00-\u9fa5]{2,30}(?:人民政府|政府|办公室|办公厅|办事处|管委会|管理委员会|委员会|局|厅|委|中心)"
                          r"\s*\n\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
# On a page run into one line: the body and its date after the last sentence, at the text's end ("…。XX区人民政府 2024年1月18日").
_SIGNED_DATE_INLINE = re.compile(r"。[^。]{0,8}?[\u4e00-\u9fa5]{2,30}"
                                 r"(?:人民政府|政府|办公室|办公厅|办事处|管委会|管理委员会|委员会|局|厅|委|中心)"
                                 r"[ \t]*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
# The body signing at the end ("株洲市芦淞区人民政府" / "2024年1月18日") or printed alone on a line of the head or as a page's
# running header: a government or a department, never the office that runs a site for it (as for 来源).
_BODY_NAME = r"[\u4e00-\u9fa5]{2,30}?(?:人民政府|行政公署|办事处|管理委员会|管委会|局|委员会|厅)"
_SIGNATURE = re.compile(r"(?:^|\n)[ \t]*(" + _BODY_NAME + r")[ \t]*\n[ \t]*(?:(?:19|20)\d{2}|[〇零一二○][〇零一二三四五六七八九○]{3})"
                        r"[ \t]*年[ \t]*[\d一二三四五六七八九十]{1,2}[ \t]*月[ \t]*[\d一二三四五六七八九十]{1,3}[ \t]*日[ \t]*$")
_BODY_LINE = re.compile(_BODY_NAME)
# The same inside a page run into one line: the body's name right before a date ("…特此报告。XX区人民政府2024年1月18日",
# "…>正文 天津市河北区人民政府 2019年12月3日星期二 本年度报告…").
# The date as a signature writes it (Arabic or Chinese numerals) or as a page's date field ("发布日期:2024-01-18").
_DATED_BODY = re.compile("(" + _BODY_NAME + r")[ \t]*(?:(?:发布|成文)?(?:日期|时间)[ \t]*[:：][ \t]*)?"
                         r"(?:(?:(?:19|20)\d{2}|[〇零一二○][〇零一二三四五六七八九○]{3})[ \t]*年[ \t]*[\d一二三四五六七八九十]{1,2}[ \t]*月"
                         r"[ \t]*[\d一二三四五六七八九十]{1,3}[ \t]*日|(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2})")
_NAME_BOUNDARY = re.compile(r"[\s。,;:!?>)\]】|\d]")
# Who runs the site: "主办：株洲市芦淞区人民政府办公室", "版权所有：…", "株洲市芦淞区人民政府门户网站". A site hosts its
# departments' and townships' reports too, so it tells the province and city only, never the region or the body.
_SITE_OWNER = re.compile(r"(?:主办(?:单位)?|版权所有|主管(?:单位)?)\s*[:：]?\s*([\u4e00-\u9fa5]{2,30}?(?:人民政府|行政公署|管理委员会|"
                         r"管委会|局|委员会))|([\u4e00-\u9fa5]{2,30}?(?:人民政府|行政公署|管理委员会|管委会))(?:门户网站|网站|政府网)")
# Short and full names of one zone body: "高新区管委会" is "株洲高新技术产业开发区管理委员会" once both are spelt out.
_ZONE_SPELLINGS = (("管委会", "管理委员会"), ("高新技术产业开发区", "高新区"), ("经济技术开发区", "经开区"))
_ORG_END = re.compile(r"(人民政府|政府|办公室|办公厅|办事处|管委会|管理委员会|委员会|局|厅|委|院|所|中心|镇|乡|街道|区|县|市|州|旗|盟)$")
_PERIOD = re.compile(rf"统计(?:期限|时间|期间|时限|区间|跨度)[^。\d]{{0,12}}?((?:19|20)\d{{2}}|{CN_YEAR})\s*年\s*"
                     r"(?:1|一)\s*月\s*(?:1|一)\s*日")
_WORK_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?(?!\s*\d{1,2}\s*月|\s*[上下]半年|\s*[一二三四]季度|以来|前|底)")
_PLAN = re.compile(r"[^。]{0,12}?(?:将|计划|拟|力争|预计|要)")
_CITED = re.compile(r"《[^》]{0,80}》")
_BODY_YEAR = re.compile(rf"((?:19|20)\d{{2}}|{CN_YEAR})\s*年度\s*(?:政府|政务)?信息公开")
# "发布日期/发布时间/成文日期/日期:" but not a bare "时间:" (a file-sharing site's upload time, seed 002)
# nor 更新时间 (when a page was edited). A site's info table puts the date in the next cell ("发布时间 | 2024-01-18").
_PUBLISHED = re.compile(r"(?<!更新)(?<!修改)(?:(?:发布|发文|成文|公开|印发)(?:日期|时间)|日期)\s*[::]?\s*(?:\|\s*)?"
                        r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_FIRST_AREA = re.compile(r"^[\u4e00-\u9fa5]{0,8}?(自治区|省|州|盟|县|区|旗|市)")
_ZONE_WORD = re.compile("|".join(sorted(ZONE_WORDS, key=len, reverse=True)))
_GOVERNMENT_KIND = re.compile(r"(人民政府|政府|行政公署|办事处|管委会|管理委员会|镇|乡|街道)$")  # 盟/地区: 行政公署
_TOWNSHIP = re.compile(r"(镇|乡|街道|街道办事处|苏木)(人民政府)?$")
_GOVERNMENT_TAIL = re.compile(r"(?:人民政府|行政公署|办事处|管理委员会|管委会)?")  # after an area: still its government
_ADMIN_OFFICE_AREA = re.compile(r"(?:盟|地区)$")  # governed by a 行政公署 (阿拉善盟行政公署), not always a 人民政府
_GENERIC_GOV = re.compile(r"([\u4e00-\u9fa5]{0,8}?(?:省|自治区|市|州|盟|县|区|旗|镇|乡))人民政府")
_NOT_IN_NAME = re.compile(r"报告|信息|公开|工作|情况")
# An aggregate report counts a whole area's agencies: "全市共受理政府信息公开申请", "汇总各县(市、区)…编制".
_AREA_MARKERS = re.compile(r"全(?:省|市|州|区|县|旗|盟|地区)(?:各级)?(?:各?行政机关|政府系统|各部门)?"
                           r"(?:共|累计|合计)(?:收到|受理|新收|主动公开)"
                           r"|汇总[^。]{0,20}(?:各县|各区|各部门|各单位|各地)[^。]{0,30}编制")
_BODY_MARKERS = re.compile(r"本(?:机关|单位|部门|局|委|办)|我(?:局|委|办|单位|中心)")


def find_year(title: str | None, doc: Document) -> int | None:
    for text in filter(None, (title,)):
        match = YEAR.search(text)
        if match:
            return _year_value(match.group(1))
    match = _PERIOD.search(doc.text)
    if match:
        return _year_value(match.group(1))
    match = _BODY_YEAR.search(doc.text[:SETTINGS.metadata_head_chars])
    if match:
        return _year_value(match.group(1))
    return _work_year(doc.text)


def _work_year(text: str) -> int | None:
    """An excerpt without its title or 统计期限: the year its sentences report on ("2010年,我局…", "我局2010年度未收到…",
    "2020年报"), when it is named at least twice and more than twice as often as any other. A date (2020年1月) or a
    document cited in 《》 is not a year worked; a plan ("2021年,我局将…") is the next year's."""
    plain = _CITED.sub("", text)
    years = Counter(y for m in _WORK_YEAR.finditer(plain)
                    if not _PLAN.match(plain, m.end()) and (y := _year_value(m.group(1))) is not None)
    ranked = years.most_common(2)
    if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[0][1] <= 2 * ranked[1][1]):
        return None
    return ranked[0][0]


def _year_value(token: str) -> int | None:
    try:
        if not token.isdigit():
            token = str(cn2an.cn2an(LOOKALIKE_ZERO.sub("零", token).replace("〇", "零"), "direct"))
        year = int(token)
    except (ValueError, KeyError):
        return None
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


def find_published(doc: Document) -> str | None:
    """The labelled publication date in the head, else the date under the closing signature."""
    tail = doc.text[-400:].rstrip()
    match = (_PUBLISHED.search(doc.text[:SETTINGS.metadata_head_chars]) or _SIGNED_DATE.search(tail)
             or _SIGNED_DATE_INLINE.search(tail))
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def find_source_org(doc: Document) -> str:
    """The publisher in a "来源:" line of the head (or of the page's foot), when it is a government or a department."""
    match = _SOURCE.search(doc.text[:SETTINGS.metadata_head_chars]) or _FOOT_SOURCE.search(doc.text[-1500:])
    return match.group(1) if match else ""


def find_signed_org(doc: Document) -> str:
    """The body that signs the report: its name on the line above the closing date, or in a page run into one line
    right before it, after the last sentence (a site's footer may follow)."""
    match = _SIGNATURE.search(doc.text[-400:].rstrip())
    if match:
        return match.group(1)
    tail = doc.text[-SETTINGS.metadata_head_chars:]
    last = tail.rfind("。")
    dated = [m for m in _DATED_BODY.finditer(tail, max(0, last)) if "。" not in tail[m.end():]] if last != -1 else []
    return _dated_name(tail, dated[-1]) if dated else ""


def _dated_name(text: str, match: re.Match[str], header: bool = False) -> str:
    """A dated body's name where it starts: after a boundary as written, else from its first place ("事项无XX区人民政府").
    As a header it must stand in the page's chrome (the line's start, after a breadcrumb's ">", a page number or a label such
    as 正文), never inside a sentence ("…,XX区人民政府2024年3月18日印发…")."""
    name, at = match.group(1), match.start(1)
    if not (at == 0 or _NAME_BOUNDARY.match(text[at - 1])):
        mentions = get_gazetteer().find(name)
        if not mentions:
            return ""
        name, at = name[mentions[0].start:], at + mentions[0].start
    if header and not (at == 0 or text[at - 1] in ">|•:-—" or LABEL_END.search(text[max(0, at - 6):at])):
        return ""
    return name


def find_header_org(doc: Document) -> str:
    """A body's name alone on one of the three lines above the title, or a PDF's running header (on two pages or more).
    Lines further up are page chrome (a site's name, menus), which name other bodies too."""
    lines = [line for line in (squash(line) for line in doc.text[:6000].split("\n")) if line]  # find_title's head
    head = next((i for i, line in enumerate(lines) if TITLE.match(line)), None)
    if head is None:  # an excerpt without its title: the lines above its first sentence or heading
        head = next((i for i, line in enumerate(lines) if BODY_START.search(line)), 0)
    above = [line for line in lines[max(0, head - 3):head] if _BODY_LINE.fullmatch(line)]
    if above:
        return above[-1]
    first = lines[head] if lines else ""
    stop = first.find("。")
    dated = next(_DATED_BODY.finditer(first, 0, stop if stop != -1 else len(first)), None)
    if dated and (name := _dated_name(first, dated, header=True)):  # a page run into one line: a body, a date, the body
        return name
    if doc.page_starts:
        short = (squash(line) for line in doc.text.split("\n") if len(line) <= 40)
        repeated = Counter(line for line in short if _BODY_LINE.fullmatch(line)).most_common(1)
        if repeated and repeated[0][1] >= 2:
            return repeated[0][0]
    return ""


def _short_name(body: str) -> str:
    """A body's name from its lowest area on: "天津市河北区人民政府" -> "河北区人民政府" (how its sentences name it)."""
    mentions = get_gazetteer().find(body)
    return body[mentions[-1].start:] if mentions else body


def find_site_owner(doc: Document) -> str:
    """The body running the site the page comes from, named in its header or footer (see _SITE_OWNER)."""
    match = _SITE_OWNER.search(doc.text[:3000]) or _SITE_OWNER.search(doc.text[-3000:])
    return (match.group(1) or match.group(2)) if match else ""


def _spelt_out(name: str) -> str:
    for short, full in _ZONE_SPELLINGS:
        name = name.replace(short, full)
    return name


def find_agency(org: str, location: Location | None, doc: Document) -> str | None:
    """The reporting body: the title's org from the lowest area on ('芦淞区人民政府'), or the area's government."""
    if location is not None and location.region and location.region in org:
        org = org[org.index(location.region):]
    if org and not re.search(r"(省|自治区|市|州|盟|县|区|旗|镇|乡|街道)$", org):
        return org
    if location is not None and location.region and (not org or org.endswith(location.region)):
        return _government_of(location.region, doc.text)
    if org and not location:
        # on a page run into one line the match reaches back into the title ("…管理报告州人民政府"): not a name's words
        generic = Counter(_NOT_IN_NAME.split(name)[-1] for name in _GENERIC_GOV.findall(doc.text)).most_common(1)
        if generic and generic[0][0].endswith(org[-1]):
            return generic[0][0] + "人民政府"
    if not org:
        return None
    return _government_of(org, doc.text)


def _government_of(area: str, text: str) -> str | None:
    """The area's government by the name the text gives it; a 盟 or 地区 is run by a 行政公署 (or, in a few, a
    人民政府), so its government is never named without the text. Other areas' governments are 人民政府 by law."""
    if area.endswith("街道"):
        return area + "办事处"
    if area.endswith(ZONE_WORDS):  # a zone is governed by its 管理委员会 (catalog.ZONE_WORDS), by whichever name the text uses
        return next((area + name for name in ("管理委员会", "管委会") if area + name in text), area + "管委会")
    for name in (area + "人民政府", area + "行政公署"):
        if name in text:
            return name
    return None if _ADMIN_OFFICE_AREA.search(area) else area + "人民政府"


def find_level(agency: str | None, location: Location | None) -> str | None:
    if not agency:
        return None
    kind = "government" if _GOVERNMENT_KIND.search(agency) else "department"
    if _TOWNSHIP.search(agency) or (location is not None and location.tier == "township"):
        return f"township_{kind}"
    if location is not None and location.tier:
        return f"{location.tier}_{kind}"
    # No gazetteer area (a fictional or stripped name): the first administrative suffix tells the tier
    # ("岚溪区市场监督管理局" is a 区's department: the 市 of 市场 comes after it); a zone is one tier below the area
    # named before it, county when none is (catalog.zone_tier: "高新区管委会", "岚溪区经济开发区管委会").
    zone = _ZONE_WORD.search(agency)
    if zone:
        return f"{zone_tier(_first_tier(agency[:zone.start()]))}_{kind}"
    tier = _first_tier(agency)
    return f"{tier}_{kind}" if tier else None


def _first_tier(name: str) -> str | None:
    match = _FIRST_AREA.match(name)
    if not match:
        return None
    suffix = match.group(1)
    return {"省": "province", "自治区": "province", "州": "prefecture", "盟": "prefecture", "市": "prefecture"}.get(
        suffix, "county")


def find_scope(doc: Document, level: str | None) -> str | None:
    """`area` for a whole area's aggregate, `body` for the agency's own work, else null."""
    area_hits = len(_AREA_MARKERS.findall(doc.text))
    if area_hits:
        return "area"
    if level and (level.endswith("department") or _BODY_MARKERS.search(doc.text)):
        return "body"
    return None


def _names_in_full(source: str, org: str) -> bool:
    """The 来源 names the title's body in full ("醴陵市孙家湾镇人民政府" for "孙家湾镇人民政府" or "孙家湾镇"): its longer
    name places a township (or a homonym) the title alone cannot. Not a body under it ("…孙家湾镇财政所")."""
    source, org = _spelt_out(source), _spelt_out(org)
    at = source.rfind(org) if org else -1
    return at >= 0 and _GOVERNMENT_TAIL.fullmatch(source[at + len(org):]) is not None


def read_metadata(doc: Document) -> tuple[ReportMeta, list[Finding]]:
    """The report's metadata, and info findings on how its place was read (a place name taken for a slip)."""
    title = find_title(doc)
    org = org_of(title) if title else ""
    # Who else the page names as the body: its 来源 line, then the signature and a header line (found only if needed).
    source = find_source_org(doc)

    def others() -> Iterator[str]:
        yield find_signed_org(doc)
        yield find_header_org(doc)

    if title and not org:  # "2023年政府信息公开工作年度报告": the page names the body
        org = source or next((body for body in others() if body), "")
    elif not title:  # an excerpt: a header line naming a body that its sentences name again ("河北区人民政府坚持…")
        header = find_header_org(doc) or source
        org = header if header and doc.text.count(_short_name(header)) >= 2 else ""
    gazetteer = get_gazetteer()
    # the head, and the foot of a long page: a footer ("主办：株洲市芦淞区人民政府办公室") names the place too
    context = doc.text if len(doc.text) <= 23000 else doc.text[:20000] + "\n" + doc.text[-3000:]
    placeless = bool(org) and gazetteer.locate(org, context) is None  # "区市场监督管理局", "高新区管委会"
    full = source if _names_in_full(source, org) else ""
    if placeless:  # the page spells it out: its full name is the body's
        org = full = full or next((body for body in others() if _names_in_full(body, org)), "") or org
    primary = full or org or title or ""
    findings: list[Finding] = []
    slip = gazetteer.slip(primary, context) if primary else None
    if slip is not None and slip[1] is not None:  # "株洲市芦松区": 芦淞区, the province and city agreeing
        written, area = slip
        primary, org = primary.replace(written, area.name), org.replace(written, area.name)
        place = f"{area.province or ''}{area.city if area.city not in (None, area.province) else ''}"
        findings.append(Finding("place_slip", "info", f"“{written}”不在地名库中，与{place}的“{area.name}”只差一字，"
                                f"文中省市相符，按“{area.name}”记录。"))
    location = gazetteer.locate(primary, context) if primary else None
    if slip is not None and slip[1] is None and location is not None and location.tier in ("prefecture", "province"):
        # "株洲市岚溪区": an area below the city that the gazetteer does not know; the city is not the report's area
        written = slip[0]
        tier = "prefecture" if location.tier == "province" and written.endswith("市") else "county"
        location = Location(location.province, location.city, None, None, tier)
        org = org[org.find(written):] if written in org else org
    agency = find_agency(org, location, doc)
    if location is None and agency:
        location = gazetteer.locate(agency, context)
    level = find_level(agency, location)
    if (location is None or location.province is None) and (owner := find_site_owner(doc)):
        site = gazetteer.locate(owner, context)  # nothing else places it: the site's province and city, no lower
        if site is not None:
            location = replace(location, province=site.province, city=site.city) if location \
                else Location(site.province, site.city, None, None, None)
    meta = ReportMeta(
        title=title,
        province=location.province if location else None,
        city=location.city if location else None,
        region=location.region if location else None,
        agency=agency,
        level=level,
        year=find_year(title, doc),
        published=find_published(doc),
        adcode=location.adcode if location else None,
    )
    meta.scope = find_scope(doc, level)
    return meta, findings
