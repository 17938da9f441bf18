"""Prose figures wanted in every era: proactive_items and fees_collected_wan (METRICS.md)."""

from __future__ import annotations

import pytest

from govreport_core.extraction.pipeline import extract_bytes

HEAD = "株洲市芦淞区人民政府2022年政府信息公开工作年度报告\n一、总体情况\n"


def metrics(body: str) -> dict:
    got = extract_bytes((HEAD + body).encode("utf-8"), "r.txt").to_dict()
    assert "error" not in got
    return got


@pytest.mark.parametrize(("sentence", "value"), [
    ("本年度主动公开政府信息1136条。", 1136),
    ("全年共主动公开政府信息共145条，其中规范性文件12条。", 145),
    ("主动公开各类政府信息3,985条。", 3985),
    ("主動公開政府信息六百條。", 600),  # traditional characters and a Chinese numeral
])
def test_proactive_items(sentence: str, value: int) -> None:
    got = metrics(sentence)
    assert got["metrics"]["proactive_items"] == value
    assert got["evidence"]["proactive_items"]["text"].startswith(sentence[:4].replace("動", "动").replace("開", "开"))


@pytest.mark.parametrize("sentence", [
    "主动公开各类政府信息5500余条。",  # approximate: not a figure
    "截至年底累计主动公开政府信息5928条。",  # cumulative
    "发布、转发各类信息条数5189条。",  # not 主动公开
    "依据国办公开办函〔2021〕30号，于2022年3月1日发布，电话0731-28580542，占比86.9%。",
])
def test_sentences_that_must_not_give_proactive_items(sentence: str) -> None:
    assert "proactive_items" not in metrics(sentence)["metrics"]


def test_two_different_counts_give_none_and_a_finding() -> None:
    got = metrics("上半年主动公开政府信息120条。全年主动公开政府信息135条。")
    assert "proactive_items" not in got["metrics"]
    assert any(f["rule"] == "prose" for f in got["findings"])


def test_a_departments_count_is_not_the_governments() -> None:
    assert metrics("主动公开政府信息120条。区发改局主动公开政府信息35条。")["metrics"]["proactive_items"] == 120


@pytest.mark.parametrize(("sentence", "value"), [
    ("六、其他需要报告的事项\n本年度收取信息处理费380元。", 0.038),
    ("六、其他需要报告的事项\n本机关共收取信息处理费3940元。", 0.394),
    ("六、其他需要报告的事项\n本年度未收取信息处理费。", 0),
    ("六、其他需要报告的事项\n本年度没有收取任何信息处理费。", 0),
    ("六、其他需要报告的事项\n依申请公开收取的费用为0元。", 0),
    ("四、政府信息公开的收费及减免情况\n全年共收取检索、复制、邮寄费用120元。", 0.012),
])
def test_fees_collected_in_wan(sentence: str, value: float) -> None:
    assert metrics(sentence)["metrics"]["fees_collected_wan"] == pytest.approx(value)


def test_fee_regulation_number_is_not_a_fee() -> None:
    got = metrics("六、其他需要报告的事项\n按照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）执行。")
    assert "fees_collected_wan" not in got["metrics"]


# --- fees: amounts whose last digit is 0, other verbs, zero phrasings --------------------------------------
OTHER = "六、其他需要报告的事项\n"


@pytest.mark.parametrize(("sentence", "value"), [
    ("本年度信息处理费合计120元。", 0.012),
    ("2023年度信息处理费收入380元。", 0.038),
    ("本机关依法计收信息处理费1000元。", 0.1),
    ("根据《政府信息公开信息处理费管理办法》,本机关按件计收信息处理费380元。", 0.038),
    ("信息处理费收取情况:2050元。", 0.205),
    ("全年共发出收费通知2件,实际收取信息处理费380元。", 0.038),
])
def test_fee_amount_ending_in_zero_is_not_a_zero(sentence: str, value: float) -> None:
    assert metrics(OTHER + sentence)["metrics"]["fees_collected_wan"] == pytest.approx(value)


@pytest.mark.parametrize("sentence", [
    "本机关在提供政府信息时未收取任何费用。",
    "本年度不存在收取信息处理费的情况。",
    "本年度对申请人均免收信息处理费。",
    "2023年,本机关收取信息处理费0。",
    "(一)收取信息处理费情况:本年度无。",
    "信息处理费收取情况:0元。",
    "本机关未发生收取信息处理费的情况。",
])
def test_zero_fee_phrasings(sentence: str) -> None:
    assert metrics(OTHER + sentence)["metrics"]["fees_collected_wan"] == 0


