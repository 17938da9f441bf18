"""PDFs as offices make them, built here from the corpus generator (no PDF is committed): chromium prints of
ruled tables cut by page breaks, LibreOffice exports of Word tables with and without borders.

Each test first checks that the PDF really has the layout it is about (a row left outside the grids at a page
foot, a header printed on two pages, no rules at all, table 3 and table 4 on different pages), then that every
figure of the generator's spec (its truth) is read, and nothing else. Five PDFs in all: two chromium prints
and one LibreOffice run for three Word files (about 15 s on an idle machine, 35-60 s on the shared one).
The last tests hold the layout rules to hand-made pages, with no external program.
"""

from __future__ import annotations

import io
import os
import random
import re
import shutil

import pdfplumber
import pytest

from govreport_core.devtools.accuracy import score_one
from govreport_core.devtools.corpus.generate import Spec, new_format_report
from govreport_core.devtools.corpus.office_pdf import OfficeStyle, docx_to_pdf, html_to_docx_lo, html_to_pdf_print, office_docx
from govreport_core.extraction.pipeline import extract_bytes
from govreport_core.extraction.readers.pdf import read_pdf
from govreport_core.extraction.readers.pdf_borderless import rows_from_words
from govreport_core.extraction.readers.pdf_layout import complete_tables
from govreport_core.extraction.readers.pdf_words import Line, PageGrid, Word
from govreport_core.model import RawCell


def need(tool: str, package: str) -> None:
    if shutil.which(tool) is None:
        message = f"{tool} is not installed (apt-get install {package})"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def assert_reads_exactly(data: bytes, spec: Spec) -> None:
    output = extract_bytes(data, "report.pdf").to_dict()
    assert output.get("error") is None, output.get("error")
    score, problems = score_one(output, spec.truth())
    assert score.hit == score.truth == score.output, problems


def loose_number_rows(data: bytes) -> list[tuple[int, float, str]]:
    """(page, top as a share of the page height, text) of lines outside pdfplumber's ruled tables that carry
    a row of numbers: rows a page break cut out of their grid."""
    found = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            boxes = [t.bbox for t in page.find_tables() if max(len(r.cells) for r in t.rows) >= 2]
            for line in page.extract_text_lines():
                middle = (line["top"] + line["bottom"]) / 2
                if not any(top <= middle <= bottom for _, top, _, bottom in boxes) \
                        and len(re.findall(r"(?<!\S)\d+(?!\S)", line["text"])) >= 5:
                    found.append((number, line["top"] / page.height, line["text"]))
    return found


