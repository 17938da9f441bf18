"""Reading: bytes of a report file -> RawDocument (paragraph blocks and table grids).

One entry point, `read_report(data, name)`, picks a reader by the file's extension and, when the
name says nothing, by sniffing the bytes. Readers for HTML and text live beside this module; PDF and
DOCX plug into `READERS` the same way, and legacy .doc/.wps go through LibreOffice to the DOCX reader.
Unreadable input raises ReportError with a sentence for the user: empty files, binaries, files over
the size limit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import PurePath

from govreport_core.model import RawDocument, ReportError, Source

from ..limits import MB, too_big_message
from ..names import printable_name
from .docx import read_docx
from .html import read_html, read_html_text
from .office_convert import read_office
from .pdf import read_pdf
from .text import check_not_binary, decode, decode_text, looks_like_html, text_document

DEFAULT_MAX_BYTES = 50 * MB  # decimal, as every size the project states (budget.py)


def read_text(data: bytes) -> RawDocument:
    """Text and Markdown; a .txt that is really an HTML page (saved from a browser) is read as HTML."""
    text, encoding = decode(data)
    check_not_binary(text)
    return read_html_text(text, encoding) if looks_like_html(text) else text_document(text, encoding)


Reader = Callable[[bytes], RawDocument]
READERS: dict[str, Reader] = {"html": read_html, "txt": read_text, "md": read_text, "pdf": read_pdf,
                              "docx": read_docx, "doc": lambda data: read_office(data, "doc"),
                              "wps": lambda data: read_office(data, "wps")}
EXTENSIONS: dict[str, str] = {".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html",
                              ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
                              ".pdf": "pdf", ".docx": "docx", ".doc": "doc", ".wps": "wps"}

# Magic numbers of binaries that are not reports we can read (FORMATS §6 has no such layouts).
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "pdf"), (b"PK\x03\x04", "zip"), (b"\xd0\xcf\x11\xe0", "doc"), (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"), (b"GIF8", "gif"), (b"\x1f\x8b", "gzip"), (b"Rar!", "rar"), (b"7z\xbc\xaf", "7z"),
)


def sniff_format(data: bytes, name: str | None) -> str:
    """The format named by the extension, else guessed from the bytes."""
    suffix = PurePath(name).suffix.lower() if name else ""
    magic = next((fmt for sig, fmt in _MAGIC if data.startswith(sig)), None)
    if magic == "pdf" or (magic == "zip" and suffix == ".docx"):
        return "pdf" if magic == "pdf" else "docx"
    if magic == "doc" and suffix == ".wps":
        return "wps"  # Kingsoft WPS Writer: an OLE file like Word 97's
    if magic is not None:
        return magic
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    head = decode_text(data[:4096], probe=True).lstrip().lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head or "<table" in head:
        return "html"
    return "txt"


def make_source(data: bytes, name: str, fmt: str, encoding: str | None = None) -> Source:
    """The file's record; its name in the printable form every layer shows and stores (extraction/names.py)."""
    return Source(file=printable_name(name), sha256=hashlib.sha256(data).hexdigest(), format=fmt, size=len(data), encoding=encoding)


def read_report(data: bytes, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    """Bytes -> RawDocument; raises ReportError with a clear sentence when the file can't be read."""
    if len(data) > max_bytes:
        raise ReportError(too_big_message(max_bytes))
    if not data.strip():
        raise ReportError("The file is empty.")
    fmt = sniff_format(data, name)
    reader = READERS.get(fmt)
    if reader is None:
        raise ReportError(f"The file is a binary ({fmt}) file, not a report in text, HTML, PDF, DOCX, DOC or WPS.")
    return reader(data)
