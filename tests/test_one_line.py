"""Pages run into one line (issue 20, second round): the real reports of ../shared flattened as crawlers save pages
(menus, breadcrumbs, field labels, page numbers around them; spaced and unspaced), read against their own truth;
then the traps they show, one at a time, in small hand-written texts.

Expected figures and names are the truth files' (read by eye from the reports) or written in the test.
"""

from __future__ import annotations

import json
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest
from conftest import SHARED, shared_path

from govreport_core.devtools.accuracy import Score, run_accuracy
from govreport_core.devtools.corpus.flat_variants import flatten, flatten_folder, report_lines, sources, variants_of
from govreport_core.devtools.corpus.generate import TEXT_FORMS, write_corpus
from govreport_core.extraction.normalise import build_document, normalise_text
from govreport_core.extraction.pipeline import extract_bytes
from govreport_core.extraction.readers import read_report

REPORTS = [path.name for path, _ in sources(SHARED)] if SHARED.exists() else ["(no ../shared)"]


@cache
def _variants(name: str) -> tuple[dict, list[tuple[str, str]]]:
    shared_path("seeds")
    path, truth = next((p, t) for p, t in sources(SHARED) if p.name == name)
    return truth, list(variants_of(path, truth))


def _metrics(result: dict) -> dict[str, object]:
    got = dict(result.get("metrics") or {})
    for applicant, value in (result.get("breakdown") or {}).get("applications_new", {}).items():
        got[f"applications_new@{applicant}"] = value
    return got


def _wanted(truth: dict) -> dict[str, object]:
    wanted = dict(truth["metrics"])
    for applicant, value in wanted.pop("applications_by_applicant", {}).items():
        wanted[f"applications_new@{applicant}"] = value
    return wanted


def _plain(value: object) -> str | None:
    """A truth's name when it is one (not a note such as "我局 (not named; …)")."""
    return normalise_text(value) if isinstance(value, str) and not any(c in value for c in " (（") else None


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.slow  # every real report of ../shared, redrawn
def test_every_real_report_run_into_one_line_gives_its_metadata_and_no_wrong_figure(name: str) -> None:
    """Each real report (the project's reading, and a PDF's `pdftotext -raw`/`-layout` text) run into one line with
    single spaces and with none, inside five page chromes: year, region and level as its truth says; the title and
    agency the truth names where the text spells them; no figure other than the truth's."""
    truth, variants = _variants(name)
    assert len(variants) >= 10
    original = build_document(read_report(shared_path(*_folder(name), name).read_bytes(), name)).text
    title, agency = _plain(truth.get("title")), _plain(truth.get("agency"))
    for variant, text in variants:
        got = extract_bytes(text.encode("utf-8"), f"{variant}.txt").to_dict()
        assert "error" not in got, (variant, got.get("error"))
        report = got["report"]
        for field in ("year", "region", "level"):
            if field in truth and not (name.startswith("012_") and field == "region"):  # 沐阳县: a slip no text settles
                assert report[field] == truth[field], (variant, field, report[field])
        if title and "模板" not in title and title in text.replace(" ", ""):
            assert report["title"] == title, (variant, report["title"])
        if agency and agency in original.replace(" ", ""):
            assert report["agency"] and agency.endswith(report["agency"]), (variant, report["agency"])
        wanted, output = _wanted(truth), _metrics(got)
        wrong = {k: (output[k], v) for k, v in wanted.items() if k in output and output[k] != pytest.approx(v)}
        assert not wrong, (variant, wrong)


def _folder(name: str) -> tuple[str, ...]:
    return next((folder,) for folder in ("seeds", "real-files", "real-text") if (SHARED / folder / name).exists())


