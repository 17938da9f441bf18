"""PDF: bytes -> RawDocument, with pdfplumber: text lines in reading order and ruled tables as grids.

Per page, ruled tables are found with pdfplumber's TableFinder; a "table" of one column is a page frame
drawn around the text, not data, and is read as text. Merged cells come back from pdfplumber as missing
positions, so each table's rowspans and colspans are rebuilt from the cells' bounding boxes. Text lines
outside the tables (with their words' positions) and the tables are put in order by their position on the
page; `pdf_layout` then drops page furniture, joins tables continued across pages and rebuilds tables
without rules, so every table reaches the parser as one complete grid. Every block remembers its page
(evidence carries the page number). A PDF without a text layer (a scan) is read by OCR (read/ocr.py).
"""

from __future__ import annotations

import io
import logging
import re
from bisect import bisect_left

import pdfplumber
from pdfplumber.table import Table

from govreport_core.model import RawBlock, RawCell, RawDocument, RawTable, ReportError

from ..limits import check_pages, check_pdf_streams
from .pdf_layout import complete_tables
from .pdf_words import PAGE_NUMBER, Item, Line, PageGrid, fix_text, make_line

# pdfminer logs every odd font; a report's reader does not need that on the terminal.
logging.getLogger("pdfminer").setLevel(logging.ERROR)
_MIN_TEXT_CHARS = 20
_EDGE_TOLERANCE = 2.0  # points: cell edges closer than this are one grid line
_HEADING_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、])")
_SENTENCE_END = ("。", "!", "?", "！", "？", ";", "；", ":", "：")
_WRAPPED_MIN = 15  # characters: shorter lines (titles, signatures, dates) end where they end


def read_pdf(data: bytes) -> RawDocument:
    try:
        return _read_pdf(data)
    except ReportError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on damaged files, often only when a page is read
        if _password_protected(exc):
            raise ReportError("The PDF is password-protected; save an unprotected copy to read it.") from exc
        raise ReportError(f"The PDF cannot be read ({exc.__class__.__name__}: {exc}); it may be damaged.") from exc


def _password_protected(exc: BaseException | None) -> bool:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    while exc is not None:  # pdfplumber wraps pdfminer's errors, sometimes twice
        if isinstance(exc, (PDFPasswordIncorrect, PDFEncryptionError)) or isinstance(
                exc.args[0] if exc.args else None, (PDFPasswordIncorrect, PDFEncryptionError)):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _read_pdf(data: bytes) -> RawDocument:
    check_pdf_streams(data)  # expansion limits first: a 1.5 GB stream must never be inflated
    pdf = pdfplumber.open(io.BytesIO(data))
    blocks: list[RawBlock] = []
    pages: list[int] = []
    row_pages: list[list[int] | None] = []
    chars = 0
    with pdf:
        check_pages(len(pdf.pages))
        found: list[tuple[list[Item], float]] = []
        for number, page in enumerate(pdf.pages, start=1):
            chars += len(page.chars)
            found.append((_page_items(page, number), float(page.height)))
        if chars < _MIN_TEXT_CHARS:  # a scan: its page images are read by OCR
            from .ocr import read_scanned_pdf

            return read_scanned_pdf(data)
        items = complete_tables(found)
        right = _right_edges(items)
        previous: Item | None = None
        for item in items:
            block: RawBlock = item.text if isinstance(item, Line) else item.rows
            if isinstance(block, str) and PAGE_NUMBER.match(block):
                continue  # "- 3 -": a page number, which would split a sentence running over the page
            if isinstance(block, str) and blocks and _continues(blocks[-1], block) and _fills_width(previous, right):
                blocks[-1] = str(blocks[-1]) + block  # a wrapped line: Chinese joins without a space
                previous = item
                continue
            if block:
                blocks.append(block)
                pages.append(item.page)
                row_pages.append(item.row_pages if isinstance(item, PageGrid) else None)
                previous = item
    return RawDocument(blocks=blocks, format="pdf", block_pages=pages, row_pages=row_pages)


