"""Old reports (2008–2018): the 2014 统计表 in its forms, and the prose phrasings of FORMATS.md §3.4.

Every report here is written by the team; expected values are read off the text written in the test.
"""

from __future__ import annotations

import opencc
import pytest

from govreport_core.catalog import METRICS, Era, Grade
from govreport_core.extraction.pipeline import extract_bytes

TITLE = "株洲市芦淞区人民政府2016年政府信息公开工作年度报告\n"
INTRO = "一、概述\n现将我区2016年政府信息公开工作情况报告如下。\n"
# (label, unit, this year, 历年累计) rows of a 统计表; None = a blank cell.
STATS: list[tuple[str, str | None, int | str | None, int | None]] = [
    ("一、主动公开情况", None, None, None),
    ("(一)主动公开政府信息数(不同渠道和方式公开相同的信息列为1条)", "条", 512, 4031),
    ("其中:主动公开规范性文件数", "条", 6, 40),
    ("制发规范性文件总数", "件", 7, 41),
    ("(二)通过不同渠道和方式公开政府信息的情况", None, None, None),
    ("1.政府公报公开政府信息数", "条", 0, 0),
    ("2.政府网站公开政府信息数", "条", 480, 3900),
    ("二、回应解读情况", None, None, None),
    ("(一)回应公众关注热点或重大舆情数(不同方式回应同一热点或舆情计1次)", "次", 4, 12),
    ("三、依申请公开情况", None, None, None),
    ("(一)收到申请数", "件", 9, 60),
    ("1.当面申请数", "件", 2, 20),
    ("2.传真申请数", "件", 0, 0),
    ("3.网络申请数", "件", 5, 30),
    ("4.信函申请数", "件", 2, 10),
    ("(二)申请办结数", "件", 9, 60),
    ("1.按时办结数", "件", 9, 58),
    ("2.延期办结数", "件", 0, 2),
    ("(三)申请答复数", "件", 9, 60),
    ("2.同意公开答复数", "件", 5, 30),
    ("4.不同意公开答复数", "件", 1, 5),
    ("其中:涉及国家秘密", "件", 0, 1),
    ("6.申请信息不存在数", "件", 3, 9),
    ("四、行政复议数量", "件", 1, 3),
    ("(一)维持具体行政行为数", "件", 1, 2),
    ("五、行政诉讼数量", "件", 0, 1),
    ("六、举报投诉数量", "件", 0, 0),
    ("七、依申请公开信息收取的费用", "万元", "0.012", None),
    ("八、机构建设和保障经费情况", None, None, None),
    ("(三)从事政府信息公开工作人员数", "人", 4, None),
    ("1.专职人员数(不包括政府公报及政府网站工作人员数)", "人", 1, None),
    ("2.兼职人员数", "人", 3, None),
    ("(四)政府信息公开专项经费(不包括用于政府公报编辑管理及政府网站建设维护等方面的经费)", "万元", "2.5", None),
    ("九、政府信息公开会议和培训情况", None, None, None),
    ("(三)接受培训人员数", "人次", 85, None),
]
EXPECTED = {"proactive_items": 512, "normative_docs_proactive": 6, "normative_docs_issued": 7, "proactive_via_gazette": 0,
            "proactive_via_website": 480, "hot_topic_responses": 4, "applications_new": 9, "applications_in_person": 2,
            "applications_fax": 0, "applications_online": 5, "applications_letter": 2, "processed_total": 9,
            "processed_on_time": 9, "processed_extended": 0, "replied_total": 9, "granted": 5, "denied_total": 1,
            "denied_state_secret": 0, "info_not_exist": 3, "review_total": 1, "review_upheld": 1, "litigation_total": 0,
            "complaints_total": 0, "fees_collected_wan": 0.012, "staff_total": 4, "staff_fulltime": 1, "staff_parttime": 3,
            "budget_wan": 2.5, "trainees": 85}


def extract(text: str, name: str = "r.txt") -> dict:
    got = extract_bytes(text.encode("utf-8"), name).to_dict()
    assert "error" not in got, got.get("error")
    return got


def stats_html() -> str:
    def td(value: object) -> str:
        return f"<td>{'' if value is None else value}</td>"
    rows = "".join("<tr>" + td(label) + td(unit) + td(year) + td(total) + "</tr>" for label, unit, year, total in STATS)
    return (f"<html><body><h1>{TITLE}</h1><p>{INTRO}</p><p>附表：政府信息公开情况统计表</p><table>"
            "<tr><td>统计指标</td><td>单位</td><td>2016年度</td><td>历年累计</td></tr>" + rows + "</table></body></html>")


