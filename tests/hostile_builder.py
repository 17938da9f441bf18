"""Hostile inputs built on the fly (never committed): small files that expand to gigabytes, files that are not
files, damaged and encrypted ones. Sizes are parameters, so tests build small ones against small budgets and
`scripts/fuzz.py` builds the full-size set of issue 12.
"""

from __future__ import annotations

import io
import os
import random
import zipfile
import zlib
from functools import cache
from pathlib import Path

from report_builder import html_to_docx, sample_report

_REPORT_WORDS = "<p>某某县人民政府2022年政府信息公开工作年度报告</p>"


def good_report() -> str:
    return sample_report("2021").render_html()


@cache
def _base_docx() -> bytes:
    return html_to_docx(good_report())


def html_span_bomb(size: int = 200, span: int = 200) -> bytes:
    """A size × size table whose every cell has rowspan and colspan `span` (1.4 MB at 200: 9.3 GB unbounded)."""
    cell = f'<td rowspan="{span}" colspan="{span}">1</td>'
    rows = "".join(f"<tr>{cell * size}</tr>" for _ in range(size))
    return f"<html><body>{_REPORT_WORDS}<table>{rows}</table></body></html>".encode()


def _with_document_xml(document_xml: bytes | None = None, member_bytes: int = 0, dense: bool = False) -> bytes:
    """A real DOCX (python-docx's template) whose word/document.xml is replaced: by `document_xml`, or by
    `member_bytes` of XML streamed into the zip: repetitive (a compression bomb), or `dense`: a megabyte of
    text of four words drawn at random (about 13 to 1 once deflated), repeated."""
    base = _base_docx()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info, source.read(info))
            elif document_xml is not None:
                target.writestr("word/document.xml", document_xml)
            else:
                head = source.read(info).split(b"<w:body>")[0] + b"<w:body>"
                paragraph = b"<w:p><w:r><w:t>" + "政府信息公开".encode() * 200 + b"</w:t></w:r></w:p>"
                block = paragraph * max(1, (1 << 20) // len(paragraph))
                if dense:  # words drawn at random: deflate's 32 kB window never sees the megabyte repeat
                    rng = random.Random(22)
                    text = "".join(rng.choice(("政府", "公开", "信息", "年度")) for _ in range(1 << 17))
                    block = b"".join(b"<w:p><w:r><w:t>" + text[i:i + 1000].encode() + b"</w:t></w:r></w:p>"
                                     for i in range(0, len(text), 1000))
                with target.open("word/document.xml", "w", force_zip64=True) as handle:
                    handle.write(head)
                    written = len(head)
                    while written < member_bytes:
                        handle.write(block)
                        written += len(block)
                    handle.write(b"</w:body></w:document>")
    return out.getvalue()


def docx_gridspan(value: str = "999999999") -> bytes:
    """A DOCX table cell with gridSpan `value` (38 KB at 999999999: 10 GB unbounded; "abc" was a ValueError)."""
    base = _base_docx()
    with zipfile.ZipFile(io.BytesIO(base)) as source:
        xml = source.read("word/document.xml")
    xml = xml.replace(b"<w:tcPr>", f'<w:tcPr><w:gridSpan w:val="{value}"/>'.encode(), 1)
    return _with_document_xml(xml)


def docx_inflating(member_mb: float = 420) -> bytes:
    """A DOCX whose document.xml inflates to `member_mb` MB (1.5 MB at 420: 3.6 GB and 90 s unbounded)."""
    return _with_document_xml(member_bytes=int(member_mb * 1_000_000))


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF from numbered object bodies (1 0 obj is the catalog), with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def pdf_flate_bomb(decoded_mb: float = 1500) -> bytes:
    """A one-page PDF whose content stream inflates to `decoded_mb` MB of spaces (1.5 GB: 3 GB unbounded)."""
    compressor = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    parts = [compressor.compress(chunk) for _ in range(int(decoded_mb * 1_000_000) >> 20)]
    stream = b"".join(parts) + compressor.flush()
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                 b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"])


def pdf_pages(pages: int = 2000) -> bytes:
    """A PDF of `pages` pages of text (2 MB at 2000: over 90 s and 2 GB unbounded)."""
    content = b"BT /F1 12 Tf 72 720 Td (Government information disclosure annual report page) Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"]
    kids = []
    for _ in range(pages):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                       b"/Contents 4 0 R >>")
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % pages
    return _pdf(objects)


def pdf_encrypted(password: str = "secret") -> bytes:
    """A report PDF protected by a user password (reportlab's standard encryption)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, encrypt=password)
    page.drawString(72, 720, "Government information disclosure annual report 2022")
    page.save()
    return out.getvalue()


def zero_symlink(folder: Path, name: str = "zero.html") -> Path:
    """A report-named symlink to /dev/zero (st_size 0; read unbounded it filled 23.7 GB)."""
    path = folder / name
    path.symlink_to("/dev/zero")
    return path


def fifo(folder: Path, name: str = "pipe.html") -> Path:
    """A FIFO named like a report (reading it waits forever for a writer)."""
    path = folder / name
    os.mkfifo(path)
    return path


def docx_dense(member_mb: float = 450) -> bytes:
    """A DOCX whose document.xml inflates to `member_mb` MB of text that compresses only about 13 to 1 (34 MB
    at 450: under the 100× ratio and the 1 GB expansion limits, so only the memory budget stops it; 4.7 GB
    of one Dask worker unbounded)."""
    return _with_document_xml(member_bytes=int(member_mb * 1_000_000), dense=True)


def glued_digits(run: int = 600) -> bytes:
    """A report as a crawler glued it (cells without separators), one table-3 row's digits `run` long: the
    ways to cut them into seven numbers are searched without end (3.6 kB at 600; minutes unbounded)."""
    from govreport_core.devtools.corpus.converters import render_glued

    lines = render_glued(sample_report("2021")).split("\n")
    lines = [line.rstrip("0123456789") + "1" * run if line.startswith("（七）总计") else line for line in lines]
    return "\n".join(lines).encode()
