"""HTML: bytes -> RawDocument of paragraph lines and table grids (spans kept, expanded later).

BeautifulSoup with the lxml builder (libxml2) builds the tree, and it builds only what the reader
uses: a SoupStrainer keeps the <body> (head, title, meta and their scripts are never built), and inside
it scripts, styles, forms, page chrome (nav, footer, aside) and hidden elements are skipped while the
parser streams, so a page heavy with site navigation costs little more than its report. Block
elements and <br> end a line. A <table> that holds no other table becomes a RawTable; a table that
wraps other tables is page layout, and its content is read as paragraphs so the data tables inside it
are found (old CMS templates do this). The walk is iterative: a page nested thousands of elements deep
is read, not cut off, and libxml2's size and depth limits are lifted (huge_tree; the file size limit
bounds the input). A parser error that still loses content becomes a finding; a page with more
elements than any report has is refused.
"""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup, NavigableString, SoupStrainer, Tag
from bs4.builder import LXMLTreeBuilder, ParserRejectedMarkup
from bs4.element import PreformattedString

from govreport_core.model import Finding, RawBlock, RawCell, RawDocument, RawTable, ReportError

from .text import decode

_DROP = frozenset({"script", "style", "noscript", "template", "iframe", "nav", "footer", "aside", "form", "select",
                   "option", "button", "input", "textarea", "svg", "canvas", "object", "embed", "map", "head",
                   "title", "meta", "link"})
_BLOCK = frozenset({"p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6", "li",
                    "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "center", "address", "figure", "figcaption",
                    "tr", "td", "th", "caption", "hr", "body", "html", "tbody", "thead", "tfoot", "fieldset",
                    "table"})
# Elements the reader looks at; every other one (span, font, a, b, o:p, ...) is only its text, so the soup
# does not build it: its strings go to its parent, still split where it started and ended.
_STRUCTURE = _BLOCK | {"br", "table", "tr", "td", "th"}
_SPACE = re.compile(r"\s+")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)
_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title>", re.S | re.I)
_LEADING_DIGITS = re.compile(r"\s*(\d+)")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_MAX_ELEMENTS = 500_000  # a long real report page has a few thousand; more is a hostile file
# libxml2's messages when a limit (depth, text size, memory) stops it reading the rest of a page.
_LIMIT_ERRORS = re.compile(r"excessive depth|huge|too (?:large|long|deep)|memory|limit", re.I)


class _ReaderBuilder(LXMLTreeBuilder):
    """lxml's events into the soup, building only what the reader uses.

    SoupStrainer filters only at the top level of the document, so the subtrees inside <body> that
    the reader drops (chrome, scripts, hidden elements) are skipped here, before bs4 even looks at
    their attributes; lxml reports every start with its end, so a depth counter finds where a skipped
    subtree ends. Inline elements (span, font, a, b, o:p: half the tags of a page pasted from Word) are
    not built either: their strings go to the parent, still split where they started and ended.
    Comments vanish and the text around them joins, as in the browser's text. A <br> leaves a newline
    after it (as lxml's tail), so the text of a table cell keeps the line break as a space."""

    def __init__(self) -> None:
        super().__init__(huge_tree=True)  # no depth or text-size cut-off; the file size limit bounds the input
        self._skipping = 0
        self._elements = 0
        self._inline: list[bool] = []  # per open element: True when it was not built

    def feed(self, markup: Any) -> None:
        self._skipping, self._elements, self._inline = 0, 0, []  # bs4 may feed a second try
        super().feed(markup)

    def start(self, tag: Any, attrs: Any, nsmap: Any = None) -> None:
        soup = self.soup
        if self._skipping:
            self._skipping += 1
            return
        if tag in _DROP or _is_hidden(attrs):
            soup.endData()
            self._skipping = 1
            return
        self._elements += 1
        if self._elements > _MAX_ELEMENTS:
            raise ReportError(f"The HTML page has more than {_MAX_ELEMENTS:,} elements; no report page is that "
                              "large, so it is not read.")
        inline = tag not in _STRUCTURE
        self._inline.append(inline)
        if inline:
            soup.endData()
        else:
            super().start(tag, attrs, nsmap or {})

    def end(self, tag: Any) -> None:
        if self._skipping:
            self._skipping -= 1
        elif self._inline and self._inline.pop():
            self.soup.endData()
        else:
            super().end(tag)
            if tag == "br":
                self.soup.handle_data("\n")

    def data(self, data: Any) -> None:
        if not self._skipping:
            super().data(data)

    def comment(self, text: Any) -> None:
        pass

    def pi(self, target: Any, data: Any) -> None:
        pass


