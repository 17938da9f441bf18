"""One report as it was printed, for 报告详情: its metadata as a labelled card, tables 2, 3 and 4 laid out as in
the report, each figure's evidence, its findings in words, and the change from the same agency's previous year.

Receives `store.queries.report_detail` dicts; hands back labelled DataFrames and (label, text) pairs. Counts are
nullable integers and missing cells stay missing (the page shows them blank, never "None" or 0). Texts are
written in Chinese and translated with `i18n.t`; names, titles and evidence from the report stay as written.
No Streamlit here.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from govreport_core import catalog
from govreport_core.labels import label, t
from govreport_core.service.export import rule_label
from govreport_core.store import years
from govreport_core.store.filters import ERA_LABELS

MISSING = "—"


def _text(value: Any) -> str | None:
    """A metadata value as text, or None when missing (None, NaN, NaT, empty)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text[:10] if hasattr(value, "isoformat") else (text or None)


def card(meta: dict[str, Any], lang: str = "zh") -> list[tuple[str, str]]:
    """The metadata as (label, text) pairs in the card's order; codes as labels, missing values as —."""
    area = " ".join(p for p in dict.fromkeys(_text(meta.get(k)) for k in ("province", "city", "region")) if p)
    adcode = _text(meta.get("adcode"))
    if adcode:
        area = f"{area}（{t('区划代码', lang)} {adcode}）" if area else adcode
    year = meta.get("year")

    def coded(value: Any, labels: dict[str, str]) -> str | None:
        text = _text(value)
        return t(labels.get(text, text), lang) if text else None

    source = " · ".join(p for p in (_text(meta.get("file_name")), (_text(meta.get("format")) or "").upper()) if p)
    names = catalog.FIELD_LABELS
    rows = [(names["title"], _text(meta.get("title"))), (names["agency"], _text(meta.get("agency"))), ("地区", area or None),
            (names["level"], coded(meta.get("level"), catalog.LEVEL_LABELS)),
            (names["year"], None if _text(year) is None else str(int(year))),
            (names["format_era"], coded(meta.get("format_era"), ERA_LABELS)),
            (names["scope"], coded(meta.get("scope"), catalog.SCOPE_LABELS)),
            (names["published"], _text(meta.get("published"))), ("来源文件", source or None)]
    return [(t(name, lang), value or MISSING) for name, value in rows]


def _totals(figures: pd.DataFrame) -> dict[str, float]:
    part = figures[figures["applicant"] == "total"]
    return dict(zip(part["metric"], part["value"], strict=True))


def _counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns of whole numbers as nullable integers (shown 21, not 21.0); others stay float; missing stays NA."""
    for column in frame.columns:
        if any(isinstance(v, str) for v in frame[column]):
            continue  # a text column (row labels)
        values = pd.to_numeric(frame[column], errors="coerce")
        present = values.dropna()
        frame[column] = values.astype("Int64") if (present == present.round()).all() else values
    return frame


def table2(figures: pd.DataFrame, era: str | None, lang: str = "zh") -> pd.DataFrame | None:
    """Table 2 as printed: a row per block (规章, 规范性文件, …) with its era's columns; None without figures."""
    columns = catalog.TABLE2_COLUMNS.get(catalog.Era(era)) if era in ("2019", "2021") else None
    values = _totals(figures)
    if not columns or not any(catalog.table2_key(b, c) in values for b, cols in columns.items() for c in cols):
        return None
    names = {block: fragments[0] for block, fragments in catalog.TABLE2_ROWS}
    headers = list(dict.fromkeys(catalog.TABLE2_COLUMN_LABELS[c][1] for cols in columns.values() for c in cols))
    rows = []
    for block, cols in columns.items():
        row: dict[str, Any] = {t("信息内容", lang): t(names[block], lang)}
        row |= {t(h, lang): None for h in headers}
        for column in cols:
            row[t(catalog.TABLE2_COLUMN_LABELS[column][1], lang)] = values.get(catalog.table2_key(block, column))
        rows.append(row)
    return _counts(pd.DataFrame(rows))


