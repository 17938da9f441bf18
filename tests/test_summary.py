"""Summary sentences of 2019+ reports (extraction/summary.py): figures where the tables are missing, K8 where read.

Each trap is a general rule: several wordings per rule, as different provinces write them. Expected values are
read off the sentence written in the test, never off the code's output.
"""

from __future__ import annotations

import pytest

from govreport_core.extraction.pipeline import extract_bytes

HEAD = "2023年度政府信息公开工作年度报告\n本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。\n"


def metrics(sentence: str, head: str = HEAD) -> dict:
    got = extract_bytes((head + sentence + "\n").encode("utf-8"), "r.txt").to_dict()
    assert "error" not in got, got.get("error")
    return got["metrics"]


@pytest.mark.parametrize(("sentence", "expected"), [
    # the whole flow in one paragraph (浙江), in one sentence (天津), numbers before nouns (福建), Chinese numerals
    ("2023年,共收到政府信息公开申请132件,上年结转2件,共计134件。目前依法办结122件,其中予以公开的27件,部分公开的38件,"
     "无法提供的48件,不予处理的5件,其他处理的4件。结转下年度继续办理的12件。",
     {"applications_new": 132, "applications_carried_over": 2, "processed_total": 122, "granted": 27,
      "partially_granted": 38, "unable_total": 48, "not_processed_total": 5, "other_handling": 4,
      "carried_to_next_year": 12}),
    ("上年结转政府信息公开申请21件,本年新收434件,办理434件,剩余21件结转下一年度处理。",
     {"applications_carried_over": 21, "applications_new": 434, "processed_total": 434, "carried_to_next_year": 21}),
    ("本年度全区共收到70件申请,及时依法依规办结69件,1件结转下年度继续办理。",
     {"applications_new": 70, "processed_total": 69, "carried_to_next_year": 1}),
    ("全年共受理政府信息公开申请三十六件,办结三十四件,结转下年度两件。",
     {"applications_new": 36, "processed_total": 34, "carried_to_next_year": 2}),
    ("共办结政府信息公开申请40件,其中予以公开18件,部分公开5件,不予公开2件,无法提供12件,不予处理2件,其他处理1件;"
     "结转至2024年度办理9件。",
     {"processed_total": 40, "granted": 18, "partially_granted": 5, "denied_total": 2, "unable_total": 12,
      "not_processed_total": 2, "other_handling": 1, "carried_to_next_year": 9}),
    # a count without its counter word, its share after it
    ("共完成政府信息依申请公开答复1453件,包括上年结转信息公开申请30件。其中,予以公开答复966件,占66.48%;部分公开67,占4.61%;"
     "不予公开81件,占5.57%。",
     {"processed_total": 1453, "applications_carried_over": 30, "granted": 966, "partially_granted": 67,
      "denied_total": 81}),
    ("依申请公开办理结果:予以公开12件、部分公开3件、不予公开1件。", {"granted": 12, "partially_granted": 3, "denied_total": 1}),
    ("全年共接收政府信息公开申请128件,全部按期办结。", {"applications_new": 128}),
    ("2022年,全区各职能部门、镇街共收到政府信息依申请公开1499件。其中,通过网络申请1303件,占86.92%。",
     {"applications_new": 1499}),
])
def test_summary_sentences_give_the_figures_when_no_table_is_printed(sentence: str, expected: dict) -> None:
    got = metrics(sentence)
    for key, value in expected.items():
        assert got.get(key) == value, key
    assert not {k for k in got if not k.startswith(("review_", "litigation_"))} - set(expected), got


