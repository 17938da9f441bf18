"""DOCX: bytes -> RawDocument, with python-docx: paragraphs and tables in document order.

python-docx repeats a merged cell in every position it spans, which would count a value twice, so
the spans are read from the table XML itself: `w:gridSpan` is a colspan and `w:vMerge="continue"`
extends the cell above it (a rowspan). A cell's paragraphs are joined with line breaks (header cells
such as "商业\\n企业"); cells holding only U+3000 fillers are blank after normalising.
"""

from __future__ import annotations

import io
import re
import zipfile

import docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree

from govreport_core.model import RawBlock, RawCell, RawDocument, RawTable, ReportError

from ..limits import check_zip

_REPORT_TITLE = re.compile(r"(?:信息公开|政务公开).{0,12}年度报告|年度报告$")


def read_docx(data: bytes) -> RawDocument:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip(archive)  # a zip bomb is refused before any member is inflated
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise ReportError(f"The DOCX file cannot be read ({exc.__class__.__name__}); it may be damaged "
                          "or not a Word document.") from exc
    blocks = _blocks(document.element.body, document)
    return RawDocument(blocks=[*_title_from_page_header(document, blocks), *blocks], format="docx")


def _title_from_page_header(document: docx.document.Document, blocks: list[RawBlock]) -> list[str]:
    """Some reports print their title only in the page header: it goes first when the body has none."""
    if any(isinstance(b, str) and _REPORT_TITLE.search(b) and len(b) <= 80 for b in blocks[:5]):
        return []
    for section in document.sections:
        for paragraph in section.header.paragraphs:
            text = paragraph.text.strip()
            if _REPORT_TITLE.search(text) and len(text) <= 80:
                return [text]
    return []


def _blocks(container: etree._Element, document: object) -> list[RawBlock]:
    """Paragraphs and tables of a body (or of a layout table's cell) in document order.

    A table whose cells hold tables of their own is layout (a report framed in a 1×1 table, as some offices
    write them): its cells are read as text and tables in order, not as one grid of the whole report."""
    blocks: list[RawBlock] = []
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            text = Paragraph(child, document).text.strip()
            if text:
                blocks.append(text)
        elif child.tag == qn("w:tbl"):
            if child.find(f".//{qn('w:tc')}/{qn('w:tbl')}") is not None:
                for tr in child.iterchildren(qn("w:tr")):
                    for tc in tr.iterchildren(qn("w:tc")):
                        blocks.extend(_blocks(tc, document))
                continue
            table = _read_table(child)
            if table:
                blocks.append(table)
    return blocks


def _read_table(tbl: etree._Element) -> RawTable:
    rows: RawTable = []
    open_cells: dict[int, RawCell] = {}  # grid column -> the cell a vertical merge continues
    for tr in tbl.iterchildren(qn("w:tr")):
        row: list[RawCell] = []
        column = 0
        for tc in tr.iterchildren(qn("w:tc")):
            span, merge = _spans(tc)
            if merge == "continue" and column in open_cells:
                open_cells[column].rowspan += 1
            else:
                cell = RawCell(text=_cell_text(tc), colspan=span)
                row.append(cell)
                if merge == "restart":
                    open_cells[column] = cell
                else:
                    open_cells.pop(column, None)
            column += span
        if row:
            rows.append(row)
    return rows


def _spans(tc: etree._Element) -> tuple[int, str | None]:
    properties = tc.find(qn("w:tcPr"))
    if properties is None:
        return 1, None
    grid_span = properties.find(qn("w:gridSpan"))
    value = grid_span.get(qn("w:val"), "1") if grid_span is not None else "1"
    span = int(value) if value.isdigit() else 1  # gridSpan="abc" in a damaged file: one column
    v_merge = properties.find(qn("w:vMerge"))
    merge = None if v_merge is None else (v_merge.get(qn("w:val")) or "continue")
    return max(1, span), merge


def _cell_text(tc: etree._Element) -> str:
    paragraphs = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iterchildren(qn("w:p"))]
    return "\n".join(paragraphs).strip()