def page_texts(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def report(seed: int, era: str):
    spec, rendered, _ = new_format_report(random.Random(seed), "t", era, "pdf_print")
    return spec, rendered


# --- printed by chromium: ruled tables across page breaks ------------------------------------------

@pytest.mark.slow  # chromium or LibreOffice builds the PDF
def test_a_row_printed_at_the_very_foot_of_a_page_stays_in_its_table() -> None:
    need("chromium", "chromium")
    spec, rendered = report(7, "2021")
    data = html_to_pdf_print(rendered.render_html(ruled=True, space_before_tables=200))
    cut = loose_number_rows(data)
    assert any(share > 0.8 for _, share, _ in cut), cut  # the layout under test: a row left at a page foot
    assert_reads_exactly(data, spec)


@pytest.mark.slow  # chromium or LibreOffice builds the PDF
def test_a_header_repeated_on_the_next_page_is_read_once_and_the_table_stays_one_grid() -> None:
    need("chromium", "chromium")
    spec, rendered = report(8, "2019")
    data = html_to_pdf_print(rendered.render_html(ruled=True, repeat_headers=True, space_before_tables=300),
                             furniture=True)
    texts = page_texts(data)
    assert sum("申请人情况" in text.replace("⼈", "人") for text in texts) >= 2  # printed on two pages
    grids = [block for block in read_pdf(data).blocks if not isinstance(block, str)]
    table3 = [g for g in grids if any("申请人情况" in cell.text.replace("⼈", "人") for row in g for cell in row)]
    assert len(table3) == 1
    assert_reads_exactly(data, spec)


# --- exported by LibreOffice: borderless tables, tables 3 and 4 on two pages -----------------------

@pytest.fixture(scope="module")
def office_pdfs() -> dict[str, tuple[Spec, bytes]]:
    need("soffice", "libreoffice-writer-nogui")
    cases = {
        "borderless": (11, "2021", OfficeStyle(borders=False)),
        "t4_next_page_ruled": (12, "2019", OfficeStyle(page_break_before="四、政府信息公开行政复议")),
        "t4_next_page_borderless": (13, "2021", OfficeStyle(borders=False, landscape=True, font="Noto Sans Mono CJK SC",
                                                            page_break_before="四、政府信息公开行政复议",
                                                            running_title="政府信息公开工作年度报告")),
    }
    specs, documents = {}, []
    for name, (seed, era, style) in cases.items():
        spec, rendered = report(seed, era)
        specs[name] = spec
        documents.append(office_docx(rendered.render_html(), style))
    return {name: (specs[name], pdf) for name, pdf in zip(cases, docx_to_pdf(documents), strict=True)}


@pytest.mark.slow  # chromium or LibreOffice builds the PDF
def test_a_borderless_table_with_labels_wrapped_in_narrow_cells_is_read(office_pdfs) -> None:
    spec, data = office_pdfs["borderless"]
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert not any(max(len(r.cells) for r in t.rows) >= 2 for page in pdf.pages for t in page.find_tables())
        lines = [line["text"] for page in pdf.pages for line in page.extract_text_lines()]
    # the layout under test: no rules, and a label wrapped inside its cell over two lines
    assert not any("本年新收政府信息公开申请数量" in line for line in lines)
    assert any(line.startswith("公开申请数量") for line in lines)
    assert_reads_exactly(data, spec)


@pytest.mark.slow  # LibreOffice builds the PDFs
@pytest.mark.parametrize("case", ["t4_next_page_ruled", "t4_next_page_borderless"])
def test_table_3_ending_a_page_and_table_4_starting_the_next_is_read_whole(office_pdfs, case: str) -> None:
    spec, data = office_pdfs[case]
    texts = page_texts(data)
    t3_end = max(i for i, text in enumerate(texts) if "结转下年度" in text)
    t4_start = min(i for i, text in enumerate(texts) if "四、政府信息公开行政复议" in text)
    assert t4_start == t3_end + 1  # the layout under test
    assert_reads_exactly(data, spec)  # not refused as "ends inside table 3", every figure of both tables


# --- web pages exported by LibreOffice (HTML -> DOCX -> PDF): centred cells, tables past the page's edge ---

LO_PAGES = {  # what a report page's <table> says, and the cells' alignment
    "borderless": ('<table width="100%">', ""),
    "ruled_past_the_edge": ('<table border="1" cellspacing="0" width="740">', ""),
    "centred_past_the_edge": ('<table border="1" cellspacing="0" width="740">', ' align="center"'),
    "borderless_centred": ("<table>", ' align="center"'),
}


@pytest.fixture(scope="module")
def lo_pdfs() -> dict[str, tuple[Spec, bytes]]:
    need("soffice", "libreoffice-writer-nogui")
    specs, pages = {}, []
    for seed, (name, (table, align)) in enumerate(LO_PAGES.items(), start=21):
        spec, rendered = report(seed, "2021" if seed % 2 else "2019")
        specs[name] = spec
        pages.append(rendered.render_html().replace("<table>", table).replace("<td", f"<td{align}").encode())
    return {name: (specs[name], pdf) for name, pdf in zip(LO_PAGES, docx_to_pdf(html_to_docx_lo(pages)), strict=True)}


def printed_beyond_the_page(data: bytes) -> int:
    """Characters printed (wholly or partly) right of the page's right edge (a table wider than the page)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return sum(1 for page in pdf.pages for c in page.chars if c["x1"] > page.width)


@pytest.mark.slow  # LibreOffice builds the PDFs
def test_a_web_page_table_without_rules_and_cells_centred_vertically_is_read(lo_pdfs) -> None:
    spec, data = lo_pdfs["borderless"]
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert not any(page.find_tables() for page in pdf.pages)
        lines = [line["text"] for page in pdf.pages for line in page.extract_text_lines()]
    # the layout under test: a two-line label whose numbers are printed between its lines
    label = next(i for i, text in enumerate(lines) if "（二）部分公开" in text)
    assert not re.search(r"\d", lines[label]) and re.fullmatch(r"[\d ]+", lines[label + 1])
    assert_reads_exactly(data, spec)


@pytest.mark.slow  # LibreOffice builds the PDFs
@pytest.mark.parametrize("case", ["ruled_past_the_edge", "centred_past_the_edge"])
def test_a_ruled_table_running_past_the_page_edge_keeps_the_columns_printed_beyond_it(lo_pdfs, case: str) -> None:
    spec, data = lo_pdfs[case]
    assert printed_beyond_the_page(data) > 0  # the layout under test: text right of the page's edge
    assert_reads_exactly(data, spec)


@pytest.mark.slow  # LibreOffice builds the PDFs
def test_a_web_page_table_without_rules_and_centred_labels_is_read(lo_pdfs) -> None:
    spec, data = lo_pdfs["borderless_centred"]
    starts = {}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for line in page.extract_text_lines():
                if line["text"].startswith(("规章", "行政处罚", "行政强制", "行政事业性收费")):
                    starts[line["text"][:4]] = round(line["x0"])
    assert len(set(starts.values())) >= 3  # the layout under test: labels of one column start at several places
    assert_reads_exactly(data, spec)


# --- the layout rules on hand-made pages (no external program) --------------------------------------

def word(text: str, x0: float, top: float, page: int = 1, size: float = 10.0) -> Word:
    width = size * len(text) if not text.isdigit() else 6.0 * len(text)
    return Word(text, x0, x0 + width, page * 10_000.0 + top, page * 10_000.0 + top + size, page)


def line(page: int, top: float, *cells: tuple[str, float]) -> Line:
    return Line(" ".join(text for text, _ in cells), [word(text, x0, top, page) for text, x0 in cells], page, top)


def test_a_label_wrapped_in_a_narrow_cell_joins_its_row_by_position() -> None:
    words = [*line(1, 100, ("一、本年新收", 90), ("5", 220), ("7", 300)).words,
             *line(1, 113, ("申请数量", 90)).words,  # the label's second line, no numbers on it
             *line(1, 140, ("二、上年结转", 90), ("1", 220), ("0", 300)).words]
    rows, pages = rows_from_words(words)
    assert [[cell.text for cell in row] for row in rows] == [["一、本年新收申请数量", "5", "7"], ["二、上年结转", "1", "0"]]
    assert pages == [1, 1]


def test_a_grid_continued_on_the_next_page_drops_its_repeated_header_and_joins_the_split_row() -> None:
    columns = [50.0, 200.0, 300.0]
    first = PageGrid([[RawCell("项目"), RawCell("数量")], [RawCell("1.属于国家"), RawCell("3")]], columns, 1, 1, 600, 760)
    second = PageGrid([[RawCell("项目"), RawCell("数量")], [RawCell("秘密"), RawCell("")], [RawCell("2.其他"), RawCell("4")]],
                      columns, 2, 2, 60, 200)
    running = [line(page, 20, ("政府信息公开工作年度报告", 200)) for page in (1, 2)]  # a running title: furniture
    items = complete_tables([([running[0], first], 842.0), ([running[1], second], 842.0)])
    assert items == [first]
    assert [[cell.text for cell in row] for row in first.rows] == [["项目", "数量"], ["1.属于国家秘密", "3"], ["2.其他", "4"]]
    assert first.row_pages == [1, 1, 2]  # evidence of a row carries the page it is printed on


def test_a_caption_row_at_the_head_of_the_next_page_is_a_new_row_not_the_rest_of_the_last_one() -> None:
    columns = [50.0, 200.0, 300.0]
    first = PageGrid([[RawCell("行政许可"), RawCell("125")]], columns, 1, 1, 600, 760)
    second = PageGrid([[RawCell("第二十条第（六）项", colspan=2)], [RawCell("行政处罚"), RawCell("9")]], columns, 2, 2, 60, 200)
    complete_tables([([first], 842.0), ([second], 842.0)])
    assert [[cell.text for cell in row] for row in first.rows] == [["行政许可", "125"], ["第二十条第（六）项"], ["行政处罚", "9"]]


def test_a_label_centred_on_its_numbers_joins_their_row_whatever_the_line_order() -> None:
    words = [*line(1, 100, ("（二）部分公开（区分", 90)).words,  # a web page centres the label on the numbers
             *line(1, 108, ("8", 220), ("1", 300)).words,
             *line(1, 116, ("处理的）", 90)).words,
             *line(1, 150, ("（三）不予公开", 90), ("0", 220), ("2", 300)).words]
    rows, _ = rows_from_words(words)
    assert [[cell.text for cell in row] for row in rows] == [["（二）部分公开（区分处理的）", "8", "1"],
                                                              ["（三）不予公开", "0", "2"]]


def test_an_outer_label_between_two_rows_of_its_group_joins_one_of_them() -> None:
    words = [*line(1, 100, ("1.逾期不补正", 150), ("2", 260)).words,
             *line(1, 121, ("（六）其他处理", 60)).words,  # centred on its group, it falls between two sub-rows
             *line(1, 142, ("2.逾期未缴费", 150), ("0", 260)).words,
             *line(1, 163, ("3.其他", 150), ("1", 260)).words]
    rows, _ = rows_from_words(words)
    assert len(rows) == 3 and [row[-1].text for row in rows] == ["2", "0", "1"]
    assert [row[1].text for row in rows] == ["1.逾期不补正", "2.逾期未缴费", "3.其他"]  # each row keeps its own label


def test_text_printed_past_the_page_edge_belongs_to_the_ruled_table_the_edge_cut() -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    width = A4[0]
    page.setFont("STSong-Light", 11)
    page.drawString(72, 780, "二、主动公开政府信息情况：本表的最后一列印在页面之外，文字仍在文件中。")
    rows = [("信息内容", "本年制发", "本年废止", "现行有效"), ("规章", "3", "1", "12"), ("规范性文件", "5", "0", "40")]
    for r, cells in enumerate(rows):
        top = 740 - 24 * r
        for x, text in zip((80, 330, 480, width + 8), cells, strict=True):  # the last column starts past the edge
            page.drawString(x, top - 16, text)
    for r in range(len(rows) + 1):
        page.line(72, 740 - 24 * r, width, 740 - 24 * r)  # the rules stop at the page's edge
    for x in (72, 320, 470, width):  # LibreOffice draws the table's border where the page cuts it
        page.line(x, 740, x, 740 - 24 * len(rows))
    page.save()
    grids = [block for block in read_pdf(out.getvalue()).blocks if not isinstance(block, str)]
    assert [[cell.text for cell in row] for row in grids[0]] == [list(cells) for cells in rows]