@pytest.mark.parametrize("sentence", [
    "全年发出收费通知书1份,涉及金额200元。",  # billed, not collected
    "申请人逾期未缴纳信息处理费100元。",
    "本机关拟收取信息处理费300元。",
    "对经济困难的申请人免收信息处理费。",  # a waiver for some does not say nothing was collected
    "培训场地由党校提供,未收取任何费用。",  # not about disclosure fees
    "行政事业性收费收费金额30元。",
])
def test_sentences_that_must_not_give_a_fee(sentence: str) -> None:
    assert "fees_collected_wan" not in metrics(OTHER + sentence)["metrics"]


# --- old format (FORMATS §3.4) ---------------------------------------------------------------------------
OLD_HEAD = "茶陵县人民政府2015年政府信息公开工作年度报告\n一、概述\n扎实推进政府信息公开工作。\n"
APPLY = "三、依申请公开政府信息情况\n"


def old_metrics(body: str) -> dict:
    got = extract_bytes((OLD_HEAD + body).encode("utf-8"), "old.txt").to_dict()
    assert "error" not in got
    assert got["report"]["format_era"] == "pre2019"
    return got["metrics"]


@pytest.mark.parametrize(("sentence", "want"), [
    ("全年共受理政府信息公开申请10件,其中“同意公开”的7件,占总数的70%;同意部分公开2件;不同意公开1件。",
     {"granted": 7, "partially_granted": 2, "denied_total": 1}),
    ("全年共受理政府信息公开申请10件,已全部答复,其中不同意公开1件。", {"denied_total": 1}),
    ("全年共受理政府信息公开申请3件,其中部分予以公开3件。", {"partially_granted": 3}),
    ("全年共受理政府信息公开申请10件。其中,不同意公开2件,同意公开8件。", {"granted": 8, "denied_total": 2}),
    ("全年共受理政府信息公开申请10件。其中,予以公开6件,部分予以公开2件,不予以公开1件。",
     {"granted": 6, "partially_granted": 2, "denied_total": 1}),
])
def test_old_reply_categories_are_not_read_as_granted(sentence: str, want: dict) -> None:
    got = old_metrics(APPLY + sentence)
    assert {k: got[k] for k in ("granted", "partially_granted", "denied_total") if k in got} == want


def test_granted_and_partial_together_is_neither() -> None:
    got = old_metrics(APPLY + "全年共受理政府信息公开申请300件,予以公开及部分公开258件,占86%。")
    assert "granted" not in got and "partially_granted" not in got


@pytest.mark.parametrize(("sentence", "value"), [
    ("全年共收到公民、法人和其他组织提出的政府信息公开申请10件。", 10),
    ("全年政府信息公开申请共10件,均已按时答复。", 10),
    ("共受理政府信息公开申请0。", 0),  # the unit lost
])
def test_old_applications(sentence: str, value: int) -> None:
    assert old_metrics(APPLY + sentence)["applications_new"] == value


@pytest.mark.parametrize("sentence", [
    "全年答复政府信息公开申请共12件。",  # replies, not applications received
    "共受理政府信息公开申请0.5万件。",
])
def test_sentences_that_must_not_give_old_applications(sentence: str) -> None:
    assert "applications_new" not in old_metrics(APPLY + sentence)


REVIEW = "五、因政府信息公开申请行政复议、提起行政诉讼的情况\n"


@pytest.mark.parametrize(("sentence", "want"), [
    ("信息公开类行政复议7件,诉讼9件,均获维持。", {"review_total": 7, "litigation_total": 9}),
    ("信息公开类行政复议1起,正在办理中。本年度未发生政府信息公开行政诉讼。", {"review_total": 1, "litigation_total": 0}),
    ("本年度未发生因政府信息公开引起的行政复议。本年度未发生因政府信息公开引起的行政诉讼。",
     {"review_total": 0, "litigation_total": 0}),
    ("本年度没有因政府信息公开申请行政复议或提起行政诉讼的情况。", {"review_total": 0, "litigation_total": 0}),
])
def test_old_review_and_litigation(sentence: str, want: dict) -> None:
    got = old_metrics(REVIEW + sentence)
    assert {k: got[k] for k in want if k in got} == want