@pytest.mark.parametrize(("sentence", "expected"), [
    # a sub-count by applicant or by channel inside brackets or after 其中 is not the total
    ("本年度共受理依申请公开事项36件(其中:自然人申请32件,法人或其他组织申请4件)。", {"applications_new": 36}),
    ("2022年,本机关共收到政府信息公开申请58件,其中自然人申请52件,法人或其他组织申请6件。", {"applications_new": 58}),
    ("(二)依申请公开情况。共收到申请25件,其中网上申请20件,信函申请5件。", {"applications_new": 25}),
    # letters, visits and consultations are not requests: "未收到…来信" is no zero of requests
    ("本年度未收到群众来信,共收到依申请公开2件,均予以公开。", {"applications_new": 2}),
    ("全年未接到群众来访,受理政府信息公开申请3件。", {"applications_new": 3}),
    ("全年共接受政府信息公开咨询2070人次,收到政府信息公开申请4件。", {"applications_new": 4}),
])
def test_a_sub_count_or_a_letter_is_never_the_count_of_requests(sentence: str, expected: dict) -> None:
    got = metrics(sentence)
    assert {k: got.get(k) for k in expected} == expected


@pytest.mark.parametrize(("sentence", "carried"), [
    ("共受理政府信息公开申请24件(含上年结转1件),予以公开4件,无法提供19件。", 1),
    ("全年共受理政府信息公开申请24件(含上年度结转申请2件)。", 2),
    ("本年度共收到申请45件(包括上一年结转的3件)。", 3),
    ("共受理政府信息公开申请30件,包含上年结转4件。", 4),
])
def test_a_count_including_carried_over_requests_is_not_the_years_new_ones(sentence: str, carried: int) -> None:
    got = metrics(sentence)
    assert "applications_new" not in got and got["applications_carried_over"] == carried


@pytest.mark.parametrize("sentence", [
    "同意公开或部分公开247件。",
    "予以公开及部分公开258件,占33.9%。",
    "予以公开、部分公开共计58件。",
    "予以公开(含部分公开)30件。",
    "同意公开和部分公开的申请共15件。",
])
def test_merged_outcomes_give_neither(sentence: str) -> None:
    got = metrics(sentence)
    assert "granted" not in got and "partially_granted" not in got


@pytest.mark.parametrize(("sentence", "absent"), [
    # information items classed by how they are disclosed are not requests nor outcomes
    ("2023年共制作政府信息3021条,其中主动公开信息1027条,依申请公开信息459条,不予公开信息1535条。",
     ("applications_new", "denied_total")),
    ("本年度产生依申请公开类信息56条,不予公开类信息12条。", ("applications_new", "denied_total")),
    # a reason is a sub-row of its outcome
    ("因涉及第三方合法权益不予公开3件,因属于过程性信息不予公开2件。", ("denied_total",)),
    ("不予处理中,重复申请1件。", ("not_processed_total",)),
    # another year's count and a change are not this year's
    ("本年度收到政府信息公开申请较上年增加10件,共计35件。", ("applications_new",)),
    ("上年收到政府信息公开申请85件。", ("applications_new",)),
    # cumulative and approximate counts are not figures
    ("截至2023年底,累计受理政府信息公开申请560件。", ("applications_new",)),
    ("本年度共收到政府信息公开申请50余件。", ("applications_new",)),
    # "办理" alone may be received or handled: left out
    ("共办理公民、法人和其他组织提出的政府信息公开申请71件,依法依规满足公众需求。", ("applications_new", "processed_total")),
    # a part of the area or another body
    ("各乡镇共收到政府信息公开申请40件。", ("applications_new",)),
    ("区财政局收到政府信息公开申请35件。", ("applications_new",)),
    # requests of other kinds: licences, consultations (a bare 申请 outside a disclosure sentence)
    ("全年共受理行政许可申请1234件,办结1230件。", ("applications_new", "processed_total")),
    ("全年受理群众咨询和申请156件。", ("applications_new",)),
    ("全年共收到各类申请156件,均已办结。", ("applications_new",)),
    # "三个一" is a name, not a count of three
    ("坚持第一时间登记受理、第一时间转送承办单位和第一时间回复申请的“三个一”工作机制。", ("applications_new",)),
])
def test_counts_that_are_not_the_figure_are_left_out(sentence: str, absent: tuple[str, ...]) -> None:
    got = metrics(sentence)
    assert not set(absent) & set(got), got


