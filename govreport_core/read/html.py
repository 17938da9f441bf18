"""HTML: bytes -> RawDocument of paragraph lines and table grids (spans kept, expanded later).

BeautifulSoup with lxml builds the tree. Scripts, styles, forms and page chrome (nav, footer,
aside, hidden elements) are dropped. Block elements end a line, <br> ends a line. A <table> that
holds no other table becomes a RawTable; a table that wraps other tables is page layout, and its
content is read as paragraphs so the data tables inside it are found (old CMS templates do this).
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, CData, NavigableString, Tag

from ..model import RawBlock, RawCell, RawDocument, RawTable
from .text import decode

_DROP = frozenset({"script", "style", "noscript", "template", "iframe", "nav", "footer", "aside", "form", "select",
                   "option", "button", "input", "textarea", "svg", "canvas", "object", "embed", "map", "head"})
_BLOCK = frozenset({"p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6", "li",
                    "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "center", "address", "figure", "figcaption",
                    "tr", "td", "th", "caption", "hr", "body", "html", "tbody", "thead", "tfoot", "fieldset"})
_SPACE = re.compile(r"\s+")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


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
    soup = BeautifulSoup(text, "lxml")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    blocks: list[RawBlock] = []
    line: list[str] = []

    def flush() -> None:
        if line:
            joined = "".join(line).strip()
            if joined:
                blocks.append(joined)
            line.clear()

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                # Comments, doctypes and processing instructions are NavigableString subclasses.
                if type(child) is NavigableString or isinstance(child, CData):
                    line.append(_SPACE.sub(" ", str(child)))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name in _DROP or _is_hidden(child):
                continue
            if name == "br":
                flush()
            elif name == "table" and child.find("table") is None:
                flush()
                table = _read_table(child)
                if table:
                    blocks.append(table)
            elif name in _BLOCK or name == "table":
                flush()
                walk(child)
                flush()
            else:
                walk(child)

    walk(soup)
    flush()
    return RawDocument(blocks=blocks, format="html", encoding=encoding, title_hint=title)


def _is_hidden(tag: Tag) -> bool:
    style = tag.get("style")
    return bool(style) and bool(_HIDDEN.search(str(style))) or tag.has_attr("hidden")


def _span(tag: Tag, name: str) -> int:
    raw = str(tag.get(name) or "1")
    digits = re.match(r"\s*(\d+)", raw)
    return max(1, min(int(digits.group(1)), 200)) if digits else 1


def _read_table(table: Tag) -> RawTable:
    rows: RawTable = []
    for tr in table.find_all("tr"):
        cells = [RawCell(text=_cell_text(td), rowspan=_span(td, "rowspan"), colspan=_span(td, "colspan"))
                 for td in tr.find_all(("td", "th"), recursive=False)]
        if cells:
            rows.append(cells)
    return rows


def _cell_text(cell: Tag) -> str:
    for hidden in cell.find_all(_DROP):
        hidden.decompose()
    return _SPACE.sub(" ", cell.get_text(" ")).strip()
