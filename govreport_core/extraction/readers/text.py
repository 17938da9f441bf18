"""Plain text and Markdown: bytes -> RawDocument with one block per line.

Decoding: BOMs first, then strict UTF-8 (most files), then charset-normalizer for the rest
(GBK/GB18030, Big5, UTF-16 without BOM). GBK is read as GB18030, its superset. Text that turns out
to be binary (NUL bytes, control characters) is refused. Stray HTML tags that scraped text keeps
(seed 000) are removed. A file that is really an HTML page (`looks_like_html`) goes to the HTML reader:
`read/__init__.py` decides, so this module imports no other reader (html.py uses `decode` from here).
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from govreport_core.model import RawDocument, ReportError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_GB_FAMILY = {"gbk", "gb2312", "gb18030", "hz", "cp936"}
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
# Only tags with a real HTML name: "<2014>" or "<条例>" in prose must survive.
_TAG = re.compile(r"</?(?:[a-zA-Z][a-zA-Z0-9]{0,10})(?:\s[^<>]{0,300})?/?>")


def decode(data: bytes, probe: bool = False) -> tuple[str, str]:
    """Bytes of unknown encoding -> (text, encoding); `probe` decodes leniently (a file's head)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), codec
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if probe and exc.start > len(data) - 4:  # a multi-byte character cut at the probe's end
            return data[: exc.start].decode("utf-8"), "utf-8"
    best = from_bytes(data).best()
    if best is None:
        if probe:
            return data.decode("latin-1"), "latin-1"
        raise ReportError("The file is not text in any encoding we know (is it a binary file?).")
    encoding = best.encoding.lower().replace("_", "")
    if encoding in _GB_FAMILY:
        return data.decode("gb18030", errors="replace"), "gb18030"
    return str(best), encoding


def decode_text(data: bytes, probe: bool = False) -> str:
    return decode(data, probe)[0]


def check_not_binary(text: str) -> None:
    sample = text[:20000]
    if sample and len(_CONTROL.findall(sample)) > max(3, len(sample) // 200):
        raise ReportError("The file looks like a binary file, not a text report.")


def looks_like_html(text: str) -> bool:
    head = text[:2000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in head)


def text_document(text: str, encoding: str) -> RawDocument:
    """Decoded text -> one block per line, stray HTML tags removed."""
    return RawDocument(blocks=_TAG.sub("", text).splitlines(), format="txt", encoding=encoding)
