"""Links from the pages to the open-data API: "this view as JSON / CSV" for a page's filters, and each chart's table.

The URLs are made by the API's own `url()` (service/api_endpoints.py), so a link and the routes never disagree on a
parameter's name; the server's base path (`server.baseUrlPath`) goes in front. A page calls `view_links` once under
its title and `chart_links` under each chart with the endpoint and options of the query that chart draws.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from govreport_core.labels import t
from govreport_core.service.api_endpoints import ENDPOINTS, PREFIX, url
from govreport_core.store.filters import Filters


def _base() -> str:
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def href(name: str, fmt: str = "json", filters: Filters | None = None, **options: Any) -> str:
    """The API URL of an endpoint (`name.fmt`) for these filters and options, under the server's base path."""
    return url(name, fmt, filters if ENDPOINTS[name].filters else None, base=_base(), **options)


def links(name: str, filters: Filters | None = None, **options: Any) -> str:
    """"[JSON](…) · [CSV](…)": markdown links to the endpoint in each of its formats (URLs are percent-encoded, so
    no value of a filter can end the link or add markdown)."""
    def own(fmt: str) -> dict[str, Any]:  # `_headers` names a CSV's header row: JSON's keys stay keys
        return options if fmt == "csv" else {k: v for k, v in options.items() if k != "_headers"}

    return " · ".join(f"[{fmt.upper()}]({href(name, fmt, filters, **own(fmt))})" for fmt in ENDPOINTS[name].formats)


def view_links(filters: Filters | None, lang: str = "zh", name: str = "reports", **options: Any) -> None:
    """Under a page's title: its reports (or another endpoint's table) for the current filters, and the API's index."""
    st.caption(t("本页数据（开放接口）：{links} · [{index}]({base}{prefix}/)", lang).format(
        links=links(name, filters, **options), index=t("全部接口", lang), base=_base(), prefix=PREFIX))


def chart_links(name: str, filters: Filters | None, lang: str = "zh", **options: Any) -> None:
    """Under a chart: the table it draws, from the API (`series` with `_metric=…`, `outcomes`, `rates`…)."""
    st.caption(t("本图数据：{links}", lang).format(links=links(name, filters, **options)))


def report_links(report_id: int, lang: str = "zh") -> None:
    """Under 报告详情's title: the report as JSON (metadata, figures with evidence, findings, corrections, year before)."""
    link = f"[JSON]({_base()}{PREFIX}/reports/{int(report_id)}.json)"
    st.caption(t("本页数据（开放接口）：{links} · [{index}]({base}{prefix}/)", lang).format(
        links=link, index=t("全部接口", lang), base=_base(), prefix=PREFIX))
