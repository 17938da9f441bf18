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
        glyphs = _Glyphs(text, view)
        chars: list[dict] = []
        last: tuple[int | None, Point] | None = None  # the last character kept: its text object and origin
        for i, char in enumerate(_page_text(text, pdfium.FPDFText_CountChars(text))):
            if char in _NOT_CHARS or (char.isspace() and pdfium.FPDFText_IsGenerated(text, i) == 1):
                continue  # only spaces and line ends are ever generated
            found = glyphs.box(i, char)
            if found is None:
                continue
            (x0, y0, x1, y1), upright = found
            if last == (glyphs.object, glyphs.origin) and chars:
                _join(chars[-1], char, x1 - x0)
            else:
                chars.append({"text": char, "x0": x0, "x1": x1, "top": y0, "bottom": y1, "doctop": y0,
                              "width": x1 - x0, "height": y1 - y0, "upright": upright})
            last = (glyphs.object, glyphs.origin)
        return chars
    finally:
        pdfium.FPDFText_ClosePage(text)


def _join(glyph: dict, char: str, advance: float) -> None:
    """One glyph PDFium gives as several characters (a ligature: "ﬁ" as "f", "i", each from the glyph's origin;
    the same glyph drawn twice at one origin PDFium gives once) is one character as pdfminer gives it, its text
    all of them, as wide as their advances (the next glyph starts there: no gap to take for a space)."""
    glyph["text"] += char
    if glyph["upright"]:
        glyph["x1"] += advance
        glyph["width"] = glyph["x1"] - glyph["x0"]


# Handles as integers: a glyph's text object and font are compared and cached by address.
_text_object = ctypes.cast(pdfium.FPDFText_GetTextObject, ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int))
_font_of = ctypes.cast(pdfium.FPDFTextObj_GetFont, ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p))
_char_origin = ctypes.cast(pdfium.FPDFText_GetCharOrigin, ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_double), ctypes.POINTER(ctypes.c_double)))
_glyph_width = ctypes.cast(pdfium.FPDFFont_GetGlyphWidth, ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.c_void_p, ctypes.c_uint, ctypes.c_float, ctypes.POINTER(ctypes.c_float)))


class _Glyphs:
    """Each character's box on one text page. A text object's glyphs share its matrix, font and size, read once
    per object; a font's advance widths and whether it writes vertically are read once per page."""

    def __init__(self, text: pdfium.FPDF_TEXTPAGE, view: _View) -> None:
        self.text, self.view = text, view
        self.turn = view.rotation % 2  # a page turned by 90° turns every glyph with it
        self.matrix, self.rect, self.x, self.y = pdfium.FS_MATRIX(), pdfium.FS_RECTF(), ctypes.c_double(), ctypes.c_double()
        self.at_x, self.at_y = ctypes.byref(self.x), ctypes.byref(self.y)
        self.handle = ctypes.cast(text, ctypes.c_void_p).value
        self.object: int | None = -1
        self.origin: Point = (0.0, 0.0)
        self.widths: dict[tuple[int, str, float], float | None] = {}
        self.vertical: dict[tuple[int, float], bool] = {}
        self.font, self.size, self.upright, self.plain = 0, 0.0, True, True

    def box(self, i: int, char: str) -> tuple[tuple[float, float, float, float], bool] | None:
        """(x0, top, x1, bottom) as displayed and whether the glyph stands upright, or None (no box)."""
        text, m = self.text, self.matrix
        obj = _text_object(self.handle, i)
        if obj != self.object:
            self.object = obj
            pdfium.FPDFText_GetMatrix(text, i, ctypes.byref(m))  # its e and f are the object's, not the glyph's
            self.size = pdfium.FPDFText_GetFontSize(text, i)
            self.font = (_font_of(obj) or 0) if obj else 0
            self.upright = m.b * m.c < 0 if self.turn else m.a * m.d > 0
            # PDFium's loose box runs along the page's x axis: right for glyphs not turned on the page
            self.plain = m.a > 0 and m.d > 0 and abs(m.b) < 1e-6 and abs(m.c) < 1e-6
        _char_origin(self.handle, i, self.at_x, self.at_y)
        origin = self.origin = (self.x.value, self.y.value)
        if self.plain and self._vertical(i):
            size = self.size * m.d
            return self.view.box(origin[0], origin[1], origin[0] + size, origin[1] + size), self.upright
        advance = self._advance(char)
        if self.plain and (advance is not None or pdfium.FPDFText_GetLooseCharBox(text, i, ctypes.byref(self.rect))):
            left, right = (self.rect.left, self.rect.right) if advance is None else (origin[0], origin[0] + advance * m.a)
            bottom = origin[1] + _EM_DESCENT * self.size * m.d
            return self.view.box(left, bottom, right, bottom + self.size * m.d), self.upright
        if not self.plain and advance is not None:
            (a, b, c, d), (e, f) = (m.a, m.b, m.c, m.d), origin
            low, high = _EM_DESCENT * self.size, (1 + _EM_DESCENT) * self.size
            corners = [(a * u + c * v + e, b * u + d * v + f) for u in (0.0, advance) for v in (low, high)]
            return self.view.bounds(corners), self.upright
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        if not pdfium.FPDFText_GetCharBox(text, i, *(ctypes.byref(v) for v in (left, right, bottom, top))):
            return None
        return self.view.box(left.value, bottom.value, right.value, top.value), self.upright

    def _advance(self, char: str) -> float | None:
        """The glyph's advance in text space from its font's widths (None if the font cannot map the character:
        PDFium's loose box then, which is wider where LibreOffice sets its text and the ink where PDFium cannot
        tell the font's ascent)."""
        key = (self.font, char, self.size)
        if key not in self.widths:
            width = ctypes.c_float()
            ok = self.font and _glyph_width(self.font, ord(char), self.size, ctypes.byref(width)) and width.value > 0
            self.widths[key] = width.value if ok else None
        return self.widths[key]

    def _vertical(self, i: int) -> bool:
        """Does the font write vertically? PDFium then moves the origin to the glyph's lower left corner and makes
        its loose box the unscaled font size wide (told apart where the text matrix scales the font)."""
        scale = self.matrix.d
        if abs(scale - 1) <= 0.01:
            return False
        key = (self.font, round(scale, 6))
        if key not in self.vertical:
            found = pdfium.FPDFText_GetLooseCharBox(self.text, i, ctypes.byref(self.rect))
            self.vertical[key] = bool(found) and abs(self.rect.right - self.rect.left - self.size) < 0.01
        return self.vertical[key]


