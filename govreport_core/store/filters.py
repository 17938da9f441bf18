"""Filters: a frozen selection of reports, to and from URL query parameters, described in Chinese or English.

Each filter is one row of `FILTERS` (as datasette gives each filter one row): its URL name, the `Filters`
field it sets, its type, default, the SQL clause the store binds it into, the caption sentence, the test of one
report's metadata (the clause's meaning in Python, for a report not yet saved or not yet queried), the reason
it hides a report and how to widen it, the CLI flag and the sidebar widget. The URL parser (`from_params`),
`store.where()`, the dashboard's sidebar (`dashboard/sidebar.py`), the upload's "would the filters hide it"
(`Filters.hiding`, `Filters.widened_for`) and the command line (`cli.py`) all read this table, so a new filter
is one row here plus its field (`tests/test_filters.py` holds each row's test to its SQL clause).
The clauses are text the store alone executes, always with bound parameters (`?`); `{r}` is the reports
table's alias and `{values}` a list of `?`. Parsing is defensive: a bad value (`?from=abc`) falls back to the
default and is reported in `problems`, never raised.

Other parameters (the dashboard's `lang`, `report`) are not filters and are left alone, not reported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from govreport_core.catalog import FIRST_YEAR, LAST_YEAR, LEVEL_LABELS, LEVELS, SCOPE_LABELS, Era
from govreport_core.labels import t

ERAS = tuple(e.value for e in Era)
ERA_LABELS = {"pre2019": "2019年前（旧版）", "2019": "2019版", "2021": "2021版"}


def _contains(value: str) -> str:
    """A LIKE pattern matching the text anywhere, with LIKE's own wildcards taken literally."""
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


@dataclass(frozen=True)
class Filter:
    """One filter: everything the URL parser, the store, the sidebar and the command line need to know."""

    param: str  # URL query parameter
    field: str  # the Filters attribute it sets
    kind: str  # area (a name, exact) | text (contained) | year | choices (comma list) | choice | flag
    default: Any
    clause: str  # SQL for `reports {r}`; a flag's clause applies while the flag keeps its default
    caption: str = ""  # Chinese template for the selection sentence ({value}); a flag's when switched
    caption_default: str = ""  # a flag's sentence at its default, if it says one
    cli: str = ""  # the command line's flag ("" for none)
    widget: str = ""  # the sidebar's widget: select | years | multiselect | checkbox | "" (URL and CLI only)
    label: str = ""  # the widget's Chinese label
    key: str = ""  # the widget's Streamlit key
    allowed: tuple[str, ...] = ()  # values a choice may take
    labels: Mapping[str, str] = field(default_factory=dict)  # Chinese labels of those values
    bind: Callable[[Any], Any] | None = None  # the bound value made from the field's value, when not the value
    unless: str = ""  # a flag's clause is skipped while this field is set (a scope asked for by name)
    help: str = ""
    # The clause in Python: does a report with this metadata (a dict of report fields) pass, given the value?
    admits: Callable[[Any, Mapping[str, Any]], bool] = lambda value, meta: True
    hides: str = ""  # why a report it leaves out is hidden, a Chinese phrase (the upload says it)

    def is_default(self, value: Any) -> bool:
        return value == self.default or (self.kind == "choices" and not value)

    def in_force(self, filters: Filters) -> bool:
        """Whether the clause applies: a flag at its default (it restricts until switched), any other once set."""
        value = getattr(filters, self.field)
        if self.kind == "flag":
            return self.is_default(value) and not (self.unless and getattr(filters, self.unless))
        return not self.is_default(value)

    def widened(self, filters: Filters) -> Filters:
        """The selection without this filter's restriction: a flag switched, any other back to its default."""
        return replace(filters, **{self.field: (not self.default) if self.kind == "flag" else self.default})


def _is_government(level: object) -> bool:
    return isinstance(level, str) and level.endswith("_government")


_AREA_HIDES = "它的地区不在所选地区内"
_YEAR_HIDES = "它的年度在所选年度范围之外"