@pytest.mark.parametrize("joiner", [" ", ""])
def test_seed_001s_statistics_table_read_whole_when_its_lines_are_joined(joiner: str) -> None:
    """Seed 001's 2014 统计表, one cell per line, joined into one line: values before labels (一、主动公开情况 6105
    (一)主动公开政府信息数), blanks absent, notes with numbers ("列为1条"), units glued, 序号 glued to values."""
    path = shared_path("seeds", "001_388bdfa86b858c1f.txt")
    truth = json.loads(shared_path("seeds", "truth", "001_388bdfa86b858c1f.json").read_text(encoding="utf-8"))
    _, lines = report_lines(build_document(read_report(path.read_bytes(), path.name)).text)
    text = "首页 > 政务公开 > 正文 " + flatten(lines, joiner) + " 网站地图"
    got = extract_bytes(text.encode("utf-8"), "page.txt").to_dict()
    assert _metrics(got) == truth["metrics"]
    assert got["report"]["region"] == "洪江区" and got["report"]["year"] == 2016


def test_the_shared_crawlers_header_and_an_inline_source_line_are_both_read() -> None:
    path = shared_path("real-text", "004_pingtan_zone_2017.txt")
    assert "==== 正文 ====" in path.read_text(encoding="utf-8")
    got = extract_bytes(path.read_bytes(), path.name).to_dict()["report"]
    assert got["published"] == "2018-01-23" and got["region"] == "平潭综合实验区"
    inline = ("当前位置:首页>信息公开>年报 2023年政府信息公开工作年度报告来源:株洲市芦淞区人民政府发布时间:2024-01-18 10:20浏览次数:"
              "12 一、总体情况 2023年,本机关主动公开政府信息120条。")
    got = extract_bytes(inline.encode("utf-8"), "page.txt").to_dict()["report"]
    assert (got["agency"], got["region"], got["published"]) == ("芦淞区人民政府", "芦淞区", "2024-01-18")


# --- the title inside running text ----------------------------------------------------------------

BODY = "一、总体情况 2023年,本机关主动公开政府信息120条。"


def meta(text: str) -> dict:
    result = extract_bytes(text.encode("utf-8"), "page.txt").to_dict()
    assert "error" not in result, result.get("error")
    return result["report"]


@pytest.mark.parametrize("head", [
    "首页 政务公开 当前位置:首页 > 政务公开 > 年报 > 正文 株洲市芦淞区人民政府2023年政府信息公开工作年度报告 ",
    "首页政务公开当前位置:首页>政务公开>年报>正文株洲市芦淞区人民政府2023年政府信息公开工作年度报告",
    "索 引 号 000/2024-01 标 题 株洲市芦淞区人民政府2023年政府信息公开工作年度报告 发布机构 株洲市芦淞区人民政府 ",
    "-1-株洲市芦淞区人民政府 2023 年政府信息公开工作年度报告本报告由区政府办公室编制。",
    "政府信息公开年报株洲市芦淞区人民政府2023年政府信息公开工作年度报告",  # a menu glued before it
])
def test_a_title_inside_a_line_of_chrome(head: str) -> None:
    got = meta(head + BODY)
    assert got["title"] == "株洲市芦淞区人民政府2023年政府信息公开工作年度报告"
    assert (got["agency"], got["region"], got["level"], got["year"]) == ("芦淞区人民政府", "芦淞区", "county_government", 2023)


@pytest.mark.parametrize("sentence", [
    "根据《条例》规定,现将株洲市芦淞区人民政府2023年政府信息公开工作年度报告公布如下。",
    "依据《中华人民共和国政府信息公开工作年度报告格式》编制本报告。",
    "在株洲市芦淞区人民政府2023年政府信息公开工作年度报告中,我们说明了全年工作。",
    "根据《关于做好株洲市芦淞区2023年政府信息公开工作年度报告编制工作的通知》要求编制。",
])
def test_a_sentence_that_mentions_a_report_is_no_title(sentence: str) -> None:
    got = meta("首页 > 政务公开 > 正文 " + sentence + " 一、总体情况 本机关主动公开政府信息120条。")
    assert got["title"] is None


