"""Filters: a frozen selection of reports, to and from URL query parameters, described in Chinese or English.

The store turns a Filters into bound SQL parameters; the dashboard keeps it in the URL (`st.query_params`)
so a view can be shared by link. Parsing is defensive: a bad value (`?year=abc`) falls back to the default
and is reported in `problems`, never raised. No SQL here.

Query parameters: province, city, region (names), level (comma list of METRICS.md levels), from, to (data
years), unknown_year (1 to include reports whose year is unknown), era (comma list), scope (body|area),
agency (text), departments (1 to include department reports; default: people's governments only),
aggregates (1 to include area-wide aggregate reports, scope "area", such as a 全市 summary; default: left out).
Other parameters (the dashboard's `lang`, `report`) are not filters and are left alone, not reported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .catalog import FIRST_YEAR, LAST_YEAR, LEVEL_LABELS, LEVELS, Era
from .i18n import t

ERAS = tuple(e.value for e in Era)
ERA_LABELS = {"pre2019": "2019年前（旧版）", "2019": "2019版", "2021": "2021版"}


@dataclass(frozen=True)
class Filters:
    province: str | None = None
    city: str | None = None
    region: str | None = None
    levels: tuple[str, ...] = ()  # empty: every level
    year_from: int | None = None
    year_to: int | None = None
    include_unknown_year: bool = False
    eras: tuple[str, ...] = ()
    scope: str | None = None
    agency: str | None = None
    governments_only: bool = True  # FORMATS §6: department and aggregate reports are a choice the user makes
    aggregates: bool = False  # area-wide aggregates (scope "area") sum other bodies' figures: added by choice

    def to_params(self) -> dict[str, str]:
        """Only the values that differ from the default, as strings for a URL."""
        params: dict[str, str] = {}
        for key, value in (("province", self.province), ("city", self.city), ("region", self.region),
                           ("scope", self.scope), ("agency", self.agency)):
            if value:
                params[key] = value
        if self.levels:
            params["level"] = ",".join(self.levels)
        if self.year_from is not None:
            params["from"] = str(self.year_from)
        if self.year_to is not None:
            params["to"] = str(self.year_to)
        if self.include_unknown_year:
            params["unknown_year"] = "1"
        if self.eras:
            params["era"] = ",".join(self.eras)
        if not self.governments_only:
            params["departments"] = "1"
        if self.aggregates:
            params["aggregates"] = "1"
        return params

    def describe(self, lang: str = "zh") -> str:
        """The selection in a sentence (Chinese, or English with lang="en"), for captions and exports."""
        parts: list[str] = []
        area = "".join(p for p in (self.province, self.city, self.region) if p)  # names are data: never translated
        parts.append(area or t("全部地区", lang))
        if self.year_from is not None or self.year_to is not None:
            parts.append(t("{start}—{end}年", lang).format(start=self.year_from or t("最早", lang),
                                                         end=self.year_to or t("最新", lang)))
        if self.include_unknown_year:
            parts.append(t("含年份不明的报告", lang))
        items = ", " if lang == "en" else "、"
        if self.levels:
            parts.append(items.join(t(LEVEL_LABELS.get(level, level), lang) for level in self.levels))
        if self.eras:
            parts.append(items.join(t(ERA_LABELS.get(era, era), lang) for era in self.eras))
        if self.scope:
            parts.append(t({"body": "机关本身", "area": "地区汇总"}.get(self.scope, self.scope), lang))
        if self.agency:
            parts.append(t("机关含“{agency}”", lang).format(agency=self.agency))
        parts.append(t("仅人民政府报告" if self.governments_only else "含部门报告", lang))
        if self.aggregates and not self.scope:
            parts.append(t("含地区汇总报告", lang))
        return ("; " if lang == "en" else "，").join(parts)


@dataclass
class Parsed:
    filters: Filters
    problems: list[str] = field(default_factory=list)  # sentences about values that were ignored


Say = Callable[..., None]  # say(template, **values): adds a sentence about an ignored value to the problems


def _year(value: str, name: str, say: Say) -> int | None:
    try:
        year = int(value)
    except ValueError:
        say("参数 {name}={value!r} 不是年份，已忽略。", name=name, value=value)
        return None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        say("参数 {name}={value} 超出 {first}—{last}，已忽略。", name=name, value=value, first=FIRST_YEAR, last=LAST_YEAR)
        return None
    return year


def _choices(value: str, allowed: tuple[str, ...], name: str, say: Say) -> tuple[str, ...]:
    chosen = tuple(v for v in (part.strip() for part in value.split(",")) if v)
    bad = [v for v in chosen if v not in allowed]
    if bad:
        say("参数 {name} 中的 {bad} 无效，已忽略。", name=name, bad="、".join(bad))
    return tuple(v for v in chosen if v in allowed)


def from_params(params: Mapping[str, str], lang: str = "zh") -> Parsed:
    """Filters from URL query parameters; malformed values are dropped with a notice in `lang`."""
    problems: list[str] = []

    def say(template: str, **values: object) -> None:
        problems.append(t(template, lang).format(**values))  # in the language the dashboard shows

    text = {k: str(v).strip() for k, v in params.items() if str(v).strip()}
    year_from = _year(text["from"], "from", say) if "from" in text else None
    year_to = _year(text["to"], "to", say) if "to" in text else None
    if year_from is not None and year_to is not None and year_from > year_to:
        say("起始年份晚于结束年份，已对调。")
        year_from, year_to = year_to, year_from
    scope = text.get("scope")
    if scope not in (None, "body", "area"):
        say("参数 scope={scope!r} 无效，已忽略。", scope=scope)
        scope = None
    filters = Filters(
        province=text.get("province"), city=text.get("city"), region=text.get("region"),
        levels=_choices(text["level"], LEVELS, "level", say) if "level" in text else (),
        year_from=year_from, year_to=year_to, include_unknown_year=text.get("unknown_year") == "1",
        eras=_choices(text["era"], ERAS, "era", say) if "era" in text else (),
        scope=scope, agency=text.get("agency"), governments_only=text.get("departments") != "1",
        aggregates=text.get("aggregates") == "1",
    )
    return Parsed(filters, problems)
