"""PDFs made the way offices make them: Word files exported by LibreOffice, web pages printed by Chromium.

`office_docx` writes a rendered report as a Word document with the options real ones vary in (table borders
or none, as python-docx writes them by default; portrait or landscape pages; a second font; a running title
in the page header). `docx_to_pdf` converts many such files in one LibreOffice run (headless, a private
profile, a time limit), and `html_to_docx_lo` many web pages to Word files the same way (a report page saved
from the web, then exported to PDF: the `pdf_lo_html` form); `html_to_pdf_print` prints a page through
Debian's chromium, page header/footer on or off. Both programs come from Debian packages (.ci/run installs
them); a missing one is a clear error.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .render import fill_docx_table, html_blocks

FONTS = ("宋体", "仿宋_GB2312", "Noto Sans Mono CJK SC")  # LibreOffice substitutes the ones it lacks, as offices do
_CONVERT_SECONDS = 120  # one LibreOffice run for a batch; chromium per page
_CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                   "--disable-component-update", "--disable-sync")


class ConvertError(RuntimeError):
    """A converter failed, timed out or is missing; the message is a sentence for the user."""


class ToolMissing(ConvertError):
    """A converter (soffice, chromium) is not installed; the message says which Debian package brings it."""


def _run(command: list[str], what: str, **kwargs) -> None:
    try:
        subprocess.run(command, check=True, capture_output=True, **kwargs)
    except subprocess.TimeoutExpired as exc:
        raise ConvertError(f"{what} took longer than {exc.timeout:.0f} s and was stopped.") from exc
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise ConvertError(f"{what} failed (exit status {exc.returncode}) {detail[0]}".strip() + ".") from exc


@dataclass(frozen=True)
class OfficeStyle:
    borders: bool = True
    landscape: bool = False
    font: str | None = None  # East Asian font of the Normal style; None keeps the template's
    running_title: str | None = None  # text of the page header on every page
    page_break_before: str | None = None  # a new page before the paragraph that starts so (e.g. a section)


def office_docx(html: str, style: OfficeStyle, blank_lines_before_tables: int = 0) -> bytes:
    """A rendered HTML report as a Word document: paragraphs, tables with real merges, the given style;
    blank lines before each table move the page breaks to other rows."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    if style.font:
        normal = document.styles["Normal"]
        normal.font.size = Pt(10.5)
        fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), style.font)
    section = document.sections[0]
    if style.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    if style.running_title:
        section.header.paragraphs[0].text = style.running_title
    for block in html_blocks(html):
        if isinstance(block, str):
            paragraph = document.add_paragraph(block)
            if style.page_break_before and block.startswith(style.page_break_before):
                paragraph.paragraph_format.page_break_before = True
            continue
        for _ in range(blank_lines_before_tables):
            document.add_paragraph("")
        table = document.add_table(rows=block.rows, cols=block.cols)
        if style.borders:
            table.style = document.styles["Table Grid"]
        fill_docx_table(table, block.cells)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ToolMissing(f"{name} is not installed (Debian package {package}); it is needed for this PDF form.")
    return path


def docx_to_pdf(documents: list[bytes]) -> list[bytes]:
    """Word files -> PDFs in one `soffice --headless --convert-to pdf` run with a private, throwaway profile."""
    return _soffice(documents, "docx", "pdf", "LibreOffice's PDF export")


def html_to_docx_lo(pages: list[bytes]) -> list[bytes]:
    """Web pages -> Word files as a person does it with LibreOffice (`soffice --headless --convert-to docx
    page.html`: Writer's HTML import, its table widths and vertically centred cells kept), in one run. The
    import filter is named: LibreOffice may open a page in Writer/Web instead, which cannot save DOCX."""
    return _soffice(pages, "html", "docx", "LibreOffice's DOCX export", "--infilter=HTML (StarWriter)")


def _soffice(documents: list[bytes], source: str, target: str, what: str, *options: str) -> list[bytes]:
    if not documents:
        return []
    soffice = _tool("soffice", "libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory(prefix="govreport-lo-") as tmp:
        folder = Path(tmp)
        names = []
        for i, data in enumerate(documents):
            (folder / f"d{i:05d}.{source}").write_bytes(data)
            names.append(f"d{i:05d}.{source}")
        _run([soffice, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless", "--norestore", *options,
              "--convert-to", target, "--outdir", str(folder / "out"), *names], what,
             cwd=folder, timeout=_CONVERT_SECONDS + 2 * len(documents))
        outputs = [folder / "out" / f"{Path(name).stem}.{target}" for name in names]
        if not all(output.exists() for output in outputs):
            raise ConvertError(f"{what} wrote {sum(o.exists() for o in outputs)} of {len(outputs)} documents.")
        return [output.read_bytes() for output in outputs]


def html_to_pdf_print(html: str, furniture: bool = False) -> bytes:
    """A web page printed to PDF by chromium; `furniture` keeps the browser's page header and footer
    (date, title, address, "1/5"), as a person printing from the menu gets them."""
    chromium = _tool("chromium", "chromium")
    with tempfile.TemporaryDirectory(prefix="govreport-print-") as tmp:
        folder = Path(tmp)
        (folder / "page.html").write_text(html, encoding="utf-8")
        flags = [*_CHROMIUM_FLAGS, f"--user-data-dir={folder / 'profile'}", f"--print-to-pdf={folder / 'out.pdf'}"]
        if not furniture:
            flags.append("--no-pdf-header-footer")
        _run([chromium, *flags, (folder / "page.html").as_uri()], "Chromium's print to PDF", timeout=_CONVERT_SECONDS)
        if not (folder / "out.pdf").exists():
            raise ConvertError("Chromium printed no PDF.")
        return (folder / "out.pdf").read_bytes()
