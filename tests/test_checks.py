"""K8: the report's summary sentences cross-checked with its tables (FORMATS.md §5: trust the table).

The reports are team-written (tests/report_builder.py): sample_table3 holds 新收25, 予以公开9, 部分公开4, 不予公开1,
无法提供5, 不予处理2, 其他处理3, 总计24; table 4 holds 行政复议 总计2 and 行政诉讼 2 groups of 42 and 2 (44).
Expected values below are those numbers, written into the sentences by hand.
"""

from __future__ import annotations

import pytest
from report_builder import sample_report

from govreport_core.devtools.corpus.generate import OLD_ROWS
from govreport_core.extraction.pipeline import extract_bytes

AGREEING = ("本年度共收到政府信息公开申请25件，其中予以公开9件、部分公开4件、不予公开1件、无法提供5件、不予处理2件、"
            "其他处理3件。因政府信息公开被申请行政复议2件、提起行政诉讼44件。")
LAYOUTS = [("2019", "render_html", "r.html"), ("2021", "render_html", "r.html"),
           ("2019", "render_flattened", "r.txt"), ("2021", "render_pipes", "r.md")]


def extract(prose: str, era: str = "2021", method: str = "render_html", name: str = "r.html",
            t3_fix: dict | None = None, t4: list | None = None) -> dict:
    report = sample_report(era)
    report.prose = prose
    report.table3.update(t3_fix or {})
    if t4 is not None:
        report.table4 = t4
    got = extract_bytes(getattr(report, method)().encode("utf-8"), name).to_dict()
    assert "error" not in got
    return got


def rules(got: dict, *names: str) -> list[dict]:
    return [f for f in got["findings"] if f["rule"] in names]


@pytest.mark.parametrize(("era", "method", "name"), LAYOUTS)
def test_agreeing_sentences_give_no_finding(era: str, method: str, name: str) -> None:
    got = extract(AGREEING, era, method, name)
    assert rules(got, "K8", "withheld") == []
    assert (got["metrics"]["granted"], got["metrics"]["applications_new"], got["metrics"]["review_total"]) == (9, 25, 2)


@pytest.mark.parametrize("prose", [
    AGREEING,
    # traditional characters, full-width digits, other verbs and counters
    "本年度共受理政府信息公開申請２５件，其中予以公開９件，部分公開４件，不予公開１件，無法提供５件。",
    "全年新收政府信息公开申请25宗。办理结果：予以公开9件；部分公开4件；不予处理2件；其他处理3件。",
    "信息公开类行政复议2件，诉讼44件。",
])
def test_variants_that_agree(prose: str) -> None:
    assert rules(extract(prose), "K8", "withheld") == []


@pytest.mark.parametrize(("prose", "key", "said"), [
    ("全年共收到政府信息公开申请30件。", "applications_new", 30),
    ("其中予以公开12件。", "granted", 12),
    ("其中予以公開１２件。", "granted", 12),
    ("不予公开3件。", "denied_total", 3),
    ("无法提供265件。", "unable_total", 265),  # FORMATS §5 K8: Shanghai's prose counted one sub-row
    ("因政府信息公开被申请行政复议7件，均获维持。", "review_total", 7),
    ("政府信息公开行政诉讼9件。", "litigation_total", 9),
])
def test_disagreement_keeps_the_table_and_says_so(prose: str, key: str, said: int) -> None:
    got = extract(prose)
    table = {"applications_new": 25, "granted": 9, "denied_total": 1, "unable_total": 5, "review_total": 2,
             "litigation_total": 44}[key]
    assert got["metrics"][key] == table  # the table's sums hold: the table is trusted
    found = rules(got, "K8")
    assert [f["keys"] for f in found] == [[key]] and found[0]["severity"] == "info"
    assert str(said) in found[0]["message"] and str(table) in found[0]["message"]


# 予以公开 printed as 19 in the 总计 column while its applicants add up to 9 and the outcomes to 24 (K2, K3 fail).
WRONG_GRANTED = {"granted": [8, 1, 0, 0, 0, 0, 19]}