def table3_rows(figures: pd.DataFrame, era: str | None) -> list[tuple[str, str, str, str]]:
    """The printed rows of this report's table 3: （六） as one row (2019) or three (2021), as the report has it."""
    present = set(figures["metric"])
    sub_rows = set(catalog.TABLE3_OTHER_SUB_ROWS)
    three = bool(sub_rows & present) or (era == "2021" and "other_handling" not in present)
    skip = {"other_handling"} if three else sub_rows
    return [row for row in catalog.TABLE3_PRINTED_ROWS if row[0] not in skip]


def table3(figures: pd.DataFrame, era: str | None, lang: str = "zh") -> pd.DataFrame | None:
    """Table 3 as printed: rows R01–R23 in order (labels of merged cells written once), the applicant columns
    in printed order with 总计 last; None when the report has no table-3 figure."""
    keys = {row[0] for row in catalog.TABLE3_PRINTED_ROWS}
    part = figures[figures["metric"].isin(keys)]
    if part.empty:
        return None
    cells = {(m, a): v for m, a, v in zip(part["metric"], part["applicant"], part["value"], strict=True)}
    heads = (t("项目", lang), t("类别", lang), t("细项", lang))
    rows, previous = [], ("", "", "")
    for key, section, group, item in table3_rows(figures, era):
        shown = (section if section != previous[0] else "", group if (section, group) != previous[:2] else "", item)
        previous = (section, group, item)
        row: dict[str, Any] = {h: t(text, lang) for h, text in zip(heads, shown, strict=True)}
        for applicant in catalog.APPLICANTS:
            row[t(catalog.APPLICANT_LABELS[applicant], lang)] = cells.get((key, applicant))
        rows.append(row)
    return _counts(pd.DataFrame(rows))


def table4(figures: pd.DataFrame, lang: str = "zh") -> pd.DataFrame | None:
    """Table 4: a row per group (行政复议, 直接起诉, 复议后起诉), the five leaf columns of each."""
    values = _totals(figures)
    keys = {catalog.table4_key(g.key, leaf): (g, leaf) for g in catalog.TABLE4_GROUPS for leaf, _, _ in catalog.TABLE4_LEAVES}
    if not keys.keys() & values.keys():
        return None
    rows = [{t("类别", lang): t(group.label_zh, lang),
             **{t(leaf_zh, lang): values.get(catalog.table4_key(group.key, leaf)) for leaf, leaf_zh, _ in catalog.TABLE4_LEAVES}}
            for group in catalog.TABLE4_GROUPS]
    return _counts(pd.DataFrame(rows))


TABLE_TITLES = {"table2": "表二 主动公开政府信息情况", "table3": "表三 收到和处理政府信息公开申请情况",
                "table4": "表四 行政复议、行政诉讼情况"}


def printed_tables(figures: pd.DataFrame, era: str | None, lang: str = "zh") -> list[tuple[str, str, pd.DataFrame]]:
    """(table key, translated title, grid) of tables 2, 3 and 4 in printed order; a table the report lacks is
    left out, and so are all three for a report of the old format (its 统计表 and prose are not laid out so)."""
    if era not in ("2019", "2021"):
        return []
    grids = {"table2": table2(figures, era, lang), "table3": table3(figures, era, lang), "table4": table4(figures, lang)}
    return [(k, t(TABLE_TITLES[k], lang), grid) for k, grid in grids.items() if grid is not None]


def carry_check(current: pd.DataFrame, previous: pd.DataFrame, lang: str = "zh") -> tuple[bool, str] | None:
    """The cross-year check K5 in a sentence: (failed, text), or None when either year lacks its figure."""
    carried_in = _totals(current).get(years.CARRIED_IN)
    carried_out = _totals(previous).get(years.CARRIED_OUT)
    failed = years.disagrees(carried_in, carried_out)
    if failed is None:
        return None
    text = ("跨年度核对（K5）不符：本年上年结转申请数 {a:g} 件，上一年报告的结转下年度继续办理 {b:g} 件。" if failed else
            "跨年度核对（K5）相符：本年上年结转申请数 {a:g} 件 = 上一年报告的结转下年度继续办理 {b:g} 件。")
    return failed, t(text, lang).format(a=carried_in, b=carried_out)


def _order(keys: pd.Series) -> pd.Series:
    printed = {key: i for i, (key, *_) in enumerate(catalog.TABLE3_PRINTED_ROWS)}
    order = {key: i for i, key in enumerate(catalog.METRICS)}
    return keys.map(lambda k: (catalog.METRICS[k].table != "table3", printed.get(k, order.get(k, 0)), order.get(k, 0)))


