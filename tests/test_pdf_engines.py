"""The PDF reader on PDFium's objects reads every PDF as the old reader on pdfminer's objects did.

The old path (pdfplumber over pdfminer, about five times slower) is kept selectable for this comparison and for
`bench`: both feed the same layout code, so the whole extraction (every figure, its evidence with its page,
metadata, findings) must be the same for each shared real PDF and each PDF form of the corpus. Then the
details the two parsers differ in: glyph boxes, pages turned by /Rotate, glyphs printed twice, scans, and the
two table steps done faster than pdfplumber's own (checked against pdfplumber's on every page).
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pdfplumber
import pypdfium2
import pytest
from conftest import shared_path
from pdfplumber.table import TableFinder, edges_to_intersections, intersections_to_cells

from govreport_core.devtools.accuracy import score_one
from govreport_core.devtools.corpus.generate import write_corpus
from govreport_core.extraction.normalise import build_document
from govreport_core.extraction.pipeline import extract_document
from govreport_core.extraction.readers import make_source
from govreport_core.extraction.readers import pdf as pdf_reader
from govreport_core.extraction.readers.pdf import read_pdf
from govreport_core.extraction.readers.pdf_objects import open_document, page_objects
from govreport_core.extraction.readers.pdf_tables import _cell_texts, _cells, find_tables
from govreport_core.model import ReportError

pytestmark = pytest.mark.slow  # every shared and corpus PDF through both engines

SHARED_PDFS = [("real-files", "hongze_2023.pdf"), ("real-files", "hongze_2024.pdf"),
               ("real-files", "huaian_city_2024.pdf"), ("real-text", "503_pingtan_zone_2022_lo.pdf"),
               ("real-text", "505_shuyang_fagai_2023_lo.pdf")]
FORMS = frozenset({"pdf", "pdf_office", "pdf_office_plain", "pdf_print", "pdf_lo_html"})


def extraction(data: bytes, engine: str) -> dict:
    """The whole extract --json object of one PDF read by one engine (the parser version aside)."""
    try:
        output = extract_document(build_document(read_pdf(data, engine)), make_source(data, "r.pdf", "pdf"))
    except ReportError as exc:
        return {"error": str(exc)}
    result = output.to_dict()
    result["source"].pop("parser_version")
    return result


@pytest.mark.parametrize(("folder", "name"), SHARED_PDFS)
def test_every_shared_pdf_is_read_the_same_by_both_engines(folder: str, name: str) -> None:
    data = shared_path(folder, name).read_bytes()
    new, old = extraction(data, "pdfium"), extraction(data, "pdfminer")
    assert new.get("error") is None and len(new["metrics"]) > 40, new.get("error")  # read, not refused
    assert new == old


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    for tool, package in (("soffice", "libreoffice-writer-nogui"), ("chromium", "chromium")):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (apt-get install {package})")
    folder = tmp_path_factory.mktemp("pdf-forms")
    write_corpus(folder, 20, seed=23, forms=FORMS)
    return folder


def test_every_corpus_pdf_form_is_read_the_same_by_both_engines(corpus: Path) -> None:
    forms = set()
    for path in sorted(corpus.glob("*.pdf")):
        data = path.read_bytes()
        new = extraction(data, "pdfium")
        assert new == extraction(data, "pdfminer"), path.name
        truth = json.loads((corpus / "truth" / f"{path.stem}.json").read_text(encoding="utf-8"))
        score, problems = score_one(new, truth)
        assert score.hit == score.truth == score.output, (path.name, problems)  # and both right
        forms.add(path.stem.split("_", 3)[-1])
    assert forms == FORMS


def test_pdfium_glyph_boxes_are_pdfminers_across_and_one_font_size_high() -> None:
    """Same characters per page; each one's left and right edges as pdfminer's (within 2% of the font size: the
    widths come from the font program or the PDF's width table), its height the font size and its top (from the
    page top) within the spread of fonts' descents of pdfminer's."""
    data = shared_path("real-files", "hongze_2024.pdf").read_bytes()
    document = open_document(data)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for index, page in enumerate(pdf.pages):
            new, old = page_objects(document[index]).chars, page.chars
            assert sorted(c["text"] for c in new) == sorted(c["text"] for c in old)
            for a in new:
                assert any(a["text"] == b["text"] and abs(a["x0"] - b["x0"]) < 0.02 * b["size"]
                           and abs(a["x1"] - b["x1"]) < 0.02 * b["size"] and abs(a["top"] - b["top"]) < 0.25 * b["size"]
                           and abs(a["bottom"] - a["top"] - b["size"]) < 0.01 * b["size"] for b in old), a


def _turned(data: bytes, quarters: int) -> bytes:
    """The PDF with every page's /Rotate set to `quarters` × 90° and its content turned back the other way:
    displayed as before (how scanners and some drivers store landscape pages)."""
    document = pypdfium2.PdfDocument(data)
    for index in range(len(document)):
        page = document[index]
        width, height = page.get_size()
        matrix, box = {1: (pypdfium2.PdfMatrix(0, 1, -1, 0, height, 0), (0, 0, height, width)),
                       2: (pypdfium2.PdfMatrix(-1, 0, 0, -1, width, height), (0, 0, width, height)),
                       3: (pypdfium2.PdfMatrix(0, -1, 1, 0, 0, width), (0, 0, height, width))}[quarters]
        for obj in list(page.get_objects(max_depth=0)):
            obj.transform(matrix)
        page.set_mediabox(*box)
        page.set_cropbox(*box)
        page.set_rotation(90 * quarters)
        page.gen_content()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("quarters", [1, 2, 3])
def test_a_page_stored_turned_and_shown_upright_by_rotate_reads_as_printed(quarters: int) -> None:
    data = _turned(shared_path("real-files", "hongze_2024.pdf").read_bytes(), quarters)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert pdf.pages[0].rotation == 90 * quarters  # the file really is stored turned
    output = extraction(data, "pdfium")
    score, problems = score_one(output, json.loads(shared_path("real-files", "hongze_2024.json").read_text("utf-8")))
    assert score.hit == score.truth == score.output, problems
    assert output == extraction(data, "pdfminer")


def _page_of_text(lines: list[tuple[str, int]]) -> bytes:
    """A one-page PDF (reportlab's built-in CJK font); a line with `times` 2 is printed twice, 0.4 pt apart
    (a bold face faked by a second print, as word processors do for fonts without a bold)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setFont("STSong-Light", 14)
    for row, (text, times) in enumerate(lines):
        for shift in range(times):
            page.drawString(72 + 0.4 * shift, 760 - 30 * row, text)
    page.save()
    return out.getvalue()


def test_a_line_printed_twice_for_a_fake_bold_is_read_once_by_both_engines() -> None:
    title, body = "某某区人民政府2023年政府信息公开工作年度报告", "一、总体情况"
    data = _page_of_text([(title, 2), (body, 1)])
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages[0].chars) == 2 * len(title) + len(body)  # the file does hold the title twice
    for engine in ("pdfium", "pdfminer"):
        assert read_pdf(data, engine).blocks == [title, body]