@pytest.mark.parametrize("sentence", [
    "行政复议3件,未发生行政诉讼败诉的情况。",  # none lost, not none filed
    "本年度未发生行政复议被纠错的情况。",
])
def test_review_negations_that_are_not_zero(sentence: str) -> None:
    got = old_metrics(REVIEW + sentence)
    assert "litigation_total" not in got
    assert got.get("review_total") != 0


@pytest.mark.parametrize(("sentence", "value"), [
    ("2023年,我区共主动公开1234条政府信息。", 1234),
    ("2023年,我区主动公开政策文件、人事信息等各类政府信息1234条。", 1234),
    ("2023年,我区主动公开政府信息(含政策文件)1234条。", 1234),
    ("到年底累计主动公开政府信息5928条,其中本年度新增主动公开政府信息2110条。", 2110),
])
def test_more_proactive_phrasings(sentence: str, value: int) -> None:
    assert metrics(sentence)["metrics"]["proactive_items"] == value


def test_old_fee_zero_without_a_verb() -> None:
    assert old_metrics("四、政府信息公开的收费及减免情况\n政府信息公开没有收费。\n")["fees_collected_wan"] == 0


# --- proactive_items: the report's own body named as the subject -------------------------------------------
def titled(title: str, body: str) -> dict:
    got = extract_bytes((title + "2023年政府信息公开工作年度报告\n一、总体情况\n" + body).encode("utf-8"), "r.txt")
    return got.to_dict()["metrics"]


@pytest.mark.parametrize(("title", "sentence"), [
    ("北京市通州区中仓街道办事处", "2023年,中仓街道主动公开政府信息1234条,其中政策解读12条。"),
    ("醴陵市孙家湾镇人民政府", "2023年,孙家湾镇主动公开政府信息1234条。"),
    ("芦淞区财政局", "2023年,区财政局主动公开政府信息1234条。"),
    ("芦淞区财政局", "2023年,芦淞区财政局主动公开政府信息1234条。"),
])
def test_own_body_as_subject(title: str, sentence: str) -> None:
    assert titled(title, sentence)["proactive_items"] == 1234


@pytest.mark.parametrize(("title", "sentence"), [
    ("株洲市人民政府", "芦淞区财政局主动公开政府信息35条。"),  # a city report listing a district bureau
    ("芦淞区财政局", "市财政局主动公开政府信息35条。"),  # same name, another level
    ("北京市通州区中仓街道办事处", "新城街道主动公开政府信息35条。"),  # another street
    ("醴陵市人民政府", "孙家湾镇主动公开政府信息35条。"),
])
def test_another_body_is_still_rejected(title: str, sentence: str) -> None:
    assert "proactive_items" not in titled(title, sentence)


# --- totals stated with 公布/发布/公开 + 政府信息; categories are never the total (issue 14, point 5) ---------------
@pytest.mark.parametrize(("sentence", "value"), [
    ("2023年，共公布政府信息1234条。", 1234),
    ("全年发布政府信息1234条，其中政策解读12条。", 1234),
    ("全年主动公开政府信息1234条。", 1234),
    ("本年度依法公开政府信息共计1234条。", 1234),
    ("2023年，共公开1234条政府信息。", 1234),
    ("全年共公佈政府信息１２３４條。", 1234),  # traditional characters, full-width digits
    ("全年發佈各類政府信息一千二百三十四條。", 1234),
    ("全年通过各类渠道主动公开政府信息1234条。", 1234),  # 各类 names no category
])
def test_totals_stated_with_other_verbs(sentence: str, value: int) -> None:
    assert metrics(sentence)["metrics"]["proactive_items"] == value


@pytest.mark.parametrize("sentence", [
    "共公开机构职能类信息20条，政策文件类信息30条，其他类信息5条。",
    "主动公开机构职能类信息20条、规划计划类信息30条、其他信息5条。",
    "共发布其他类信息5条。",
    "主动公开其他政府信息5条。",
    "机构职能类信息20条，政策文件类信息30条，其他主动公开政府信息5条。",  # the category before the verb
    "规划计划类主动公开政府信息20条。",
    "主动公开政府信息：机构职能类政府信息20条，其他政务信息5条。",
    "通过政府网站发布政府信息800条。",  # one channel's count (统计表 proactive_via_website)
    "区政务微博公布政府信息300条。",
    "同意公开政府信息5条。",  # a reply count
    "予以公开政府信息5条。",
    "申请人要求公开政府信息3条。",
    "依申请公开政府信息5条。",
    "区发改局发布政府信息35条。",  # another body
    "累计公布政府信息5928条。",
    "全年发布政府信息3000余条。",
])
def test_sentences_that_must_not_give_a_total(sentence: str) -> None:
    assert "proactive_items" not in metrics(sentence)["metrics"]


