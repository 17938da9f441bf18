"""Scan geometry: a page image -> the page turned level, its ruled tables as grids of cells, the cells' crops.

No recognition here (that is `ocr_engines`), only pixels, with numpy and OpenCV (the ocr extra's, RapidOCR's):
1. Level: a sheet fed crooked tilts every line; the angle (±3°, 0.1° steps) is the one at which the rows of
   the ink are most unequal (text lines and rules then fall into rows of their own), found on the ink's
   coordinates sheared by each angle (a bincount per angle, not a rotated image per angle).
2. Rules: dark runs at least `_MIN_RULE` long, horizontal and vertical (a morphological opening).
3. Tables: rules that cross or touch; the grid lines and the borders that are *not* drawn give every cell
   with its rowspan and colspan, as in an HTML grid. Only tables' rules are erased before reading: a long
   stroke of a large title's character is a run too, but it forms no table and must stay ink.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .pdf_words import group_close

_MIN_RULE = 0.25  # inch: a dark run this long may be a ruled line (body text's strokes are much shorter)
_MIN_TABLE_WIDTH = 1.5  # inch: rules crossing in a smaller box are a large character's strokes, not a table
_MAX_SKEW = 30  # tenths of a degree
_INK = 160  # grey level below which a pixel of the small copy counts as ink when levelling
MIN_INK = 12  # dark pixels: fewer in a cell is specks, not text
_OPEN_ROW = 20  # px: column rules running on this far past the last row rule hold a row cut by a page break
_MARGIN = 10  # px of white kept around a crop's ink (both engines read small text better with room)


@dataclass
class Rule:
    at: float  # y of a horizontal rule, x of a vertical one
    start: int
    end: int


@dataclass
class Table:
    top: int
    bottom: int
    xs: list[float]  # vertical grid lines, px
    ys: list[float]  # horizontal grid lines, px
    cells: list[tuple[int, int, int, int]]  # row, col, rowspan, colspan on the grid lines


def level(pixels: np.ndarray) -> np.ndarray:
    """The page turned level (grey uint8 in, grey uint8 out; the same array when it is level already)."""
    small = pixels[::4, ::4]
    ys, xs = np.nonzero(small < _INK)
    if ys.size < 100:
        return pixels
    best, best_spread = 0, -1.0
    for step in range(-_MAX_SKEW, _MAX_SKEW + 1):
        sheared = np.round(ys + xs * np.tan(np.radians(step / 10))).astype(np.int64)
        rows = np.bincount(sheared - sheared.min()).astype(np.float64)
        spread = float(np.square(np.diff(rows)).sum())
        if spread > best_spread:
            best, best_spread = step, spread
    if best == 0:
        return pixels
    import cv2  # OpenCV comes with the ocr extra (RapidOCR's); imported when a scan is read

    height, width = pixels.shape
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), -best / 10, 1.0)
    return cv2.warpAffine(pixels, turn, (width, height), flags=cv2.INTER_CUBIC, borderValue=255)


def threshold(pixels: np.ndarray) -> int:
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


def runs(dark: np.ndarray, length: int) -> np.ndarray:
    """The dark pixels that lie in a horizontal run of at least `length` dark pixels (an opening by a line)."""
    if dark.shape[1] < length:
        return np.zeros_like(dark)
    import cv2

    kernel = np.ones((1, length), np.uint8)
    return cv2.morphologyEx(dark.astype(np.uint8), cv2.MORPH_OPEN, kernel, borderValue=0).astype(bool)


def find_tables(pixels: np.ndarray, dpi: int) -> tuple[list[Table], np.ndarray]:
    """The page's ruled tables, and the page with their rules erased (white)."""
    dark = pixels < threshold(pixels)
    length = int(_MIN_RULE * dpi)
    horizontal, vertical = runs(dark, length), runs(dark.T, length).T
    tables = [t for t in tables_of(rules(horizontal), rules(vertical.T)) if t.xs[-1] - t.xs[0] >= _MIN_TABLE_WIDTH * dpi]
    clean = pixels.copy()
    lines = horizontal | vertical
    for table in tables:  # only the tables' rules: elsewhere a long run is a big character's stroke
        top, bottom = max(0, table.top - 8), table.bottom + 9
        left, right = max(0, int(table.xs[0]) - 8), int(table.xs[-1]) + 9
        clean[top:bottom, left:right][lines[top:bottom, left:right]] = 255
    return tables, clean


