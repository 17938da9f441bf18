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
