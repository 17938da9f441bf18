"""The cross-year check K5 in the store and the previous-year lookup, on team-written reports.

The expected figures come from report_builder's spec (sample_table3): 上年结转 2 and 结转下年度继续办理 3 in
every sample report, so two consecutive years of one agency disagree (2 ≠ 3) until the earlier year's
carried-forward figure is corrected to 2.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from report_builder import sample_report

from govreport_core.extraction.pipeline import extract_bytes
from govreport_core.store import Store
from govreport_core.store import queries as q
from govreport_core.store.filters import Filters

EVERYONE = Filters(governments_only=False, aggregates=True)


def save(store: Store, year: int, agency: str = "株洲市芦淞区人民政府") -> int:
    html = sample_report("2021", f"{agency}{year}年政府信息公开工作年度报告").render_html()
    outcome = store.save(extract_bytes(html.encode("utf-8"), f"{agency}{year}.html"))
    assert outcome.status == "new" and outcome.report_id is not None
    return outcome.report_id


def k5(store: Store) -> list[tuple[int, str]]:
    frame = q.findings(store, EVERYONE, rules=("K5",))
    return list(zip(frame["report_id"], frame["message"], strict=True))


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "years.duckdb")


def test_consecutive_years_that_disagree_get_a_k5_finding_on_the_later_report(store: Store) -> None:
    later = save(store, 2022)
    assert k5(store) == []  # one year alone: nothing to compare
    earlier = save(store, 2021)  # saved second: the check runs against the neighbour already stored
    found = k5(store)
    assert [report for report, _ in found] == [later]
    assert "上年结转申请数 2 件" in found[0][1] and f"报告编号 {earlier}" in found[0][1] and "3 件" in found[0][1]
    assert q.findings(store, EVERYONE, rules=("K5",))["severity"].tolist() == ["warn"]


def test_a_correction_that_makes_the_years_agree_clears_the_finding(store: Store) -> None:
    earlier, _ = save(store, 2021), save(store, 2022)
    store.correct(earlier, "carried_to_next_year", 2, "核对原件", "tester")
    assert k5(store) == []
    store.correct(earlier, "carried_to_next_year", 5, "再次核对", "tester")
    assert len(k5(store)) == 1


def test_years_apart_or_other_agencies_are_not_compared(store: Store) -> None:
    save(store, 2020)
    save(store, 2022)  # 2021 missing
    save(store, 2021, "株洲市荷塘区人民政府")  # another agency
    assert k5(store) == []


def test_recheck_over_the_whole_database_finds_the_same(store: Store) -> None:
    save(store, 2021)
    later = save(store, 2022)
    store.query("DELETE FROM findings WHERE rule = 'K5'")
    assert store.recheck_years() == 1
    assert [report for report, _ in k5(store)] == [later]


def test_previous_year_gives_the_same_agencys_report_of_the_year_before(store: Store) -> None:
    earlier = save(store, 2021)
    later = save(store, 2022)
    save(store, 2021, "株洲市荷塘区人民政府")
    previous = q.previous_year(store, later)
    assert previous["meta"]["report_id"] == earlier and previous["meta"]["year"] == 2021
    assert q.previous_year(store, earlier) == {}