def read_html(data: bytes) -> RawDocument:
    match = _META_CHARSET.search(data[:4096])
    text, encoding = None, None
    if match:
        declared = match.group(1).decode("ascii").lower()
        declared = "gb18030" if declared in ("gbk", "gb2312", "gb18030") else declared
        try:
            text, encoding = data.decode(declared), declared
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text, encoding = decode(data)
    return read_html_text(text, encoding)


def read_html_text(text: str, encoding: str | None) -> RawDocument:
    title_match = _TITLE_TAG.search(text)
    title = _SPACE.sub(" ", title_match.group(1)).strip() if title_match else None
    builder = _ReaderBuilder()
    try:
        soup = BeautifulSoup(_XML_DECLARATION.sub("", text), builder=builder, parse_only=SoupStrainer("body"))
    except ParserRejectedMarkup as exc:
        raise ReportError(f"The HTML could not be parsed ({exc}).") from exc
    findings = _limit_findings(builder)
    blocks: list[RawBlock] = []
    line: list[str] = []

    def flush() -> None:
        if line:
            joined = "".join(line).strip()
            if joined:
                blocks.append(joined)
            line.clear()

    # Depth-first, iteratively: a stack of child iterators; a block element flushes the line on entry
    # and again when its children are done (the None marker).
    stack: list[Any] = [iter(soup.contents)]
    while stack:
        child = next(stack[-1], StopIteration)
        if child is StopIteration:
            stack.pop()
            continue
        if child is None:
            flush()
        elif isinstance(child, NavigableString):
            if not isinstance(child, PreformattedString):  # comments, doctype, processing instructions
                line.append(_SPACE.sub(" ", child))
        elif child.name == "br":
            flush()
        elif child.name == "table" and child.find("table") is None:
            flush()
            table = _read_table(child)
            if table:
                blocks.append(table)
        elif child.name in _BLOCK:
            flush()
            stack.append(iter([*child.contents, None]))
        else:
            stack.append(iter(child.contents))
    flush()
    return RawDocument(blocks=blocks, format="html", encoding=encoding, title_hint=title, findings=findings)


def _limit_findings(builder: LXMLTreeBuilder) -> list[Finding]:
    """libxml2 limit errors (depth, text size) that cost content: said, never silent."""
    parser = getattr(builder, "parser", None)
    errors = [e.message for e in (parser.error_log if parser is not None else ()) if _LIMIT_ERRORS.search(e.message)]
    if not errors:
        return []
    return [Finding("reading", "warn", f"Part of the HTML page may not have been read: the parser stopped at a "
                                       f"limit ({errors[0].strip()}).")]


def _is_hidden(attrs: Any) -> bool:
    if not attrs:  # most tags; lxml's empty attribute mapping answers .get() slowly, through KeyError
        return False
    style = attrs.get("style")
    return (style is not None and bool(_HIDDEN.search(style))) or "hidden" in attrs


def _span(cell: Tag, name: str) -> int:
    raw = cell.get(name)
    if not isinstance(raw, str):
        return 1
    digits = raw if raw.isdigit() else _LEADING_DIGITS.match(raw)
    value = int(digits) if isinstance(digits, str) else int(digits.group(1)) if digits else 1
    return max(1, min(value, 200))  # a rowspan of 9999 in a broken page must not build a huge grid


def _read_table(table: Tag) -> RawTable:
    rows: RawTable = []
    foot: RawTable = []  # HTML 4 puts <tfoot> before <tbody>; a browser shows it last, and so do we
    for tr in table.find_all("tr"):
        cells = [RawCell(text=_cell_text(td), rowspan=_span(td, "rowspan"), colspan=_span(td, "colspan"))
                 for td in tr.children if isinstance(td, Tag) and td.name in ("td", "th")]
        if cells:
            (foot if tr.parent is not None and tr.parent.name == "tfoot" else rows).append(cells)
    return rows + foot


def _cell_text(cell: Tag) -> str:
    return _SPACE.sub(" ", "".join(s for s in cell.descendants
                                   if isinstance(s, NavigableString) and not isinstance(s, PreformattedString))).strip()
