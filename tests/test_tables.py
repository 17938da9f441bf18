"""The 2019/2021 tables in every layout, from team-written reports (tests/report_builder.py).

Expected values are the spec each report is rendered from; blank-cell and ambiguity cases state by hand
what the sums prove and what must stay out.
"""

from __future__ import annotations

import opencc
import pytest
from conftest import ROOT
from report_builder import BUILT_FIXTURES, EXPECTED_T2, T3_LABELS, Report, built_fixture, html_to_docx, sample_report

from govreport_core.catalog import APPLICANTS
from govreport_core.extraction.pipeline import extract_bytes

LAYOUTS = {"html": ("render_html", "r.html"), "flattened": ("render_flattened", "r.txt"),
           "pipes": ("render_pipes", "r.md"), "tabs": ("render_tabs", "r.txt")}


def extract(report: Report, layout: str, encode=lambda text: text.encode("utf-8")) -> dict:
    method, name = LAYOUTS[layout]
    result = extract_bytes(encode(getattr(report, method)()), name).to_dict()
    assert "error" not in result, result.get("error")
    return result


def assert_complete(got: dict, report: Report, flattened: bool = False) -> None:
    """Every figure of the spec is read: table 2, the 总计 column of table 3, table 4 and the breakdown."""
    for key, value in EXPECTED_T2[report.era].items():
        assert got["metrics"].get(key) == pytest.approx(value), key
    for key, _, _ in report.t3_rows():
        assert got["metrics"].get(key) == report.table3[key][6], key
    if report.era == "2021":  # METRICS.md: other_handling is the sum of the three （六） sub-rows
        assert got["metrics"]["other_handling"] == sum(report.table3[k][6] for k in
                                                       ("other_no_correction", "other_no_fee", "other_misc"))
        assert "other_handling" in got["derived"]
    t4_keys = [f"{g}_{leaf}" for g in ("review", "litigation_direct", "litigation_after_review")
               for leaf in ("upheld", "corrected", "other", "pending", "total")]
    assert {k: got["metrics"].get(k) for k in t4_keys} == dict(zip(t4_keys, report.table4, strict=True))
    if not flattened:  # with zeros written, every applicant column is known
        assert got["breakdown"]["applications_new"] == dict(zip(APPLICANTS, report.table3["applications_new"], strict=True))
    assert not [f for f in got["findings"] if f["severity"] == "error"], got["findings"]


@pytest.mark.parametrize("era", ["2019", "2021"])
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_every_layout_reads_every_figure(era: str, layout: str) -> None:
    report = sample_report(era)
    got = extract(report, layout)
    assert got["report"]["format_era"] == era
    assert_complete(got, report, flattened=layout == "flattened")


@pytest.mark.parametrize("name", [n for n in BUILT_FIXTURES if n.startswith("site_")])
def test_a_report_inside_a_government_site_page_reads_every_figure(name: str) -> None:
    """The site's menu, catalogue, links and footer add nothing and take nothing away."""
    era = BUILT_FIXTURES[name][0]
    got = extract_bytes(built_fixture(name).encode("utf-8"), name).to_dict()
    assert got["report"]["format_era"] == era and got["report"]["region"] == "芦淞区"
    assert_complete(got, sample_report(era))


@pytest.mark.parametrize("era", ["2019", "2021"])
def test_derived_subtotals_follow_the_leaves(era: str) -> None:
    got = extract(sample_report(era), "html")
    assert got["metrics"]["denied_total"] == 1
    assert got["metrics"]["unable_total"] == 5
    assert got["metrics"]["litigation_total"] == 42 + 2  # direct 42 + after review 2
    assert {"denied_total", "litigation_total"} <= set(got["derived"])


def test_traditional_characters() -> None:
    to_traditional = opencc.OpenCC("s2t")
    got = extract(sample_report("2021"), "html", lambda text: to_traditional.convert(text).encode("utf-8"))
    assert got["report"]["year"] == 2022 and got["report"]["region"] == "芦淞区"
    assert_complete(got, sample_report("2021"))


