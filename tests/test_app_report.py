"""报告详情, 上年对比, 数据导出's search and labels, 数据质量's cross-year list and the 数据字典 page (issue 11, points
6, 7 and 9) under AppTest. Expected values come from the truth files of ../shared/real-files (the two Hongze
reports are in the embedded default data) or from report_builder's spec, never from the code's output."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, shared_path
from report_builder import sample_report
from streamlit.testing.v1 import AppTest

from govreport_core import catalog
from govreport_core.extraction.pipeline import extract_bytes
from govreport_core.service import export
from govreport_core.store import Store
from govreport_core.store.filters import Filters

# FORMATS.md §2.2: table 3's rows R01–R23 as the 2019 layout (and Hongze's 2021 reports) print them
PRINTED_2019 = ["applications_new", "applications_carried_over", "granted", "partially_granted", "denied_state_secret",
                "denied_law_forbidden", "denied_three_safety", "denied_third_party", "denied_internal_affairs",
                "denied_process_info", "denied_enforcement_file", "denied_inquiry", "unable_no_info",
                "unable_need_create", "unable_unclear", "not_processed_complaint", "not_processed_repeat",
                "not_processed_publication", "not_processed_massive", "not_processed_confirm", "other_handling",
                "processed_total", "carried_to_next_year"]
APPLICANT_COLUMNS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]  # FORMATS §2.2 c1–c7


def truth(name: str) -> dict:
    return json.loads(shared_path("real-files", f"{name}.json").read_text(encoding="utf-8"))


def page(path: str, params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(path)
    at.run()
    assert not at.exception, at.exception
    return at


def open_report(search: str, lang: str | None = None) -> AppTest:
    """报告详情 with the one report the search finds chosen."""
    at = page("pages/report.py", {"lang": lang} if lang else None)
    at.text_input(key="report_search").input(search).run()
    assert not at.exception, at.exception
    assert len(at.selectbox(key="report_pick").options) == 1
    return at


def grid(at: AppTest, first_column: str) -> pd.DataFrame:
    return next(df.value for df in at.table if list(df.value.columns)[:1] == [first_column])


def card(at: AppTest) -> dict[str, str]:
    pairs = [m.value.split("  \n", 1) for m in at.markdown if m.value.startswith("**")]
    return {name.strip("*"): value for name, value in pairs}


def test_the_card_names_every_field_with_codes_as_labels(default_db: Path) -> None:
    expected = truth("hongze_2024")
    at = open_report("洪泽 2024")
    shown = card(at)
    assert set(shown) == {"标题", "发布机关", "地区", "机关层级", "数据年度", "报告版式", "统计范围", "发布日期", "来源文件"}
    assert shown["标题"] == expected["title"] and shown["发布机关"] == expected["agency"]
    assert shown["地区"].startswith(f"{expected['province']} {expected['city']} {expected['region']}")
    assert shown["机关层级"] == catalog.LEVEL_LABELS[expected["level"]] == "县级政府"
    assert shown["数据年度"] == str(expected["year"]) and shown["报告版式"] == "2021版"
    assert shown["来源文件"].replace("\\", "").startswith(expected["file"])  # escaped: shown as text, not markdown
    assert not [m.value for m in at.markdown if "None" in m.value or "nan" in m.value or "{" in m.value]


def test_tables_come_in_printed_order_and_table_3_is_laid_out_as_printed(default_db: Path) -> None:
    metrics = truth("hongze_2024")["metrics"]
    at = open_report("洪泽 2024")
    titles = [h.value for h in at.subheader]
    assert titles.index("表二 主动公开政府信息情况") < titles.index("表三 收到和处理政府信息公开申请情况") \
        < titles.index("表四 行政复议、行政诉讼情况")
    table3 = grid(at, "项目")
    assert list(table3.columns) == ["项目", "类别", "细项", *APPLICANT_COLUMNS]
    assert table3["总计"].tolist() == [metrics[key] for key in PRINTED_2019]  # Hongze prints （六） as one row
    assert table3["项目"].iloc[0] == "一、本年新收政府信息公开申请数量" and table3["项目"].iloc[-1] == "四、结转下年度继续办理"
    assert table3["细项"].iloc[4] == "1.属于国家秘密" and table3["类别"].iloc[4] == "（三）不予公开"
    assert table3["类别"].iloc[5] == ""  # a merged cell is written once
    assert table3["自然人"].iloc[0] == metrics["applications_by_applicant"]["natural_person"]
    table4 = grid(at, "类别").set_index("类别")
    assert table4.loc["行政诉讼·复议后起诉", "总计"] == metrics["litigation_after_review_total"]
    table2 = grid(at, "信息内容").set_index("信息内容")
    assert table2.loc["行政许可", "处理决定数"] == metrics["licensing_decisions"]
    assert pd.isna(table2.loc["规章", "处理决定数"])  # no such cell in the report: blank
    assert all(df.proto.placeholder == "" for df in at.dataframe)  # missing cells shown blank, never "None"


def test_each_figure_has_its_evidence_and_page(default_db: Path) -> None:
    at = open_report("洪泽 2024")
    evidence = pd.concat([df.value for df in at.dataframe if "原文依据" in df.value.columns]).set_index("指标")
    # the truth notes: table 3 breaks after 1.本机关不掌握相关政府信息; 2.没有现成信息需要另行制作 starts page 4
    assert evidence.loc[catalog.label("unable_no_info"), "页码"] == 3
    assert evidence.loc[catalog.label("unable_need_create"), "页码"] == 4
    assert "本年新收" in evidence.loc[catalog.label("applications_new"), "原文依据"]


def test_findings_are_said_in_words(default_db: Path) -> None:
    at = open_report("洪泽 2023")  # the truth notes: table 4's sums fail as printed (K4 for two groups)
    findings = next(df.value for df in at.table if "检查" in df.value.columns)
    k4 = findings[findings["检查"].str.startswith("K4 ")]
    assert len(k4) == 2 and set(k4["级别"]) == {"错误"}
    assert k4["检查"].iloc[0] == "K4 " + catalog.RULES["K4"]
    assert "行政复议·结果维持" in k4["涉及指标"].iloc[0]


def test_the_previous_year_stands_beside_this_year_with_the_change(default_db: Path) -> None:
    before, now = truth("hongze_2023")["metrics"], truth("hongze_2024")["metrics"]
    at = open_report("洪泽 2024")
    change = next(df.value for df in at.dataframe if "增减" in df.value.columns).set_index("指标")
    row = change.loc[catalog.label("applications_new")]
    assert (row["上年"], row["本年"], row["增减"]) == (before["applications_new"], now["applications_new"],
                                                  now["applications_new"] - before["applications_new"])
    assert change.loc[catalog.label("unable_no_info"), "增减"] == now["unable_no_info"] - before["unable_no_info"]
    # K5: 2024's 上年结转 0 equals 2023's 结转下年度继续办理 0 (both truth files)
    assert before["carried_to_next_year"] == now["applications_carried_over"] == 0
    assert any("K5" in s.value and "相符" in s.value for s in at.success)


def test_a_report_without_its_previous_year_says_so(default_db: Path) -> None:
    at = open_report("洪泽 2023")
    assert any("没有同一机关上一年的报告" in i.value for i in at.info)


def test_in_english_the_card_and_the_comparison_are_english(default_db: Path) -> None:
    at = open_report("洪泽 2024", lang="en")
    shown = card(at)
    assert shown["Agency level"] == "County government" and shown["Report format"] == "2021 format"
    change = next(df.value for df in at.dataframe if "Change" in df.value.columns).set_index("Metric")
    assert change.loc["New applications", "This year"] == truth("hongze_2024")["metrics"]["applications_new"]


def save_years(db: Path) -> list[int]:
    """Two team-written years of one agency: each spec has 上年结转 2 and 结转下年度继续办理 3, so 2022 fails K5."""
    store = Store(db)
    ids = []
    for year in (2021, 2022):
        html = sample_report("2021", f"株洲市芦淞区人民政府{year}年政府信息公开工作年度报告").render_html()
        ids.append(store.save(extract_bytes(html.encode("utf-8"), f"luosong_{year}.html")).report_id)
    store.close()
    return ids


def test_a_cross_year_mismatch_is_a_finding_on_the_page_and_in_data_quality(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "years.duckdb"
    earlier, later = save_years(db)
    monkeypatch.setenv("GOVREPORT_DB", str(db))
    at = page("pages/report.py", {"report": str(later)})
    assert any("K5" in w.value and "不符" in w.value and "2 件" in w.value and "3 件" in w.value for w in at.warning)
    findings = next(df.value for df in at.table if "检查" in df.value.columns)
    assert findings["检查"].str.startswith("K5 ").sum() == 1
    quality = page("pages/quality.py")
    listed = next(df.value for df in quality.dataframe if "规则" in df.value.columns
                  and df.value["规则"].str.startswith("K5").all())
    linked = [int(str(v).rsplit("=", 1)[-1]) for v in listed["报告编号"]]  # each row links to its 报告详情
    assert linked == [later] and f"报告编号 {earlier}" in listed["详情（检查原文）"].iloc[0]


def test_an_unknown_or_malformed_report_id_shows_no_report(default_db: Path) -> None:
    for wanted in ("99999", "abc"):
        at = page("pages/report.py", {"report": wanted})
        assert any(wanted in e.value for e in at.error)
        assert not at.dataframe and not [m for m in at.markdown if m.value.startswith("**")]


def test_the_export_search_keeps_only_matching_reports_and_codes_are_labels(default_db: Path) -> None:
    at = page("pages/export.py")
    at.text_input(key="export_search").input("洪泽").run()
    preview = at.dataframe[0].value
    assert sorted(preview["数据年度"].tolist()) == [truth("hongze_2023")["year"], truth("hongze_2024")["year"]]
    assert set(preview["发布机关"]) == {"洪泽区人民政府"} and set(preview["机关层级"]) == {"县级政府"}
    assert set(preview["报告版式"]) == {"2021版"} and set(preview["统计范围"]) == {"机关本身"}


def test_the_data_dictionary_lists_every_metric_of_the_spec(default_db: Path) -> None:
    spec = shared_path("spec", "METRICS.md").read_text(encoding="utf-8")
    at = page("pages/dictionary.py")
    table = at.dataframe[0].value.set_index("指标键")
    # every catalog metric (test_catalog holds the catalog and METRICS.md to each other), once
    assert table.index.tolist() == list(catalog.METRICS) and "| applications_carried_over |" in spec
    row = table.loc["applications_carried_over"]
    assert (row["中文名称"], row["英文名称"], row["所在表格"]) == ("上年结转申请数", "Applications carried over", "表三 依申请公开")
    assert row["可比性"].startswith("仅一种版式")  # FORMATS §4: apps_carried_in is new only
    at.text_input(key="dictionary_search").input("carried").run()
    assert set(at.dataframe[0].value["指标键"]) == {"applications_carried_over", "carried_to_next_year"}


def test_a_file_name_says_the_filter_and_xlsx_describes_it() -> None:
    chosen = Filters(province="江苏省", year_from=2019, year_to=2024)
    assert export.file_name(chosen, "csv") == "govreport_江苏省_2019-2024.csv"  # the example
    assert export.file_name(Filters(), "xlsx", "洪泽/../x") == "govreport_洪泽-..-x.xlsx"  # no folder in a name
    frame = pd.DataFrame({"report_id": [1], "level": ["county_government"], "scope": ["body"], "format_era": ["2021"]})
    data = export.export_bytes(frame, "xlsx", "en", export.about_rows(chosen, "洪泽", 1, "wide", "en"))
    book = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None)
    data_sheet, notes = book["govreport"], book["About this file"]
    assert data_sheet.iloc[1].tolist() == [1, "County government", "the agency itself", "2021 format"]
    assert notes.iloc[1, 1] == chosen.describe("en") and notes.iloc[2].tolist()[:2] == ["Search", "洪泽"]
    assert notes[0].tolist().count("regulations_new") == 1 and len(notes) > len(catalog.METRICS)
    keys = pd.read_csv(io.BytesIO(export.export_bytes(frame, "csv", "key")), encoding="utf-8-sig")
    assert keys["level"].tolist() == ["county_government"]  # key headers keep the codes


def test_every_text_of_the_report_export_and_chart_modules_has_english() -> None:
    """The Chinese texts detail.py and export.py write, and the printed labels, groups and meanings of the catalog
    they show, are all in labels.EN (test_app covers the pages, ui.py, charts.py and filters.py)."""
    import ast
    import re

    from govreport_core import labels as i18n

    han = re.compile(r"[\u4e00-\u9fff]")
    texts: set[str] = set()
    for name in ("dashboard/report_view.py", "service/export.py"):
        tree = ast.parse((ROOT / "govreport_core" / name).read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                      and isinstance(node.body[0], ast.Expr)}
        texts |= {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
                  and isinstance(node.value, str) and han.search(node.value) and id(node) not in docstrings}
    for _, *labels in catalog.TABLE3_PRINTED_ROWS:
        texts |= {text for text in labels if text}
    texts |= {g.label_zh for g in catalog.TABLE4_GROUPS} | {zh for _, zh, _ in catalog.TABLE4_LEAVES}
    texts |= {short for _, short in catalog.TABLE2_COLUMN_LABELS.values()}
    for mapping in (catalog.OUTCOME_GROUP_LABELS, catalog.SCOPE_LABELS, catalog.SEVERITY_LABELS, catalog.GRADE_LABELS,
                    catalog.TABLE_LABELS, catalog.RULES):
        texts |= set(mapping.values())
    texts -= {"govreport"}
    assert sorted(t for t in texts if han.search(t) and t not in i18n.EN) == []


def test_an_old_format_report_lists_its_figures_instead_of_empty_new_format_tables(default_db: Path) -> None:
    from conftest import load_truth

    expected = load_truth("000_a8bd0235eb05c85c.json")  # 2014, prose only
    at = open_report("江汉区 2014")
    titles = [h.value for h in at.subheader]
    assert "指标与原文依据" in titles and not [t for t in titles if t.startswith("表")]
    shown = pd.concat([df.value for df in at.dataframe if "原文依据" in df.value.columns]).set_index("指标")["数值"]
    assert {key: shown[catalog.label(key)] for key in expected["metrics"]} == expected["metrics"]


def test_the_sankey_on_the_page_carries_the_truth_numbers_of_the_selection(default_db: Path) -> None:
    metrics = truth("hongze_2024")["metrics"]  # the only people's government report of 江苏省 in 2024
    at = page("pages/applications.py", {"province": "江苏省", "from": "2024"})
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    sankey = next(trace for spec in specs for trace in spec["data"] if trace.get("type") == "sankey")
    labels = sankey["node"]["label"]
    unable = metrics["unable_no_info"] + metrics["unable_need_create"] + metrics["unable_unclear"]
    for text in (f"本年新收申请数 {metrics['applications_new']}", f"予以公开 {metrics['granted']}",
                 f"部分公开 {metrics['partially_granted']}", f"无法提供 {unable}"):
        assert text in labels
    outcomes = next(spec for spec in specs if spec["layout"]["title"]["text"].startswith("依申请公开办理结果"))
    legend = [trace["name"] for trace in outcomes["data"] if trace.get("showlegend", True)]
    assert legend == ["予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"]
    assert outcomes["layout"]["yaxis"]["dtick"] == 20 and outcomes["layout"]["yaxis"]["tickformat"] == ",d"  # 95
