"""Rendering a report spec (values of the three tables, prose) in each layout of FORMATS.md §2 and §6.

Used by the corpus generator and by the tests, whose expected figures are the spec they render, never
the extractor's output. Layouts follow
FORMATS.md §2: the HTML grid has the official merged cells (table 3 corner colspan=3 rowspan=3,
三、本年度办理结果 rowspan 20/22, （六） colspan=2 in 2019); the text forms are flattened one cell
per line (blank cells dropped), pipe rows and tab rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Cell = int | str | None  # None: a blank cell

T3_LABELS: list[tuple[str, str, str | None]] = [  # (key, level-2 label, level-3 label)
    ("applications_new", "一、本年新收政府信息公开申请数量", None),
    ("applications_carried_over", "二、上年结转政府信息公开申请数量", None),
    ("granted", "（一）予以公开", None),
    ("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None),
    ("denied_state_secret", "（三）不予公开", "1.属于国家秘密"),
    ("denied_law_forbidden", "（三）不予公开", "2.其他法律行政法规禁止公开"),
    ("denied_three_safety", "（三）不予公开", "3.危及“三安全一稳定”"),
    ("denied_third_party", "（三）不予公开", "4.保护第三方合法权益"),
    ("denied_internal_affairs", "（三）不予公开", "5.属于三类内部事务信息"),
    ("denied_process_info", "（三）不予公开", "6.属于四类过程性信息"),
    ("denied_enforcement_file", "（三）不予公开", "7.属于行政执法案卷"),
    ("denied_inquiry", "（三）不予公开", "8.属于行政查询事项"),
    ("unable_no_info", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("unable_need_create", "（四）无法提供", "2.没有现成信息需要另行制作"),
    ("unable_unclear", "（四）无法提供", "3.补正后申请内容仍不明确"),
    ("not_processed_complaint", "（五）不予处理", "1.信访举报投诉类申请"),
    ("not_processed_repeat", "（五）不予处理", "2.重复申请"),
    ("not_processed_publication", "（五）不予处理", "3.要求提供公开出版物"),
    ("not_processed_massive", "（五）不予处理", "4.无正当理由大量反复申请"),
    ("not_processed_confirm", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"),
    ("other_handling", "（六）其他处理", None),
    ("other_no_correction", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_no_fee", "（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_misc", "（六）其他处理", "3.其他"),
    ("processed_total", "（七）总计", None),
    ("carried_to_next_year", "四、结转下年度继续办理", None),
]
APPLICANT_HEADERS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
T4_LEAVES = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
T2_LAYOUT = {  # era -> [(caption, header columns, [(row label, block key)])]
    "2019": [
        ("第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
         [("规章", "regulations"), ("规范性文件", "normative_docs")]),
        ("第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         [("行政许可", "licensing"), ("其他对外管理服务事项", "other_services")]),
        ("第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"], [("行政处罚", "penalty"), ("行政强制", "coercion")]),
        ("第二十条第（八）项", ["上一年项目数量", "本年增/减"], [("行政事业性收费", "fees")]),
        ("第二十条第（九）项", ["采购项目数量", "采购总金额"], [("政府集中采购", "procurement")]),
    ],
    "2021": [
        ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
         [("规章", "regulations"), ("行政规范性文件", "normative_docs")]),
        ("第二十条第（五）项", ["本年处理决定数量"], [("行政许可", "licensing")]),
        ("第二十条第（六）项", ["本年处理决定数量"], [("行政处罚", "penalty"), ("行政强制", "coercion")]),
        ("第二十条第（八）项", ["本年收费金额（单位：万元）"], [("行政事业性收费", "fees")]),
    ],
}


# Labels that real reports break over two lines (huaian_city_2024: "（四）无" at a page foot, "法提供" on the next).
_SPLITS = {"（四）无法提供": "（四）无\n法提供", "（三）不予公开": "（三）不\n予公开", "商业企业": "商业\n企业",
           "社会公益组织": "社会公益\n组织"}


@dataclass
class Report:
    """A report's head, prose and three tables; `render_*` give the file text in one layout."""

    era: str
    title: str
    table2: dict[str, list[Cell]]  # block key -> cells in column order
    table3: dict[str, list[Cell]]  # row key -> 7 cells (six applicants, 总计)
    table4: list[Cell]  # 15 cells
    prose: str = "本年度我区严格执行《中华人民共和国政府信息公开条例》。"
    section6: str = "本年度未收取信息处理费。"
    head: list[str] = field(default_factory=lambda: ["发布日期：2022-01-20"])
    typo_law_forbidden: bool = False  # the real Hongze PDFs print "2.其他法律行政止公开"
    split_labels: bool = False  # labels broken by a line break: "（四）无" / "法提供", "商业" / "企业"

    def t3_rows(self) -> list[tuple[str, str, str | None]]:
        keep = {"2019": lambda k: k not in ("other_no_correction", "other_no_fee", "other_misc"),
                "2021": lambda k: k != "other_handling"}[self.era]
        rows = [row for row in T3_LABELS if keep(row[0])]
        if self.typo_law_forbidden:
            rows = [(k, l2, "2.其他法律行政止公开" if k == "denied_law_forbidden" else l3) for k, l2, l3 in rows]
        return rows

    def _sections(self, t2: str, t3: str, t4: str, sep: str) -> str:
        parts = [self.title, *self.head, "一、总体情况", self.prose, "二、主动公开政府信息情况", t2,
                 "三、收到和处理政府信息公开申请情况", t3, "四、政府信息公开行政复议、行政诉讼情况", t4,
                 "五、存在的主要问题及改进情况", "信息公开工作仍需加强。", "六、其他需要报告的事项", self.section6]
        return sep.join(parts) + sep

    # -- text layouts ----------------------------------------------------------------------------
    def text_rows(self) -> tuple[list[list[Cell]], list[list[Cell]], list[list[Cell]]]:
        t2: list[list[Cell]] = []
        for caption, columns, rows in T2_LAYOUT[self.era]:
            t2 += [[caption], ["信息内容", *columns]]
            t2 += [[label, *self.table2.get(block, [None] * len(columns))] for label, block in rows]
        t3: list[list[Cell]] = [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
                                ["自然人", "法人或其他组织", "总计"], APPLICANT_HEADERS[1:6]]
        previous = None
        for key, level2, level3 in self.t3_rows():
            labels = [level2] if level3 is None else ([level2, level3] if level2 != previous else [level3])
            previous = level2
            if key == "granted":
                labels = ["三、本年度办理结果", *labels]
            t3.append([*labels, *self.table3[key]])
        t4: list[list[Cell]] = [["行政复议", "行政诉讼"], [*T4_LEAVES, "未经复议直接起诉", "复议后起诉"], T4_LEAVES * 2,
                                list(self.table4)]
        return t2, t3, t4

    def render_flattened(self) -> str:
        """One cell per line, blank cells simply missing (seed 004's layout)."""
        def cell_lines(cell: Cell) -> str:
            text = str(cell)
            if self.split_labels and text in _SPLITS:
                return _SPLITS[text]
            return text

        def flat(rows: list[list[Cell]]) -> str:
            return "\n".join(cell_lines(c) for row in rows for c in row if c is not None and c != "")
        return self._sections(*(flat(t) for t in self.text_rows()), "\n")

    def render_pipes(self) -> str:
        def pipes(rows: list[list[Cell]]) -> str:
            return "\n".join("| " + " | ".join("" if c is None else str(c) for c in row) + " |" for row in rows)
        return self._sections(*(pipes(t) for t in self.text_rows()), "\n\n")

    def render_tabs(self) -> str:
        def tabs(rows: list[list[Cell]]) -> str:
            return "\n".join("\t".join("" if c is None else str(c) for c in row) for row in rows)
        return self._sections(*(tabs(t) for t in self.text_rows()), "\n")

    # -- HTML grid with the official merged cells ---------------------------------------------------
    def render_html(self, ruled: bool = False, repeat_headers: bool = False, space_before_tables: int = 0) -> str:
        """The report as a web page. For printing: `ruled` draws the cell borders, `repeat_headers` puts the
        header rows of tables 3 and 4 in <thead> (a browser repeats them on every page), `space_before_tables`
        (px) pushes each table down so that page breaks fall in different rows."""
        def td(value: Cell, **spans: int) -> str:
            attrs = "".join(f' {k}="{v}"' for k, v in spans.items())
            return f"<td{attrs}>{'' if value is None else value}</td>"

        spacer = f'<div style="height:{space_before_tables}px"></div>' if space_before_tables else ""
        head, body_open = ("<thead>", "</thead><tbody>") if repeat_headers else ("", "")
        body_close = "</tbody>" if repeat_headers else ""
        t2 = [spacer + "<table>"]
        for caption, columns, rows in T2_LAYOUT[self.era]:
            t2.append(f"<tr>{td(caption, colspan=len(columns) + 1)}</tr>")
            t2.append("<tr>" + td("信息内容") + "".join(td(c) for c in columns) + "</tr>")
            for label, block in rows:
                t2.append("<tr>" + td(label) + "".join(td(c) for c in self.table2.get(block, [None] * len(columns))) + "</tr>")
        t2.append("</table>")
        rows = self.t3_rows()
        t3 = [spacer + "<table>" + head
              + "<tr>" + td("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", colspan=3, rowspan=3)
              + td("申请人情况", colspan=7) + "</tr>",
              "<tr>" + td("自然人", rowspan=2) + td("法人或其他组织", colspan=5) + td("总计", rowspan=2) + "</tr>",
              "<tr>" + "".join(td(h) for h in APPLICANT_HEADERS[1:6]) + "</tr>" + body_open]
        outcome_rows = [r for r in rows if r[0] not in ("applications_new", "applications_carried_over",
                                                         "carried_to_next_year")]
        group_sizes = {level2: sum(1 for r in outcome_rows if r[1] == level2 and r[2]) for _, level2, _ in rows}
        seen: set[str] = set()
        for key, level2, level3 in rows:
            cells = ""
            if key in ("applications_new", "applications_carried_over", "carried_to_next_year"):
                cells = td(level2, colspan=3)
            else:
                if key == "granted":
                    cells += td("三、本年度办理结果", rowspan=len(outcome_rows))
                if level3 is None:
                    cells += td(level2, colspan=2)
                else:
                    if level2 not in seen:
                        cells += td(level2, rowspan=group_sizes[level2])
                    cells += td(level3)
                seen.add(level2)
            t3.append("<tr>" + cells + "".join(td(v) for v in self.table3[key]) + "</tr>")
        t3.append(body_close + "</table>")
        t4 = (spacer + "<table>" + head + "<tr>" + td("行政复议", colspan=5) + td("行政诉讼", colspan=10) + "</tr><tr>"
              + "".join(td(h, rowspan=2) for h in T4_LEAVES) + td("未经复议直接起诉", colspan=5) + td("复议后起诉", colspan=5)
              + "</tr><tr>" + "".join(td(h) for h in T4_LEAVES * 2) + "</tr>" + body_open + "<tr>"
              + "".join(td(v) for v in self.table4) + "</tr>" + body_close + "</table>")
        body = self._sections("".join(t2), "".join(t3), t4, "</p>\n<p>")
        return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>政府信息公开年报</title>"
                + ("<style>table{border-collapse:collapse}td{border:1px solid #000;padding:2px}</style>" if ruled
                   else "<style>td{border:1px}</style>") + "<script>var n = 12345;</script></head><body>"
                "<nav>首页 | 政务公开 | 信息公开年报</nav><div class=\"content\"><p>" + body
                + "</p></div><footer>主办单位：某区人民政府办公室 电话：0731-28580542</footer></body></html>")