def test_gbk_bytes() -> None:
    got = extract(sample_report("2019"), "flattened", lambda text: text.encode("gbk"))
    assert_complete(got, sample_report("2019"), flattened=True)


def test_full_width_digits() -> None:
    full_width = str.maketrans("0123456789.+-", "０１２３４５６７８９．＋－")
    got = extract(sample_report("2021"), "pipes", lambda text: text.translate(full_width).encode("utf-8"))
    assert_complete(got, sample_report("2021"))


def test_flattened_single_applicant_rows_go_to_natural_person_with_a_finding() -> None:
    report = sample_report("2019")
    for key, _, _ in T3_LABELS:  # only natural persons applied: the other columns are blank, dropped
        total = report.table3[key][6]
        report.table3[key] = [total, None, None, None, None, None, total]
    got = extract(report, "flattened")
    assert got["breakdown"]["applications_new"]["natural_person"] == 25
    assert any(f["rule"] == "assumed" for f in got["findings"])


def test_blank_cells_are_zero_only_where_the_sums_prove_it() -> None:
    report = sample_report("2019")
    for key, cells in report.table3.items():  # Shanghai style: zeros blank, outcome totals blank
        report.table3[key] = [None if c == 0 else c for c in cells]
        if key not in ("applications_new", "applications_carried_over", "processed_total", "carried_to_next_year"):
            report.table3[key][6] = None
    report.table4 = [1, 1, None, None, 2, None, None, None, None, None, None, None, None, None, None]
    got = extract(report, "html")
    # Row sums give the blank totals: granted 8+1, unable 4+1, other 2+1 (derived, listed as such).
    assert got["metrics"]["granted"] == 9 and got["metrics"]["unable_no_info"] == 5
    assert got["metrics"]["other_handling"] == 3 and "granted" in got["derived"]
    # Blank leaves of a column whose printed total is already reached are 0.
    assert got["metrics"]["denied_state_secret"] == 0
    assert got["breakdown"]["applications_new"]["research"] == 0
    # Table 4: review 1+1+blank+blank = 2 proves the blanks 0; the all-blank litigation groups prove nothing.
    assert got["metrics"]["review_other"] == 0 and got["metrics"]["review_pending"] == 0
    assert "litigation_direct_total" not in got["metrics"]


def test_a_missing_cell_resolved_by_arithmetic() -> None:
    report = sample_report("2021")
    report.table3["applications_new"][6] = None  # 总计 of 本年新收 left blank: the row gives 25
    report.table3["granted"][1] = None  # a blank applicant cell whose row total is printed: 9 − 8 = 1
    got = extract(report, "html")
    assert got["metrics"]["applications_new"] == 25 and "applications_new" in got["derived"]
    assert got["breakdown"]["granted"]["commercial"] == 1


def test_a_missing_cell_the_arithmetic_cannot_place_is_left_out() -> None:
    report = sample_report("2021")
    # Two flattened rows with blank cells dropped: "8 1 9" and "3 1 4". K3 gives natural+commercial per
    # column for the two rows together (11 and 2) and K2 each row's sum, which fits 8/1 + 3/1 and 7/2 + 4/0.
    report.table3["granted"] = [8, 1, None, None, None, None, 9]
    report.table3["partially_granted"] = [3, 1, None, None, None, None, 4]
    got = extract(report, "flattened")
    assert (got["metrics"]["granted"], got["metrics"]["partially_granted"]) == (9, 4)  # the 总计 is certain
    for key in ("granted", "partially_granted"):
        assert not {"natural_person", "commercial"} & set(got["breakdown"].get(key, {})), key
        assert any(f["rule"] == "placement" and key in f["keys"] for f in got["findings"])
    # A single such row in an otherwise complete table is settled by the column sums (K1).
    one = sample_report("2021")
    one.table3["applications_new"] = [20, 3, None, None, 1, 1, 25]
    assert extract(one, "flattened")["breakdown"]["applications_new"]["commercial"] == 3


