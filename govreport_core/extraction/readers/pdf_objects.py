"""PDF objects from PDFium: each page's characters and painted paths, in the shape pdfplumber gives them.

pdfplumber lays text and tables out from the objects pdfminer finds by interpreting each page's content
stream in Python, which is nearly all of a PDF report's reading time. PDFium's C++ parser finds the same
objects about twenty times faster: every character with its box (the font's ascent to descent, the glyph's
advance: the box pdfminer gives) and every painted path with its points. Here they become the dicts
pdfplumber's own table finder and text-line builder read (`x0`, `x1`, `top`, `bottom` in points from the
page's top-left corner as displayed, a page's /Rotate applied), so the layout code after them is the same:
- characters: spaces PDFium adds where it guesses a gap (`IsGenerated`) are not in the page and are dropped;
  `upright` as pdfminer sets it (a glyph turned by 90° is not upright); a glyph PDFium has no loose box for
  (broken font metrics) keeps its tight box;
- paths, as pdfminer classifies them: one segment is a line, a closed axis-aligned four-sided path a rect,
  anything else a curve through its segments' end points (a Bézier's control points dropped), each subpath
  of a path on its own; paths inside form XObjects are read with the form's matrix.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator

import pypdfium2
import pypdfium2.raw as pdfium
from pdfplumber.container import Container
from pdfplumber.utils import chars_to_textmap

from govreport_core.model import ReportError

Point = tuple[float, float]
Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_NOT_CHARS = frozenset("\x00\ufffe\uffff")  # PDFium's marks for a glyph without a character
_EM_DESCENT = -0.12  # the ideographic em box of CJK fonts: -120 to 880 of 1000 units
_MAX_FORM_DEPTH = 16  # forms nested deeper than this are a loop or an attack, not a report's page
_LOAD_ERRORS = {pdfium.FPDF_ERR_FORMAT: "not a PDF, or its structure is broken",
                pdfium.FPDF_ERR_SECURITY: "an encryption it does not support", pdfium.FPDF_ERR_FILE: "file error"}


class PageObjects(Container):
    """One page as pdfplumber's table finder and text-line builder read it: a `Container` of characters,
    lines, rects and curves, with the two methods of pdfplumber's `Page` that the PDF reader calls."""

    def __init__(self, width: float, height: float, objects: dict[str, list[dict]]) -> None:
        self.width, self.height, self._page_objects = width, height, objects
        self.bbox = (0.0, 0.0, width, height)

    @property
    def objects(self) -> dict[str, list[dict]]:
        return self._page_objects

    def extract_text_lines(self, return_chars: bool = True) -> list[dict]:
        textmap = chars_to_textmap(self.chars, layout_bbox=self.bbox, layout_width=self.width,
                                   layout_height=self.height)
        return textmap.extract_text_lines(strip=True, return_chars=return_chars)


def open_document(data: bytes) -> pypdfium2.PdfDocument:
    """The document, or a ReportError with a sentence (damaged, password-protected)."""
    try:
        return pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        if exc.err_code == pdfium.FPDF_ERR_PASSWORD:
            raise ReportError("The PDF is password-protected; save an unprotected copy to read it.") from exc
        reason = _LOAD_ERRORS.get(exc.err_code or 0, "unknown error")
        raise ReportError(f"The PDF cannot be read (PDFium: {reason}); it may be damaged.") from exc


class _View:
    """User space -> the page as displayed: x from the media box's left, top from its top, /Rotate applied."""

    def __init__(self, page: pypdfium2.PdfPage) -> None:
        left, bottom, right, top = (ctypes.c_float() for _ in range(4))
        if not pdfium.FPDFPage_GetMediaBox(page.raw, *(ctypes.byref(v) for v in (left, bottom, right, top))):
            left.value, bottom.value = 0.0, 0.0
            right.value, top.value = page.get_width(), page.get_height()  # the default: no box, A4 or letter
        self.left, self.bottom = min(left.value, right.value), min(bottom.value, top.value)
        self.right, self.top = max(left.value, right.value), max(bottom.value, top.value)
        self.rotation = pdfium.FPDFPage_GetRotation(page.raw) % 4  # quarter turns clockwise
        width, height = self.right - self.left, self.top - self.bottom
        self.width, self.height = (height, width) if self.rotation % 2 else (width, height)

    def point(self, x: float, y: float) -> Point:
        if self.rotation == 0:
            return x - self.left, self.top - y
        if self.rotation == 1:
            return y - self.bottom, x - self.left
        if self.rotation == 2:
            return self.right - x, y - self.bottom
        return self.top - y, self.right - x

    def bounds(self, points: list[Point]) -> tuple[float, float, float, float]:
        """(x0, top, x1, bottom) as displayed of the box around user-space points."""
        shown = [self.point(x, y) for x, y in points]
        return min(p[0] for p in shown), min(p[1] for p in shown), max(p[0] for p in shown), max(p[1] for p in shown)

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        """(x0, top, x1, bottom) as displayed of a user-space box."""
        (xa, ya), (xb, yb) = self.point(left, bottom), self.point(right, top)
        return min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb)