def stats_flattened(values_first: bool) -> str:
    """One cell per line, blanks dropped; `values_first` prints a block's value right after its heading."""
    lines = [TITLE, INTRO, "统计指标", "单位", "统计数"]
    for label, unit, year, _ in STATS:
        if values_first and year is not None and label.startswith("(一)") and lines[-1].endswith("情况"):
            lines += [str(year), label, unit or ""]
            continue
        lines += [label, unit or "", "" if year is None else str(year)]
    return "\n".join(line for line in lines if line) + "\n"


def assert_stats(got: dict) -> None:
    assert got["report"]["format_era"] == "pre2019" and got["report"]["year"] == 2016
    for key, value in EXPECTED.items():
        assert got["metrics"].get(key) == pytest.approx(value), key
    assert not set(got["metrics"]) - set(EXPECTED) - set(got["derived"]), "a figure the table does not state"


def test_statistics_table_as_html_grid_keeps_the_year_column_only() -> None:
    assert_stats(extract(stats_html(), "r.html"))


@pytest.mark.parametrize("values_first", [False, True])
def test_statistics_table_flattened_one_cell_per_line(values_first: bool) -> None:
    assert_stats(extract(stats_flattened(values_first)))


def test_statistics_table_in_traditional_characters() -> None:
    assert_stats(extract(opencc.OpenCC("s2t").convert(stats_flattened(True))))


@pytest.mark.parametrize(("sentence", "expected"), [
    ("三、依申请公开情况\n2016年共收到申请数47件，申请办结数47件，办结率100%。", {"applications_new": 47, "processed_total": 47}),
    ("三、依申请公开情况\n共受理信息公开申请10件，其中当面申请1宗。", {"applications_new": 10}),
    ("三、依申请公开情况\n共收到政府信息公开申请6件，同意公开，并已办理答复。", {"applications_new": 6, "granted": 6}),
    ("三、依申请公开情况\n全年受理政府信息公开申请十二件。", {"applications_new": 12}),
    ("三、依申请公开情况\n全年未收到政府信息公开申请。", {"applications_new": 0}),
    ("三、依申请公开情况\n没有接到群众主动要求公开政府信息的申请。", {"applications_new": 0}),
    ("五、因政府信息公开申请行政复议、提起行政诉讼的情况\n全年共收到行政复议申请38件，维持具体行政行为31件。"
     "以区政府为被告的行政诉讼案件13件。", {"review_total": 38, "review_upheld": 31, "litigation_total": 13}),
    ("五、因政府信息公开申请行政复议、提起行政诉讼的情况\n未发生针对本单位的行政复议案、行政诉讼案。",
     {"review_total": 0, "litigation_total": 0}),
    ("六、因政府信息公开申请行政复议、提起行政诉讼情况\n无此类情况。", {"review_total": 0, "litigation_total": 0}),
    ("五、因政府信息公开申请行政複議、提起行政訴訟的情況\n未產生因政府信息公開引起的行政複議與行政訴訟。",
     {"review_total": 0, "litigation_total": 0}),
    ("四、政府信息公开的收费及减免情况\n全年没有收取政府信息公开费用。", {"fees_collected_wan": 0}),
    ("四、政府信息公开的收费及减免情况\n依申请公开收取的费用(检索费、邮寄费、复制费等)为0元。", {"fees_collected_wan": 0}),
    ("二、主动公开政府信息情况\n2016年，共发布各类文件和信息916条。", {"proactive_items": 916}),
    ("二、主动公开政府信息情况\n2016年度我局主动公开信息686条。", {"proactive_items": 686}),
    ("九、会议和培训\n全年举办各类培训班3期，培训工作人员62人次。", {"trainings": 3, "trainees": 62}),
])
def test_old_prose_phrasings(sentence: str, expected: dict) -> None:
    got = extract(TITLE + INTRO + sentence + "\n")
    for key, value in expected.items():
        assert got["metrics"].get(key) == value, key