def test_failing_sums_keep_the_printed_values_and_raise_findings() -> None:
    report = sample_report("2021")
    report.table4[0:5] = [3, 1, 0, 0, 2]  # 维持3 + 纠正1 but 总计2
    report.table3["granted"] = [8, 1, 0, 0, 0, 0, 10]  # applicants add to 9, 总计 printed 10
    got = extract(report, "html")
    assert got["metrics"]["review_total"] == 2 and got["metrics"]["review_upheld"] == 3
    assert got["metrics"]["granted"] == 10
    rules = {(f["rule"], f["severity"]) for f in got["findings"]}
    assert {("K4", "error"), ("K2", "error"), ("K3", "error")} <= rules
    assert got["metrics"]["litigation_total"] == 44  # its own groups hold
    assert "denied_total" not in got["metrics"]  # K3 failed: no subtotal from leaves that do not add up


def test_layout_year_mismatch_is_flagged() -> None:
    report = sample_report("2019", title="株洲市芦淞区人民政府2022年政府信息公开工作年度报告")
    got = extract(report, "html")
    assert got["report"]["format_era"] == "2019" and got["report"]["year"] == 2022
    assert any(f["rule"] == "K9" and f["severity"] == "warn" for f in got["findings"])


def test_evidence_is_the_cell_with_its_row_and_column() -> None:
    got = extract(sample_report("2019"), "html")
    evidence = got["evidence"]["applications_new@commercial"]
    assert evidence["row"] == "一、本年新收政府信息公开申请数量" and evidence["column"] == "商业企业"
    assert evidence["text"].startswith("一、本年新收") and evidence["text"].endswith("3")
    assert got["evidence"]["licensing_change"]["text"].endswith("+9")


@pytest.mark.parametrize("name", list(BUILT_FIXTURES))
def test_committed_fixtures_are_what_the_builder_renders(name: str) -> None:
    """tests/fixtures/built/ holds rendered copies (for the benchmark and for reading); they must not drift."""
    path = ROOT / "tests" / "fixtures" / "built" / name
    assert path.read_text(encoding="utf-8") == built_fixture(name), "run: python tests/report_builder.py"


def test_a_negative_count_is_kept_and_flagged() -> None:
    report = sample_report("2021")
    report.table3["carried_to_next_year"] = [2, 1, 0, 0, 0, -1, 2]
    got = extract(report, "html")
    assert got["breakdown"]["carried_to_next_year"]["other_org"] == -1  # the printed value stays
    assert any(f["rule"] == "K10" and f["severity"] == "error" for f in got["findings"])


def test_a_file_cut_off_inside_table_3_is_an_error() -> None:
    text = sample_report("2019").render_flattened()
    cut = text[: text.index("5.属于三类内部事务信息")]
    got = extract_bytes(cut.encode("utf-8"), "r.txt").to_dict()
    assert "truncated" in got["error"] and "metrics" not in got


def test_an_html_page_that_is_not_a_report_is_an_error() -> None:
    page = "<html><body><h1>株洲新闻</h1><p>今天天气晴，气温12度。市民踊跃参加长跑比赛，共有3000人参赛。</p></body></html>"
    got = extract_bytes(page.encode("utf-8"), "news.html").to_dict()
    assert got["error"] and "metrics" not in got


def test_table_3_split_over_two_html_tables() -> None:
    html = sample_report("2021").render_html()
    split_at = html.index("<tr><td rowspan=\"3\">（四）无法提供")  # a page break inside table 3
    html = html[:split_at] + "</table><p>- 3 -</p><table>" + html[split_at:]
    got = extract_bytes(html.encode("utf-8"), "r.html").to_dict()
    assert got["metrics"]["unable_no_info"] == 5 and got["metrics"]["processed_total"] == 24
    assert got["metrics"]["carried_to_next_year"] == 3


@pytest.mark.parametrize(("cell", "expected"), [("251000元", {"procurement_amount_wan": 25.1}), ("542", {})])
def test_one_procurement_value_of_two_is_placed_only_when_its_unit_says_which(cell: str, expected: dict) -> None:
    report = sample_report("2019")
    report.table2["procurement"] = [None, cell] if expected else [cell, None]
    got = extract(report, "flattened")
    assert {k: got["metrics"][k] for k in ("procurement_items", "procurement_amount_wan") if k in got["metrics"]} == expected
    if not expected:
        assert any(f["rule"] == "placement" for f in got["findings"])