def test_an_excerpt_names_its_body_by_a_dated_header_inside_the_line() -> None:
    text = ("首页>正文 天津市河北区人民政府 2024年12月3日 本年度报告根据《条例》编制。2024年,河北区人民政府坚持公开为常态。"
            "全年河北区人民政府主动公开政府信息670条。")
    got = meta(text)
    assert (got["agency"], got["region"]) == ("河北区人民政府", "河北区")


def test_the_signature_inside_a_one_line_page_names_the_body() -> None:
    text = ("首页>正文 2023年政府信息公开工作年度报告 一、总体情况 本机关主动公开政府信息120条。特此报告。"
            "株洲市芦淞区人民政府 2024年1月18日 【打印本页】 主办单位:株洲市芦淞区人民政府办公室")
    got = meta(text)
    assert (got["agency"], got["region"]) == ("芦淞区人民政府", "芦淞区")


# --- the 2014 统计表 on one line --------------------------------------------------------------------

TABLE = ("统计指标 单位 统计数 一、主动公开情况 {a} (一)主动公开政府信息数 (不同渠道和方式公开相同的信息列为1条) 条 "
         "(二)通过不同渠道和方式公开政府信息的情况 1、政府公报公开政府信息数 {b} 2、政府网站公开政府信息数 {c} "
         "二、回应解读情况 三、依申请公开情况 (一)收到申请数 件 {d} (二)申请办结数 件 四、行政复议数量 件 {e} 八、机构建设和保障经费情况 "
         "(四)政府信息公开专项经费 万元 {f}")


def legacy(table: str) -> dict:
    page = "首页>正文 某县2016年政府信息公开工作年度报告 " + table + "。 网站地图"
    return extract_bytes(page.encode("utf-8"), "page.txt").to_dict()


def test_a_one_line_statistics_table_glued_without_spaces() -> None:
    glued = TABLE.format(a=12, b=0, c=12, d=3, e=1, f=2.5).replace(" ", "")
    got = legacy(glued)["metrics"]
    assert (got["proactive_items"], got["proactive_via_gazette"], got["proactive_via_website"]) == (12, 0, 12)
    assert (got["applications_new"], got["review_total"], got["budget_wan"]) == (3, 1, 2.5)


def test_a_glued_serial_that_is_not_the_expected_one_leaves_the_value_out() -> None:
    # "1、政府公报…数53、政府网站…": the next row is numbered 2 (one more) or 2 (the template's): 53 ends in neither
    glued = TABLE.format(a=12, b=5, c=12, d=3, e=1, f=2.5).replace(" ", "").replace("2、政府网站", "3、政府网站")
    got = legacy(glued)
    assert "proactive_via_gazette" not in got["metrics"]
    assert any("53" in f["message"] and f["rule"] == "placement" for f in got["findings"])
    assert got["metrics"]["proactive_via_website"] == 12


def test_a_row_left_out_keeps_the_templates_numbering() -> None:
    # the table prints 2、同意公开答复数 without row 1: "件202、" is 20 and the 序号 2 the template gives that row
    table = ("一、主动公开情况 二、回应解读情况 三、依申请公开情况 (二)申请办结数 件 (三)申请答复数 件 20 2、同意公开答复数 件 5 "
             "6、申请信息不存在数 件 4 四、行政复议数量 件 0")
    got = legacy(table.replace(" ", ""))["metrics"]
    assert (got["replied_total"], got["granted"], got["info_not_exist"]) == (20, 5, 4)


def test_a_cumulative_column_on_one_line_keeps_the_years_number_only_when_both_are_apart() -> None:
    table = ("统计指标 单位 2014年度 历年累计 一、主动公开情况 (一)主动公开政府信息数 条 6289 44026 二、回应解读情况 "
             "三、依申请公开情况 (一)收到申请数 件 13 94 (二)申请办结数 件 13 四、行政复议数量 件 0 3")
    got = legacy(table)["metrics"]
    assert (got["proactive_items"], got["applications_new"], got["review_total"]) == (6289, 13, 0)
    assert "processed_total" not in got  # one number: the year's or the total to date
    assert "proactive_items" not in legacy(table.replace(" ", ""))["metrics"]  # "628944026": no cut is certain
    local = legacy(table.replace("二、回应解读情况 ", ""))["metrics"]  # no 2014 block names: read as a local 统计表
    assert local["applications_new"] == 13 and "processed_total" not in local