def home_table(key: str) -> str:
    """The table a metric belongs to; a derived sum (不予公开合计, 行政诉讼合计…) to the table of the rows it adds."""
    metric = catalog.METRICS[key]
    leaves = catalog.DERIVED_SUMS.get(key)
    return home_table(leaves[0]) if metric.table == "derived" and leaves else metric.table


def evidence(figures: pd.DataFrame, table: str | None, lang: str = "zh",
             shown: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Each 总计 figure of one table with the text it was read from and its page, in printed order; with table
    None, the figures of no table in `shown` (the tables the page draws, as `printed_tables` gives them; by
    default those of tables 2–4 holding a figure, none when every figure exists in the old format too), e.g. the
    old format's and the prose's."""
    part = figures[figures["applicant"] == "total"]
    tables = part["metric"].map(home_table)
    if shown is None:
        metrics = [catalog.METRICS[k] for k in part["metric"]]
        new_format = any(catalog.Era.PRE2019 not in m.eras for m in metrics)
        shown = tuple({m.table for m in metrics} & {"table2", "table3", "table4"}) if new_format else ()
    part = part[tables == table] if table else part[~tables.isin(list(shown))]
    part = part.sort_values("metric", key=_order)
    frame = pd.DataFrame({
        t("指标", lang): [label(k, lang) for k in part["metric"]],
        t("数值", lang): part["value"].to_numpy(),
        t("原文依据", lang): [_text(v) or (t("（由各项推算）", lang) if d else "") for v, d in
                          zip(part["evidence_text"], part["derived"], strict=True)],
        t("页码", lang): pd.array(part["evidence_page"], dtype="Int64"),
        t("已更正", lang): [t("是", lang) if c else "" for c in part["corrected"]],
    })
    return frame


def findings(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Findings in words: severity and the rule's meaning as labels, the message, the metrics it concerns."""
    def keys(text: Any) -> str:
        names = [label(k, lang) for k in (_text(text) or "").split(", ") if k in catalog.METRICS]
        return ("; " if lang == "en" else "、").join(names)

    return pd.DataFrame({
        t("级别", lang): [t(catalog.SEVERITY_LABELS.get(s, s), lang) for s in frame["severity"]],
        t("检查", lang): [rule_label(r, lang) for r in frame["rule"]],
        t("涉及指标", lang): [keys(k) for k in frame["keys"]],
        t(DETAIL, lang): [_text(m) or "" for m in frame["message"]],  # the extractor's words, as it wrote them
    })


DETAIL = "详情（检查原文）"  # the header of a finding's message: data in Chinese, kept whatever the language


def year_change(current: pd.DataFrame, previous: pd.DataFrame, eras: tuple[str | None, str | None] = (None, None),
                lang: str = "zh") -> pd.DataFrame:
    """This year's 总计 figures beside the previous year's, with the change, in printed order. A figure of one
    year only shows with the other side blank. Across two formats (`eras`: this year's, last year's) a grade-C
    metric (FORMATS.md §4: not comparable) gets no change, and a note says why."""
    now, before = _totals(current), _totals(previous)
    keys = pd.Series(list(dict.fromkeys([*now, *before])), dtype=object)
    keys = keys.sort_values(key=_order).tolist() if len(keys) else []
    other_format = eras[0] != eras[1]
    rows = []
    for key in keys:
        this, last = now.get(key), before.get(key)
        change = this - last if this is not None and last is not None else None
        note = ""
        if change is not None and other_format and catalog.METRICS[key].grade == catalog.Grade.C:
            change, note = None, t("两年版式不同，口径不可比", lang)
        rows.append({"指标": label(key, lang), "上年": last, "本年": this, "增减": change,
                     "增减率": f"{change / last:+.1%}" if change is not None and last else None, "说明": note})
    frame = pd.DataFrame(rows, columns=["指标", "上年", "本年", "增减", "增减率", "说明"])
    if not frame["说明"].astype(bool).any():
        frame = frame.drop(columns="说明")
    return _counts(frame).rename(columns={c: t(c, lang) for c in frame.columns})