@dataclass
class TableLayout:
    rows: int
    cols: int
    cells: list[tuple[int, int, int, int, str]]  # row, col, rowspan, colspan, text


def html_blocks(html: str) -> list[str | TableLayout]:
    """Paragraph lines and tables (with their spans placed on a grid) of a rendered HTML report."""
    import lxml.html

    blocks: list[str | TableLayout] = []
    root = lxml.html.document_fromstring(html)
    for element in root.iter("p", "table"):
        if element.tag == "p":
            blocks += [line for line in element.text_content().split("\n") if line.strip()]
            continue
        placed: set[tuple[int, int]] = set()
        cells: list[tuple[int, int, int, int, str]] = []
        for r, tr in enumerate(element.iter("tr")):
            c = 0
            for td in tr.iter("td"):
                while (r, c) in placed:
                    c += 1
                rowspan, colspan = int(td.get("rowspan", 1)), int(td.get("colspan", 1))
                placed |= {(r + dr, c + dc) for dr in range(rowspan) for dc in range(colspan)}
                cells.append((r, c, rowspan, colspan, td.text_content()))
                c += colspan
        blocks.append(TableLayout(max(r for r, _ in placed) + 1, max(c for _, c in placed) + 1, cells))
    return blocks


def html_to_docx(html: str) -> bytes:
    """The same report as a Word document: paragraphs, and tables whose spans become real cell merges."""
    import io

    import docx

    document = docx.Document()
    for block in html_blocks(html):
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        fill_docx_table(document.add_table(rows=block.rows, cols=block.cols), block.cells)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def fill_docx_table(table: Any, cells: list[tuple[int, int, int, int, str]]) -> None:
    """A python-docx table's cells from (row, column, rowspan, colspan, text), merging spanned cells."""
    for r, c, rowspan, colspan, text in cells:
        cell = table.cell(r, c)
        if rowspan > 1 or colspan > 1:
            cell = cell.merge(table.cell(r + rowspan - 1, c + colspan - 1))
        cell.text = text


