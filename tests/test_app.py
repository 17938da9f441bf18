"""Every dashboard page under streamlit.testing.v1.AppTest, on an empty and on the default database."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import ENGLISH_TITLES, ROOT, app_pages, shared_path
from report_builder import sample_report
from streamlit.testing.v1 import AppTest

PAGES = app_pages()


def test_the_pages_are_app_py_s_and_each_has_an_english_title() -> None:
    assert len(PAGES) == 10 and PAGES[0] == "pages/overview.py" and "pages/map.py" in PAGES
    assert set(ENGLISH_TITLES) == set(PAGES)


def app(db: Path, page: str, params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page)
    at.run()
    return at


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.slow  # every page
def test_every_page_runs_on_an_empty_database(empty_db: Path, page: str) -> None:
    at = app(empty_db, page)
    assert not at.exception, at.exception


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.slow  # every page, twice
def test_every_page_runs_on_the_default_data_with_and_without_filters(default_db: Path, page: str) -> None:
    assert not app(default_db, page).exception
    filtered = app(default_db, page, {"from": "2019", "to": "2019", "departments": "1", "province": "湖南省"})
    assert not filtered.exception


def test_a_bad_parameter_falls_back_with_a_notice(default_db: Path) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["from"] = "abc"
    at.run()  # the overview is the default page
    assert not at.exception
    assert any("abc" in w.value for w in at.sidebar.warning)
    assert "from" not in at.query_params  # the URL now holds the cleaned selection


def test_report_detail_shows_seed_004s_new_applications_with_evidence(default_db: Path) -> None:
    at = app(default_db, "pages/report.py", {"from": "2019", "to": "2019"})
    assert not at.exception
    row = evidence_of(at, "applications_new")  # the figures with their evidence
    assert row["数值"] == 11 and "本年新收政府信息公开申请数量" in row["原文依据"]


def evidence_of(at: AppTest, key: str) -> pd.Series:
    """A figure's row in 报告详情's evidence tables, found by its catalog label."""
    from govreport_core import catalog

    frames = [df.value for df in at.dataframe if "原文依据" in df.value.columns]
    return pd.concat(frames).set_index("指标").loc[catalog.label(key)]


def test_a_filter_to_2019_shows_only_2019_reports(default_db: Path) -> None:
    at = app(default_db, "pages/export.py", {"from": "2019", "to": "2019"})
    frame = at.dataframe[0].value
    assert not frame.empty and set(frame["数据年度"]) == {2019}


def test_report_detail_rebuilds_tables_2_and_4_as_grids(default_db: Path) -> None:
    at = app(default_db, "pages/report.py", {"from": "2019", "to": "2019"})
    subheaders = [h.value for h in at.subheader]
    assert "表二 主动公开政府信息情况" in subheaders and "表四 行政复议、行政诉讼情况" in subheaders
    grid = next(df.value for df in at.table if "结果维持" in df.value.columns).set_index("类别")
    # seed 004's truth: 复议 维持1 纠正1 总计2; 直接起诉 维持11 纠正5 其他26 总计42
    assert grid.loc["行政复议", "总计"] == 2 and grid.loc["行政诉讼·未经复议直接起诉", "其他结果"] == 26


def overview_count(at: AppTest) -> int:
    """The overview's 报告数 with departments and unknown years included (every saved report)."""
    at.switch_page("pages/overview.py").run()
    at.sidebar.checkbox(key="f_dept").check()
    at.sidebar.checkbox(key="f_unknown").check()
    at.run()
    return int(at.metric[0].value) if at.metric else 0