@pytest.mark.parametrize(("sentence", "key"), [
    ("二、主动公开政府信息情况\n到年底累计主动公开政府信息5928条，其中本年度新增。", "proactive_items"),
    ("四、同意公开、部分公开和未予公开的政府信息分类情况\n我区同意公开政府信息5501件。\n"
     "三、依申请公开情况\n共收到申请数47件。", "granted"),
    ("三、依申请公开情况\n依据国发〔2014〕32号文件，于2016年3月31日前完成，见第12页。", "applications_new"),
    ("三、依申请公开情况\n电话0731-28580542，邮编412000。", "applications_new"),
    ("三、依申请公开情况\n全年收到行政复议申请3件。", "applications_new"),
])
def test_sentences_that_must_not_give_a_figure(sentence: str, key: str) -> None:
    assert key not in extract(TITLE + INTRO + sentence + "\n")["metrics"]


def test_another_bodys_count_is_not_the_reports() -> None:
    got = extract(TITLE + INTRO + "二、主动公开政府信息情况\n全区共主动公开政府信息2110条。区财政局主动公开信息311条，"
                  "其中区发改局主动公开信息50条。\n")
    assert got["metrics"]["proactive_items"] == 2110


def test_old_format_relations_are_checked() -> None:
    text = TITLE + INTRO + "三、依申请公开情况\n共收到申请数5件，申请办结数7件。\n"
    got = extract(text)
    assert any(f["rule"] == "L1" and f["severity"] == "warn" for f in got["findings"])


def test_every_old_metric_has_a_grade_and_a_comparable_new_key_where_the_spec_names_one() -> None:
    for key in ("denied_commercial_secret", "denied_privacy", "not_this_agency", "info_not_exist", "told_to_amend",
                "told_other_channel", "replied_total", "replied_already_public", "normative_docs_issued"):
        metric = METRICS[key]
        assert metric.compares_with in METRICS and Era.PRE2019 in metric.eras, key
        assert Era.F2019 in METRICS[metric.compares_with].eras
    assert METRICS["fees_collected_wan"].grade == Grade.C and METRICS["applications_new"].grade == Grade.B


# --- 统计表 quirks: 序号 columns, money in 元, label variants --------------------------------------

def stats_numbered_html() -> str:
    """The STATS table with a leading 序号 column (1, 2, 3 … on every row, headings included)."""
    def td(value: object) -> str:
        return f"<td>{'' if value is None else value}</td>"
    rows = "".join(f"<tr>{td(n)}{td(label)}{td(unit)}{td(year)}{td(total)}</tr>"
                   for n, (label, unit, year, total) in enumerate(STATS, 1))
    return (f"<html><body><h1>{TITLE}</h1><p>{INTRO}</p><table><tr><td>序号</td><td>统计指标</td><td>单位</td>"
            "<td>2016年度</td><td>历年累计</td></tr>" + rows + "</table></body></html>")


def test_statistics_table_with_a_serial_column_keeps_the_values() -> None:
    assert_stats(extract(stats_numbered_html(), "r.html"))


# (序号 or None for a blank one, label, unit, value); "—" marks a heading's not-applicable cells.
NUMBERED: list[tuple[int | None, str, str, str]] = [
    (1, "一、主动公开情况", "—", "—"),
    (2, "(一)主动公开政府信息数(不同渠道和方式公开相同信息计1条)", "条", "1520"),
    (3, "其中:主动公开规范性文件数", "条", "12"),
    (4, "二、回应解读情况", "—", "—"),
    (5, "(一)回应公众关注热点或重大舆情数", "次", "5"),
    (6, "三、依申请公开情况", "—", "—"),
    (7, "(一)收到申请数", "件", "10"),
    (8, "1.当面申请数", "件", "2"),
    (9, "四、行政复议数量", "件", ""),  # no value: the next row's 序号 must not fill it
    (10, "(一)维持具体行政行为数", "件", "0"),
    (11, "八、机构建设和保障经费情况", "—", "—"),
    (12, "(一)政府信息公开工作专门机构数", "个", "1"),
    (13, "九、政府信息公开会议和培训情况", "—", "—"),
    (14, "(一)召开政府信息公开工作会议或专题会议数", "次", "2"),
]
NUMBERED_EXPECTED = {"proactive_items": 1520, "normative_docs_proactive": 12, "hot_topic_responses": 5,
                     "applications_new": 10, "applications_in_person": 2, "review_upheld": 0, "dedicated_offices": 1,
                     "meetings": 2}


