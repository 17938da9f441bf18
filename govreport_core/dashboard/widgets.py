"""What pages draw the same way: charts with their report counts, tables that link to 报告详情, a report as printed.

Every text handed to these helpers is already translated (`page.t`), as every text they write themselves is.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from govreport_core.store import queries as q
from govreport_core.store.filters import Filters

from . import api_links
from .page import language, plain, query, sentences, t

_LIST_MARK = re.compile(r"^(\s*\d+)\.")


def show_chart(figure: Any, empty: str = "") -> None:
    """The chart, or a message (already translated, like every text a page hands these helpers) saying why not."""
    if figure is None:
        st.info(empty or t("所选范围内没有报告。"))
    else:
        st.plotly_chart(figure, width="stretch")


def area_level(filters: Filters) -> str:
    """The level charts compare areas at: provinces, then the chosen province's cities, then a city's regions."""
    return "region" if filters.city else ("city" if filters.province else "province")


def say_count(reports: int, *extra: str) -> None:
    """How many reports a chart sums, then any further sentences."""
    st.caption(sentences(t("本图汇总 {n} 份报告的数据。").format(n=reports), *extra))


def series_charts(filters: Filters, metrics: tuple[str, ...]) -> None:
    """One chart per metric over the years, compared at the sidebar's area level, each with its report count."""
    from . import charts

    by = area_level(filters)
    for metric in metrics:
        frame = query(q.series, filters, metric=metric, by=by)
        show_chart(charts.series_chart(frame, metric, lang=language()))
        count_caption(frame)
        api_links.chart_links("series", filters, language(), _metric=(metric,), _by=by)


def count_caption(frame: pd.DataFrame, column: str = "reports") -> None:
    """How many reports a chart sums; with several metrics in one frame, the metric given by the most."""
    if frame.empty or column not in frame:
        return
    if "metric" in frame:
        say_count(int(frame.groupby("metric")[column].sum().max()))
    else:
        say_count(int(frame[column].sum()))


def yearly_count_caption(frame: pd.DataFrame, *extra: str) -> None:
    """For per-year sums of several metrics: each year's report count is that of its best-covered metric."""
    if frame.empty:
        if extra:
            st.caption(sentences(*extra))
        return
    say_count(int(frame.groupby("year")["reports"].max().sum()), *extra)


def rates_caption(rates: pd.DataFrame, keys: tuple[str, ...]) -> None:
    data = rates[rates["rate"].isin(keys)].dropna(subset=["value"])
    if not data.empty:
        say_count(int(data.groupby("year")["reports"].max().sum()), t("比率为所选报告合计之比（2019/2021版）。"))


def latest_year_comparison(filters: Filters, metrics: tuple[str, ...], by: str) -> tuple[pd.DataFrame, int | None]:
    """Areas side by side in the latest year of the selection that has any of the metrics."""
    frames = [query(q.series, filters, metric=metric, by=by).assign(metric=metric) for metric in metrics]
    frame = pd.concat([f for f in frames if not f.empty]) if any(not f.empty for f in frames) else frames[0]
    if frame.empty:
        return frame, None
    year = int(frame["year"].max())
    return frame[frame["year"] == year].reset_index(drop=True), year


def report_label(row: dict[str, Any]) -> str:
    """'芦淞区人民政府 · 2019 · file.txt', with missing values said in words (pandas NA is not falsy)."""
    agency = row.get("agency")
    year = row.get("year")
    agency = agency if isinstance(agency, str) and agency else t("（机关不明）")
    year = t("年份不明") if year is None or pd.isna(year) else str(int(year))
    return f"{agency} · {year} · {row.get('file_name')}"


def report_link(report_id: int) -> str:
    """A relative link to one report's 报告详情 that keeps the view (filters, language): `report?report=7&…`."""
    keep = {k: v for k, v in st.query_params.items() if k != "report"}
    return "report?" + urlencode({"report": str(int(report_id)), **keep})


# Headers the pages say otherwise than an export does: a finding's message is the extractor's own (Chinese) words.
DASHBOARD_HEADERS = {"message": "详情（检查原文）", "status": "状态"}


def table(frame: pd.DataFrame, **kwargs: Any) -> None:
    """st.dataframe with column headers (and metric and code labels) in the dashboard's language, the export's
    labels; a row of a report links to its 报告详情 by its number; missing values are blank."""
    from govreport_core.service.export import headers

    shown = headers(frame, language())
    renamed = {shown.columns[i]: t(DASHBOARD_HEADERS[c]) for i, c in enumerate(frame.columns) if c in DASHBOARD_HEADERS}
    shown = shown.rename(columns=renamed)
    config = dict(kwargs.pop("column_config", None) or {})
    if "report_id" in frame and not frame.empty:
        # The report's number is the link (its text taken back out of the URL by display_text).
        column = shown.columns[list(frame.columns).index("report_id")]
        shown[column] = [report_link(v) if pd.notna(v) else None for v in frame["report_id"]]
        config[column] = st.column_config.LinkColumn(column, display_text=r"report=(\d+)", width="small",
                                                     help=t("打开报告详情"))
    kwargs.setdefault("placeholder", "")  # a missing value is an empty cell, never "None"
    st.dataframe(shown, hide_index=True, column_config=config, **kwargs)


def printed_report(figures: pd.DataFrame, findings: pd.DataFrame, era: str | None, key: str = "",
                   heading: Any = None) -> None:
    """One report as 报告详情 shows it, and the upload shows a file before it is saved: tables 2–4 as printed, each
    with its figures' evidence folded away, the figures of no table (the old 统计表's, the prose's) with theirs, then
    the findings in words. `key` keeps widget keys apart when one page shows several reports; `heading` writes a
    heading (st.subheader by default)."""
    from . import report_view

    heading = heading or st.subheader
    lang = language()
    tables = report_view.printed_tables(figures, era, lang) if not figures.empty else []
    for table, title, grid in tables:
        heading(title)
        printed(grid)
        with st.expander(t("各数值的原文依据")):
            st.dataframe(report_view.evidence(figures, table, lang), hide_index=True, placeholder="",
                         key=f"evidence_{table}{key}")
    others = report_view.evidence(figures, None, lang, shown=tuple(table for table, _, _ in tables)) \
        if not figures.empty else figures
    if not others.empty:
        heading(t("其他指标（旧版统计表与正文）") if tables else t("指标与原文依据"))
        st.dataframe(others, hide_index=True, placeholder="", key=f"evidence_other{key}")
    heading(t("检查结果"))
    if findings.empty:
        st.success(t("没有发现问题。"))
    else:
        printed(report_view.findings(findings, lang))


def printed(grid: pd.DataFrame) -> None:
    """A table as printed, every header and label whole (a static table wraps long text where a grid would cut
    it: "商业企业", "(4) Unable to provide…"); missing cells blank, counts without decimals."""
    st.table(grid.style.hide(axis="index").format(_cell))


def _cell(value: Any) -> str:
    """A printed table's cell: blank when missing, 1,234 for a count, 7,730.28 for an amount, text as it is."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, str):  # a static table renders markdown: text is escaped, "1. …" kept from becoming a list
        return _LIST_MARK.sub(r"\1\\.", plain(value))
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
