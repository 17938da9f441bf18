"""Normalising: RawDocument -> Document, the one text every later stage matches on.

Each string is NFKC-normalised (full-width digits, brackets, colons and spaces become ASCII), converted
from traditional to simplified characters with OpenCC, and stripped of zero-width characters. Table
grids have their rowspans and colspans expanded; each grid row is laid out as one line of the text
("label | 1 | 2"), so every Cell knows its offsets and evidence can point at it. Numbers are not
rewritten in the text: `parse_number` turns a token (digits with separators, Chinese numerals, signs,
units) into a value at the point of use, so offsets stay true.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import cache

import cn2an
import opencc

from govreport_core.model import Cell, Document, Grid, RawDocument, RawTable

from . import limits

CELL_SEPARATOR = " | "
_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")
_TRAILING = re.compile(r"[ \t]+$", re.M)


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalise_text(text: str) -> str:
    """NFKC + 繁→简 + no zero-width characters; line breaks are kept."""
    text = unicodedata.normalize("NFKC", _ZERO_WIDTH.sub("", text))
    text = _converter().convert(text).replace("\r\n", "\n").replace("\r", "\n")
    return _TRAILING.sub("", text)


def build_document(raw: RawDocument) -> Document:
    """Normalise every string of the raw document in one pass and lay out text and grids."""
    strings: list[str] = []
    for block in raw.blocks:
        if isinstance(block, str):
            strings.append(block.replace("\n", " "))
        else:
            strings.extend(cell.text.replace("\n", " ") for row in block for cell in row)
    converted = normalise_text("\n".join(strings)).split("\n") if strings else []
    if len(converted) != len(strings):  # a conversion that changed line structure: fall back per string
        converted = [normalise_text(s) for s in strings]
    parts: list[str] = []
    grids: list[Grid] = []
    page_starts: list[tuple[int, int]] = []
    offset = 0
    index = 0
    for number, block in enumerate(raw.blocks):
        if raw.block_pages is not None and (not page_starts or page_starts[-1][1] != raw.block_pages[number]):
            page_starts.append((offset, raw.block_pages[number]))
        if isinstance(block, str):
            line = converted[index].strip() if raw.format == "html" else converted[index]
            index += 1
            parts.append(line + "\n")
            offset += len(line) + 1
            continue
        texts: list[list[str]] = []
        for row in block:
            texts.append([" ".join(text.split()) for text in converted[index:index + len(row)]])
            index += len(row)
        grid, text = _lay_out_grid(block, texts, offset)
        grids.append(grid)
        row_pages = raw.row_pages[number] if raw.row_pages is not None else None
        if row_pages:  # a PDF table continued on later pages: each row on the page it is printed on
            row_start = offset
            for line, page in zip(text.split("\n"), row_pages, strict=False):
                if page_starts[-1][1] != page:
                    page_starts.append((row_start, page))
                row_start += len(line) + 1
        parts.append(text)
        offset += len(text)
    title_hint = normalise_text(raw.title_hint) if raw.title_hint else None
    return Document(text="".join(parts), grids=grids, format=raw.format, encoding=raw.encoding,
                    title_hint=title_hint, page_starts=page_starts or None, findings=list(raw.findings),
                    ocr=raw.ocr)


def _lay_out_grid(table: RawTable, texts: list[list[str]], offset: int) -> tuple[Grid, str]:
    """Expand spans into a rectangular grid and write each row as one line starting at `offset`."""
    placed: dict[tuple[int, int], tuple[int, int]] = {}  # position -> origin (row, col)
    origin_text: dict[tuple[int, int], str] = {}
    # Spans are capped at the table's real extent: no rowspan beyond the last row, no colspan wider than
    # the widest row (each of its spans first capped at the most cells any row has); then the positions
    # spread are counted, so a hostile span is refused before it is expanded.
    most_cells = max((len(row) for row in table), default=0)
    widest = max((sum(min(cell.colspan, most_cells) for cell in row) for row in table), default=0)
    limit = limits.active().max_grid_cells
    spread = 0
    for r, row in enumerate(table):
        c = 0
        for i, raw_cell in enumerate(row):
            while (r, c) in placed:
                c += 1
            origin = (r, c)
            origin_text[origin] = texts[r][i]
            rowspan = max(1, min(raw_cell.rowspan, len(table) - r))
            colspan = max(1, min(raw_cell.colspan, widest))
            spread += rowspan * colspan
            if spread > limit:
                raise limits.grid_cells_error(spread)
            for dr in range(rowspan):
                for dc in range(colspan):
                    placed.setdefault((r + dr, c + dc), origin)
            c += colspan
    height = len(table)
    width = max((c for _, c in placed), default=-1) + 1
    if height * width > limit:
        raise limits.grid_cells_error(height * width)
    lines: list[str] = []
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    pos = offset
    for r in range(height):
        pieces: list[str] = []
        for c in range(width):
            origin = placed.get((r, c))
            if origin != (r, c):
                continue
            if pieces:
                pos += len(CELL_SEPARATOR)
            text = origin_text[origin]
            spans[origin] = (pos, pos + len(text))
            pieces.append(text)
            pos += len(text)
        lines.append(CELL_SEPARATOR.join(pieces) + "\n")
        pos += 1
    # Origins of rowspans that run past the last row still have their spans from their own row.
    rows = [[_cell(placed.get((r, c)), origin_text, spans) for c in range(width)] for r in range(height)]
    text = "".join(lines)
    return Grid(rows=rows, start=offset, end=offset + len(text)), text


def _cell(origin: tuple[int, int] | None, origin_text: dict, spans: dict) -> Cell:
    if origin is None or origin not in spans:
        return Cell(text="", start=0, end=0, origin=origin or (-1, -1))
    start, end = spans[origin]
    return Cell(text=origin_text[origin], start=start, end=end, origin=origin)


# --- numbers -------------------------------------------------------------------------------------

CN_DIGITS = "〇零一二两三四五六七八九十百千万亿"
_NUMBER = re.compile(
    r"^(?P<sign>[+\-−]|增加?|减少?|新增)?\s*"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[" + CN_DIGITS + r"]+)\s*"
    r"(?P<unit>万元|元|万|件次|人次|件|条|宗|起|次|篇|个|人|项|家|份|期)?$"
)


def parse_number(token: str) -> tuple[Decimal, str | None, bool] | None:
    """'1,234' -> (1234, None, False); '增9' -> (9, None, True); '251000元' -> (251000, '元', False).

    Returns (value, unit, signed) or None when the token is not one number. `signed` says the
    token carried a sign or 增/减, which only 本年增/减 cells and changes may have.
    """
    text = token.strip().replace(" ", "")
    match = _NUMBER.match(text)
    if not match:
        return None
    num = match.group("num").replace(",", "")
    try:
        value = Decimal(num) if num[0].isdigit() else Decimal(int(cn2an.cn2an(num, "smart")))
    except (InvalidOperation, ValueError, KeyError):
        return None
    sign = match.group("sign")
    if sign and (sign in "-−" or sign.startswith("减")):
        value = -value
    return value, match.group("unit"), bool(sign)


def to_wan(value: Decimal, unit: str | None, default_unit: str = "万元") -> Decimal:
    """Money in 万元: a value in 元 is divided by 10,000 exactly (Decimal)."""
    unit = unit or default_unit
    return value / Decimal(10000) if unit == "元" else value


def squash(text: str) -> str:
    """Label text without whitespace, for matching labels split by line breaks ("商业 企业")."""
    return "".join(text.split())