FILTERS: tuple[Filter, ...] = (
    Filter("province", "province", "area", None, "{r}.province = ?", caption="{value}", cli="--province",
           widget="select", label="省份", key="f_province", admits=lambda v, m: m.get("province") == v, hides=_AREA_HIDES),
    Filter("city", "city", "area", None, "{r}.city = ?", caption="{value}", cli="--city", widget="select", label="地市",
           key="f_city", admits=lambda v, m: m.get("city") == v, hides=_AREA_HIDES),
    Filter("region", "region", "area", None, "{r}.region = ?", caption="{value}", cli="--region", widget="select",
           label="县区", key="f_region", admits=lambda v, m: m.get("region") == v, hides=_AREA_HIDES),
    # A report of unknown year passes a year bound; the unknown_year row decides whether it is in at all.
    Filter("from", "year_from", "year", None, "({r}.year >= ? OR {r}.year IS NULL)", cli="--from", widget="years",
           label="数据年度", key="f_years", admits=lambda v, m: m.get("year") is None or m["year"] >= v,
           hides=_YEAR_HIDES),
    Filter("to", "year_to", "year", None, "({r}.year <= ? OR {r}.year IS NULL)", cli="--to", widget="years",
           label="数据年度", key="f_years", admits=lambda v, m: m.get("year") is None or m["year"] <= v,
           hides=_YEAR_HIDES),
    Filter("unknown_year", "include_unknown_year", "flag", False, "{r}.year IS NOT NULL", caption="含年份不明的报告",
           cli="--unknown-year", widget="checkbox", label="含年份不明的报告", key="f_unknown",
           admits=lambda v, m: m.get("year") is not None, hides="它的年度不明（筛选不含年份不明的报告）"),
    # FORMATS §6: department and aggregate reports are a choice the user makes.
    Filter("departments", "governments_only", "flag", True, "{r}.level LIKE '%\\_government' ESCAPE '\\'",
           caption="含部门报告", caption_default="仅人民政府报告", cli="--departments", widget="checkbox",
           label="含部门报告（默认只看人民政府）", key="f_dept", admits=lambda v, m: _is_government(m.get("level")),
           hides="它不是人民政府的报告（筛选只看人民政府）"),
    Filter("aggregates", "aggregates", "flag", False, "coalesce({r}.scope, 'body') <> 'area'", caption="含地区汇总报告",
           cli="--aggregates", widget="checkbox", label="含地区汇总报告（如全市汇总）", key="f_aggregates", unless="scope",
           help="汇总报告把下属机关的数字加在一起，与各机关本身的报告相加会重复计数。",
           admits=lambda v, m: (m.get("scope") or "body") != "area", hides="它是地区汇总报告（筛选不含汇总报告）"),
    Filter("level", "levels", "choices", (), "{r}.level IN ({values})", caption="{value}", cli="--level",
           widget="multiselect", label="机关层级", key="f_levels", allowed=LEVELS, labels=LEVEL_LABELS,
           admits=lambda v, m: m.get("level") in v, hides="它的层级或版式不在所选之内"),
    Filter("era", "eras", "choices", (), "{r}.format_era IN ({values})", caption="{value}", cli="--era",
           widget="multiselect", label="报告版式", key="f_eras", allowed=ERAS, labels=ERA_LABELS,
           admits=lambda v, m: m.get("format_era") in v, hides="它的层级或版式不在所选之内"),
    Filter("scope", "scope", "choice", None, "{r}.scope = ?", caption="{value}", cli="--scope", allowed=("body", "area"),
           labels=SCOPE_LABELS, admits=lambda v, m: m.get("scope") == v, hides="它不符合所选的范围或机关"),
    Filter("agency", "agency", "text", None, "{r}.agency LIKE ? ESCAPE '\\'", caption="机关含“{value}”", cli="--agency",
           bind=_contains, admits=lambda v, m: v in (m.get("agency") or ""), hides="它不符合所选的范围或机关"),
)


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
        for spec in FILTERS:
            value = getattr(self, spec.field)
            if spec.is_default(value):
                continue
            if spec.kind == "flag":
                params[spec.param] = "1"
            elif spec.kind == "choices":
                params[spec.param] = ",".join(value)
            else:
                params[spec.param] = str(value)
        return params

    def describe(self, lang: str = "zh") -> str:
        """The selection in a sentence (Chinese, or English with lang="en"), for captions and exports."""
        parts: list[str] = []
        items = ", " if lang == "en" else "、"
        area = "".join(getattr(self, f.field) or "" for f in FILTERS if f.kind == "area")  # names are data
        parts.append(area or t("全部地区", lang))
        if self.year_from is not None or self.year_to is not None:
            parts.append(t("{start}—{end}年", lang).format(start=self.year_from or t("最早", lang),
                                                         end=self.year_to or t("最新", lang)))
        for spec in FILTERS:
            if spec.kind in ("area", "year"):
                continue  # said above, together
            value = getattr(self, spec.field)
            if spec.kind == "flag":
                text = spec.caption_default if spec.is_default(value) else spec.caption
                if text and not (spec.unless and getattr(self, spec.unless)):
                    parts.append(t(text, lang))
            elif not spec.is_default(value):
                values = value if spec.kind == "choices" else (value,)
                shown = items.join(t(spec.labels[v], lang) if v in spec.labels else v for v in values)
                parts.append(t(spec.caption, lang).format(value=shown) if spec.caption != "{value}" else shown)
        return ("; " if lang == "en" else "，").join(parts)

    def clauses(self) -> list[tuple[str, list[object]]]:
        """(SQL template, bound values) of every filter in force, from the table; store.where() joins them."""
        out: list[tuple[str, list[object]]] = []
        for spec in FILTERS:
            if not spec.in_force(self):
                continue
            value = getattr(self, spec.field)
            if spec.kind == "flag":
                out.append((spec.clause, []))
            else:
                out.append((spec.clause, list(value) if spec.kind == "choices" else [spec.bind(value) if spec.bind else value]))
        return out

    def hiding(self, meta: Mapping[str, Any]) -> list[Filter]:
        """The filters in force that leave out a report with this metadata ([] when the selection shows it)."""
        return [spec for spec in FILTERS if spec.in_force(self) and not spec.admits(getattr(self, spec.field), meta)]

    def widened_for(self, meta: Mapping[str, Any]) -> Filters:
        """The selection widened just enough to show the report: each filter that hides it is undone."""
        wider = self
        for spec in self.hiding(meta):
            wider = spec.widened(wider)
        return wider


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