@pytest.mark.parametrize(("era", "method", "name"), LAYOUTS)
def test_a_cell_that_prose_and_sums_contradict_is_withheld(era: str, method: str, name: str) -> None:
    got = extract("全年共收到政府信息公开申请25件，其中予以公开9件。", era, method, name, WRONG_GRANTED)
    assert {"K2", "K3"} <= {f["rule"] for f in got["findings"]}
    assert "granted" not in got["metrics"]
    assert "total" not in got["breakdown"].get("granted", {})
    assert got["breakdown"]["granted"]["natural_person"] == 8  # the row's other cells are kept
    assert [f["keys"] for f in rules(got, "withheld")] == [["granted"]]
    assert got["metrics"]["applications_new"] == 25


def test_a_cell_the_prose_confirms_is_kept_though_the_sums_fail() -> None:
    got = extract("其中予以公开19件。", t3_fix=WRONG_GRANTED)
    assert got["metrics"]["granted"] == 19  # a report whose sums fail keeps its printed values
    assert rules(got, "withheld", "K8") == []


def test_without_a_sentence_a_failing_cell_is_kept() -> None:
    got = extract("本年度我区严格执行《中华人民共和国政府信息公开条例》。", t3_fix=WRONG_GRANTED)
    assert got["metrics"]["granted"] == 19 and rules(got, "withheld") == []


def test_a_review_total_that_prose_and_k4_contradict_is_withheld() -> None:
    t4 = [1, 1, 0, 0, 5, 11, 5, 26, 0, 42, 0, 0, 1, 1, 2]  # 1+1+0+0 = 2, printed 5
    got = extract("因政府信息公开被申请行政复议2件。", t4=t4)
    assert "K4" in {f["rule"] for f in got["findings"]}
    assert "review_total" not in got["metrics"] and got["metrics"]["review_upheld"] == 1
    assert [f["keys"] for f in rules(got, "withheld")] == [["review_total"]]


@pytest.mark.parametrize("prose", [
    "予以公开及部分公开13件。",  # a combined count (FORMATS §3.4)
    "予以公开、部分公开共13件。",
    "因涉及第三方合法权益不予公开3件。",  # one reason, not the outcome
    "本机关不掌握相关政府信息无法提供3件。",
    "属于重复申请不予处理5件。",
    "上年收到政府信息公开申请30件。",  # another year
    "收到政府信息公开申请27件（含上年结转2件）。",  # new and carried over together
    "全年共收到政府信息公开申请30余件。",  # approximate
    "累计收到政府信息公开申请300件。",  # cumulative
    "全年办理行政复议案件120件，行政诉讼应诉案件35件。",  # the body's own cases, not caused by disclosure
    "因政府信息公开引起的行政复议和行政诉讼案件共3件。",  # two counts in one
    "2024年1月18日发布，电话0731-28580542，予以公开率36%。",
])
def test_sentences_that_must_not_be_read_as_summary(prose: str) -> None:
    assert rules(extract(prose), "K8", "withheld") == []


OLD_REPORT = "茶陵县人民政府2015年政府信息公开工作年度报告\n一、概述\n扎实推进政府信息公开工作。\n"


def old_with_table(prose: str) -> dict:
    values = {"proactive_items": 120, "applications_new": 12, "processed_total": 12, "review_total": 0,
              "complaints_total": 1}
    table = [line for label, key, unit in OLD_ROWS for line in (label, unit, str(values.get(key, 0)) if key else "")]
    text = OLD_REPORT + prose + "统计指标\n单位\n统计数\n" + "\n".join(line for line in table if line) + "\n"
    got = extract_bytes(text.encode("utf-8"), "old.txt").to_dict()
    assert "error" not in got
    return got


@pytest.mark.parametrize(("prose", "key"), [
    ("三、依申请公开政府信息情况\n全年共受理政府信息公开申请10件。\n", "applications_new"),
    ("二、主动公开政府信息情况\n全年主动公开政府信息135条。\n", "proactive_items"),
])
def test_old_statistics_table_checked_against_old_prose(prose: str, key: str) -> None:
    got = old_with_table(prose)
    assert got["metrics"][key] == {"applications_new": 12, "proactive_items": 120}[key]  # the 统计表 is trusted
    assert [f["keys"] for f in rules(got, "K8")] == [[key]]


def test_old_prose_that_agrees_with_its_table() -> None:
    got = old_with_table("二、主动公开政府信息情况\n全年主动公开政府信息120条。\n三、依申请公开政府信息情况\n"
                         "全年共受理政府信息公开申请12件。\n")
    assert rules(got, "K8", "withheld") == []
