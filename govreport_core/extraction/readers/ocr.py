"""Scanned PDFs (no text layer): page images -> RawDocument by OCR, tables rebuilt from their ruled lines.

Two engines, each where it measured best (README, "Scanned PDFs"): Tesseract 5 with Debian's
`tesseract-ocr-chi-sim` reads the page text and the table's label cells (fast, good Chinese paragraphs
and layout); RapidOCR's recogniser (PP-OCR models shipped in the `rapidocr-onnxruntime` wheel, run
offline, no detection step) reads the cells that may hold a number. On the numeric cells of four real
report pages (372 cells) Tesseract alone misread 14 (a lone 1 as 工, 26 as 20); RapidOCR's recogniser
read all 372 right, and the two together left 2 out and put none wrong.

Per page (rendered at DPI by pdfium, which pdfplumber already brings, and turned level if the scan is
crooked by up to 3°):
1. Ruled lines: long runs of dark pixels, horizontal and vertical. Lines that touch form a table; its
   grid lines, and which cell borders are not drawn, give every cell with its rowspan and colspan.
2. Cells are cut out (the rules removed) and Tesseract reads them in one run over a sheet that stacks
   them, so neighbouring cells cannot run into each other. Cells that may be numbers are read again by
   RapidOCR; a number stands only when RapidOCR is sure of it and Tesseract read no other number,
   otherwise the cell is left blank with an `ocr` finding (a wrong figure is worse than a missing one).
3. The rest of the page (tables blanked out) is read as Tesseract's paragraphs; a number in it read
   with low confidence is blanked the same way, with a finding.
Blocks carry their page; the document is marked `ocr`, and so is every figure's evidence.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np
import pypdfium2
from PIL import Image

from govreport_core.model import Finding, RawBlock, RawCell, RawDocument, RawTable, ReportError

from .pdf_words import group_close

DPI = 200
MAX_PAGES = 60
MIN_SCORE = 0.9  # RapidOCR's certainty (0–1) below which a table number is not trusted
MIN_PROSE_CONFIDENCE = 80.0  # Tesseract's word confidence (0–100) below which a prose number is not trusted
INSTALL_HINT = ("install Tesseract with its Simplified Chinese model: "
                "`apt-get install tesseract-ocr tesseract-ocr-chi-sim` (Debian/Ubuntu)")
_LANG = "chi_sim"
_MIN_RULE = 0.25  # inch: a dark run this long is a ruled line (a character's stroke is much shorter)
_GAP = 24  # px between cells on the sheet read by Tesseract
_MIN_INK = 12  # dark pixels: fewer in a cell is specks, not text
_CJK = r"\u3400-\u9fff\u3000-\u303f\uff00-\uffef"
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
# Short, at most two Chinese characters: maybe a number that Tesseract misread (1 as 工), so read again.
_NUMBER_LIKE = re.compile(rf"^(?!(?:.*[{_CJK}]){{3}}).{{1,15}}$")
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "〇": "0", "I": "1", "l": "1", "|": "1", "]": "1", "[": "1",
                                   "，": ",", "。": "."})
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_HAS_DIGIT = re.compile(r"\d")
_FOOTER = re.compile(r"^\s*[-—–]?\s*\d{1,3}\s*[-—–]?\s*$|^\s*第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?\s*$")


@dataclass
class _Rule:
    at: float  # y of a horizontal rule, x of a vertical one
    start: int
    end: int


@dataclass
class _Table:
    top: int
    bottom: int
    xs: list[float]
    ys: list[float]
    cells: list[tuple[int, int, int, int]]  # row, col, rowspan, colspan on the grid lines


def read_scanned_pdf(data: bytes) -> RawDocument:
    """A PDF of page images -> RawDocument, by OCR; ReportError when an OCR engine is not installed."""
    pytesseract = _tesseract()
    blocks: list[RawBlock] = []
    pages: list[int] = []
    findings: list[Finding] = []
    pdf = pypdfium2.PdfDocument(data)
    count = len(pdf)
    if count > MAX_PAGES:
        pdf.close()
        raise ReportError(f"The PDF is a scan of {count} pages; OCR reads at most {MAX_PAGES} pages "
                          "(about 5 s each), and annual reports are far shorter.")
    try:
        for number in range(1, count + 1):
            image = _deskewed(pdf[number - 1].render(scale=DPI / 72, grayscale=True).to_pil().convert("L"))
            page_blocks, page_findings = _read_page(pytesseract, image, number)
            blocks += page_blocks
            pages += [number] * len(page_blocks)
            findings += page_findings
    finally:
        pdf.close()
    if not blocks:
        raise ReportError("The PDF has no text layer and OCR found no text in its pages.")
    return RawDocument(blocks=blocks, format="pdf", block_pages=pages, findings=findings, ocr=True)


def _tesseract() -> ModuleType:
    import pytesseract

    if shutil.which("tesseract") is None:
        raise ReportError(f"The PDF has no text layer (a scan); to read it by OCR, {INSTALL_HINT}.")
    if _LANG not in pytesseract.get_languages(config=""):
        raise ReportError(f"The PDF has no text layer (a scan) and Tesseract has no Chinese model; {INSTALL_HINT}.")
    if importlib.util.find_spec("rapidocr_onnxruntime") is None:
        raise ReportError("The PDF has no text layer (a scan); to read it by OCR, install the project's pinned "
                          "requirements (pip install -r requirements.txt: rapidocr-onnxruntime).")
    return pytesseract


def _read_page(pytesseract: ModuleType, image: Image.Image, page: int) -> tuple[list[RawBlock], list[Finding]]:
    pixels = np.asarray(image)
    dark = pixels < _threshold(pixels)
    length = int(_MIN_RULE * DPI)
    horizontal, vertical = _runs(dark, length), _runs(dark.T, length).T
    tables = _tables(_rules(horizontal), _rules(vertical.T))
    clean = pixels.copy()
    clean[horizontal | vertical] = 255  # rules removed: Tesseract reads text, not lines
    findings: list[Finding] = []
    items: list[tuple[float, RawBlock]] = []
    for table, grid in zip(tables, _read_tables(pytesseract, clean, tables, page, findings), strict=True):
        if grid:
            items.append((table.top, grid))
    prose = clean.copy()
    for table in tables:
        prose[max(0, table.top - 2):table.bottom + 3, max(0, int(table.xs[0]) - 2):int(table.xs[-1]) + 3] = 255
    items += _read_prose(pytesseract, prose, page, findings)
    items.sort(key=lambda item: item[0])
    return [block for _, block in items], findings


def _deskewed(image: Image.Image) -> Image.Image:
    """The page turned level: a scan fed crooked tilts every ruled line, and the rules must be level to be found.

    The angle (within ±3°, in 0.1° steps) is the one at which the rows of a small copy of the page are
    most unequal in ink: text lines and rules then fall into rows of their own."""
    small = image.resize((image.width // 4, image.height // 4))
    ink = Image.fromarray(((np.asarray(small) < 160) * 255).astype(np.uint8))
    best, best_spread = 0.0, -1.0
    for step in range(-30, 31):
        rows = np.asarray(ink.rotate(step / 10, resample=Image.Resampling.BILINEAR)).sum(axis=1, dtype=np.float64)
        spread = float(np.square(np.diff(rows)).sum())
        if spread > best_spread:
            best, best_spread = step / 10, spread
    if best == 0.0:
        return image
    return image.rotate(best, resample=Image.Resampling.BICUBIC, fillcolor=255)


def _threshold(pixels: np.ndarray) -> int:
    """Otsu's threshold of the page's grey levels (ink vs paper), at most 200 so paper tint stays paper."""
    histogram = np.bincount(pixels.ravel(), minlength=256).astype(float)
    weights = np.cumsum(histogram)
    means = np.cumsum(histogram * np.arange(256))
    total, mean = weights[-1], means[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mean * weights - total * means) ** 2 / (weights * (total - weights))
    if np.isnan(between[:-1]).all():
        return 128  # one grey level only (a blank page): nothing is ink
    return int(min(200, np.nanargmax(between[:-1]) + 1))


def _runs(dark: np.ndarray, length: int) -> np.ndarray:
    """The dark pixels that lie in a horizontal run of at least `length` dark pixels."""
    width = dark.shape[1]
    if width < length:
        return np.zeros_like(dark)
    sums = np.cumsum(np.pad(dark.astype(np.int32), ((0, 0), (1, 0))), axis=1)
    starts = (sums[:, length:] - sums[:, :-length]) == length  # a full run starts at each True
    # starts[x] count up to x, then "how many runs started in (x - length, x]" covers pixel x.
    counts = np.cumsum(np.pad(starts.astype(np.int32), ((0, 0), (1, length - 1))), axis=1)  # width + 1 columns
    before = np.pad(counts, ((0, 0), (length - 1, 0)))[:, :width]
    return (counts[:, 1:width + 1] - before) > 0


def _rules(mask: np.ndarray) -> list[_Rule]:
    """Horizontal rules of a run mask: bands of rows with dark runs, split where the runs break."""
    rows = np.flatnonzero(mask.any(axis=1))
    rules: list[_Rule] = []
    for band in np.split(rows, np.flatnonzero(np.diff(rows) > 2) + 1) if rows.size else []:
        columns = np.flatnonzero(mask[band[0]:band[-1] + 1].any(axis=0))
        for piece in np.split(columns, np.flatnonzero(np.diff(columns) > 6) + 1):
            rules.append(_Rule(float(band.mean()), int(piece[0]), int(piece[-1])))
    return rules


def _cluster(values: list[float], tolerance: float = 6.0) -> list[float]:
    """Ruling lines a few pixels apart (a thick or doubled rule) as one line at their mean position."""
    return [sum(group) / len(group) for group in group_close(values, tolerance)]


def _tables(horizontal: list[_Rule], vertical: list[_Rule]) -> list[_Table]:
    """Rules that cross or touch form one table; each becomes its grid of cells with spans."""
    rules = [("h", r) for r in horizontal] + [("v", r) for r in vertical]
    parent = list(range(len(rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    tol = 8
    for i, (kind_i, a) in enumerate(rules):
        if kind_i != "h":
            continue
        for j, (kind_j, b) in enumerate(rules):
            if kind_j == "v" and a.start - tol <= b.at <= a.end + tol and b.start - tol <= a.at <= b.end + tol:
                parent[find(i)] = find(j)
    groups: dict[int, list[tuple[str, _Rule]]] = {}
    for i, rule in enumerate(rules):
        groups.setdefault(find(i), []).append(rule)
    tables = []
    for group in groups.values():
        hs = [r for kind, r in group if kind == "h"]
        vs = [r for kind, r in group if kind == "v"]
        ys, xs = _cluster([r.at for r in hs]), _cluster([r.at for r in vs])
        if len(ys) >= 2 and len(xs) >= 3:  # one column is a frame around text, not a table
            tables.append(_Table(int(ys[0]), int(ys[-1]), xs, ys, _cells(xs, ys, hs, vs)))
    return sorted(tables, key=lambda t: t.top)


def _cells(xs: list[float], ys: list[float], hs: list[_Rule], vs: list[_Rule]) -> list[tuple[int, int, int, int]]:
    """Grid cells merged across every border that is not drawn: (row, col, rowspan, colspan)."""
    rows, cols = len(ys) - 1, len(xs) - 1

    def drawn(rules: list[_Rule], at: float, low: float, high: float) -> bool:
        middle = (low + high) / 2
        return any(abs(r.at - at) <= 6 and r.start - 4 <= middle <= r.end + 4 for r in rules)

    parent = list(range(rows * cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols and not drawn(vs, xs[c + 1], ys[r], ys[r + 1]):
                parent[find(r * cols + c)] = find(r * cols + c + 1)
            if r + 1 < rows and not drawn(hs, ys[r + 1], xs[c], xs[c + 1]):
                parent[find(r * cols + c)] = find((r + 1) * cols + c)
    boxes: dict[int, list[int]] = {}
    for r in range(rows):
        for c in range(cols):
            box = boxes.setdefault(find(r * cols + c), [r, c, r, c])
            box[2], box[3] = max(box[2], r), max(box[3], c)
    return sorted((r0, c0, r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in boxes.values())


def _read_tables(pytesseract: ModuleType, clean: np.ndarray, tables: list[_Table], page: int,
                 findings: list[Finding]) -> list[RawTable]:
    """Every cell of the page's tables, read in two Tesseract runs (words, then digits only)."""
    crops: list[np.ndarray | None] = []
    for table in tables:
        for r, c, rowspan, colspan in table.cells:
            top, bottom = int(table.ys[r]) + 4, int(table.ys[r + rowspan]) - 3
            left, right = int(table.xs[c]) + 4, int(table.xs[c + colspan]) - 3
            crop = clean[top:bottom, left:right] if bottom > top and right > left else None
            crops.append(_trim(crop) if crop is not None and (crop < 128).sum() >= _MIN_INK else None)
    texts = _read_sheet(pytesseract, crops, f"--psm 6 -l {_LANG}")
    # Cells that may hold a number (Tesseract reads a lone "1" as 工 or ]) are read again by RapidOCR's
    # recogniser; its number stands when it is sure of it and Tesseract read no other number.
    candidates = [i for i, (text, _) in enumerate(texts) if text and _NUMBER_LIKE.match(text)]
    for i, (value, score) in zip(candidates, _recognise([crops[i] for i in candidates]), strict=True):
        first = texts[i][0].replace(" ", "").translate(_DIGIT_LOOKALIKES)
        if not _NUMBER.match(value) and not _NUMBER.match(first):
            continue  # a short label (其他, 总计): Tesseract's text stays
        if _NUMBER.match(value) and score >= MIN_SCORE and (value == first or not _NUMBER.match(first)):
            texts[i] = (value, score)
        else:
            texts[i] = ("", 0.0)
            findings.append(Finding("ocr", "warn", f"Page {page}: a table cell read as {value or '?'!r} "
                                                   f"(certainty {score:.2f}) and as {first or '?'!r} was not "
                                                   "trusted and is left out."))
    grids: list[RawTable] = []
    cursor = 0
    for table in tables:
        rows: dict[int, list[RawCell]] = {}
        for r, _c, rowspan, colspan in table.cells:
            rows.setdefault(r, []).append(RawCell(text=texts[cursor][0], rowspan=rowspan, colspan=colspan))
            cursor += 1
        grids.append([rows[r] for r in range(len(table.ys) - 1) if r in rows])
    return grids