MAX_TEXT = 60  # characters of a name or text value: the longest area or agency name is about 30


def _value(spec: Filter, text: str, say: Say) -> Any:
    """One URL value as its field's value, or the default with a notice (an overlong value is not quoted)."""
    most = len(",".join(spec.allowed)) if spec.kind == "choices" else MAX_TEXT  # every choice named once fits
    if len(text) > most:
        say("参数 {name} 太长（{n} 个字符，最多 {most} 个），已忽略。", name=spec.param, n=len(text), most=most)
        return spec.default
    if spec.kind == "year":
        year = _year(text, spec.param, say)
        return spec.default if year is None else year
    if spec.kind == "flag":
        return (not spec.default) if text == "1" else spec.default
    if spec.kind == "choices":
        return _choices(text, spec.allowed, spec.param, say)
    if spec.kind == "choice" and text not in spec.allowed:
        say("参数 {name}={value!r} 无效，已忽略。", name=spec.param, value=text)
        return spec.default
    return text


def from_params(params: Mapping[str, str], lang: str = "zh") -> Parsed:
    """Filters from URL query parameters; malformed values are dropped with a notice in `lang`."""
    problems: list[str] = []

    def say(template: str, **values: object) -> None:
        problems.append(t(template, lang).format(**values))  # in the language the dashboard shows

    text = {k: str(v).strip() for k, v in params.items() if str(v).strip()}
    values = {spec.field: _value(spec, text[spec.param], say) for spec in FILTERS if spec.param in text}
    year_from, year_to = values.get("year_from"), values.get("year_to")
    if year_from is not None and year_to is not None and year_from > year_to:
        say("起始年份晚于结束年份，已对调。")
        values["year_from"], values["year_to"] = year_to, year_from
    return Parsed(Filters(**values), problems)


def from_args(args: Any) -> Parsed:
    """Filters from the command line's flags (added by `add_arguments`), checked as URL values are."""
    params: dict[str, str] = {}
    for spec in FILTERS:
        value = getattr(args, spec.param, None)
        if spec.kind == "flag":
            if value:
                params[spec.param] = "1"
        elif value is not None:
            params[spec.param] = str(value)
    return from_params(params, "en")


CLI_HELP = {"year": "data year (a bound)", "area": "name as written in the reports", "text": "text the agency contains"}


def add_arguments(parser: Any) -> None:
    """Every filter's command-line flag on an argparse parser (dest: the URL parameter's name)."""
    for spec in FILTERS:
        if not spec.cli:
            continue
        if spec.kind == "flag":
            parser.add_argument(spec.cli, dest=spec.param, action="store_true", help=t(spec.label, "en"))
        elif spec.kind in ("choices", "choice"):
            several = " (comma-separated)" if spec.kind == "choices" else ""
            parser.add_argument(spec.cli, dest=spec.param, help=f"one of {', '.join(spec.allowed)}{several}")
        else:
            parser.add_argument(spec.cli, dest=spec.param, type=int if spec.kind == "year" else str,
                                help=CLI_HELP[spec.kind])
