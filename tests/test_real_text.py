"""Real pages as researchers collect them (../shared/real-text): crawled old reports with a glued local 统计表, and
excerpts of report pages that state their figures in sentences, against their hand-made truth files.

The tables of the crawled 2019/2021 pages, the markdown and OCR files and the office PDFs are read by other
readers (tests/test_converted.py and others); here every file is checked for the prose, the old 统计表 and the
metadata it holds.
"""

from __future__ import annotations

import json

import pytest
from conftest import shared_path

from govreport_core.extraction.pipeline import extract_path

PROSE_FILES = ["001_pingtan_county_2011", "004_pingtan_zone_2017", "603_dizhenju_trad_2010",
               "613_quanqu_yishenqing_2022", "615_jiaxing_zfb_2023", "626_huli_district_2018",
               "627_liaoyang_city_2019", "628_shenjiju_pdfpage_2020", "635_xinganmeng_xingshu_2025",
               "637_tianjin_hebeiqu_2024"]
# 628's last row of table 3 ("四、结转下年度继续办理 0 0 0 0 0 0 0") is a table row, not a sentence.
TABLE_ROWS = {"628_shenjiju_pdfpage_2020": {"carried_to_next_year"}}


def extract_real(stem: str) -> tuple[dict, dict]:
    path = next(p for p in shared_path("real-text").glob(stem + ".*") if p.suffix != ".json")
    truth = json.loads(shared_path("real-text", stem + ".json").read_text(encoding="utf-8"))
    return extract_path(path).to_dict(), truth


@pytest.mark.parametrize("stem", PROSE_FILES)
def test_real_page_reproduces_its_truth(stem: str) -> None:
    got, truth = extract_real(stem)
    assert "error" not in got, got.get("error")
    for field in ("year", "region", "level"):
        if field in truth:
            assert got["report"][field] == truth[field], field
    for key, value in truth["metrics"].items():
        if key not in TABLE_ROWS.get(stem, ()):
            assert got["metrics"].get(key) == pytest.approx(value), key
    assert set(got["metrics"]) - set(got["derived"]) <= set(truth["metrics"]), "a figure the page does not state"


def test_glued_statistics_table_takes_the_years_column_not_the_cumulative_one() -> None:
    got, _ = extract_real("001_pingtan_county_2011")  # "主动公开信息数条4251516": 425 this year, 1516 to date
    assert got["metrics"]["proactive_items"] == 425 and got["metrics"]["proactive_via_website"] == 418
    # the evidence is the row, without the next row's 序号 glued to its digits ("…15092.政府公报公开")
    assert got["evidence"]["proactive_via_website"]["text"] == "网站公开条4181509"


@pytest.mark.parametrize(("stem", "year"), [("603_dizhenju_trad_2010", 2010), ("613_quanqu_yishenqing_2022", 2022),
                                            ("628_shenjiju_pdfpage_2020", 2020)])
def test_an_excerpt_without_title_takes_the_year_its_sentences_work_in(stem: str, year: int) -> None:
    got, _ = extract_real(stem)
    assert got["report"]["year"] == year


def test_a_crawled_pages_title_field_names_the_zone_of_prefecture_rank() -> None:
    got, _ = extract_real("004_pingtan_zone_2017")
    assert got["report"]["title"] == "平潭综合实验区2017年度政府信息公开工作年度报告"
    assert (got["report"]["region"], got["report"]["level"], got["report"]["agency"]) == (
        "平潭综合实验区", "prefecture_government", "平潭综合实验区管委会")


def test_a_districts_header_line_places_it_in_its_municipality() -> None:
    got, _ = extract_real("637_tianjin_hebeiqu_2024")  # 河北区 of 天津, not 河北省; a stale date widget is no year
    assert (got["report"]["province"], got["report"]["region"], got["report"]["year"]) == ("天津市", "河北区", 2024)


def test_a_readme_about_the_reports_is_not_a_report() -> None:
    got = extract_path(shared_path("real-text", "README.md")).to_dict()
    assert "does not look like" in got["error"]
