"""A local 统计表 of 2008–2018 glued into one line by a crawler (extraction/local_table.py).

The tables here are written by the team in the local templates' wording (FORMATS §3.2: 莆田's 附表 with a year
column and a 历年累计 column); expected values are read off the rows written in each test.
"""

from __future__ import annotations

import pytest

from govreport_core.extraction.pipeline import extract_bytes

TITLE = "仙游县人民政府2009年政府信息公开工作年度报告\n"
INTRO = "一、概述\n现将本县2009年政府信息公开工作情况报告如下。\n"
# 主动公开 312 (1208 to date) = 网站 300 (1150) + 公报 12 (58); 受理 2 (6) = 当面 1 (2) + 网上 1 (4) + 信函 0 (0);
# 答复 2 (6) = 同意 1 (5) + 部分 1 (1) + 否决 0 (0). Each row's 序号 is glued to the digits of the row before it.
PUTIAN = ("附表:仙游县人民政府2009年政府信息公开情况统计表 指标名称计量单位2009年度历年累计主动公开信息数条3121208"
          "其中:1.政府网站公开条30011502.政府公报公开条1258受理依申请公开信息总数条26其中:1.当面申请数条122.网上申请数条14"
          "3.信函申请数条00对申请的答复总数条26其中:1.同意公开答复数条152.同意部分公开答复数条113.否决公开答复数条00"
          "行政复议数件00行政诉讼数件00行政申诉数件00")
PUTIAN_EXPECTED = {"proactive_items": 312, "proactive_via_website": 300, "proactive_via_gazette": 12,
                   "applications_new": 2, "applications_in_person": 1, "applications_online": 1,
                   "applications_letter": 0, "replied_total": 2, "granted": 1, "partially_granted": 1,
                   "denied_total": 0, "review_total": 0, "litigation_total": 0}


def metrics(body: str) -> dict:
    got = extract_bytes((TITLE + INTRO + body + "\n").encode("utf-8"), "r.txt").to_dict()
    assert "error" not in got, got.get("error")
    assert got["report"]["format_era"] == "pre2019"
    return got["metrics"]


def test_glued_rows_are_cut_where_the_sums_under_qizhong_allow_one_cut() -> None:
    # "3121208" could be 3|121208, 31|21208 or 312|1208; only 312 + 1208 is 300+12 and 1150+58
    assert metrics(PUTIAN) == PUTIAN_EXPECTED


def test_serial_numbers_with_a_dunhao_and_no_unit_cells() -> None:
    table = (PUTIAN.replace("条", "").replace("件", "").replace("1.", "1、").replace("2.", "2、")
             .replace("3.", "3、"))
    assert metrics(table) == PUTIAN_EXPECTED


def test_stray_spaces_keep_the_columns_apart() -> None:
    table = "统计指标 单位 2012年度 累计\n主动公开信息数 条 425 1516\n行政复议数 件 0 3\n"
    got = metrics(table)
    assert got["proactive_items"] == 425 and got["review_total"] == 0


@pytest.mark.parametrize(("prose", "expected"), [
    ("", {"proactive_via_gazette": 0}),  # 2122|10037 or 212|210037…: no sum tells, so neither row is read
    ("二、主动公开政府信息情况\n2017年全区主动公开政府信息2122条。\n",  # the prose picks the cut, the sum the child's
     {"proactive_items": 2122, "proactive_via_website": 2122, "proactive_via_gazette": 0}),
])
def test_a_row_cut_several_ways_is_read_only_where_the_prose_states_it(prose: str, expected: dict) -> None:
    table = ("六、政府信息公开情况统计表指标名称计量单位2017年度历年累计主动公开文件数条212210037"
             "其中:1、政府网站公开数条2122100372、政府公报公开数条00")
    got = metrics(prose + table)
    assert {k: got.get(k) for k in ("proactive_items", "proactive_via_website", "proactive_via_gazette")
            if k in got or k in expected} == expected