@pytest.mark.parametrize("era", ["2019", "2021"])
def test_docx_tables_with_merged_cells(era: str) -> None:
    report = sample_report(era)
    got = extract_bytes(html_to_docx(report.render_html()), "r.docx").to_dict()
    assert got["source"]["format"] == "docx" and got["report"]["format_era"] == era
    assert_complete(got, report)


def test_tables_2_and_4_broken_by_page_breaks() -> None:
    """A page break leaves table 2's last row and table 4's data row in grids of their own."""
    report = sample_report("2021")
    html = report.render_html()
    fee_row = html.index("<tr><td>行政事业性收费</td>")
    html = html[:fee_row] + "</table><p>- 2 -</p><table>" + html[fee_row:]
    data_row = html.rindex("<tr><td>1</td>")
    html = html[:data_row] + "</table><p>- 4 -</p><table>" + html[data_row:]
    got = extract_bytes(html.encode("utf-8"), "r.html").to_dict()
    assert got["metrics"]["admin_fees_amount_wan"] == pytest.approx(7730.28)
    assert [got["metrics"][k] for k in ("review_total", "litigation_direct_total", "litigation_after_review_total")] == [
        2, 42, 2]


def test_a_text_about_reports_that_is_not_a_report_is_an_error() -> None:
    text = "# Real report files\nThese are 政府信息公开工作年度报告 kept for tests; see the truth files.\n"
    got = extract_bytes(text.encode("utf-8"), "README.md").to_dict()
    assert "does not look like" in got["error"]


@pytest.mark.parametrize("header", ["行政复议  行政诉讼", "行政复议 行政诉讼", "行 政 复 议 | 行 政 诉 讼"])
def test_table_4_whose_header_is_set_with_spaces_as_pdf_text_gives_it(header: str) -> None:
    report = sample_report("2021")
    text = report.render_pipes()
    start = text.index("| 行政复议 | 行政诉讼 |")
    end = text.index("五、存在的主要问题")
    spaced = "\n".join([header, "结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉",
                        "结果维持 结果纠正 其他结果 尚未审结 总计 " * 2 + "结果维持 结果纠正 其他结果 尚未审结 总计",
                        " ".join(str(v) for v in report.table4), "", ""])
    got = extract_bytes((text[:start] + spaced + text[end:]).encode("utf-8"), "r.txt").to_dict()
    assert_complete(got, report)


@pytest.mark.parametrize("era", ["2019", "2021"])
def test_labels_wrapped_over_two_lines_one_cell_per_line(era: str) -> None:
    """PDF text one cell per line with long labels cut at the column's edge (FORMATS §6 wrapped row labels)."""
    report = sample_report(era)
    text = report.render_flattened()
    for label, cut in (("一、本年新收政府信息公开申请数量", 10), ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 19),
                       ("5.要求行政机关确认或重新出具已获取信息", 11), ("1.本机关不掌握相关政府信息", 8)):
        if label in text:
            text = text.replace(label, label[:cut] + "\n" + label[cut:], 1)
    assert "政府信息\n公开申请数量" in text and "只计这一情\n形" in text  # the wraps are in place
    got = extract_bytes(text.encode("utf-8"), "r.txt").to_dict()
    assert_complete(got, report, flattened=True)
    assert got["breakdown"]["applications_new"] == dict(zip(APPLICANTS, report.table3["applications_new"], strict=True))


def test_a_label_set_vertically_one_character_per_line() -> None:
    """PDF text of a merged cell printed vertically: "三\\n、\\n本\\n年\\n度…" is a label, not the number 3."""
    report = sample_report("2021")
    text = report.render_flattened().replace("三、本年度办理结果", "\n".join("三、本年度办理结果"), 1)
    assert "\n三\n、\n本\n" in text
    got = extract_bytes(text.encode("utf-8"), "r.txt").to_dict()
    assert_complete(got, report)
    assert not got["findings"], got["findings"]