def html_to_pdf(html: str, space_before_tables: float = 0) -> bytes:
    """The same report as a PDF with ruled tables (reportlab's built-in CJK font STSong-Light).

    `space_before_tables` (points) pushes tables down the page so that they break across pages, as the
    real reports' tables 2 and 3 do.
    """
    import io

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    text_style = ParagraphStyle("cn", fontName="STSong-Light", fontSize=10, leading=14, wordWrap="CJK")
    cell_style = ParagraphStyle("cell", fontName="STSong-Light", fontSize=6, leading=8, wordWrap="CJK")
    story: list = []
    for block in html_blocks(html):
        if isinstance(block, str):
            story.append(Paragraph(block, text_style))
            continue
        data: list[list] = [[""] * block.cols for _ in range(block.rows)]
        spans = []
        for r, c, rowspan, colspan, text in block.cells:
            data[r][c] = Paragraph(text, cell_style) if text else ""
            if rowspan > 1 or colspan > 1:
                spans.append(("SPAN", (c, r), (c + colspan - 1, r + rowspan - 1)))
        if space_before_tables:
            story.append(Spacer(1, space_before_tables))
        table = Table(data, repeatRows=0)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                   ("FONTNAME", (0, 0), (-1, -1), "STSong-Light"), *spans]))
        story.append(table)
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=30, rightMargin=30).build(story)
    return buffer.getvalue()
