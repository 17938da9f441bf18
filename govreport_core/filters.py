"""Filters: a frozen selection of reports, to and from URL query parameters, with a Chinese description.

The store turns a Filters into bound SQL parameters; the dashboard keeps it in the URL (`st.query_params`)
so a view can be shared by link. Parsing is defensive: a bad value (`?year=abc`) falls back to the default
and is reported in `problems`, never raised. No SQL here.

Query parameters: province, city, region (names), level (comma list of METRICS.md levels), from, to (data
years), unknown_year (1 to include reports whose year is unknown), era (comma list), scope (body|area),
agency (text), departments (1 to include department reports; default: people's governments only).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from .catalog import LEVEL_LABELS, LEVELS, Era

FIRST_YEAR, LAST_YEAR = 2008, 2035
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
        return params

    def describe(self) -> str:
        """The selection in a Chinese sentence, for captions and exports."""
        parts: list[str] = []
        area = "".join(p for p in (self.province, self.city, self.region) if p)
        parts.append(area or "全部地区")
        if self.year_from is not None or self.year_to is not None:
            parts.append(f"{self.year_from or '最早'}—{self.year_to or '最新'}年")
        if self.include_unknown_year:
            parts.append("含年份不明的报告")
        if self.levels:
            parts.append("、".join(LEVEL_LABELS.get(level, level) for level in self.levels))
        if self.eras:
            parts.append("、".join(ERA_LABELS.get(era, era) for era in self.eras))
        if self.scope:
            parts.append({"body": "机关本身", "area": "地区汇总"}.get(self.scope, self.scope))
        if self.agency:
            parts.append(f"机关含“{self.agency}”")
        parts.append("仅人民政府报告" if self.governments_only else "含部门报告")
        return "，".join(parts)


@dataclass
class Parsed:
    filters: Filters
    problems: list[str] = field(default_factory=list)  # sentences about values that were ignored


def _year(value: str, name: str, problems: list[str]) -> int | None:
    try:
        year = int(value)
    except ValueError:
        problems.append(f"参数 {name}={value!r} 不是年份，已忽略。")
        return None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        problems.append(f"参数 {name}={value} 超出 {FIRST_YEAR}—{LAST_YEAR}，已忽略。")
        return None
    return year


def _choices(value: str, allowed: tuple[str, ...], name: str, problems: list[str]) -> tuple[str, ...]:
    chosen = tuple(v for v in (part.strip() for part in value.split(",")) if v)
    bad = [v for v in chosen if v not in allowed]
    if bad:
        problems.append(f"参数 {name} 中的 {'、'.join(bad)} 无效，已忽略。")
    return tuple(v for v in chosen if v in allowed)


def from_params(params: Mapping[str, str]) -> Parsed:
    """Filters from URL query parameters; unknown or malformed values are dropped with a notice."""
    problems: list[str] = []
    text = {k: str(v).strip() for k, v in params.items() if str(v).strip()}
    year_from = _year(text["from"], "from", problems) if "from" in text else None
    year_to = _year(text["to"], "to", problems) if "to" in text else None
    if year_from is not None and year_to is not None and year_from > year_to:
        problems.append("起始年份晚于结束年份，已对调。")
        year_from, year_to = year_to, year_from
    scope = text.get("scope")
    if scope not in (None, "body", "area"):
        problems.append(f"参数 scope={scope!r} 无效，已忽略。")
        scope = None
    filters = Filters(
        province=text.get("province"), city=text.get("city"), region=text.get("region"),
        levels=_choices(text["level"], LEVELS, "level", problems) if "level" in text else (),
        year_from=year_from, year_to=year_to, include_unknown_year=text.get("unknown_year") == "1",
        eras=_choices(text["era"], ERAS, "era", problems) if "era" in text else (),
        scope=scope, agency=text.get("agency"), governments_only=text.get("departments") != "1",
    )
    return Parsed(filters, problems)


def with_changes(filters: Filters, **changes: object) -> Filters:
    return replace(filters, **changes)  # type: ignore[arg-type]