@pytest.mark.parametrize("form", ["html", "pdf"])
def test_table_4_drawn_as_two_tables_header_then_the_rest(form: str) -> None:
    """A PDF table 4 whose 行政复议 | 行政诉讼 header row came out as a table of its own."""
    from govreport_core.devtools.corpus.render import html_to_pdf

    report = sample_report("2019")
    head = '<td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>'
    html = report.render_html().replace(head, head + "</table><table><tr>", 1)
    assert html.count("<table>") == 4
    data = html.encode("utf-8") if form == "html" else html_to_pdf(html)
    got = extract_bytes(data, f"r.{form}").to_dict()
    t4_keys = [f"{g}_{leaf}" for g in ("review", "litigation_direct", "litigation_after_review")
               for leaf in ("upheld", "corrected", "other", "pending", "total")]
    assert {k: got["metrics"].get(k) for k in t4_keys} == dict(zip(t4_keys, report.table4, strict=True))


def _total_column_first(html: str) -> str:
    """Table 3 of the sample HTML with its 总计 column moved before 自然人 (header and every data row)."""
    import re

    html = html.replace('<td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td>',
                        '<td rowspan="2">总计</td><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td>', 1)
    seven = r"((?:<td>[^<]*</td>){6})(<td>[^<]*</td>)</tr>"  # the six applicant cells, then 总计, at a row's end
    start, end = html.index("勾稽关系"), html.index("四、政府信息公开行政复议")
    return html[:start] + re.sub(seven, r"\2\1</tr>", html[start:end]) + html[end:]


@pytest.mark.parametrize("era", ["2019", "2021"])
def test_table_3_columns_are_placed_by_their_header_not_by_position(era: str) -> None:
    report = sample_report(era)
    html = _total_column_first(report.render_html())
    assert "<td>25</td><td>20</td><td>3</td>" in html  # 本年新收: 总计 25 now comes first
    got = extract_bytes(html.encode("utf-8"), "r.html").to_dict()
    assert_complete(got, report)
    assert got["breakdown"]["unable_no_info"] == dict(zip(APPLICANTS, report.table3["unable_no_info"], strict=True))


def _split_with_repeated_header(html: str) -> str:
    """Table 3 of the sample HTML cut into two tables before 三、本年度办理结果, its header rows repeated."""
    start = html.index("<table>", html.index("三、收到和处理政府信息公开申请情况"))
    header_end = html.index("<tr><td colspan=\"3\">一、本年新收")
    header = html[start + len("<table>"):header_end]
    cut = html.index("<tr><td rowspan=", header_end)
    return html[:cut] + "</table><table>" + header + html[cut:]


@pytest.mark.parametrize("era", ["2019", "2021"])
def test_table_3_split_in_two_with_its_header_repeated(era: str) -> None:
    report = sample_report(era)
    html = _split_with_repeated_header(report.render_html())
    assert html.count("申请人情况") == 2
    assert_complete(extract_bytes(html.encode("utf-8"), "r.html").to_dict(), report)


def test_row_seven_called_heji_instead_of_zongji() -> None:
    report = sample_report("2021")
    html = report.render_html().replace("（七）总计", "（七）合计", 1)
    assert "（七）合计" in html
    assert_complete(extract_bytes(html.encode("utf-8"), "r.html").to_dict(), report)


def test_a_docx_report_framed_in_a_one_cell_layout_table() -> None:
    """Some offices write the whole report inside a 1×1 table: its cell is read as the document."""
    import io

    import docx

    report = sample_report("2021")
    document = docx.Document(io.BytesIO(html_to_docx(report.render_html())))
    body = document.element.body
    content = [child for child in body.iterchildren() if not child.tag.endswith("sectPr")]
    frame = document.add_table(rows=1, cols=1)
    cell = frame.cell(0, 0)._tc
    for child in content:
        cell.insert(len(cell) - 1, child)  # before the cell's closing paragraph
    buffer = io.BytesIO()
    document.save(buffer)
    got = extract_bytes(buffer.getvalue(), "r.docx").to_dict()
    assert got["report"]["format_era"] == "2021" and got["report"]["agency"] == "芦淞区人民政府"
    assert_complete(got, report)


