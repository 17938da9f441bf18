"""Scanned PDFs (no text layer): page images -> RawDocument by OCR, laid out as the text-layer PDF reader does.

Per page, one at a time (the page image is freed before the next is rendered): rendered at DPI by pdfium and
turned level (`ocr_grid`); its ruled tables found from their lines, each cell cut out. Each cell is read
once, by the engine that reads it best (`ocr_engines`; README, "Scanned PDFs"): a short one-line cell (a
number, 总计, 其他) by RapidOCR's recogniser, which gives each character's probability; a long or wrapped
label by Tesseract, all such cells of the page stacked on one sheet. A number stands only when every
digit is certain (`MIN_SCORE`); otherwise the cell is left blank with an `ocr` finding. The rest of the page
(tables blanked) is Tesseract's text lines; a number in a word Tesseract is unsure of is read again by the
recogniser and kept only when it is certain, else blanked (□) with a finding.

The page's lines (words with positions) and grids (cells with their column lines), in points, go through the
same layout as a text-layer PDF (`pdf_layout.complete_tables`): furniture dropped, a table continued on the
next page joined (repeated header rows dropped, a row split by the break joined), tables without rules
rebuilt. Lines wrapped by the page width are joined into paragraphs. Blocks carry their page; the document
is marked `ocr`, and so is every figure's evidence.
"""

from __future__ import annotations

import re
from itertools import pairwise

import numpy as np
import pypdfium2

from govreport_core.model import Finding, RawBlock, RawCell, RawDocument, ReportError

from ..limits import note_scanned_pages
from . import ocr_engines
from .ocr_engines import CJK_SPACE, TessWord, joined, read_sheet, read_words, recognise
from .ocr_grid import Table, cell_crops, find_tables, level
from .pdf_layout import complete_tables
from .pdf_words import ALIGN, PAGE_NUMBER, PAGE_SPAN, Item, Line, PageGrid, Word

DPI = 200
MAX_PAGES = 60
MIN_SCORE = 0.9  # the recogniser's probability (0–1) of each character of a number, below which it is not trusted
MIN_PROSE_CONFIDENCE = 80.0  # Tesseract's word confidence (0–100) below which a number in the text is read again
_PT = 72 / DPI  # points per pixel
MIN_LABEL_CONFIDENCE = 80.0  # Tesseract's confidence in a label's word below which the recogniser reads it again
MIN_DIGITS_CONFIDENCE = 80.0  # Tesseract's digits model (0–100): below it the recogniser decides the cell
_LARGE = 1.25  # a line this many times the body's line height is a title or heading, read by the recogniser
_GUTTER = 0.9  # line heights: a gap this wide between Tesseract's words is a gutter, not a space in running text
_MAX_SHIFT = 20.0  # points: a page scanned this much further left or right than the one before is realigned
_CJK = re.compile(r"[\u3400-\u9fff]")
_DIGIT = re.compile(r"\d")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
# Short, at most two Chinese characters: maybe a number that the Chinese model misread (1 as 工).
_NUMBER_LIKE = re.compile(r"^(?!(?:.*[\u3400-\u9fff]){3}).{1,15}$")
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "〇": "0", "I": "1", "l": "1", "|": "1", "]": "1", "[": "1",
                                   "，": ",", "。": "."})
_HEADING_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、])")
_SENTENCE_END = ("。", "!", "?", "！", "？", ";", "；", ":", "：")


def read_scanned_pdf(data: bytes) -> RawDocument:
    """A PDF of page images -> RawDocument, by OCR; ReportError when an OCR engine is not installed."""
    tesseract = ocr_engines.tesseract()
    pdf = pypdfium2.PdfDocument(data)
    pages: list[tuple[list[Item], float]] = []
    findings: list[Finding] = []
    try:
        count = len(pdf)
        if count > MAX_PAGES:
            raise ReportError(f"The PDF is a scan of {count} pages; OCR reads at most {MAX_PAGES} pages "
                              "(about 2 s each), and annual reports are far shorter.")
        note_scanned_pages(count)
        for number in range(1, count + 1):
            page = pdf[number - 1]
            height = float(page.get_size()[1])
            bitmap = page.render(scale=DPI / 72, grayscale=True)
            pixels = level(np.array(bitmap.to_numpy(), dtype=np.uint8))
            bitmap.close()
            page.close()
            pages.append((_read_page(tesseract, pixels, number, findings), height))
            del pixels  # one page image at a time
    finally:
        pdf.close()
    _realign(pages)
    blocks, block_pages, row_pages = _blocks(complete_tables(pages))
    if not blocks:
        raise ReportError("The PDF has no text layer and OCR found no text in its pages.")
    return RawDocument(blocks=blocks, format="pdf", block_pages=block_pages, row_pages=row_pages,
                       findings=findings, ocr=True)


