"""The layout recognisers: which one reads each table of each layout, and the trace of how values were placed.

Inputs are the team-written sample reports (tests/report_builder.py) in each layout; expected names are
the recognisers of `govreport_core.layouts.LAYOUTS`, expected values the sample's own spec.
"""

from __future__ import annotations

import pytest
from report_builder import sample_report

from govreport_core.extraction.layouts import LAYOUTS, Layout
from govreport_core.extraction.pipeline import extract_bytes
from govreport_core.model import Result


def layouts_of(result: Result) -> dict[str, str]:
    return {trace.table: trace.layout for trace in result.tables}


def html_of(era: str, change=lambda html: html) -> Result:
    return extract_bytes(change(sample_report(era).render_html()).encode("utf-8"), "r.html")


@pytest.mark.parametrize(("method", "name", "layout"), [
    ("render_html", "r.html", "grid"), ("render_flattened", "r.txt", "text stream: one cell per line"),
    ("render_pipes", "r.md", "text stream: pipe or tab rows"), ("render_tabs", "r.txt", "text stream: pipe or tab rows")])
@pytest.mark.parametrize("era", ["2019", "2021"])
def test_each_plain_layout_is_named_for_every_table(era: str, method: str, name: str, layout: str) -> None:
    result = extract_bytes(getattr(sample_report(era), method)().encode("utf-8"), name)
    assert layouts_of(result) == {"table2": layout, "table3": layout, "table4": layout}


def _one_grid(html: str, headings: tuple[str, ...]) -> str:
    for heading in headings:  # the table after each heading continues the grid before it
        at = html.index(heading)
        html = html[:html.rindex("</table>", 0, at)] + html[html.index("<table>", at) + len("<table>"):]
    return html


def test_tables_drawn_together_or_apart_are_named_by_how_they_are_drawn() -> None:
    t23 = html_of("2021", lambda h: _one_grid(h, ("三、收到和处理政府信息公开申请情况",)))
    assert layouts_of(t23) == {"table2": "tables 2 and 3 in one grid", "table3": "grid", "table4": "grid"}
    t34 = html_of("2021", lambda h: _one_grid(h, ("四、政府信息公开行政复议",)))
    assert layouts_of(t34)["table4"] == "table 4 in table 3's grid"
    head = '<td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>'
    two = html_of("2019", lambda h: h.replace(head, head + "</table><table><tr>", 1))
    assert layouts_of(two)["table4"] == "grid"  # the header alone is not a second table of numbers
    split = html_of("2021", lambda h: h.replace('<tr><td rowspan="3">（四）无法提供',
                                                '</table><p>- 3 -</p><table><tr><td rowspan="3">（四）无法提供', 1))
    assert layouts_of(split)["table3"] == "table 3 split across grids"
    assert split.to_dict()["metrics"]["processed_total"] == 24  # the sample's spec: K3 over both halves