def _page_text(text: pdfium.FPDF_TEXTPAGE, count: int) -> list[str]:
    """Each character index's text, read in one call (UTF-16: a character beyond the BMP takes two units and
    shifts the indices, so such a page is read character by character)."""
    buffer = ctypes.create_string_buffer(2 * (count + 1))
    written = pdfium.FPDFText_GetText(text, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    units = buffer.raw[: 2 * max(written - 1, 0)].decode("utf-16-le", "replace")
    if len(units) == count:
        return list(units)
    return [chr(c) if 0 < (c := pdfium.FPDFText_GetUnicode(text, i)) < 0x110000 else "\ufffe" for i in range(count)]


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


_segment = ctypes.cast(pdfium.FPDFPath_GetPathSegment, ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int))
_segment_type = ctypes.cast(pdfium.FPDFPathSegment_GetType, ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p))
_segment_close = ctypes.cast(pdfium.FPDFPathSegment_GetClose, ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p))
_segment_point = ctypes.cast(pdfium.FPDFPathSegment_GetPoint, ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(ctypes.c_float), ctypes.POINTER(ctypes.c_float)))
_OPERATORS = {pdfium.FPDF_SEGMENT_MOVETO: "m", pdfium.FPDF_SEGMENT_LINETO: "l"}


def _subpaths(obj: pdfium.FPDF_PAGEOBJECT, m: Matrix, view: _View) -> Iterator[tuple[str, list[Point]]]:
    """Each subpath as pdfminer records it: operators ("m", "l", "c", "h") and each one's end point,
    displayed. PDFium gives a Bézier as three points (two controls, the end) and a close as a flag.
    (Segments are read through handles as integers: a table's rules are thousands of them.)"""
    a, b, c, d, e, f = m
    x, y = ctypes.c_float(), ctypes.c_float()
    at_x, at_y = ctypes.byref(x), ctypes.byref(y)
    shape: list[str] = []
    points: list[Point] = []
    bezier = 0
    handle = ctypes.cast(obj, ctypes.c_void_p).value
    for i in range(pdfium.FPDFPath_CountSegments(obj)):
        segment = _segment(handle, i)
        kind = _segment_type(segment)
        if kind == pdfium.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier % 3:
                continue  # a control point
        if kind == pdfium.FPDF_SEGMENT_MOVETO and shape:
            yield "".join(shape), points
            shape, points = [], []
        _segment_point(segment, at_x, at_y)
        px, py = x.value, y.value
        points.append(view.point(a * px + c * py + e, b * px + d * py + f))
        shape.append(_OPERATORS.get(kind, "c"))
        if _segment_close(segment):
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