def page_objects(page: pypdfium2.PdfPage) -> PageObjects:
    view = _View(page)
    objects: dict[str, list[dict]] = {"char": _chars(page, view)}
    for kind, obj in _paths(page, view):
        # pdfminer's y0/y1 count up from the page's foot; pdfplumber's rect edges carry them
        obj.update(object_type=kind, y0=view.height - obj["bottom"], y1=view.height - obj["top"])
        objects.setdefault(kind, []).append(obj)
    return PageObjects(view.width, view.height, objects)


def _chars(page: pypdfium2.PdfPage, view: _View) -> list[dict]:
    text = pdfium.FPDFText_LoadPage(page.raw)
    try:
        count = pdfium.FPDFText_CountChars(text)
        rect, matrix = pdfium.FS_RECTF(), pdfium.FS_MATRIX()
        rect_ref, matrix_ref = ctypes.byref(rect), ctypes.byref(matrix)
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        tight = tuple(ctypes.byref(v) for v in (left, right, bottom, top))
        x, y = ctypes.c_double(), ctypes.c_double()
        x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
        get_matrix, get_loose, get_size, get_origin = pdfium.FPDFText_GetMatrix, pdfium.FPDFText_GetLooseCharBox, \
            pdfium.FPDFText_GetFontSize, pdfium.FPDFText_GetCharOrigin
        turn = view.rotation % 2  # a page turned by 90° turns every glyph with it
        chars = []
        for i, char in enumerate(_page_text(text, count)):
            if char in _NOT_CHARS or (char.isspace() and pdfium.FPDFText_IsGenerated(text, i) == 1):
                continue  # only spaces and line ends are ever generated
            get_matrix(text, i, matrix_ref)  # its e and f are the text object's, not the glyph's origin
            get_origin(text, i, x_ref, y_ref)
            upright = matrix.b * matrix.c < 0 if turn else matrix.a * matrix.d > 0
            # PDFium's loose box runs along the page's x axis: right for glyphs not turned on the page
            plain = matrix.a > 0 and matrix.d > 0 and abs(matrix.b) < 1e-6 and abs(matrix.c) < 1e-6
            if plain and get_loose(text, i, rect_ref):
                size = get_size(text, i)
                x0, y0, x1, y1 = view.box(*_upright_box(rect, x.value, y.value, size, matrix.d,
                                                        _advance(text, i, char, size)))
            elif (corners := _turned_corners(text, i, char, matrix, (x.value, y.value))) is not None:
                x0, y0, x1, y1 = view.bounds(corners)
            elif pdfium.FPDFText_GetCharBox(text, i, *tight):
                x0, y0, x1, y1 = view.box(left.value, bottom.value, right.value, top.value)
            else:
                continue
            chars.append({"text": char, "x0": x0, "x1": x1, "top": y0, "bottom": y1, "doctop": y0,
                          "width": x1 - x0, "height": y1 - y0, "upright": upright})
        return chars
    finally:
        pdfium.FPDFText_ClosePage(text)


