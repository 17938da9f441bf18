"""Metadata: Document -> ReportMeta (title, area, agency, level, year, published, adcode, scope).

The title is the first line that reads like a report title (an agency or area, maybe a year, then
政府/政务信息公开…报告), joined with the line before it when the title was split ("洪泽区人民政府" /
"2023年政府信息公开工作年度报告"). The year is the data year from the title or the statistics period,
never the publication date; without either it is null (seed 002). Areas come from the gazetteer.
The format era is decided by the tables (see `tables.detect_era`), in `extract`.
"""

from __future__ import annotations

import re
from collections import Counter

import cn2an

from .gazetteer import Location, get_gazetteer
from .model import Document, ReportMeta
from .normalise import squash

FIRST_YEAR, LAST_YEAR = 2007, 2035

# A title: an agency or area, maybe a year, then 政府/政务信息公开…报告; no sentence punctuation, no Latin words.
_TITLE = re.compile(r"^(?P<title>[^。,;:!?A-Za-z]{0,60}?(?:(?:政府|政务)?信息公开|政务公开)[^。,;:!?A-Za-z]{0,16}?报告)(?P<tail>.*)$")
_TITLE_BAD = re.compile(r"范文|模板|模版|下载|\.docx?$|\.pdf$|通知|制度|办法|规定|条例")
_YEAR = re.compile(r"((?:19|20)\d{2}|[〇零一二][〇零一二三四五六七八九]{3})\s*年")
_ORG_END = re.compile(r"(人民政府|政府|办公室|办公厅|办事处|管委会|管理委员会|委员会|局|厅|委|院|所|中心|镇|乡|街道|区|县|市|州|旗|盟)$")
_PERIOD = re.compile(r"统计(?:期限|时间|期间|时限|区间|跨度)[^。\d]{0,12}?((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_BODY_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度\s*(?:政府|政务)?信息公开")
# "发布日期/发布时间/成文日期/日期:" but not a bare "时间:" (a file-sharing site's upload time, seed 002)
# nor 更新时间 (when a page was edited).
_PUBLISHED = re.compile(r"(?<!更新)(?<!修改)(?:(?:发布|发文|成文|公开|印发)(?:日期|时间)|日期)\s*[::]?\s*"
                        r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_FIRST_AREA = re.compile(r"^[\u4e00-\u9fa5]{0,8}?(自治区|省|州|盟|县|区|旗|市)")
_GOVERNMENT_KIND = re.compile(r"(人民政府|政府|办事处|管委会|管理委员会|镇|乡|街道)$")
_TOWNSHIP = re.compile(r"(镇|乡|街道|街道办事处|苏木)(人民政府)?$")
_GENERIC_GOV = re.compile(r"([\u4e00-\u9fa5]{0,8}?(?:省|自治区|市|州|盟|县|区|旗|镇|乡))人民政府")
# An aggregate report counts a whole area's agencies: "全市共受理政府信息公开申请", "汇总各县(市、区)…编制".
_AREA_MARKERS = re.compile(r"全(?:省|市|州|区|县|旗)(?:各级)?(?:各?行政机关|政府系统|各部门)?(?:共|累计|合计)(?:收到|受理|新收|主动公开)"
                           r"|汇总[^。]{0,20}(?:各县|各区|各部门|各单位|各地)[^。]{0,30}编制")
_BODY_MARKERS = re.compile(r"本(?:机关|单位|部门|局|委|办)|我(?:局|委|办|单位|中心)")


def find_title(doc: Document) -> str | None:
    lines = [line.strip() for line in doc.text[:6000].split("\n")]
    previous = ""
    for line in lines:
        if not line:
            continue
        squashed = re.sub(r"^标题", "", squash(line))
        match = _TITLE.match(squashed)
        if match and not _TITLE_BAD.search(match.group("title")) and not _TITLE_BAD.search(match.group("tail")[:4]):
            title = match.group("title")
            org = _org_of(title)
            if not org and _ORG_END.search(previous) and len(previous) <= 30:
                title = previous + title  # a title split over two lines
            return title
        previous = squash(line)
    hint = _TITLE.match(squash(doc.title_hint)) if doc.title_hint else None
    return hint.group("title") if hint else None


def _org_of(title: str) -> str:
    """The reporting body or area written in the title, without the year: '株洲市芦淞区人民政府'."""
    head = re.split(r"(?:(?:19|20)\d{2}|[〇零一二][〇零一二三四五六七八九]{3})\s*年度?", title)
    candidates = [part for part in head if part]
    org = candidates[0] if candidates else ""
    org = re.split(r"(?:关于)?(?:(?:政府|政务)?信息公开|政务公开)", org)[0]
    return org.strip()


def find_year(title: str | None, doc: Document) -> int | None:
    for text in filter(None, (title,)):
        match = _YEAR.search(text)
        if match:
            return _year_value(match.group(1))
    match = _PERIOD.search(doc.text)
    if match:
        return _year_value(match.group(1))
    match = _BODY_YEAR.search(doc.text[:3000])
    if match:
        return _year_value(match.group(1))
    return None


def _year_value(token: str) -> int | None:
    try:
        year = int(token) if token.isdigit() else int(cn2an.cn2an(token.replace("〇", "零"), "direct"))
    except (ValueError, KeyError):
        return None
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


def find_published(doc: Document) -> str | None:
    match = _PUBLISHED.search(doc.text[:3000])
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def find_agency(org: str, location: Location | None, doc: Document) -> str | None:
    """The reporting body: the title's org from the lowest area on ('芦淞区人民政府'), or the area's government."""
    if location is not None and location.region and location.region in org:
        org = org[org.index(location.region):]
    if org and not re.search(r"(省|自治区|市|州|盟|县|区|旗|镇|乡|街道)$", org):
        return org
    if location is not None and location.region and (not org or org.endswith(location.region)):
        return _government_of(location.region)
    if org and not location:
        generic = Counter(_GENERIC_GOV.findall(doc.text)).most_common(1)
        if generic and generic[0][0].endswith(org[-1]):
            return generic[0][0] + "人民政府"
    if not org:
        return None
    return _government_of(org)


def _government_of(area: str) -> str:
    if area.endswith("街道"):
        return area + "办事处"
    return area + "人民政府"


def find_level(agency: str | None, location: Location | None) -> str | None:
    if not agency:
        return None
    kind = "government" if _GOVERNMENT_KIND.search(agency) else "department"
    if _TOWNSHIP.search(agency) or (location is not None and location.tier == "township"):
        return f"township_{kind}"
    if location is not None and location.tier:
        return f"{location.tier}_{kind}"
    # No gazetteer area (a fictional or stripped name): the first administrative suffix tells the tier
    # ("岚溪区市场监督管理局" is a 区's department: the 市 of 市场 comes after it).
    match = _FIRST_AREA.match(agency)
    if not match:
        return None
    suffix = match.group(1)
    tier = {"省": "province", "自治区": "province", "州": "prefecture", "盟": "prefecture"}.get(suffix, "county")
    if suffix == "市":
        tier = "prefecture"
    return f"{tier}_{kind}"


def find_scope(doc: Document, level: str | None) -> str | None:
    """`area` for a whole area's aggregate, `body` for the agency's own work, else null."""
    area_hits = len(_AREA_MARKERS.findall(doc.text))
    if area_hits:
        return "area"
    if level and (level.endswith("department") or _BODY_MARKERS.search(doc.text)):
        return "body"
    return None


def find_metadata(doc: Document) -> ReportMeta:
    title = find_title(doc)
    org = _org_of(title) if title else ""
    gazetteer = get_gazetteer()
    location = gazetteer.locate(org or title or "", doc.text[:20000]) if (org or title) else None
    agency = find_agency(org, location, doc)
    if location is None and agency:
        location = gazetteer.locate(agency, doc.text[:20000])
    level = find_level(agency, location)
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
    return meta