# A 统计表 with a 序号 column (a row number before every row, the heading rows' too), one cell per line on the page.
SERIAL_ROWS = [("1", "一、主动公开情况", "—", "—"), ("2", "(一)主动公开政府信息数(不同渠道和方式公开相同信息计1条)", "条", "1520"),
               ("3", "其中:主动公开规范性文件数", "条", "12"), ("4", "二、回应解读情况", "—", "—"),
               ("5", "(一)回应公众关注热点或重大舆情数", "次", "5"), ("6", "三、依申请公开情况", "—", "—"),
               ("7", "(一)收到申请数", "件", "10"), ("8", "四、行政复议数量", "件", ""), ("9", "(一)维持具体行政行为数", "件", "0"),
               ("10", "八、机构建设和保障经费情况", "—", "—"), ("11", "(一)政府信息公开工作专门机构数", "个", "1")]


@pytest.mark.parametrize("joiner", [" ", "", " | "])
@pytest.mark.parametrize("header", [True, False])
def test_a_serial_column_run_into_one_line_is_never_a_value(joiner: str, header: bool) -> None:
    rows = [("序号", "统计指标", "单位", "统计数")] * header + SERIAL_ROWS
    got = legacy(joiner.join(cell for row in rows for cell in row if cell))["metrics"]
    # glued: "…计1条)条15203其中…" is 1520 and the 序号 3; "件109(一)…" is 10 and 9 ("四、行政复议数量" has no value)
    assert (got["proactive_items"], got["normative_docs_proactive"], got["hot_topic_responses"]) == (1520, 12, 5)
    assert (got["applications_new"], got["review_upheld"], got["dedicated_offices"]) == (10, 0, 1)
    assert "review_total" not in got  # its cell is blank: the number after it is the next row's 序号


def test_a_glued_number_that_does_not_end_in_the_next_serial_is_left_out() -> None:
    rows = [*SERIAL_ROWS[:7], *((str(int(n) + 1), *rest) for n, *rest in SERIAL_ROWS[7:])]  # 序号 8 skipped
    got = legacy("".join(cell for row in rows for cell in row if cell))
    assert "applications_new" not in got["metrics"]  # "件109四、": 10 and 9, or 1 and 09? The numbering expected 8
    assert any("109" in f["message"] for f in got["findings"])
    assert got["metrics"]["proactive_items"] == 1520


# --- summary sentences and headings on one line -----------------------------------------------------

def test_a_section_heading_glued_inside_the_line_starts_the_sentence() -> None:
    # the title's 信息公开 is not the sentence's: "未收取费用" here is about a meeting, not disclosure fees
    head = "某区人民政府2022年政府信息公开工作年度报告{j}一、总体情况{j}"
    for joiner in ("", " "):
        got = extract_bytes((head.format(j=joiner) + "会议期间未收取费用。").encode("utf-8"), "page.txt").to_dict()
        assert "fees_collected_wan" not in got["metrics"]
        got = extract_bytes((head.format(j=joiner) + "本年度主动公开政府信息1136条。").encode("utf-8"), "page.txt").to_dict()
        assert got["metrics"]["proactive_items"] == 1136
        assert got["evidence"]["proactive_items"]["text"] == "本年度主动公开政府信息1136条。"


def test_a_list_heading_inside_a_sentence_does_not_start_one() -> None:
    text = "某区人民政府2022年政府信息公开工作年度报告 一、总体情况 主动公开政府信息共计500条，其中(一)概况类信息情况120条。"
    assert extract_bytes(text.encode("utf-8"), "page.txt").to_dict()["metrics"]["proactive_items"] == 500