_RECOGNISER: list[Any] = []  # RapidOCR, loaded once per process (its models ship in the wheel)


def _recognise(crops: list[np.ndarray | None]) -> list[tuple[str, float]]:
    """RapidOCR's text recogniser (no detection: each crop is one cell) -> (text, certainty) per crop."""
    if not crops:
        return []
    if not _RECOGNISER:
        from rapidocr_onnxruntime import RapidOCR

        # One thread: the machine's other cores are for the other files being read.
        _RECOGNISER.append(RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1))
    images = [np.stack([crop] * 3, axis=-1) for crop in crops if crop is not None]
    results, _ = _RECOGNISER[0].text_rec(images)
    return [(text.replace(" ", ""), float(score)) for text, score in results]


def _trim(crop: np.ndarray) -> np.ndarray:
    """The crop cut to its ink with a white margin (Tesseract reads small text better with room)."""
    ink_rows, ink_cols = np.flatnonzero((crop < 128).any(axis=1)), np.flatnonzero((crop < 128).any(axis=0))
    inner = crop[ink_rows[0]:ink_rows[-1] + 1, ink_cols[0]:ink_cols[-1] + 1]
    return np.pad(inner, 10, constant_values=255)


def _read_sheet(pytesseract: ModuleType, crops: list[np.ndarray | None], config: str) -> list[tuple[str, float]]:
    """Read many crops in one Tesseract run: stacked on one sheet, each word mapped back to its crop."""
    placed = [(i, crop) for i, crop in enumerate(crops) if crop is not None]
    out: list[tuple[str, float]] = [("", 0.0)] * len(crops)
    if not placed:
        return out
    width = max(crop.shape[1] for _, crop in placed) + 2 * _GAP
    height = sum(crop.shape[0] + _GAP for _, crop in placed) + _GAP
    sheet = np.full((height, width), 255, dtype=np.uint8)
    spans: list[tuple[int, int, int]] = []  # (top, bottom, crop index)
    y = _GAP
    for i, crop in placed:
        sheet[y:y + crop.shape[0], _GAP:_GAP + crop.shape[1]] = crop
        spans.append((y, y + crop.shape[0], i))
        y += crop.shape[0] + _GAP
    data = pytesseract.image_to_data(Image.fromarray(sheet), config=config, output_type=pytesseract.Output.DICT)
    words: dict[int, list[tuple[int, int, str, float]]] = {}
    for text, conf, top, height_, left in zip(data["text"], data["conf"], data["top"], data["height"], data["left"],
                                              strict=True):
        if not text.strip():
            continue
        middle = top + height_ / 2
        for start, end, index in spans:
            if start - _GAP / 2 <= middle < end + _GAP / 2:
                words.setdefault(index, []).append((top, left, text, float(conf)))
                break
    for index, found in words.items():
        lines = _lines_of(found)
        text = _CJK_SPACE.sub("", " ".join(" ".join(w[2] for w in line) for line in lines)).strip()
        out[index] = (text, min(w[3] for w in found))
    return out