def rules(mask: np.ndarray) -> list[Rule]:
    """Horizontal rules of a run mask: bands of rows with dark runs, split where the runs break."""
    rows = np.flatnonzero(mask.any(axis=1))
    found: list[Rule] = []
    for band in np.split(rows, np.flatnonzero(np.diff(rows) > 2) + 1) if rows.size else []:
        columns = np.flatnonzero(mask[band[0]:band[-1] + 1].any(axis=0))
        for piece in np.split(columns, np.flatnonzero(np.diff(columns) > 6) + 1):
            found.append(Rule(float(band.mean()), int(piece[0]), int(piece[-1])))
    return found


def _cluster(values: list[float], tolerance: float = 6.0) -> list[float]:
    """Ruling lines a few pixels apart (a thick or doubled rule) as one line at their mean position."""
    return [sum(group) / len(group) for group in group_close(values, tolerance)]


def _union_find(size: int) -> tuple[list[int], Callable[[int], int]]:
    parent = list(range(size))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    return parent, find


def tables_of(horizontal: list[Rule], vertical: list[Rule]) -> list[Table]:
    """Rules that cross or touch form one table; each becomes its grid of cells with spans."""
    marked = [("h", r) for r in horizontal] + [("v", r) for r in vertical]
    parent, find = _union_find(len(marked))
    tol = 8
    for i, (kind_i, a) in enumerate(marked):
        if kind_i != "h":
            continue
        for j, (kind_j, b) in enumerate(marked):
            if kind_j == "v" and a.start - tol <= b.at <= a.end + tol and b.start - tol <= a.at <= b.end + tol:
                parent[find(i)] = find(j)
    groups: dict[int, list[tuple[str, Rule]]] = {}
    for i, rule in enumerate(marked):
        groups.setdefault(find(i), []).append(rule)
    tables = []
    for group in groups.values():
        hs = [r for kind, r in group if kind == "h"]
        vs = [r for kind, r in group if kind == "v"]
        ys, xs = _cluster([r.at for r in hs]), _cluster([r.at for r in vs])
        if len(ys) >= 2 and len(xs) >= 3:  # one column is a frame around text, not a table
            ys = _open_ends(ys, vs, len(xs))
            tables.append(Table(int(ys[0]), int(ys[-1]), xs, ys, _cells(xs, ys, hs, vs)))
    return sorted(tables, key=lambda t: t.top)


def _open_ends(ys: list[float], vs: list[Rule], columns: int) -> list[float]:
    """A table cut by a page break has no rule under its last row (or over its first): most of its column
    rules run on past the last horizontal one, and where they end is that row's edge."""
    below = [r.end for r in vs if r.end - ys[-1] > _OPEN_ROW]
    above = [r.start for r in vs if ys[0] - r.start > _OPEN_ROW]
    if 2 * len(below) >= columns:
        ys = [*ys, float(np.median(below))]
    if 2 * len(above) >= columns:
        ys = [float(np.median(above)), *ys]
    return ys


def _cells(xs: list[float], ys: list[float], hs: list[Rule], vs: list[Rule]) -> list[tuple[int, int, int, int]]:
    """Grid cells merged across every border that is not drawn: (row, col, rowspan, colspan)."""
    rows, cols = len(ys) - 1, len(xs) - 1

    def drawn(found: list[Rule], at: float, low: float, high: float) -> bool:
        middle = (low + high) / 2
        return any(abs(r.at - at) <= 6 and r.start - 4 <= middle <= r.end + 4 for r in found)

    parent, find = _union_find(rows * cols)
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


def cell_crops(clean: np.ndarray, table: Table) -> list[np.ndarray | None]:
    """Each cell's ink (rules erased), cut to its ink with a white margin; None for an empty cell."""
    crops: list[np.ndarray | None] = []
    for r, c, rowspan, colspan in table.cells:
        top, bottom = int(table.ys[r]) + 4, int(table.ys[r + rowspan]) - 3
        left, right = int(table.xs[c]) + 4, int(table.xs[c + colspan]) - 3
        crop = clean[top:bottom, left:right] if bottom > top and right > left else None
        crops.append(trim(crop) if crop is not None and (crop < 128).sum() >= MIN_INK else None)
    return crops


def trim(crop: np.ndarray) -> np.ndarray:
    """The crop cut to its ink with a white margin."""
    ink = crop < 128
    ink_rows, ink_cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    inner = crop[ink_rows[0]:ink_rows[-1] + 1, ink_cols[0]:ink_cols[-1] + 1]
    return np.pad(inner, _MARGIN, constant_values=255)