def test_table_4_as_a_review_table_and_a_litigation_table() -> None:
    report = sample_report("2021")

    def two_tables(html: str) -> str:
        start = html.index("<table>", html.index("四、政府信息公开行政复议"))
        end = html.index("</table>", start) + len("</table>")
        cells = [f"<td>{v}</td>" for v in report.table4]
        leaves = "".join(f"<td>{x}</td>" for x in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"))
        return (html[:start] + f'<table><tr><td colspan="5">行政复议</td></tr><tr>{leaves}</tr>'
                f'<tr>{"".join(cells[:5])}</tr></table><table><tr><td colspan="10">行政诉讼</td></tr>'
                f'<tr>{leaves * 2}</tr><tr>{"".join(cells[5:])}</tr></table>' + html[end:])

    result = html_of("2021", two_tables)
    assert layouts_of(result)["table4"] == "table 4 as two tables"
    assert result.to_dict()["metrics"]["litigation_direct_total"] == report.table4[9]


def test_the_trace_says_how_each_value_was_placed() -> None:
    # Flattened text, only natural persons applied, blank cells dropped: each row prints "n n", so the 总计
    # is told by the sum and 自然人 is the convention (stated in an `assumed` finding).
    report = sample_report("2019")
    for key, cells in report.table3.items():
        report.table3[key] = [cells[6], None, None, None, None, None, cells[6]]
    result = extract_bytes(report.render_flattened().encode("utf-8"), "r.txt")
    (t3,) = [t for t in result.tables if t.table == "table3"]
    how = {(p.key, p.applicant): (p.how, p.value) for p in t3.placements}
    assert how[("applications_new", "natural_person")] == ("convention", 25)
    assert how[("applications_new", "total")] == ("arithmetic", 25)
    assert {r.key for r in t3.rows if r.key} >= {"applications_new", "processed_total", "carried_to_next_year"}
    # A grid: every printed cell is placed by its position; 2021's row （六） is the sum of its sub-rows.
    result21 = extract_bytes(sample_report("2021").render_html().encode("utf-8"), "r.html")
    (t3_21,) = [t for t in result21.tables if t.table == "table3"]
    assert {p.how for p in t3_21.placements if p.key == "granted"} == {"position"}
    assert {(p.key, p.how) for p in t3_21.placements if p.key == "other_handling"} == {("other_handling", "arithmetic")}


def test_a_value_the_sums_cannot_place_is_left_out_with_its_reason() -> None:
    html = sample_report("2019").render_html()
    at = html.index("<td>3</td>", html.index("一、本年新收"))  # 商业企业 of 本年新收 blanked: K2 proves it is 3
    blanked = html[:at] + "<td></td>" + html[at + len("<td>3</td>"):]
    result = extract_bytes(blanked.encode("utf-8"), "r.html")
    (t3,) = [t for t in result.tables if t.table == "table3"]
    how = {(p.key, p.applicant): (p.how, p.value) for p in t3.placements}
    assert how[("applications_new", "commercial")] == ("arithmetic", 3)
    # Two values of one table-4 group blanked: the group's sum cannot tell them apart, so both stay out.
    t4_html = html.replace("<td>11</td><td>5</td>", "<td></td><td></td>", 1)
    (t4,) = [t for t in extract_bytes(t4_html.encode("utf-8"), "r.html").tables if t.table == "table4"]
    assert any("直接起诉·结果维持" in o.reason and "直接起诉·结果纠正" in o.reason for o in t4.left_out)
    assert not {p.key for p in t4.placements} & {"litigation_direct_upheld", "litigation_direct_corrected"}


def test_every_recogniser_has_a_name_a_table_and_comes_before_the_last_resort_of_its_table() -> None:
    assert all(isinstance(layout, Layout) and layout.name and layout.table in ("table2", "table3", "table4")
               for layout in LAYOUTS)
    for table in ("table2", "table3", "table4"):
        mine = [layout.name for layout in LAYOUTS if layout.table == table]
        assert mine[-1] == "text stream" and len(set(mine)) == len(mine)


def test_a_new_recogniser_is_one_class_in_the_registry() -> None:
    """The interface other layouts plug into: a Layout put before the general ones is tried first."""
    from govreport_core.catalog import Era
    from govreport_core.extraction.layouts import find_tables
    from govreport_core.extraction.layouts.base import Scan
    from govreport_core.extraction.layouts.cells import Row, token_slot
    from govreport_core.extraction.layouts.keys import key_rows
    from govreport_core.model import Document

    class CommaRow(Layout):  # table 4 printed as one line "表四：1,1,0,…" (15 numbers)
        name = "table 4 as one comma line"
        table = "table4"

        def test(self, scan: Scan) -> bool:
            return "表四：" in scan.doc.text

        def run(self, scan: Scan) -> list[Row]:
            start = scan.doc.text.index("表四：") + len("表四：")
            end = scan.doc.text.index("\n", start)
            slots, at = [], start
            for part in scan.doc.text[start:end].split(","):
                slots.append(token_slot(part, at))
                at += len(part) + 1
            return key_rows(self.table, [Row("表四", start, end, scan.doc.text, slots, positional=True)], scan.era)

    numbers = [1, 1, 0, 0, 2, 11, 5, 26, 0, 42, 0, 0, 1, 1, 2]
    doc = Document("表四：" + ",".join(map(str, numbers)) + "\n")
    (match,) = find_tables(doc, Era.F2021, (CommaRow(), *LAYOUTS))
    assert match.layout == "table 4 as one comma line" and [s.number for s in match.keyed["table4"].slots] == numbers
    assert find_tables(doc, Era.F2021) == []  # without it, nothing reads this line
