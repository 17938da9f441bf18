"""Issue 22 point 4: uploads. Two files of the same name (the page crashed on a duplicate widget key), true sentences
for a budget a file ran into (a 2000-page PDF and a timeout were told the PDF was damaged), and a save that lets go
of the files (the page starts an empty uploader; the outcomes are shown on that run)."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_builder import sample_report
from streamlit.testing.v1 import AppTest

from govreport_core.dashboard.upload_preview import error_sentence
from govreport_core.service.workers import Budget, memory_message, time_message

ROOT = Path(__file__).resolve().parent.parent


def app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/upload.py").run()
    return at


@pytest.mark.slow  # worker processes, and every page
def test_two_files_of_the_same_name_are_both_previewed_and_saved(empty_db: Path) -> None:
    at = app()
    first = sample_report("2021", title="株洲市荷塘区人民政府2022年政府信息公开工作年度报告").render_html().encode()
    second = sample_report("2021", title="株洲市芦淞区人民政府2022年政府信息公开工作年度报告").render_html().encode()
    at.file_uploader(key="uploads").set_value([("年报.html", first, "text/html"), ("年报.html", second, "text/html")]).run()
    assert not at.exception
    assert at.text_input(key="agency_年报.html").value == "荷塘区人民政府"
    assert at.text_input(key="agency_年报.html (2)").value == "芦淞区人民政府"
    at.button(key="save").click().run()
    assert not at.exception
    assert [s.value for s in at.success if "已保存" in s.value] == ["年报.html：已保存（报告编号 1）",
                                                                  "年报.html：已保存（报告编号 2）"]
    # A new, empty uploader: no preview, no inputs, and the old uploader's files are no longer held.
    assert [u.key for u in at.file_uploader] == ["uploads_1"] and not at.text_input


@pytest.mark.parametrize(("lang", "sentences"), [
    ("zh", ["读取这个文件超过 60 秒，已停止。", "读取这个 20 页的扫描件超过 330 秒，已停止。", "读取这个文件需要超过 1 GB 内存，已停止。",
            "这个 PDF 有 2000 页，超过读取上限 1000 页，未读取。"]),
    ("en", ["Reading this file took longer than 60 s; it was stopped.",
            "Reading this 20-page scan took longer than 330 s; it was stopped.",
            "Reading this file uses more than 1 GB of memory; it was stopped.",
            "This PDF has 2000 pages, more than the 1000 pages a report is read up to; it was not read."])])
def test_a_budget_is_named_as_such_never_as_a_damaged_file(lang: str, sentences: list[str]) -> None:
    budget = Budget()
    errors = [time_message(budget, 0), time_message(budget, 20), memory_message(budget),
              "The PDF has 2000 pages, more than the 1000 pages a report is read up to; it is not read."]
    assert [error_sentence("扫描件.pdf", error, lang) for error in errors] == sentences
    assert error_sentence("扫描件.pdf", "The PDF cannot be read (PSSyntaxError).", lang) != sentences[0]