@pytest.mark.slow  # every page
def test_an_upload_is_saved_and_shows_on_every_page_without_a_restart(empty_db: Path) -> None:
    at = app(empty_db, "pages/upload.py")
    report = sample_report("2021", title="株洲市荷塘区人民政府2022年政府信息公开工作年度报告").render_html()
    at.file_uploader(key="uploads").set_value(("荷塘区2022.html", report.encode("utf-8"), "text/html")).run()
    assert not at.exception and not at.error
    # The preview before saving: the metadata read, editable
    assert at.text_input(key="agency_荷塘区2022.html").value == "荷塘区人民政府"
    assert at.number_input(key="year_荷塘区2022.html").value == 2022
    at.button(key="save").click().run()
    assert any("已保存" in s.value for s in at.success)
    assert overview_count(at) == 1
    at.switch_page("pages/report.py").run()
    row = evidence_of(at, "applications_new")
    assert row["数值"] == 25 and "本年新收政府信息公开申请数量" in row["原文依据"]  # the spec: 20 + 3 + 1 + 1
    at.switch_page("pages/export.py").run()
    assert at.dataframe[0].value["发布机关"].tolist() == ["荷塘区人民政府"]


def test_a_bad_file_gets_a_clear_message_and_leaves_the_database_unchanged(default_db: Path) -> None:
    at = app(default_db, "pages/overview.py")
    before = overview_count(at)
    at.switch_page("pages/upload.py").run()
    at.file_uploader(key="uploads").set_value([("扫描件.pdf", b"%PDF-1.4 not really a pdf", "application/pdf"),
                                              ("乱码.txt", b"\x00\x01\x02" * 400, "text/plain")]).run()
    assert not at.exception
    messages = [e.value for e in at.error]
    assert messages == ["这不是有效的 PDF 文件（或文件已损坏）。这个文件不会保存。",
                        "无法把这个文件读作文本，可能不是年报或编码无法识别。这个文件不会保存。"]
    assert not [b for b in at.button if b.key == "save"]  # nothing readable: nothing to confirm
    assert overview_count(at) == before


def test_a_pdf_upload_shows_its_figures_with_their_page(empty_db: Path) -> None:
    import json

    real = shared_path("real-files/hongze_2023.pdf")
    truth = json.loads(shared_path("real-files/hongze_2023.json").read_text(encoding="utf-8"))["metrics"]
    at = app(empty_db, "pages/upload.py")
    at.file_uploader(key="uploads").set_value((real.name, real.read_bytes(), "application/pdf")).run()
    assert not at.exception and not at.error
    at.button(key="save").click().run()
    at.switch_page("pages/report.py").run()
    row = evidence_of(at, "applications_new")
    assert row["数值"] == truth["applications_new"] and row["页码"] == 3


def test_the_same_file_uploaded_again_is_recognised(default_db: Path) -> None:
    seed = shared_path("seeds/004_c9b27cee782bad7f.txt")  # part of the embedded default data
    at = app(default_db, "pages/upload.py")
    at.file_uploader(key="uploads").set_value((seed.name, seed.read_bytes(), "text/plain")).run()
    at.button(key="save").click().run()
    assert any("已在库中" in s.value for s in at.success)


def test_review_page_splits_outcomes_per_group_and_says_how_many_reports(default_db: Path) -> None:
    at = app(default_db, "pages/review.py", {"departments": "1"})
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert any(c.startswith("本图汇总") for c in captions)
    assert {"审理结果", "直接起诉与复议后起诉", "纠错率", "地区比较"} <= {h.value for h in at.subheader}


