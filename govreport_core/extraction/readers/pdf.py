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

import pdfplumber

from govreport_core.model import RawBlock, RawDocument, ReportError

from ..limits import check_pages, check_pdf_streams
from .pdf_layout import complete_tables
from .pdf_objects import PageObjects, open_document, page_objects
from .pdf_tables import clipped, find_tables, raw_table
from .pdf_words import PAGE_NUMBER, Item, Line, PageGrid, make_line

# pdfminer logs every odd font; a report's reader does not need that on the terminal.
logging.getLogger("pdfminer").setLevel(logging.ERROR)
_MIN_TEXT_CHARS = 20
_HEADING_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、])")
_SENTENCE_END = ("。", "!", "?", "！", "？", ";", "；", ":", "：")
_WRAPPED_MIN = 15  # characters: shorter lines (titles, signatures, dates) end where they end


def read_pdf(data: bytes, engine: str = "pdfium") -> RawDocument:
    """`engine`: "pdfium" (PDFium's objects, the reader's own) or "pdfminer" (pdfplumber's, the slow path
    kept to prove both read the same: tests/test_pdf_engines.py, `bench`)."""
    try:
        return _read_pdf(data, engine)
    except ReportError:
        raise
    except Exception as exc:  # parsers raise many kinds on damaged files, often only when a page is read
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


def _read_pdf(data: bytes, engine: str) -> RawDocument:
    check_pdf_streams(data)  # expansion limits first: a 1.5 GB stream must never be inflated
    found = _pages_pdfminer(data) if engine == "pdfminer" else _pages_pdfium(data)
    if found is None:  # a scan: its page images are read by OCR
        from .ocr import read_scanned_pdf

        return read_scanned_pdf(data)
    items = complete_tables(found)
    right = _right_edges(items)
    blocks: list[RawBlock] = []
    pages: list[int] = []
    row_pages: list[list[int] | None] = []
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


def _pages_pdfium(data: bytes) -> list[tuple[list[Item], float]] | None:
    """Per page, its items and height, from PDFium's objects; None for a scan (no text layer)."""
    document = open_document(data)
    try:
        check_pages(len(document))
        objects: list[PageObjects] = []
        for index in range(len(document)):
            page = document[index]
            try:
                objects.append(page_objects(page))
            finally:
                page.close()
    finally:
        document.close()
    if sum(len(page.chars) for page in objects) < _MIN_TEXT_CHARS:
        return None
    return [(_page_items(page, number), float(page.height)) for number, page in enumerate(objects, start=1)]


def _pages_pdfminer(data: bytes) -> list[tuple[list[Item], float]] | None:
    """The same from pdfminer's objects through pdfplumber (several times slower). Characters drawn twice at
    nearly one place (a bold face faked by a second print) are dropped, as PDFium drops them."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        check_pages(len(pdf.pages))
        pages = [page.dedupe_chars() for page in pdf.pages]
        found = [(_page_items(page, number), float(page.height)) for number, page in enumerate(pages, start=1)]
        if sum(len(page.chars) for page in pages) < _MIN_TEXT_CHARS:
            return None
    return found


def _page_items(page: pdfplumber.page.Page | PageObjects, number: int) -> list[Item]:
    """The page's ruled grids and the text lines outside them, top to bottom."""
    tables = find_tables(page)
    # a table cut by the page's right edge holds the text printed beyond it too
    boxes = [(t.bbox[0], t.bbox[1], float("inf") if clipped(t) else t.bbox[2], t.bbox[3]) for t in tables]
    items: list[tuple[float, Item]] = []
    for line in page.extract_text_lines(return_chars=True):
        middle = (line["top"] + line["bottom"]) / 2
        if any(x0 - 1 <= line["x0"] and line["x1"] <= x1 + 1 and top <= middle <= bottom
               for x0, top, x1, bottom in boxes):
            continue
        items.append((line["top"], make_line(line["chars"], line["text"], number, line["top"])))
    for table in tables:
        grid, columns, starts = raw_table(table)
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
