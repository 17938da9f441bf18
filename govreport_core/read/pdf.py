"""PDF: bytes -> RawDocument, with pdfplumber: text lines in reading order and ruled tables as grids.

Per page, ruled tables are found with pdfplumber's TableFinder; a "table" of one column is a page frame
drawn around the text, not data, and is read as text. Merged cells come back from pdfplumber as missing
positions, so each table's rowspans and colspans are rebuilt from the cells' bounding boxes. Text lines
outside the tables and the tables themselves are put in order by their position on the page, and every
block remembers its page (evidence carries the page number). Tables split across pages stay two grids;
the table parser joins their rows. A PDF without a text layer (a scan) is read by OCR (read/ocr.py).
"""

from __future__ import annotations

import io
import logging
import re
from bisect import bisect_left

import pdfplumber
from pdfplumber.table import Table

from ..model import RawBlock, RawCell, RawDocument, RawTable, ReportError

# pdfminer logs every odd font; a report's reader does not need that on the terminal.
logging.getLogger("pdfminer").setLevel(logging.ERROR)
_MIN_TEXT_CHARS = 20
_EDGE_TOLERANCE = 2.0  # points: cell edges closer than this are one grid line
_FOOTER = re.compile(r"^\s*[-—–]?\s*\d{1,3}\s*[-—–]?\s*$|^\s*第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?\s*$")
_HEADING_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、])")
_SENTENCE_END = ("。", "!", "?", "！", "？", ";", "；", ":", "：")
_WRAPPED_MIN = 15  # characters: shorter lines (titles, signatures, dates) end where they end


def read_pdf(data: bytes) -> RawDocument:
    try:
        return _read_pdf(data)
    except ReportError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on damaged files, often only when a page is read
        raise ReportError(f"The PDF cannot be read ({exc.__class__.__name__}: {exc}); it may be damaged.") from exc


def _read_pdf(data: bytes) -> RawDocument:
    pdf = pdfplumber.open(io.BytesIO(data))
    blocks: list[RawBlock] = []
    pages: list[int] = []
    chars = 0
    with pdf:
        for number, page in enumerate(pdf.pages, start=1):
            chars += len(page.chars)
            for block in _page_blocks(page):
                if isinstance(block, str) and _FOOTER.match(block):
                    continue  # "- 3 -": a page number, which would split a sentence running over the page
                if isinstance(block, str) and blocks and _continues(blocks[-1], block):
                    blocks[-1] = str(blocks[-1]) + block  # a wrapped line: Chinese joins without a space
                    continue
                blocks.append(block)
                pages.append(number)
        if chars < _MIN_TEXT_CHARS:  # a scan: its page images are read by OCR
            from .ocr import read_scanned_pdf

            return read_scanned_pdf(data)
    return RawDocument(blocks=blocks, format="pdf", block_pages=pages)


def _page_blocks(page: pdfplumber.page.Page) -> list[RawBlock]:
    tables = [t for t in page.find_tables() if _columns(t) >= 2]
    boxes = [t.bbox for t in tables]
    items: list[tuple[float, RawBlock]] = []
    for line in page.extract_text_lines(return_chars=False):
        middle = (line["top"] + line["bottom"]) / 2
        if any(x0 - 1 <= line["x0"] and line["x1"] <= x1 + 1 and top <= middle <= bottom
               for x0, top, x1, bottom in boxes):
            continue
        items.append((line["top"], line["text"]))
    for table in tables:
        grid = _raw_table(table)
        if grid:
            items.append((table.bbox[1], grid))
    items.sort(key=lambda item: item[0])
    return [block for _, block in items]


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


def _raw_table(table: Table) -> RawTable:
    """Rows of RawCells with spans rebuilt from each cell's box on the table's grid lines."""
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
        placed.setdefault(row, []).append((col, RawCell(text=text, rowspan=rowspan, colspan=colspan)))
    return [[cell for _, cell in sorted(placed[row], key=lambda item: item[0])] for row in sorted(placed)]