def test_metadata_the_text_did_not_give_can_be_typed_in_before_saving(empty_db: Path) -> None:
    text = sample_report("2021", title="政府信息公开工作年度报告").render_flattened()  # no agency, area or year
    at = app(empty_db, "pages/upload.py")
    at.file_uploader(key="uploads").set_value(("无题.txt", text.encode("utf-8"), "text/plain")).run()
    assert not at.exception and not at.error
    at.number_input(key="year_无题.txt").set_value(2022)
    at.text_input(key="agency_无题.txt").set_value("荷塘区人民政府")
    at.button(key="save").click().run()
    assert any("已保存" in s.value for s in at.success)
    at.switch_page("pages/export.py").run()
    at.sidebar.checkbox(key="f_dept").check().run()  # no level was read, so it is not known as a government's
    frame = at.dataframe[0].value
    assert frame["数据年度"].tolist() == [2022] and frame["发布机关"].tolist() == ["荷塘区人民政府"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.slow  # every page
def test_every_page_runs_in_english_with_its_english_title(default_db: Path, page: str) -> None:
    at = app(default_db, page, {"lang": "en"})
    assert not at.exception, at.exception
    assert at.title[0].value == ENGLISH_TITLES[page]
    assert at.query_params.get("lang") == "en"  # the filters rewrote the URL without dropping it


def test_a_chart_title_is_english(default_db: Path) -> None:
    import json

    at = app(default_db, "pages/applications.py", {"lang": "en"})
    layouts = [json.loads(chart.proto.spec)["layout"] for chart in at.get("plotly_chart")]
    titles = [layout["title"]["text"] for layout in layouts]
    assert "New applications by year" in titles and "Outcomes of requests (2019/2021 formats)" in titles
    assert layouts[0]["xaxis"]["title"]["text"] == "Year"


def switch_from(params: dict[str, str], english: bool) -> AppTest:
    """The sidebar switch flipped as a user does; the choice is kept in the session."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.sidebar.toggle(key="lang_en").set_value(english).run()
    return at


def test_the_switch_turns_english_on_and_it_survives_a_page_change(default_db: Path) -> None:
    at = switch_from({}, english=True)
    assert at.title[0].value == "Overview" and at.query_params.get("lang") == "en"
    at.query_params.clear()  # as a browser does on a page change
    at.switch_page("pages/review.py").run()
    assert at.title[0].value == "Review and litigation" and at.query_params.get("lang") == "en"


def test_switching_back_shows_chinese(default_db: Path) -> None:
    at = switch_from({"lang": "en"}, english=False)
    assert at.title[0].value == "总览" and "lang" not in at.query_params
    at.switch_page("pages/review.py").run()
    assert at.title[0].value == "复议诉讼" and "审理结果" in {h.value for h in at.subheader}


def test_lang_is_not_a_bad_parameter_and_notices_follow_it(default_db: Path) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"lang": "en", "from": "abc"})
    at.run()
    assert [w.value for w in at.sidebar.warning] == ["Parameter from='abc' is not a year; ignored."]
    assert dict(at.query_params) == {"lang": "en"}


def test_the_export_page_in_english_shows_english_column_headers(default_db: Path) -> None:
    at = app(default_db, "pages/export.py", {"lang": "en", "from": "2019", "to": "2019"})
    frame = at.dataframe[0].value
    assert {"Agency", "Data year", "New applications"} <= set(frame.columns) and set(frame["Data year"]) == {2019}
    at.radio(key="shape").set_value("figures").run()  # one row per metric: its labels are English too
    frame = at.dataframe[0].value
    assert "New applications" in set(frame["Metric"]) and "Metric key" in frame.columns


def test_every_chinese_text_of_the_dashboard_has_english() -> None:
    """Each Chinese string literal of the UI code (not docstrings), and each label the UI shows, is in labels.EN."""
    import ast
    import re

    from govreport_core import catalog, labels
    from govreport_core.service import export
    from govreport_core.store import filters

    han = re.compile(r"[\u4e00-\u9fff]")
    files = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "govreport_core" / "dashboard").glob("*.py")),
             ROOT / "govreport_core" / "store" / "filters.py"]
    texts: set[str] = set()
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                      and isinstance(node.body[0], ast.Expr)}
        texts |= {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
                  and han.search(node.value) and id(node) not in docstrings}
    texts |= {*catalog.LEVEL_LABELS.values(), *filters.ERA_LABELS.values(), *catalog.APPLICANT_LABELS.values(),
              *(rate.label_zh for rate in catalog.RATES.values()), *export.COLUMN_LABELS.values(), *catalog.FIELD_LABELS.values(),
              *(fragments[0] for _, fragments in catalog.TABLE2_ROWS)}
    assert sorted(texts - set(labels.EN)) == []
