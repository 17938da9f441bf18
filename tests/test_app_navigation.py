"""The dashboard's navigation and URL state, links to reports, counts that agree, the upload's check and its
messages, Streamlit's own chrome (issue 11 points 2, 3, 4, 5, 10; issue 12 points 6 and 8 on the dashboard side).

Expected numbers come from the truth files of ../shared (the embedded default data is extracted from them) or the
team-written report of tests/report_builder.py, never from the dashboard's own output."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from conftest import ROOT, seed_truths, shared_path, start_app
from report_builder import sample_report
from streamlit.testing.v1 import AppTest


def caption(at: AppTest) -> str:
    return next(c.value for c in at.sidebar.caption if "当前选择" in c.value or "Selected" in c.value)


# --- point 2: filters follow the user ------------------------------------------------------------------------


def test_filters_survive_a_page_change_by_the_sidebar(default_db: Path) -> None:
    at = start_app({"province": "湖南省", "from": "2019", "lang": "en"})
    at.query_params.clear()  # as the browser does when the sidebar's page link is followed
    at.switch_page("pages/review.py").run()
    assert dict(at.query_params) == {"province": "湖南省", "from": "2019", "lang": "en"}
    assert at.sidebar.selectbox(key="f_province").value == "湖南省"
    assert at.sidebar.slider(key="f_years").value[0] == 2019
    assert caption(at).startswith("Selected: 湖南省; 2019–latest")


def test_a_url_the_browser_goes_back_to_sets_the_widgets(default_db: Path) -> None:
    at = start_app({"province": "湖南省"})
    at.query_params.clear()
    at.query_params["province"] = "江苏省"  # Back to a view of another province
    at.run()
    assert at.sidebar.selectbox(key="f_province").value == "江苏省"
    assert at.sidebar.selectbox(key="f_city").value == ""  # 全部
    assert "江苏省" in caption(at)


def test_a_widget_change_writes_the_url_and_a_new_province_clears_the_city(default_db: Path) -> None:
    at = start_app()
    at.sidebar.selectbox(key="f_province").set_value("江苏省").run()
    assert at.query_params["province"] == "江苏省"
    at.sidebar.selectbox(key="f_city").set_value("淮安市").run()
    assert at.query_params["city"] == "淮安市" and at.query_params["province"] == "江苏省"
    at.sidebar.selectbox(key="f_province").set_value("湖南省").run()
    assert at.query_params["province"] == "湖南省" and "city" not in at.query_params
    at.sidebar.checkbox(key="f_dept").check().run()
    assert at.query_params["departments"] == "1"
    assert "含部门报告" in caption(at)


def test_a_chosen_report_stays_in_the_url_across_pages(default_db: Path) -> None:
    at = start_app({"report": "5"}, "pages/report.py")
    at.query_params.clear()
    at.switch_page("pages/overview.py").run()
    assert at.query_params["report"] == "5"


def test_a_url_value_is_shown_as_text_never_as_markdown(default_db: Path) -> None:
    at = start_app({"from": "![t](http://example.invalid/x.png)"})
    warning = at.sidebar.warning[0].value
    assert "\\!\\[t\\]\\(http\\://example.invalid/x.png\\)" in warning  # every mark escaped: no image request


# --- point 3: links to reports -------------------------------------------------------------------------------


def test_every_row_of_the_latest_reports_links_to_its_detail_with_the_view(default_db: Path) -> None:
    at = start_app({"province": "江苏省", "departments": "1"})
    latest = at.dataframe[-1].value
    links = latest[latest.columns[0]].tolist()
    assert links and all(link.startswith("report?report=") and "province=" in link for link in links)
    ids = [int(link.split("report=")[1].split("&")[0]) for link in links]
    assert len(set(ids)) == len(ids)


# --- point 5: counts that agree ------------------------------------------------------------------------------


def overview_count(params: dict[str, str]) -> int:
    return int(start_app(params).metric[0].value)


def test_unknown_years_count_only_when_chosen_and_the_blank_template_never(seeds_db: Path) -> None:
    everything = {"departments": "1", "aggregates": "1", "unknown_year": "1"}
    with_metrics = [d for d in seed_truths() if d["metrics"]]  # the blank template has none
    assert overview_count(everything) == len(with_metrics) == len(seed_truths()) - 1
    unknown = len([d for d in with_metrics if d.get("year") is None])
    assert unknown == 1  # seed 002
    without = {"departments": "1", "aggregates": "1"}
    assert overview_count(everything) - overview_count(without) == unknown
    at = start_app({**everything, "from": "2014", "to": "2024"})  # the choice works at a narrower range too
    assert int(at.metric[0].value) == len(with_metrics)
    said = [c.value for c in at.caption if c.value.startswith("本图汇总")]
    assert said and f"本图汇总 {len(with_metrics) - unknown} 份" in said[0] and "另有 1 份年份不明" in said[0]


# --- point 4: the upload's check -----------------------------------------------------------------------------


def test_the_preview_shows_the_figures_and_a_save_hidden_by_the_filters_says_why(default_db: Path) -> None:
    report = sample_report("2021", title="株洲市荷塘区人民政府2022年政府信息公开工作年度报告").render_html()
    at = start_app({"province": "江苏省"}, "pages/upload.py")
    at.file_uploader(key="uploads").set_value(("荷塘区2022.html", report.encode("utf-8"), "text/html")).run()
    assert not at.exception
    table3 = next(df.value for df in at.table if "总计" in df.value.columns and "自然人" in df.value.columns)
    labels = table3[["项目", "类别", "细项"]].astype(str).agg(" ".join, axis=1)
    row = table3[labels.str.contains("本年新收")].iloc[0]
    assert row["总计"] == 25 and row["自然人"] == 20  # the builder's spec: 20 + 3 + 1 + 1
    at.button(key="save").click().run()
    assert any("已保存" in s.value for s in at.success)
    warning = next(w.value for w in at.warning if "看不到" in w.value)
    assert "它的地区不在所选地区内" in warning  # 湖南省's report under a 江苏省 filter
    links = [link for link in at.get("page_link")]
    assert any("打开报告" in link.proto.label for link in links)
    wider = next(link for link in links if "换成包含它的筛选" in link.proto.label)
    assert "全部地区" in wider.proto.label and "江苏省" not in wider.proto.label  # the area choice undone


def test_an_english_upload_of_a_file_already_stored_says_so_in_english(default_db: Path) -> None:
    seed = shared_path("seeds/004_c9b27cee782bad7f.txt")
    at = start_app({"lang": "en"}, "pages/upload.py")
    at.file_uploader(key="uploads").set_value((seed.name, seed.read_bytes(), "text/plain")).run()
    at.button(key="save").click().run()
    message = next(s.value for s in at.success)
    assert "already in the database" in message.lower() and "已" not in message


# --- point 10 and issue 12 point 6: Streamlit's own chrome ----------------------------------------------------


def test_the_config_hides_deploy_statistics_and_tracebacks() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["toolbarMode"] == "viewer" and config["client"]["showErrorDetails"] == "none"
    assert config["browser"]["gatherUsageStats"] is False and config["theme"]["primaryColor"]
    from govreport_core.extraction.readers import DEFAULT_MAX_BYTES

    # The uploader states the extractor's limit (50 MB; Streamlit counts 1024² bytes a MB, so a file of 50–52.4 MB
    # passes the uploader and is refused by the extractor with a sentence).
    assert config["server"]["maxUploadSize"] == DEFAULT_MAX_BYTES // 1_000_000


def test_a_busy_database_gets_a_sentence_and_a_retry_not_a_traceback(default_db: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from govreport_core.dashboard import page
    from govreport_core.store import StoreError

    monkeypatch.setattr(page, "BUSY_WAIT_SECONDS", 0.0)
    calls = {"n": 0}
    real = page._cached

    def busy_twice(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] <= 2:
            raise StoreError("The database is in use by another process (busy).")
        return real(*args, **kwargs)

    monkeypatch.setattr(page, "_cached", busy_twice)
    at = start_app()
    assert not at.exception and at.title[0].value == "总览" and at.metric  # the page came after two retries
    monkeypatch.setattr(page, "_cached", lambda *a, **k: (_ for _ in ()).throw(StoreError("locked: busy")))
    at = start_app()
    assert not at.exception
    assert any("数据库正忙" in w.value for w in at.warning)


def test_the_ranking_links_each_report(default_db: Path) -> None:
    at = start_app({"departments": "1"}, "pages/review.py")
    ranking = at.dataframe[-1].value
    assert ranking.columns[0] == "报告编号"
    assert ranking[ranking.columns[0]].str.match(r"report\?report=\d+&departments=1").all()


def test_an_uploaded_file_name_is_shown_as_text(default_db: Path) -> None:
    name = "**粗体**[链接](http://example.invalid)<b>x</b>.pdf"
    at = start_app(None, "pages/upload.py")
    at.file_uploader(key="uploads").set_value((name, b"%PDF-1.4 not really a pdf", "application/pdf")).run()
    assert not at.exception
    shown = at.subheader[0].value
    assert shown == "\\*\\*粗体\\*\\*\\[链接\\]\\(http\\://example.invalid\\)\\<b\\>x\\</b\\>.pdf"
    assert at.error[0].value.startswith("这不是有效的 PDF 文件")
    assert "技术细节" in [e.label for e in at.expander]