def test_a_merged_channel_row_gives_both_only_when_zero() -> None:
    table = "指标名称计量单位2016年度历年累计受理依申请公开总数条35其中:1、当面申请数条122、信函、传真申请数条00"
    got = metrics(table)
    assert got["applications_letter"] == 0 and got["applications_fax"] == 0
    merged = metrics(table.replace("传真申请数条00", "传真申请数条23"))
    assert "applications_letter" not in merged and "applications_fax" not in merged


def test_a_year_value_larger_than_the_cumulative_one_is_no_cut() -> None:
    got = metrics("指标名称计量单位2013年度历年累计行政复议数件10行政诉讼数件00")  # 1|0: this year above the total
    assert "review_total" not in got and got["litigation_total"] == 0


def test_a_table_without_a_cumulative_column_header_is_not_cut() -> None:
    got = metrics("指标名称计量单位本期实际本年累计主动公开信息数条12345")  # a monthly form: which column is the year's?
    assert "proactive_items" not in got


# The unified 2014 统计表 glued the same way, with a 历年累计 column; every 序号 glued to the row before it.
TABLE_2014 = (
    "附件:政府信息公开情况统计表 统计指标单位2016年度历年累计一、主动公开情况(一)主动公开政府信息数(不同渠道和方式公开相同信息计1条)"
    "条5124031其中:主动公开规范性文件数条1240制发规范性文件总数件1341(二)通过不同渠道和方式公开政府信息的情况1.政府公报公开政府信息数"
    "条002.政府网站公开政府信息数条4803900二、回应解读情况(一)回应公众关注热点或重大舆情数(不同方式回应同一热点或舆情计1次)次412"
    "三、依申请公开情况(一)收到申请数件9601.当面申请数件2202.网络申请数件5303.信函申请数件210(二)申请办结数件9601.按时办结数件958"
    "2.延期办结数件02(三)申请答复数件9601.属于已主动公开范围数件132.同意公开答复数件5303.同意部分公开答复数件00"
    "4.不同意公开答复数件15其中:涉及国家秘密件015.不属于本行政机关公开数件006.申请信息不存在数件39四、行政复议数量件13"
    "(一)维持具体行政行为数件12五、行政诉讼数量件01六、举报投诉数量件00七、依申请公开信息收取的费用万元0.0120.05"
    "八、机构建设和保障经费情况(一)政府信息公开工作专门机构数个11(三)从事政府信息公开工作人员数人44"
    "1.专职人员数(不包括政府公报及政府网站工作人员数)人112.兼职人员数人33九、政府信息公开会议和培训情况(三)接受培训人员数人次85400")
# Read off the rows: the year's value where one cut is possible (or the sums under a row settle it); rows cut
# several ways ("5124031", "1240", "1341", "4803900", "85400") and the glued money row are left out, the
# 维持 row too (its block decides whether it is 复议's or 诉讼's).
TABLE_2014_EXPECTED = {
    "proactive_via_gazette": 0, "hot_topic_responses": 4, "applications_new": 9, "applications_in_person": 2,
    "applications_online": 5, "applications_letter": 2, "processed_total": 9, "processed_on_time": 9,
    "processed_extended": 0, "replied_total": 9, "replied_already_public": 1, "granted": 5, "partially_granted": 0,
    "denied_total": 1, "not_this_agency": 0, "info_not_exist": 3, "review_total": 1, "litigation_total": 0,
    "complaints_total": 0, "dedicated_offices": 1, "staff_total": 4, "staff_fulltime": 1, "staff_parttime": 3}


def test_the_unified_2014_table_glued_with_its_cumulative_column() -> None:
    title = "株洲市芦淞区人民政府2016年政府信息公开工作年度报告\n"
    got = extract_bytes((title + INTRO + TABLE_2014 + "\n").encode("utf-8"), "r.txt").to_dict()["metrics"]
    assert got == TABLE_2014_EXPECTED
    with_prose = extract_bytes((title + INTRO + "二、主动公开政府信息情况\n全年主动公开政府信息512条。\n" + TABLE_2014)
                               .encode("utf-8"), "r.txt").to_dict()["metrics"]
    assert with_prose == {**TABLE_2014_EXPECTED, "proactive_items": 512}