def test_a_fee_after_its_heading_on_the_same_line() -> None:
    text = ("首页>正文 某县人民政府2023年政府信息公开工作年度报告 五、存在的主要问题及改进情况信息公开工作仍需加强。"
            "六、其他需要报告的事项本年度收取信息处理费4725元。网站地图")
    assert extract_bytes(text.encode("utf-8"), "page.txt").to_dict()["metrics"]["fees_collected_wan"] == pytest.approx(0.4725)


def test_an_old_reports_headings_glued_to_their_sentences() -> None:
    text = ("某区发展和改革局2018年政务公开工作年度报告二、主动公开政府信息情况2018年,共发布各类文件和信息686条。"
            "三、依申请公开政府信息情况收到信息公开申请1件,已按时书面回复六、因政府信息公开申请行政复议、提起行政诉讼情况无此类情况。"
            "七、存在的主要问题")
    got = extract_bytes(text.encode("utf-8"), "page.txt").to_dict()["metrics"]
    assert (got["proactive_items"], got["review_total"], got["litigation_total"]) == (686, 0, 0)


# --- the era of an excerpt without its year ---------------------------------------------------------

@pytest.mark.parametrize(("words", "era"), [
    ("依据《中华人民共和国政府信息公开工作年度报告格式》(国办公开办函〔2021〕30号)编制。", "2021"),
    ("依据《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》(国办公开办函〔2019〕60号)编制。", "2019"),
    ("", None),  # the 2019 Regulation's words, but neither format's own: the era is not known
])
def test_an_excerpt_without_its_year_takes_the_era_of_its_words(words: str, era: str | None) -> None:
    text = words + "全年共收到政府信息公开申请12件,上年结转2件,予以公开8件,无法提供3件,结转下年度继续办理1件。"
    got = extract_bytes(text.encode("utf-8"), "excerpt.txt").to_dict()
    assert got["report"]["format_era"] == era and got["report"]["year"] is None
    assert got["metrics"]["applications_new"] == 12


def test_an_old_excerpt_without_new_words_stays_pre2019() -> None:
    text = "我局共主动公开政府信息175条。我局全年未收到政府信息公开申请。"
    assert extract_bytes(text.encode("utf-8"), "excerpt.txt").to_dict()["report"]["format_era"] == "pre2019"


# --- table 3 on one line: what the order cannot settle ---------------------------------------------

def _t3(rows: str) -> str:
    return ("首页>正文 某区人民政府2024年政府信息公开工作年度报告 三、收到和处理政府信息公开申请情况 申请人情况 自然人 商业企业 科研机构 "
            "社会公益组织 法律服务机构 其他 总计 " + rows + " 四、政府信息公开行政复议、行政诉讼情况")


def test_a_row_with_more_numbers_than_columns_gives_no_total() -> None:
    # a flattened converter's rows out of order: "8.属于行政查询事项" followed by its seven zeros and the next row's
    rows = "一、本年新收政府信息公开申请数量 4 0 0 0 0 0 4 8.属于行政查询事项 0 0 0 0 0 0 0 4 0 0 0 0 0 4 (七)总计 4 0 0 0 0 0 4"
    got = extract_bytes(_t3(rows).encode("utf-8"), "page.txt").to_dict()
    assert "denied_inquiry" not in got["metrics"]


def test_glued_rows_whose_blank_cells_were_dropped_are_left_out() -> None:
    # "数量1919": 19 natural persons and 总计 19 with five blank cells dropped, or 1919, or 1, 9, 1, 9: not known
    rows = "一、本年新收政府信息公开申请数量1919二、上年结转政府信息公开申请数量11三、本年度办理结果(一)予以公开1919(七)总计2020"
    got = extract_bytes(_t3(rows).replace(" ", "").encode("utf-8"), "page.txt").to_dict()
    assert not {"applications_new", "applications_carried_over", "granted", "processed_total"} & set(got["metrics"])


