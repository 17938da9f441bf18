"""Reading and normalising: encodings, HTML grids with spans, page chrome, refusals, numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from govreport_core.extraction.normalise import build_document, normalise_text, parse_number, to_wan
from govreport_core.extraction.readers import read_report
from govreport_core.model import ReportError

REPORT_LINE = "芦淞区人民政府2020年政府信息公开工作年度报告\n共收到申请11件。"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_text_in_every_common_encoding_reads_the_same(encoding: str) -> None:
    doc = build_document(read_report(REPORT_LINE.encode(encoding), "r.txt"))
    assert doc.text.splitlines()[:2] == REPORT_LINE.splitlines()


def test_gbk_is_detected_without_a_hint() -> None:
    raw = read_report(("政府信息公开工作年度报告。" * 20).encode("gbk"), None)
    assert raw.encoding in ("gb18030", "gbk")


def test_traditional_and_full_width_are_normalised() -> None:
    assert normalise_text("政府信息公開工作年度報告（一）１２３件") == "政府信息公开工作年度报告(一)123件"
    assert normalise_text("行政複議\u3000訴訟") == "行政复议 诉讼"


def test_html_grid_expands_rowspan_and_colspan_and_drops_chrome() -> None:
    html = """<html><head><style>td{}</style><script>var x = "信息公开 99";</script></head><body>
    <nav>首页 | 政务公开</nav><p>某区人民政府2020年政府信息公开工作年度报告</p>
    <table><tr><td rowspan="2">三、本年度办理结果</td><td colspan="2">(一)予以公开</td><td>3</td></tr>
    <tr><td>(二)</td><td>部分公开</td><td></td></tr></table><footer>版权所有 12345</footer></body></html>"""
    doc = build_document(read_report(html.encode("utf-8"), "r.html"))
    assert "var x" not in doc.text and "版权所有" not in doc.text and "首页" not in doc.text
    (grid,) = doc.grids
    assert [[c.text for c in row] for row in grid.rows] == [
        ["三、本年度办理结果", "(一)予以公开", "(一)予以公开", "3"],
        ["三、本年度办理结果", "(二)", "部分公开", ""],
    ]
    cell = grid.rows[0][3]
    assert doc.text[cell.start:cell.end] == "3"
    assert grid.rows[1][0].origin == (0, 0)


def test_a_tfoot_written_before_the_tbody_comes_last_as_a_browser_shows_it() -> None:
    html = """<html><body><p>某区人民政府2020年政府信息公开工作年度报告</p><table>
    <tfoot><tr><td>(七)总计</td><td>9</td></tr></tfoot><tbody><tr><td>(一)予以公开</td><td>9</td></tr></tbody>
    </table></body></html>"""
    (grid,) = build_document(read_report(html.encode("utf-8"), "r.html")).grids
    assert [row[0].text for row in grid.rows] == ["(一)予以公开", "(七)总计"]


def test_layout_table_wrapping_data_tables_is_read_as_text() -> None:
    html = "<table><tr><td><p>标题</p><table><tr><td>规章</td><td>0</td></tr></table></td></tr></table>"
    doc = build_document(read_report(html.encode(), "r.html"))
    assert len(doc.grids) == 1 and doc.grids[0].rows[0][0].text == "规章"


def test_html_nested_past_libxml2_depth_limit_is_read() -> None:
    """libxml2's tree builder used to stop at depth 255 and drop the rest of the page without a word."""
    deep = "<div>" * 3000 + "（一）予以公开 12件" + "</div>" * 3000
    raw = read_report(f"<html><body>{deep}<p>后文</p></body></html>".encode(), "r.html")
    assert raw.blocks == ["（一）予以公开 12件", "后文"] and not raw.findings


def test_html_text_node_over_10_mb_is_read_whole() -> None:
    text = "公开" * (5 * 1024 * 1024 + 7)  # 10 M characters + 14, past libxml2's 10 MB text-node limit
    raw = read_report(f"<html><body><p>{text}</p><p>后文</p></body></html>".encode(), "r.html", max_bytes=10**9)
    assert [len(b) for b in raw.blocks] == [len(text), 2] and not raw.findings


def test_an_html_page_with_more_elements_than_any_report_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from govreport_core.extraction.readers import html

    monkeypatch.setattr(html, "_MAX_ELEMENTS", 100)
    with pytest.raises(ReportError, match="more than 100 elements"):
        read_report(("<html><body>" + "<p>政府信息公开</p>" * 200 + "</body></html>").encode(), "r.html")


def test_html_inline_markup_comments_and_hidden_cells_read_as_the_browser_shows_them() -> None:
    html = ('<html><body><p>甲 <!--注释--> 乙<span style="display:none">隐藏</span></p><p>x <span>y </span>z<b>w</b></p>'
            '<table><tr><td>a<!--c-->b</td><td><span style="visibility:hidden">9</span>1<br>2</td></tr></table>'
            '<div class="nav"><script>var n = 1;</script>栏目</div></body></html>')
    raw = read_report(html.encode(), "r.html")
    assert raw.blocks[:2] == ["甲 乙", "x y zw"] and raw.blocks[3] == "栏目"
    assert [c.text for c in raw.blocks[2][0]] == ["ab", "1 2"]


def test_stray_tags_in_text_files_are_removed_but_angle_brackets_in_prose_stay() -> None:
    doc = build_document(read_report("<p id='x'></p>依据<条例>规定\n".encode(), "r.txt"))
    assert doc.text.strip() == "依据<条例>规定"


@pytest.mark.parametrize(("data", "name", "words"), [
    (b"", "a.txt", "empty"),
    (b"   \n\n", "a.txt", "empty"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "a.png", "binary"),
    (b"\x00\x01\x02\x03" * 500, "a.txt", "binary"),
    (b"%PDF-1.4 ...", "a.pdf", "PDF cannot be read"),
    pytest.param(b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "a.doc", "DOCX", marks=pytest.mark.slow),  # LibreOffice tries it
])
def test_unreadable_input_is_refused_with_a_sentence(data: bytes, name: str, words: str) -> None:
    with pytest.raises(ReportError, match=words):
        read_report(data, name)


def test_size_limit() -> None:
    with pytest.raises(ReportError, match="limit"):
        read_report(b"x" * 2000, "a.txt", max_bytes=1000)


@pytest.mark.parametrize(("token", "value", "unit", "signed"), [
    ("1,234", Decimal(1234), None, False),
    ("增9", Decimal(9), None, True),
    ("减61", Decimal(-61), None, True),
    ("+1036", Decimal(1036), None, True),
    ("-2", Decimal(-2), None, True),
    ("251000元", Decimal(251000), "元", False),
    ("14246.73万", Decimal("14246.73"), "万", False),
    ("十二", Decimal(12), None, False),
    ("两千", Decimal(2000), None, False),
    ("47件", Decimal(47), "件", False),
    ("3 985 758", Decimal(3985758), None, False),
])
def test_parse_number(token: str, value: Decimal, unit: str | None, signed: bool) -> None:
    assert parse_number(token) == (value, unit, signed)


@pytest.mark.parametrize("token", ["规章", "2019年1月1日", "〔2014〕32号", "12%", "0731-28580542", ""])
def test_parse_number_refuses_what_is_not_one_number(token: str) -> None:
    assert parse_number(token) is None


def test_yuan_to_wan_is_exact() -> None:
    assert to_wan(Decimal(142467300), "元") == Decimal("14246.73")
    assert to_wan(Decimal(380), "元") == Decimal("0.038")
    assert to_wan(Decimal("96171.6"), None) == Decimal("96171.6")
