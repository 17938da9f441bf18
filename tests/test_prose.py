"""Prose figures wanted in every era: proactive_items and fees_collected_wan (METRICS.md)."""

from __future__ import annotations

import pytest

from govreport_core.extract import extract_bytes

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