def test_the_total_before_its_categories_is_kept() -> None:
    got = metrics("全年共主动公开政府信息1234条，其中机构职能类信息20条，政策文件类信息30条，其他政务信息5条。")
    assert got["metrics"]["proactive_items"] == 1234


@pytest.mark.parametrize("sentence", [
    "2015年共公开机构职能类信息20条，政策文件类信息30条，其他类信息5条。",
    "全年共发布其他类信息5条。",
    "机构职能类信息20条，其他类共发布信息5条。",
])
def test_old_section_category_is_not_the_total(sentence: str) -> None:
    assert "proactive_items" not in old_metrics("二、主动公开政府信息情况\n" + sentence)


def test_old_section_total_with_a_list_closed_by_deng() -> None:
    got = old_metrics("二、主动公开政府信息情况\n全年共发布机构职能、规划类等各类信息412条。")
    assert got["proactive_items"] == 412


# --- which count is the proactive total: parts after 其中, parts of the area, channels ----------------------------

@pytest.mark.parametrize(("sentence", "value"), [
    # 其中 after all the information made: the proactive count itself (厦门, 福建)
    ("2022年,共制作政府信息3021条,其中主动公开信息1027条,依申请公开信息459条,不予公开信息1535条。", 1027),
    ("本年度制作、获取政府信息总数1873条,其中主动公开政府信息425条,作为依申请公开信息数46条。", 425),
    # 其中 after the total: a part of it, in the same sentence or the next (辽宁)
    ("全年通过政府网站、信息查阅场所等公开信息35829条。其中,通过市人民政府门户网站公开政府信息4541条。", 35829),
    ("2022年全区主动公开政府信息2122条。其中,区直各部门主动公开政府信息1509条,占71.11%。", 2122),
    # parts of the area without 全 are parts (县直各单位, 各乡镇)
    ("全县主动公开政府信息425条。县直各单位主动公开政府信息303条,占71.3%。各乡镇主动公开政府信息122条。", 425),
    # one channel's count is the total only when no sentence states it otherwise (上海, 江苏, 内蒙古)
    ("市科委通过部门网站当年发布政府信息393件,其中包括政策文件52件。", 393),
    ("全年通过区政府门户网站主动公开各类信息6709件,专栏专题维护4个。", 6709),
    ("主动公开政府信息1500条。通过政府网站发布政府信息1200条,通过政务微博发布信息300条。", 1500),
    # whose information: "我区各级单位"
    ("全年主动公开我区各级单位政府信息2645条,主要通过政府网站、政务新媒体发布。", 2645),
])
def test_the_proactive_total_among_its_parts(sentence: str, value: int) -> None:
    assert metrics(sentence)["metrics"]["proactive_items"] == value


@pytest.mark.parametrize("sentence", [
    "县直各单位主动公开政府信息303条,各乡镇主动公开政府信息122条。",  # parts only: no total is stated
    "通过政府网站发布政府信息800条,通过政务微博发布政府信息300条。",  # two channels, no total
    "通过“兴安盟行政公署发布”微信公众号累计发布信息216条。",  # cumulative, one channel
])
def test_parts_without_their_total_give_none(sentence: str) -> None:
    assert "proactive_items" not in metrics(sentence)["metrics"]


@pytest.mark.parametrize(("sentence", "key", "value"), [
    ("2010年我局依申请提供政府信息未收取费用,不存在减免情况。", "fees_collected_wan", 0),
    ("本机关从事政府信息公开工作的全职人员1人,兼职人员2人。", "staff_fulltime", 1),
    ("我办配备专职工作人员2名,兼职人员3名。", "staff_parttime", 3),
])
def test_old_reports_fees_and_staff(sentence: str, key: str, value: int) -> None:
    got = extract_bytes(("某区人民政府2010年政府信息公开工作年度报告\n四、人员和收支情况\n" + sentence).encode("utf-8"),
                        "r.txt").to_dict()
    assert got["metrics"][key] == value


def test_a_fee_for_something_else_is_no_zero() -> None:
    got = metrics("会议期间未收取费用。")
    assert "fees_collected_wan" not in got["metrics"]