def numbered_table(layout: str) -> tuple[str, str]:
    """NUMBERED as (text, file name) in one layout; "sparse" leaves the headings' 序号 blank."""
    header = layout.endswith("_header")
    rows = [("序号", "统计指标", "单位", "统计数")] if header else []
    for n, label, unit, value in NUMBERED:
        blank = layout.startswith("sparse") and unit == "—"
        rows.append(("" if blank else str(n), label, unit, value))
    head = TITLE + INTRO + "附件:政府信息公开情况统计表\n"
    if layout.startswith(("grid", "sparse")):
        body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
        return f"<html><body><p>{TITLE}</p><p>{INTRO}</p><table>{body}</table></body></html>", "r.html"
    if layout.startswith("pipe"):
        return head + "".join(" | ".join(row) + "\n" for row in rows), "r.txt"
    if layout.startswith("tab"):
        return head + "".join("\t".join(row) + "\n" for row in rows), "r.txt"
    return head + "".join(c + "\n" for row in rows for c in row if c), "r.txt"  # one cell per line


@pytest.mark.parametrize("layout", ["grid_header", "grid", "sparse_header", "pipe_header", "pipe", "tab",
                                    "flat_header", "flat", "sparse_flat_header"])
def test_a_serial_number_is_never_a_value(layout: str) -> None:
    got = extract(*numbered_table(layout))["metrics"]
    for key, value in NUMBERED_EXPECTED.items():
        assert got.get(key) == value, key
    assert "review_total" not in got  # its value cell is blank; 10 is the next row's 序号


def fee_table(fee_row: list[str], budget_row: list[str], grid: bool) -> tuple[str, str]:
    rows = [["统计指标", "单位", "统计数"], ["二、回应解读情况", "—", "—"], ["六、举报投诉数量", "件", "0"],
            fee_row, ["八、机构建设和保障经费情况", "—", "—"], ["(一)政府信息公开工作专门机构数", "个", "1"],
            budget_row, ["九、政府信息公开会议和培训情况", "—", "—"], ["(三)接受培训人员数", "人次", "40"]]
    if grid:
        body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
        return f"<html><body><p>{TITLE}</p><p>{INTRO}</p><table>{body}</table></body></html>", "r.html"
    return TITLE + INTRO + "".join(" | ".join(row) + "\n" for row in rows), "r.txt"


FEE = "七、依申请公开信息收取的费用"
BUDGET = "(四)政府信息公开专项经费"


@pytest.mark.parametrize("grid", [True, False])
@pytest.mark.parametrize(("fee_row", "budget_row", "fee", "budget"), [
    ([FEE, "元", "1500"], [BUDGET, "万元", "5.5"], 0.15, 5.5),  # the row's unit cell says 元
    ([FEE, "1500", "元"], [BUDGET, "5.5", "万元"], 0.15, 5.5),  # the unit printed after the value
    ([FEE + "(元)", "", "1500"], [BUDGET + "(单位:万元)", "", "5.5"], 0.15, 5.5),  # the unit in the label
    ([FEE, "", "1500元"], [BUDGET, "元", "55000"], 0.15, 5.5),  # the unit in the value cell
    ([FEE, "万元", "0.15"], [BUDGET, "", "5.5"], 0.15, 5.5),  # no unit: the 统计表's 万元
    ([FEE, "元", "0"], [BUDGET, "万元", "2"], 0, 2),  # a 元 row does not carry over to the next
])
def test_money_in_yuan_is_converted_to_wan(fee_row: list[str], budget_row: list[str], fee: float, budget: float,
                                           grid: bool) -> None:
    got = extract(*fee_table(fee_row, budget_row, grid))["metrics"]
    assert got["fees_collected_wan"] == pytest.approx(fee) and got["budget_wan"] == pytest.approx(budget)
    assert got["complaints_total"] == 0 and got["dedicated_offices"] == 1 and got["trainees"] == 40


@pytest.mark.parametrize(("heading", "label", "key", "value"), [
    ("一、主动公开情况", "2.网站公开政府信息数", "proactive_via_website", 1500),
    ("一、主动公开情况", "2.门户网站公开政府信息数", "proactive_via_website", 1500),
    ("三、依申请公开情况", "(一)收到申请总数", "applications_new", 10),
    ("九、政府信息公开会议和培训情况", "(三)接受培训人数", "trainees", 120),
])
def test_statistics_table_label_variants(heading: str, label: str, key: str, value: int) -> None:
    rows = [("二、回应解读情况", "—", "—"), ("八、机构建设和保障经费情况", "—", "—"), (heading, "—", "—"),
            (label, "件", str(value))]
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    got = extract(f"<html><body><p>{TITLE}</p><p>{INTRO}</p><table>{body}</table></body></html>", "r.html")
    assert got["metrics"].get(key) == value