def _page_items(page: pdfplumber.page.Page, number: int) -> list[Item]:
    """The page's ruled grids and the text lines outside them, top to bottom."""
    tables = [t for t in page.find_tables() if _columns(t) >= 2]
    boxes = [t.bbox for t in tables]
    items: list[tuple[float, Item]] = []
    for line in page.extract_text_lines(return_chars=True):
        middle = (line["top"] + line["bottom"]) / 2
        if any(x0 - 1 <= line["x0"] and line["x1"] <= x1 + 1 and top <= middle <= bottom
               for x0, top, x1, bottom in boxes):
            continue
        items.append((line["top"], make_line(line["chars"], line["text"], number, line["top"])))
    for table in tables:
        grid, columns, starts = _raw_table(table)
        if grid:
            items.append((table.bbox[1], PageGrid(grid, columns, number, number, table.bbox[1], table.bbox[3], starts)))
    items.sort(key=lambda item: item[0])
    return [item for _, item in items]


def _right_edges(items: list[Item]) -> dict[int, float]:
    """Where the text body ends on the right, per page (furniture gone): a line the page width wrapped reaches it."""
    edges: dict[int, float] = {}
    for item in items:
        if isinstance(item, Line) and item.words:
            edges[item.page] = max(edges.get(item.page, 0.0), item.x1)
    return edges


def _fills_width(previous: Item | None, right: dict[int, float]) -> bool:
    """A line that stops well short of the right edge ends its paragraph (a title, a menu, a date line)."""
    if not isinstance(previous, Line) or not previous.words:
        return True
    height = max(w.bottom - w.y for w in previous.words)
    return previous.x1 >= right.get(previous.page, 0.0) - 2.5 * height


def _continues(previous: RawBlock, line: str) -> bool:
    """Does `line` continue the paragraph `previous` (a line the page width wrapped)?"""
    if not isinstance(previous, str) or len(previous) < _WRAPPED_MIN or previous.rstrip().endswith(_SENTENCE_END):
        return False
    return not _HEADING_START.match(line)


def _columns(table: Table) -> int:
    return max((len(row.cells) for row in table.rows), default=0)


def _lines(values: list[float]) -> list[float]:
    """Distinct grid lines from cell edges, merging edges that differ by a rounding error."""
    lines: list[float] = []
    for value in sorted(values):
        if not lines or value - lines[-1] > _EDGE_TOLERANCE:
            lines.append(value)
    return lines


def _index(lines: list[float], value: float) -> int:
    i = bisect_left(lines, value - _EDGE_TOLERANCE)
    return min(i, len(lines) - 1)


def _raw_table(table: Table) -> tuple[RawTable, list[float], list[list[int]]]:
    """Rows of RawCells with spans rebuilt from each cell's box on the table's grid lines; the column lines and
    the column each cell starts in."""
    texts = table.extract()
    cells = [(r, c, box) for r, row in enumerate(table.rows) for c, box in enumerate(row.cells) if box is not None]
    xs = _lines([v for _, _, box in cells for v in (box[0], box[2])])
    ys = _lines([v for _, _, box in cells for v in (box[1], box[3])])
    placed: dict[int, list[tuple[int, RawCell]]] = {}
    for r, c, (x0, top, x1, bottom) in cells:
        row, col = _index(ys, top), _index(xs, x0)
        rowspan = max(1, _index(ys, bottom) - row)
        colspan = max(1, _index(xs, x1) - col)
        text = (texts[r][c] or "") if r < len(texts) and c < len(texts[r]) else ""
        placed.setdefault(row, []).append((col, RawCell(text=fix_text(text), rowspan=rowspan, colspan=colspan)))
    ordered = [sorted(placed[row], key=lambda item: item[0]) for row in sorted(placed)]
    return [[cell for _, cell in row] for row in ordered], xs, [[col for col, _ in row] for row in ordered]