def test_a_heading_names_what_a_bare_request_is() -> None:
    got = metrics("(二)依申请公开情况。本年度全区共收到70件申请,及时依法依规办结69件。")
    assert got["applications_new"] == 70 and got["processed_total"] == 69


def test_an_excerpt_without_its_year_is_read_as_new_format_by_its_words() -> None:
    text = "本年度共收到政府信息公开申请8件,予以公开5件,无法提供3件。\n"
    got = extract_bytes(text.encode("utf-8"), "excerpt.txt").to_dict()
    assert got["report"]["year"] is None
    assert got["metrics"] == {"applications_new": 8, "granted": 5, "unable_total": 3}


def test_the_areas_own_total_stands_beside_a_departments_part() -> None:
    got = metrics("全区各部门共收到政府信息公开申请120件,其中区财政局收到35件。")
    assert got["applications_new"] == 120


def test_two_different_totals_give_none_with_a_finding() -> None:
    text = HEAD + "共收到政府信息公开申请12件。\n全年共收到政府信息公开申请14件。\n"
    got = extract_bytes(text.encode("utf-8"), "r.txt").to_dict()
    assert "applications_new" not in got["metrics"]
    assert any(f["rule"] == "prose" and "applications_new" in f["keys"] for f in got["findings"])


@pytest.mark.parametrize(("sentence", "expected"), [
    ("因信息公开引发行政争议11件,其中,行政复议7件,结果维持6件,尚未审结1件;行政诉讼4件,结果维持2件,尚未审结2件。",
     {"review_total": 7, "review_upheld": 6, "review_pending": 1, "litigation_total": 4}),
    ("因政府信息公开被申请行政复议2件,被提起行政诉讼1件。", {"review_total": 2, "litigation_total": 1}),
    ("本年度发生政府信息公开行政复议案件3件,结果纠正1件,维持2件。",
     {"review_total": 3, "review_corrected": 1, "review_upheld": 2}),
    ("政府信息公开类行政复议1起,申请人撤回后终止1起。", {"review_total": 1, "review_other": 1}),
])
def test_review_and_litigation_counts(sentence: str, expected: dict) -> None:
    got = metrics(sentence)
    assert {k: got.get(k) for k in expected} == expected
    assert "review_total" in expected or "review_total" not in got  # the 11 disputes are both together


@pytest.mark.parametrize("sentence", [
    "2020年,我单位对形成的政府信息实现了依法、有序公开,未出现申请行政复议、提起行政诉讼的情况。",
    "本年度未发生政府信息公开行政复议和行政诉讼案件。",
    "本年度政府信息公开行政复议0件,行政诉讼0件。",
])
def test_no_review_and_no_suit_make_every_table_4_cell_zero(sentence: str) -> None:
    got = extract_bytes((HEAD + sentence + "\n").encode("utf-8"), "r.txt").to_dict()
    table4 = [k for k in got["metrics"] if k.startswith(("review_", "litigation_direct_", "litigation_after_review_"))]
    assert len(table4) == 15 and all(got["metrics"][k] == 0 for k in table4)
    assert "review_upheld" in got["derived"]  # stated: the totals; the cells follow from them


def test_the_table_is_trusted_and_the_sentence_only_cross_checks_it() -> None:
    """Where table 3 is printed but was not read, a sentence's positive count does not stand in for it: the table's
    本年新收 leaves out the carried-over requests that "收到申请75件" may count."""
    table = ("三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 72 2 0 0 0 0 74\n"
             "二、上年结转政府信息公开申请数量 1 0 0 0 0 0 1\n四、结转下年度继续办理 0 0 0 0 0 0 0\n")
    got = metrics("2022年,全区收到政府信息公开申请75件,均在法定期限内予以答复。\n" + table)
    assert got.get("applications_new") != 75


def test_old_reports_keep_their_own_reading() -> None:
    """A 2016 report: "答复" counts replies in the old 统计表, never the processed total."""
    head = HEAD.replace("2023", "2016")
    got = metrics("三、依申请公开情况\n共受理政府信息公开申请10件,答复10件。", head)
    assert got["applications_new"] == 10 and "processed_total" not in got