def _lines_of(words: list[tuple[int, int, str, float]]) -> list[list[tuple[int, int, str, float]]]:
    """Words (top, left, text, confidence) grouped into lines, top to bottom, each left to right."""
    lines: list[list[tuple[int, int, str, float]]] = []
    for word in sorted(words):
        if lines and abs(word[0] - lines[-1][0][0]) <= 12:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w[1]) for line in lines]


def _read_prose(pytesseract: ModuleType, pixels: np.ndarray, page: int,
                findings: list[Finding]) -> list[tuple[float, RawBlock]]:
    """The page outside its tables as paragraphs (Tesseract's own), each with its top edge."""
    if (pixels < 128).sum() < _MIN_INK:
        return []
    data = pytesseract.image_to_data(Image.fromarray(pixels), config=f"--psm 3 -l {_LANG}",
                                     output_type=pytesseract.Output.DICT)
    paragraphs: dict[tuple[int, int], list[tuple[int, int, int, str, float]]] = {}
    for text, conf, top, left, block, par, line in zip(data["text"], data["conf"], data["top"], data["left"],
                                                       data["block_num"], data["par_num"], data["line_num"],
                                                       strict=True):
        if text.strip():
            paragraphs.setdefault((block, par), []).append((line, top, left, text, float(conf)))
    items: list[tuple[float, RawBlock]] = []
    for words in paragraphs.values():
        words.sort(key=lambda w: (w[0], w[2]))
        if _FOOTER.match(_CJK_SPACE.sub("", " ".join(w[3] for w in words))):
            continue  # "- 3 -": a page number
        kept = []
        for _line, _top, _left, text, conf in words:
            if _HAS_DIGIT.search(text) and conf < MIN_PROSE_CONFIDENCE:
                findings.append(Finding("ocr", "warn", f"Page {page}: the number in {text!r} was read with low "
                                                       "confidence and is left out."))
                text = _HAS_DIGIT.sub("□", text)
            kept.append(text)
        joined = _CJK_SPACE.sub("", " ".join(kept)).strip()
        if joined:
            items.append((float(min(w[1] for w in words)), joined))
    return items