def test_a_convention_the_printed_applicant_values_contradict_is_dropped() -> None:
    # Blank cells dropped, spaced: row 一 prints 66 29 95 (columns unknown); the single-value rows go to 自然人 by
    # convention, and the column sums would then make row 一's 自然人 95, which it does not print.
    rows = ("一、本年新收政府信息公开申请数量 66 29 95 二、上年结转政府信息公开申请数量 3 3 三、本年度办理结果 (一)予以公开 50 50 "
            "(二)部分公开 48 48 (七)总计 98 98 四、结转下年度继续办理 0")
    got = extract_bytes(_t3(rows).encode("utf-8"), "page.txt").to_dict()
    by_applicant = got["breakdown"].get("applications_new", {})
    assert by_applicant.get("natural_person") in (None, 66, 29)
    assert got["metrics"].get("applications_new") == 95


def test_the_generator_writes_every_variant_with_its_truth(tmp_path: Path) -> None:
    from govreport_core.devtools.corpus.flat_variants import write_flat_variants

    written = write_flat_variants(shared_path("seeds").parent, tmp_path)
    assert len(written) >= 300
    truth = json.loads((tmp_path / "truth" / (written[0].stem + ".json")).read_text(encoding="utf-8"))
    assert truth["file"] == written[0].name and truth["form"].startswith("one-line ")
    menu = next(p for p in written if "_menu_" in p.name)
    assert "\n" not in menu.read_text(encoding="utf-8").strip()  # the whole page one line


def test_a_hostile_line_of_table_starts_is_scanned_once() -> None:
    import time

    text = "二、回应解读情况 举报投诉 机构建设 " + "统计指标 " * 50000 + "三、依申请公开情况"
    start = time.perf_counter()
    got = extract_bytes(text.encode("utf-8"), "hostile.txt").to_dict()
    assert time.perf_counter() - start < 20  # 47 s when each start was scanned to the line's end
    assert not got.get("metrics")


def test_a_body_and_date_inside_a_sentence_is_no_header() -> None:
    text = ("2024年,我局认真落实天津市河北区人民政府2024年3月18日印发的工作要点。全年我局主动公开政府信息67条,"
            "天津市河北区人民政府对我局工作进行了考核。")
    assert meta(text)["agency"] is None


# --- lists of reports and menus run into the title's line ------------------------------------------

BODY = " 一、总体情况 本机关全年主动公开政府信息120条。"


@pytest.mark.parametrize("joiner", [" ", ""])
def test_a_list_of_other_reports_before_the_title_on_one_line(joiner: str) -> None:
    own = "芦淞区人民政府2023年政府信息公开工作年度报告"
    listed = ["株洲市人民政府2023年政府信息公开工作年度报告", "天元区人民政府2023年政府信息公开工作年度报告", own]
    page = joiner.join(["当前位置：首页 > 年报", *listed, own, "发布日期：2024-01-18"]) + BODY
    got = extract_bytes(page.encode("utf-8"), "page.txt").to_dict()["report"]
    assert (got["region"], got["agency"], got["year"]) == ("芦淞区", "芦淞区人民政府", 2023)  # the one printed twice


@pytest.mark.parametrize("joiner", [" ", ""])
def test_reports_of_other_years_run_together_give_no_title(joiner: str) -> None:
    page = joiner.join(f"芦淞区人民政府{year}年政府信息公开工作年度报告" for year in (2021, 2022, 2023)) + BODY
    got = extract_bytes(page.encode("utf-8"), "page.txt").to_dict()["report"]
    assert got["title"] is None and got["year"] is None  # which one is the page's own is not said


@pytest.mark.parametrize("joiner", [" ", ""])
def test_a_menu_of_years_is_no_part_of_a_title_on_one_line(joiner: str) -> None:
    page = joiner.join(["芦淞区人民政府", "2021年", "2022年", "2023年", "政府信息公开工作年度报告"]) + BODY
    assert extract_bytes(page.encode("utf-8"), "page.txt").to_dict()["report"]["year"] is None


def test_a_government_named_after_the_title_without_a_break() -> None:
    page = "自治州信息公开管理报告州人民政府高度重视政府信息公开工作。州人民政府办公室负责。"
    assert extract_bytes(page.encode("utf-8"), "page.txt").to_dict()["report"]["agency"] == "州人民政府"