# --- one page -------------------------------------------------------------------------------------

def _read_page(tesseract: str, pixels: np.ndarray, page: int, findings: list[Finding]) -> list[Item]:
    """The page's grids and text lines, in points, top to bottom."""
    tables, clean = find_tables(pixels, DPI)
    items: list[Item] = _read_tables(tesseract, clean, tables, page, findings)
    for table in tables:  # the text outside the tables
        clean[max(0, table.top - 2):table.bottom + 3, max(0, int(table.xs[0]) - 2):int(table.xs[-1]) + 3] = 255
    items += _read_text(tesseract, clean, page, findings)
    return sorted(items, key=lambda item: item.top)


def _read_tables(tesseract: str, clean: np.ndarray, tables: list[Table], page: int,
                 findings: list[Finding]) -> list[Item]:
    """The page's tables as grids. Every cell is read by Tesseract's Chinese model (one sheet per page); a cell
    that may be a number (short, at most two Chinese characters) also by its digits model (one more sheet).
    A number stands when the two agree and the digits model is sure; where they differ, or Chinese read a
    lone character where a number may be (a lone 1 as 工), RapidOCR's recogniser decides, and a number it is
    not sure of is left out with a finding."""
    crops = [crop for table in tables for crop in cell_crops(clean, table)]
    present = [i for i, crop in enumerate(crops) if crop is not None]
    texts = [""] * len(crops)
    sheet = read_sheet(tesseract, [crops[i] for i in present])  # type: ignore[misc]
    for i, words in zip(present, sheet, strict=True):
        texts[i] = joined(words)
    _reread_labels(crops, texts, dict(zip(present, sheet, strict=True)))
    candidates = [i for i in present if _NUMBER_LIKE.match(texts[i])]
    digits = read_sheet(tesseract, [crops[i] for i in candidates], digits=True)  # type: ignore[misc]
    doubtful: list[tuple[int, str, str]] = []
    for i, words in zip(candidates, digits, strict=True):
        chinese = texts[i].replace(" ", "").translate(_DIGIT_LOOKALIKES)
        number = "".join(w.text for w in words)
        sure = bool(words) and min(w.confidence for w in words) >= MIN_DIGITS_CONFIDENCE
        if _NUMBER.match(chinese) and number == chinese and sure:
            texts[i] = number
        elif _NUMBER.match(chinese) or len(_CJK.findall(texts[i])) <= 1:
            doubtful.append((i, chinese, number))
    for (i, chinese, number), reading in zip(doubtful, recognise([crops[i] for i, _, _ in doubtful]),  # type: ignore[misc]
                                              strict=True):
        texts[i] = _decided(texts[i], chinese, number, reading, page, findings)
    grids: list[Item] = []
    cursor = 0
    for table in tables:
        rows: dict[int, list[tuple[int, RawCell]]] = {}
        for r, c, rowspan, colspan in table.cells:
            rows.setdefault(r, []).append((c, RawCell(text=texts[cursor], rowspan=rowspan, colspan=colspan)))
            cursor += 1
        ordered = [rows[r] for r in range(len(table.ys) - 1) if r in rows]
        grids.append(PageGrid([[cell for _, cell in row] for row in ordered], [x * _PT for x in table.xs], page,
                              page, table.ys[0] * _PT, table.ys[-1] * _PT, [[c for c, _ in row] for row in ordered]))
    return grids


