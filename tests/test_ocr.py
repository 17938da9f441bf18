"""Scanned PDFs read by OCR: a real report's pages rasterised into an image-only PDF in the test.

Pages 3–4 of ../shared/real-files/hongze_2024.pdf hold tables 3 and 4 whole (and table 2's last rows);
they are rendered at 200 DPI and saved as a PDF of page images (no text layer), then extracted and
compared with the hand-made truth file. OCR is CPU-heavy: two pages, read once for the module
(about 9 s of CPU with the engines' start-up; wall time is longer on a busy machine); one more page,
turned crooked, checks the levelling (about 7 s of CPU).
"""

from __future__ import annotations

import io
import json
import os
import shutil

import pdfplumber
import pypdfium2
import pytest
from conftest import shared_path
from PIL import Image, ImageDraw

from govreport_core import catalog
from govreport_core.extraction.pipeline import extract_bytes
from govreport_core.extraction.readers import ocr

pytestmark = pytest.mark.slow  # OCR of rasterised pages: `scripts/test.sh -m 'not slow'` leaves it out

PAGES = (3, 4)
DPI = 200


def tesseract() -> None:
    if shutil.which("tesseract") is None:
        message = "Tesseract is not installed; .ci/run installs tesseract-ocr and tesseract-ocr-chi-sim"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def image_only_pdf(pdf_bytes: bytes, pages: tuple[int, ...], dpi: int) -> bytes:
    document = pypdfium2.PdfDocument(pdf_bytes)
    images = [document[p - 1].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for p in pages]
    document.close()
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()


@pytest.fixture(scope="module")
def scanned() -> tuple[dict, dict, bytes]:
    tesseract()
    data = image_only_pdf(shared_path("real-files", "hongze_2024.pdf").read_bytes(), PAGES, DPI)
    truth = json.loads(shared_path("real-files", "hongze_2024.json").read_text(encoding="utf-8"))
    return extract_bytes(data, "hongze_2024_scan.pdf").to_dict(), truth, data


def flat(metrics: dict, breakdown: dict | None = None) -> dict:
    """Truth or output as key -> value, table 3's applicant columns as applications_new@<applicant>."""
    out = {k: v for k, v in metrics.items() if k != "applications_by_applicant"}
    for applicant, value in (metrics.get("applications_by_applicant") or {}).items():
        out[f"applications_new@{applicant}"] = value
    for applicant, value in ((breakdown or {}).get("applications_new") or {}).items():
        out[f"applications_new@{applicant}"] = value
    return out


def test_the_test_file_has_no_text_layer(scanned: tuple[dict, dict, bytes]) -> None:
    with pdfplumber.open(io.BytesIO(scanned[2])) as pdf:
        assert len(pdf.pages) == 2 and sum(len(page.chars) for page in pdf.pages) == 0


def test_tables_3_and_4_of_a_scanned_report_match_the_truth(scanned: tuple[dict, dict, bytes]) -> None:
    got, truth, _ = scanned
    assert "error" not in got, got.get("error")
    values = flat(got["metrics"], got["breakdown"])
    expected = flat(truth["metrics"])
    # Recall over the tables these two pages hold whole; precision over every value that has a truth.
    wanted = {k: v for k, v in expected.items() if catalog.METRICS[k.split("@")[0]].table in ("table3", "table4")}
    recall = sum(values.get(k) == v for k, v in wanted.items()) / len(wanted)
    output = [k for k in expected if k in values]
    precision = sum(values[k] == expected[k] for k in output) / len(output)
    assert len(wanted) == 45
    assert recall >= 0.95, sorted(k for k in wanted if values.get(k) != wanted[k])
    assert precision >= 0.995, [(k, values[k], expected[k]) for k in output if values[k] != expected[k]]


def test_figures_read_by_ocr_say_so_with_their_page(scanned: tuple[dict, dict, bytes]) -> None:
    evidence = scanned[0]["evidence"]
    assert evidence and all(e.get("ocr") is True and e.get("page") in (1, 2) for e in evidence.values())
    assert evidence["applications_new"]["page"] == 1 and evidence["review_total"]["page"] == 2


def test_a_ruled_table_with_merged_cells_is_rebuilt_from_its_lines() -> None:
    """A 3×3 ruled grid whose top row is one merged cell and whose left column spans the last two rows."""
    image = Image.new("L", (700, 400), 255)
    draw = ImageDraw.Draw(image)
    xs, ys = (50, 250, 450, 650), (50, 150, 250, 350)
    for y in ys:
        draw.line([(50, y), (650, y)], fill=0, width=3)
    for x in (50, 650):
        draw.line([(x, 50), (x, 350)], fill=0, width=3)
    for x in xs[1:3]:
        draw.line([(x, 150), (x, 350)], fill=0, width=3)  # no inner borders in the top row
    draw.line([(50, 250), (650, 250)], fill=255, width=3)
    draw.line([(250, 250), (650, 250)], fill=0, width=3)  # the left column's two lower cells are one
    import numpy as np

    dark = np.asarray(image) < 128
    length = int(ocr._MIN_RULE * ocr.DPI)
    (table,) = ocr._tables(ocr._rules(ocr._runs(dark, length)), ocr._rules(ocr._runs(dark.T, length)))
    assert table.cells == [(0, 0, 1, 3), (1, 0, 2, 1), (1, 1, 1, 1), (1, 2, 1, 1), (2, 1, 1, 1), (2, 2, 1, 1)]


def test_without_tesseract_the_error_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    data = image_only_pdf(shared_path("real-files", "hongze_2024.pdf").read_bytes(), (5,), 50)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    got = extract_bytes(data, "scan.pdf").to_dict()
    assert "apt-get install tesseract-ocr tesseract-ocr-chi-sim" in got["error"]


def test_a_crooked_noisy_scan_is_levelled_and_its_table_4_read_without_a_wrong_figure() -> None:
    """Page 4 turned 1.5° with grain and blur, as a sheet fed crooked into a scanner."""
    tesseract()
    import numpy as np
    from PIL import ImageFilter

    document = pypdfium2.PdfDocument(shared_path("real-files", "hongze_2024.pdf").read_bytes())
    page = document[3].render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
    document.close()
    page = page.rotate(1.5, resample=Image.Resampling.BICUBIC, fillcolor=255)
    grain = np.asarray(page, dtype=float) + np.random.default_rng(14).normal(0, 12, (page.height, page.width))
    page = Image.fromarray(np.clip(grain, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6))
    out = io.BytesIO()
    page.save(out, "PDF", resolution=DPI)
    got = extract_bytes(out.getvalue(), "crooked.pdf").to_dict()
    expected = flat(json.loads(shared_path("real-files", "hongze_2024.json").read_text(encoding="utf-8"))["metrics"])
    values = flat(got["metrics"], got["breakdown"])
    table4 = [k for k in expected if catalog.METRICS[k.split("@")[0]].table == "table4"]
    assert {k: values.get(k) for k in table4} == {k: expected[k] for k in table4}
    assert not [(k, values[k]) for k in expected if k in values and values[k] != expected[k]]
