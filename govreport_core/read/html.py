"""HTML: bytes -> RawDocument of paragraph lines and table grids (spans kept, expanded later).

lxml's HTML parser (libxml2, the parser BeautifulSoup's "lxml" builder wraps) builds the tree; we
walk lxml's elements directly because BeautifulSoup's Python-side tree costs ~30 µs per tag, 20+ ms
on an ordinary 50 KB report page, which alone would break the 100 reports/s budget.
Scripts, styles, forms and page chrome (nav, footer, aside, hidden elements) are dropped. Block
elements and <br> end a line. A <table> that holds no other table becomes a RawTable; a table that
wraps other tables is page layout, and its content is read as paragraphs so the data tables inside
it are found (old CMS templates do this).
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from ..model import RawBlock, RawCell, RawDocument, RawTable, ReportError
from .text import decode

_DROP = frozenset({"script", "style", "noscript", "template", "iframe", "nav", "footer", "aside", "form", "select",
                   "option", "button", "input", "textarea", "svg", "canvas", "object", "embed", "map", "head",
                   "title", "meta", "link"})
_BLOCK = frozenset({"p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6", "li",
                    "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "center", "address", "figure", "figcaption",
                    "tr", "td", "th", "caption", "hr", "body", "html", "tbody", "thead", "tfoot", "fieldset",
                    "table"})
_SPACE = re.compile(r"\s+")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)
_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title>", re.S | re.I)
_LEADING_DIGITS = re.compile(r"\s*(\d+)")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


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
    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", text))
    except (etree.ParserError, ValueError) as exc:
        raise ReportError(f"The HTML could not be parsed ({exc}).") from exc
    # Chrome goes in one C-level pass; a <br> becomes a line break in the text around it.
    etree.strip_elements(root, *_DROP, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    blocks: list[RawBlock] = []
    line: list[str] = []

    def flush() -> None:
        if line:
            joined = "".join(line).strip()
            if joined:
                blocks.append(joined)
            line.clear()

    def walk(element: etree._Element) -> None:
        if element.text:
            line.append(_SPACE.sub(" ", element.text))
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag and not _is_hidden(child):
                if tag == "br":
                    flush()
                elif tag == "table" and _has_no_inner_table(child):
                    flush()
                    table = _read_table(child)
                    if table:
                        blocks.append(table)
                elif tag in _BLOCK:
                    flush()
                    walk(child)
                    flush()
                else:
                    walk(child)
            if child.tail:
                if tag == "br":
                    flush()
                line.append(_SPACE.sub(" ", child.tail))

    walk(root)
    flush()
    return RawDocument(blocks=blocks, format="html", encoding=encoding, title_hint=title)


def _has_no_inner_table(table: etree._Element) -> bool:
    return not any(True for _ in table.iterdescendants("table"))


def _is_hidden(element: etree._Element) -> bool:
    style = element.get("style")
    return (style is not None and bool(_HIDDEN.search(style))) or element.get("hidden") is not None


def _span(element: etree._Element, name: str) -> int:
    raw = element.get(name)
    if raw is None:
        return 1
    digits = raw if raw.isdigit() else _LEADING_DIGITS.match(raw)
    value = int(digits) if isinstance(digits, str) else int(digits.group(1)) if digits else 1
    return max(1, min(value, 200))  # a rowspan of 9999 in a broken page must not build a huge grid


def _read_table(table: etree._Element) -> RawTable:
    rows: RawTable = []
    foot: RawTable = []  # HTML 4 puts <tfoot> before <tbody>; a browser shows it last, and so do we
    for tr in table.iter("tr"):
        cells = [RawCell(text=_cell_text(td), rowspan=_span(td, "rowspan"), colspan=_span(td, "colspan"))
                 for td in tr if td.tag in ("td", "th")]
        if cells:
            (foot if tr.getparent() is not None and tr.getparent().tag == "tfoot" else rows).append(cells)
    return rows + foot


def _cell_text(cell: etree._Element) -> str:
    return _SPACE.sub(" ", "".join(cell.itertext())).strip()