def test_table_4_drawn_as_a_review_table_and_a_litigation_table() -> None:
    report = sample_report("2021")
    html = report.render_html()
    start = html.index("<table>", html.index("四、政府信息公开行政复议"))
    end = html.index("</table>", start) + len("</table>")
    leaves = "".join(f"<td>{x}</td>" for x in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"))
    values = [f"<td>{v}</td>" for v in report.table4]
    review = f'<table><tr><td colspan="5">行政复议</td></tr><tr>{leaves}</tr><tr>{"".join(values[:5])}</tr></table>'
    suits = (f'<table><tr><td colspan="10">行政诉讼</td></tr><tr><td colspan="5">未经复议直接起诉</td>'
             f'<td colspan="5">复议后起诉</td></tr><tr>{leaves * 2}</tr><tr>{"".join(values[5:])}</tr></table>')
    got = extract_bytes((html[:start] + review + suits + html[end:]).encode("utf-8"), "r.html").to_dict()
    assert_complete(got, report)


@pytest.mark.parametrize("era", ["2019", "2021"])
def test_tables_2_and_3_drawn_as_one_table(era: str) -> None:
    report = sample_report(era)
    html = report.render_html()
    heading = html.index("三、收到和处理政府信息公开申请情况")
    cut_start = html.rindex("</table>", 0, heading)
    cut_end = html.index("<table>", heading) + len("<table>")
    merged = html[:cut_start] + html[cut_end:]
    assert merged.count("<table>") == html.count("<table>") - 1
    assert_complete(extract_bytes(merged.encode("utf-8"), "r.html").to_dict(), report)


@pytest.mark.parametrize("era", ["2019", "2021"])
def test_tables_2_3_and_4_drawn_as_one_table(era: str) -> None:
    report = sample_report(era)
    html = report.render_html()
    for heading in ("三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议"):
        at = html.index(heading)
        html = html[:html.rindex("</table>", 0, at)] + html[html.index("<table>", at) + len("<table>"):]
    assert html.count("<table>") == 1
    assert_complete(extract_bytes(html.encode("utf-8"), "r.html").to_dict(), report)


def test_k3_checks_row_six_when_one_of_its_sub_rows_is_missing() -> None:
    """A garbled 2021 table 3: （六） read with one sub-row but not the others; the sum must still be checked."""
    from govreport_core.extraction.checks import _T3_LEAVES, check_k3

    values = {(key, None): 0 for key in _T3_LEAVES}
    values |= {("granted", None): 9, ("partially_granted", None): 3, ("processed_total", None): 13,
               ("other_no_correction", None): 0, ("other_handling", None): 0}  # 9 + 3 + 0 ≠ 13
    (finding,) = check_k3(values)
    assert finding.rule == "K3" and "12≠总计13" in finding.message
    values[("other_handling", None)] = 1  # now it adds up
    assert check_k3(values) == []


def test_a_docx_title_printed_only_in_the_page_header() -> None:
    import io

    import docx

    report = sample_report("2021")
    document = docx.Document(io.BytesIO(html_to_docx(report.render_html())))
    title = next(p for p in document.paragraphs if p.text.strip() == report.title)
    title._element.getparent().remove(title._element)
    document.sections[0].header.paragraphs[0].text = report.title
    buffer = io.BytesIO()
    document.save(buffer)
    got = extract_bytes(buffer.getvalue(), "r.docx").to_dict()
    assert (got["report"]["agency"], got["report"]["year"]) == ("芦淞区人民政府", 2022)  # from the spec's title
    assert_complete(got, report)


def test_a_table_3_missing_its_last_rows_but_followed_by_table_4_is_not_called_truncated() -> None:
    report = sample_report("2019")
    text = report.render_flattened()
    # rows a page break could cost: from 5.属于三类内部事务信息 to the end of table 3, table 4 still printed after
    gap = text[text.index("5.属于三类内部事务信息"):text.index("四、政府信息公开行政复议")]
    footer = "主办单位：某区人民政府办公室\n"  # a short last line, as a printed page's footer ends the text
    got = extract_bytes((text.replace(gap, "") + footer).encode("utf-8"), "r.txt").to_dict()
    assert got.get("error") is None
    assert got["metrics"]["review_total"] == report.table4[4]