def _reread_labels(crops: list[np.ndarray | None], texts: list[str], words: dict[int, list[TessWord]]) -> None:
    """Labels Tesseract is unsure of (予 read as 子, （七） as 蔬) read again by the recogniser, line by line on
    Tesseract's own lines: a row's label is what places its figures."""
    unsure = [i for i, found in words.items() if _CJK.search(texts[i]) and not _NUMBER_LIKE.match(texts[i])
              and min(w.confidence for w in found) < MIN_LABEL_CONFIDENCE]
    lines: list[tuple[int, np.ndarray]] = []
    for i in unsure:
        crop = crops[i]
        assert crop is not None
        grouped: dict[tuple[int, int, int], list[TessWord]] = {}
        for word in words[i]:
            grouped.setdefault(word.line, []).append(word)
        for line in grouped.values():
            left, top, right, bottom = _box(line)
            lines.append((i, crop[max(0, top - 4):bottom + 4, max(0, left - 4):right + 4]))
    read: dict[int, list[str]] = {}
    for (i, _), reading in zip(lines, recognise([line for _, line in lines]), strict=True):
        read.setdefault(i, []).append(reading.text)
    for i, parts in read.items():
        if all(parts):
            texts[i] = "".join(parts)


def _decided(text: str, chinese: str, number: str, reading: ocr_engines.Reading, page: int,
             findings: list[Finding]) -> str:
    """A cell Tesseract's two models did not agree on, as the recogniser reads it: its number when it is sure
    of every digit and one of Tesseract's readings says the same; a short label (其他) as read; else nothing."""
    if _NUMBER.match(reading.text) and reading.certainty >= MIN_SCORE and reading.text in (chinese, number):
        return reading.text
    if not _NUMBER.match(reading.text) and not _NUMBER.match(chinese) and (_CJK.search(reading.text) or
                                                                          not _DIGIT.search(reading.text)):
        return reading.text if reading.certainty >= MIN_SCORE else text  # a label, not a number
    findings.append(Finding("ocr", "warn", f"Page {page}: a table cell read as {reading.text or '?'!r} (certainty "
                                           f"{reading.certainty:.2f}), {chinese or '?'!r} and {number or '?'!r} "
                                           "was not trusted and is left out."))
    return ""


def _read_text(tesseract: str, pixels: np.ndarray, page: int, findings: list[Finding]) -> list[Item]:
    """The page outside its tables as lines of words (in points). Lines in a larger type than the body (titles,
    which name the report's body and year) are read again by the recogniser, and so are the words with a
    number that Tesseract is unsure of; an uncertain digit is blanked (□) with a finding."""
    if (pixels < 128).sum() < 12:
        return []
    lines: dict[tuple[int, int, int], list[TessWord]] = {}
    for word in read_words(tesseract, pixels, 3):
        lines.setdefault(word.line, []).append(word)
    grouped = list(lines.values())
    body = float(np.median([_box(line)[3] - _box(line)[1] for line in grouped])) if grouped else 0.0
    large = [line for line in grouped if _box(line)[3] - _box(line)[1] >= _LARGE * body]
    unsure = [w for line in grouped if line not in large for w in line
              if _DIGIT.search(w.text) and w.confidence < MIN_PROSE_CONFIDENCE]
    boxes = [_box(line) for line in large] + [_box([w]) for w in unsure]
    crops = [pixels[max(0, top - 6):bottom + 6, max(0, left - 6):right + 6] for left, top, right, bottom in boxes]
    readings = recognise(crops)
    out: list[Item] = []
    for line, reading in zip(large, readings, strict=False):
        left, top, right, bottom = _box(line)
        text = _certain_digits(reading, page, findings)
        if text:
            out.append(_line([TessWord(text, 100.0, left, top, right - left, bottom - top, line[0].line)], page))
    for word, reading in zip(unsure, readings[len(large):], strict=True):
        word.text = _certain_digits(reading, page, findings) if _DIGIT.search(reading.text) else \
            _certain_digits(ocr_engines.Reading(word.text, [0.0] * len(word.text)), page, findings)
    return out + [_line(line, page) for line in grouped if line not in large]


def _box(words: list[TessWord]) -> tuple[int, int, int, int]:
    """left, top, right, bottom of a line of Tesseract's words (top and bottom the median: a word's box can
    reach into the line above)."""
    top = int(np.median([w.top for w in words]))
    bottom = int(np.median([w.top + w.height for w in words]))
    return min(w.left for w in words), top, max(w.left + w.width for w in words), bottom


def _certain_digits(reading: ocr_engines.Reading, page: int, findings: list[Finding]) -> str:
    """The text read, each digit read with less than MIN_SCORE blanked (□) with a finding."""
    text = "".join("□" if c.isdigit() and p < MIN_SCORE else c
                   for c, p in zip(reading.text, reading.probabilities, strict=True))
    if "□" in text:
        findings.append(Finding("ocr", "warn", f"Page {page}: the number in {reading.text!r} was read with low "
                                               "confidence and is left out."))
    return text