def _page_text(text: pdfium.FPDF_TEXTPAGE, count: int) -> list[str]:
    """Each character index's text, read in one call (UTF-16: a character beyond the BMP takes two units and
    shifts the indices, so such a page is read character by character)."""
    buffer = ctypes.create_string_buffer(2 * (count + 1))
    written = pdfium.FPDFText_GetText(text, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    units = buffer.raw[: 2 * max(written - 1, 0)].decode("utf-16-le", "replace")
    if len(units) == count:
        return list(units)
    return [chr(c) if 0 < (c := pdfium.FPDFText_GetUnicode(text, i)) < 0x110000 else "\ufffe" for i in range(count)]


def _upright_box(rect: pdfium.FS_RECTF, x: float, y: float, font_size: float, scale: float,
                 advance: float | None) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) in user space of a glyph not turned on the page, boxed as pdfminer boxes it:
    from its origin (x, y) its `advance` across (text space, from the font's widths: PDFium's loose box is
    wider where LibreOffice sets its text, and is the ink where PDFium cannot tell the font's ascent) and one
    font size high. The height starts at the ideographic em box's descent rather than at each font's own
    (which PDFium takes from the font program when the PDF's descriptor says 0, as LibreOffice's do, and which
    differs between two subsets of one font), so glyphs on one baseline share a top. A font that writes
    vertically moves the origin to the glyph's lower left corner and makes PDFium's loose box the unscaled
    font size wide: the box is then one size square from the origin, as pdfminer's with the default vertical
    metrics."""
    size = font_size * scale
    if abs(scale - 1) > 0.01 and abs(rect.right - rect.left - font_size) < 0.01:
        return x, y, x + size, y + size
    left, right = (rect.left, rect.right) if advance is None else (x, x + advance * scale)
    bottom = y + _EM_DESCENT * size
    return left, bottom, right, bottom + size


def _advance(text: pdfium.FPDF_TEXTPAGE, i: int, char: str, size: float) -> float | None:
    """The glyph's advance in text space from its font's widths (None if the font cannot map the character)."""
    width = ctypes.c_float()
    font = pdfium.FPDFTextObj_GetFont(pdfium.FPDFText_GetTextObject(text, i))
    if not font or not pdfium.FPDFFont_GetGlyphWidth(font, ord(char), size, ctypes.byref(width)) or width.value <= 0:
        return None
    return width.value


def _turned_corners(text: pdfium.FPDF_TEXTPAGE, i: int, char: str, matrix: pdfium.FS_MATRIX,
                    origin: Point) -> list[Point] | None:
    """The user-space corners of a glyph turned on the page (text set sideways, often on a page whose /Rotate
    turns it back): its advance by one font size from the em box's descent, through the glyph's matrix. PDFium's
    loose box cannot be used (it runs along the page's x axis) nor its tight box (the ink: narrower than the
    advance, so the gaps between characters look like gaps between words)."""
    size = pdfium.FPDFText_GetFontSize(text, i)
    advance = _advance(text, i, char, size)
    if advance is None:
        return None
    (a, b, c, d), (e, f) = (matrix.a, matrix.b, matrix.c, matrix.d), origin
    low, high = _EM_DESCENT * size, (1 + _EM_DESCENT) * size
    return [(a * u + c * v + e, b * u + d * v + f) for u in (0.0, advance) for v in (low, high)]


def _paths(page: pypdfium2.PdfPage, view: _View) -> Iterator[tuple[str, dict]]:
    count = pdfium.FPDFPage_CountObjects(page.raw)
    yield from _objects((pdfium.FPDFPage_GetObject(page.raw, i) for i in range(count)), _IDENTITY, view, 0)


def _objects(objects: Iterator[pdfium.FPDF_PAGEOBJECT], outer: Matrix, view: _View, depth: int) -> Iterator[tuple[str, dict]]:
    matrix = pdfium.FS_MATRIX()
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    for obj in objects:
        kind = pdfium.FPDFPageObj_GetType(obj)
        if kind not in (pdfium.FPDF_PAGEOBJ_PATH, pdfium.FPDF_PAGEOBJ_FORM):
            continue
        if not pdfium.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix)):
            continue
        m = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
        if kind == pdfium.FPDF_PAGEOBJ_FORM:
            if depth < _MAX_FORM_DEPTH:
                inner = (pdfium.FPDFFormObj_GetObject(obj, i) for i in range(pdfium.FPDFFormObj_CountObjects(obj)))
                yield from _objects(inner, m, view, depth + 1)
            continue
        if not pdfium.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)) \
                or (fill.value == 0 and not stroke.value):
            continue  # a path neither filled nor stroked is not painted
        for shape, points in _subpaths(obj, m, view):
            item = _classify(shape, points)
            if item is not None:
                yield item


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix applying `inner`, then `outer`."""
    a, b, c, d, e, f = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _subpaths(obj: pdfium.FPDF_PAGEOBJECT, m: Matrix, view: _View) -> Iterator[tuple[str, list[Point]]]:
    """Each subpath as pdfminer records it: operators ("m", "l", "c", "h") and each one's end point,
    displayed. PDFium gives a Bézier as three points (two controls, the end) and a close as a flag."""
    a, b, c, d, e, f = m
    x, y = ctypes.c_float(), ctypes.c_float()
    shape: list[str] = []
    points: list[Point] = []
    bezier = 0
    for i in range(pdfium.FPDFPath_CountSegments(obj)):
        segment = pdfium.FPDFPath_GetPathSegment(obj, i)
        kind = pdfium.FPDFPathSegment_GetType(segment)
        if kind == pdfium.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier % 3:
                continue  # a control point
        if kind == pdfium.FPDF_SEGMENT_MOVETO and shape:
            yield "".join(shape), points
            shape, points = [], []
        pdfium.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
        point = view.point(a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        shape.append({pdfium.FPDF_SEGMENT_MOVETO: "m", pdfium.FPDF_SEGMENT_LINETO: "l"}.get(kind, "c"))
        points.append(point)
        if pdfium.FPDFPathSegment_GetClose(segment) and points:
            shape.append("h")
            points.append(points[0])
    if shape:
        yield "".join(shape), points


def _classify(shape: str, pts: list[Point]) -> tuple[str, dict] | None:
    """pdfminer's reading of a subpath (converter.paint_path): a line, a rect or a curve."""
    if not shape.startswith("m"):
        return None
    if len(shape) > 3 and shape.endswith("lh") and pts[-2] == pts[0]:
        shape, pts = shape[:-2] + "h", pts[:-2] + pts[-1:]  # a redundant "l" back to the start
    if shape in ("ml", "mlh"):
        return "line", _box(pts[:2])
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), last = pts
        if last == pts[0] and ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0)
                               or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)):
            return "rect", _box([pts[0], pts[2]])
    return "curve", {**_box(pts), "pts": pts}


def _box(points: list[Point]) -> dict:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top, "width": x1 - x0,
            "height": bottom - top}