LIGATURE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")  # Debian's fonts-dejavu-core


@pytest.mark.skipif(not LIGATURE_FONT.exists(), reason="DejaVu Serif (with ligature glyphs) is not installed")
def test_a_ligature_glyph_is_its_letters_without_a_space_after_it() -> None:
    """PDFium gives one ligature glyph ("ﬃ") as its letters, each from the glyph's origin: they are read as one
    character as wide as the glyph, so no gap before the next letter looks like a space (pdfminer gives "ﬃ",
    which NFKC makes the same letters)."""
    import unicodedata

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVuSerif", str(LIGATURE_FONT)))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setFont("DejaVuSerif", 16)
    page.drawString(72, 760, "o\ufb03cial o\ufb00ice a\ufb04uent \ufb02ow \ufb01rst \ufb01fteen")
    page.save()
    data = out.getvalue()
    for engine in ("pdfium", "pdfminer"):
        assert [unicodedata.normalize("NFKC", b) for b in read_pdf(data, engine).blocks] == [
            "official office affluent flow first fifteen"], engine
    assert page_objects(open_document(data)[0]).chars[1]["text"] == "ffi"  # one glyph, three letters


def test_a_pdf_without_text_goes_to_ocr_and_the_page_limit_holds_before_any_page_is_read(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from govreport_core.extraction.limits import Budget, using
    from govreport_core.extraction.readers import ocr

    calls = []
    monkeypatch.setattr(ocr, "read_scanned_pdf", lambda data: calls.append(data) or "read by OCR")
    blank = _page_of_text([])
    assert read_pdf(blank) == "read by OCR" and calls == [blank]
    monkeypatch.setattr(pdf_reader, "page_objects", lambda page: pytest.fail("a page was read"))
    with using(Budget(max_pages=0)), pytest.raises(ReportError, match="more than the 0 pages"):
        read_pdf(blank)


def test_pdfium_errors_are_sentences() -> None:
    with pytest.raises(ReportError, match=r"^The PDF cannot be read \(PDFium: not a PDF, or its structure is broken\)"):
        read_pdf(b"%PDF-1.4 not really a pdf")


@pytest.mark.parametrize(("folder", "name"), SHARED_PDFS[:3])
def test_the_faster_table_steps_give_pdfplumbers_cells_and_texts_on_every_page(folder: str, name: str) -> None:
    with pdfplumber.open(shared_path(folder, name)) as pdf:
        for page in pdf.pages:
            finder = TableFinder(page)
            intersections = edges_to_intersections(finder.edges, 3, 3)
            assert _cells(intersections) == intersections_to_cells(intersections)
            tables = find_tables(page)
            assert [t.cells for t in tables] == [t.cells for t in finder.tables if max(len(r.cells) for r in t.rows) >= 2]
            for table in tables:
                assert _cell_texts(table, table.rows) == table.extract()