# --- the generated corpus run into one line ---------------------------------------------------------

@pytest.mark.slow  # a generated corpus written, flattened and read
def test_the_generated_corpus_run_into_one_line_gives_no_wrong_figure(tmp_path: Path) -> None:
    # OCR markdown's generic headers ("类别 数据1 数据2") run into a row's line are no numbers; broken markdown's labels
    # stacked apart from their numbers leave the numbers beside them to the sums (they may be any of those rows')
    write_corpus(tmp_path / "corpus", 150, seed=11, forms=TEXT_FORMS)
    flatten_folder(tmp_path / "corpus", tmp_path / "flat")
    results, _ = run_accuracy(tmp_path / "flat" / "truth", tmp_path / "flat")
    groups: dict[str, Score] = defaultdict(Score)
    for result in results:
        groups[result.form].add(result.score)
    assert len(groups) >= 20
    for form, score in groups.items():
        assert score.precision == 1.0 and score.meta == 1.0, (form, score)
    assert all(groups[form].recall == 1.0 for form in groups if form.endswith("one-line spaced")
               and form.split()[0] in ("flattened", "pipes", "tabs", "prose", "stats_flat")), groups


# --- the body and the date named by the page, on one line --------------------------------------------

LEAD = "首页 > 正文 "
TEXT = " 一、总体情况 本机关全年主动公开政府信息120条。"


@pytest.mark.parametrize("joiner", [" ", ""])
@pytest.mark.parametrize(("head", "tail", "agency"), [
    ("2023年政府信息公开工作年度报告", " 株洲市芦淞区财政局 二〇二四年一月十八日", "芦淞区财政局"),  # signed, Chinese date
    ("株洲市芦淞区人民政府 发布日期：2024-01-18 2023年政府信息公开工作年度报告", "", "芦淞区人民政府"),  # a dated header
    ("2023年政府信息公开工作年度报告 来源：株洲市芦淞区财政局", "", "芦淞区财政局"),  # 来源 glued to the body's heading
    ("2023年政府信息公开工作年度报告", " 信息来源：株洲市芦淞区财政局", "芦淞区财政局"),  # 来源 at the page's foot
])
def test_the_body_the_page_names_on_one_line(joiner: str, head: str, tail: str, agency: str) -> None:
    page = joiner.join((LEAD + head + TEXT + tail).split(" "))
    got = extract_bytes(page.encode("utf-8"), "page.txt").to_dict()["report"]
    assert (got["agency"], got["region"], got["year"]) == (agency, "芦淞区", 2023)


@pytest.mark.parametrize("joiner", [" ", ""])
def test_the_signatures_date_on_one_line(joiner: str) -> None:
    page = joiner.join((LEAD + "芦淞区人民政府2023年政府信息公开工作年度报告" + TEXT + " 株洲市芦淞区人民政府 2024年1月18日").split(" "))
    assert extract_bytes(page.encode("utf-8"), "page.txt").to_dict()["report"]["published"] == "2024-01-18"
    bare = joiner.join((LEAD + "芦淞区人民政府2023年政府信息公开工作年度报告" + TEXT + " 2024年1月18日").split(" "))
    assert extract_bytes(bare.encode("utf-8"), "page.txt").to_dict()["report"]["published"] is None  # nobody signs


def test_values_that_happen_to_run_1_2_3_are_no_serial_column() -> None:
    # no 序号 column: the values 1, 12, 23 before the next labels are the rows' own ("条1其中", "条12二、", "次23三、")
    values = {"1520": "1", "12": "12", "5": "23"}
    rows = [(label, unit, values.get(value, value)) for _, label, unit, value in SERIAL_ROWS]
    got = legacy("".join(cell for row in rows for cell in row if cell))["metrics"]
    assert (got["proactive_items"], got["normative_docs_proactive"], got["hot_topic_responses"]) == (1, 12, 23)
    assert (got["applications_new"], got["review_upheld"], got["dedicated_offices"]) == (10, 0, 1)