def _line(words: list[TessWord], page: int) -> Line:
    """Tesseract's words of one line (in its reading order) as the PDF reader's Line: split into words only
    where the gap is as wide as a character, a gutter between cells (Tesseract's own words are cut at the
    narrow gaps around digits and punctuation of running text)."""
    height = float(np.median([w.height for w in words]))
    groups: list[list[TessWord]] = []
    for word in words:
        if groups and word.left - (groups[-1][-1].left + groups[-1][-1].width) < _GUTTER * height:
            groups[-1].append(word)
        else:
            groups.append([word])
    offset = page * PAGE_SPAN
    placed = []
    for group in groups:
        left, top, right, bottom = _box(group)
        placed.append(Word(CJK_SPACE.sub("", " ".join(w.text for w in group)), left * _PT, right * _PT,
                           offset + top * _PT, offset + bottom * _PT, page))
    return Line(CJK_SPACE.sub("", " ".join(w.text for w in placed)), placed, page, _box(words)[1] * _PT)


# --- the pages together ---------------------------------------------------------------------------

def _realign(pages: list[tuple[list[Item], float]]) -> None:
    """A sheet that went through the scanner a little left or right of the one before: when a page opens with
    a grid as wide as the one that closed the page before, shifted by a few points, the whole page is moved
    back by that much, so a table continued over the break lines up as it would in a text PDF."""
    for (before, _), (after, _) in pairwise(pages):
        last = next((item for item in reversed(before) if isinstance(item, PageGrid)), None)
        first = next((item for item in after if isinstance(item, PageGrid)), None)
        if last is None or first is None:
            continue
        shift = first.columns[0] - last.columns[0]
        same_width = abs((first.columns[-1] - first.columns[0]) - (last.columns[-1] - last.columns[0])) <= ALIGN
        if not same_width or abs(shift) <= ALIGN or abs(shift) > _MAX_SHIFT:
            continue
        for item in after:
            if isinstance(item, PageGrid):
                item.columns = [x - shift for x in item.columns]
            else:
                for word in item.words:
                    word.x0, word.x1 = word.x0 - shift, word.x1 - shift


def _blocks(items: list[Item]) -> tuple[list[RawBlock], list[int], list[list[int] | None]]:
    """Lines and grids as blocks with their pages; a line the page width wrapped joins the one before."""
    right: dict[int, float] = {}
    heights: dict[int, list[float]] = {}
    for item in items:
        if isinstance(item, Line) and item.words:
            right[item.page] = max(right.get(item.page, 0.0), item.x1)
            heights.setdefault(item.page, []).append(_height(item))
    # Where the body's lines end on the right, give or take 2.5 of its line heights (a title's are larger).
    ends = {page: edge - 2.5 * float(np.median(heights[page])) for page, edge in right.items()}
    blocks: list[RawBlock] = []
    pages: list[int] = []
    row_pages: list[list[int] | None] = []
    previous: Item | None = None
    for item in items:
        if isinstance(item, Line):
            if PAGE_NUMBER.match(item.text) or not item.text:
                continue  # "- 3 -": a page number, which would split a sentence running over the page
            if blocks and _continues(blocks[-1], item.text) and _fills_width(previous, ends):
                blocks[-1] = str(blocks[-1]) + item.text  # Chinese joins without a space
                previous = item
                continue
            blocks.append(item.text)
            pages.append(item.page)
            row_pages.append(None)
        elif item.rows:
            blocks.append(item.rows)
            pages.append(item.page)
            row_pages.append(item.row_pages)
        previous = item
    return blocks, pages, row_pages


def _height(line: Line) -> float:
    return float(np.median([w.bottom - w.y for w in line.words]))


def _fills_width(previous: Item | None, ends: dict[int, float]) -> bool:
    """A line that stops well short of the right edge ends its paragraph (a title, a heading, a date)."""
    return isinstance(previous, Line) and bool(previous.words) and previous.x1 >= ends.get(previous.page, 0.0)


def _continues(previous: RawBlock, line: str) -> bool:
    """Does `line` continue the paragraph `previous` (a line the page width wrapped)?"""
    if not isinstance(previous, str) or previous.rstrip().endswith(_SENTENCE_END):
        return False
    return not _HEADING_START.match(line)
