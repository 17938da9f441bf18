"""Scans made from text PDFs: each page rendered by pdfium at a scanner's resolution and saved by Pillow as a PDF
of page images with no text layer (what `pdftoppm -r 200` and a PDF of its pictures make), so the OCR path reads
it. Used by `bench --ingest --mix national` (a few scans among the files) and `scripts/bench_ocr.py`.
"""

from __future__ import annotations

import io

import pypdfium2
from PIL import Image

SCAN_DPI = 200  # what the OCR reader renders at, and a common office scanner setting


def page_images(pdf: bytes, dpi: int = SCAN_DPI, grey: bool = False) -> list[Image.Image]:
    """Every page of the PDF as a picture at `dpi`, RGB or greyscale."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72, grayscale=grey).to_pil().convert("L" if grey else "RGB")
                for page in document]
    finally:
        document.close()


def image_pdf(images: list[Image.Image], dpi: int = SCAN_DPI) -> bytes:
    """Pictures as the pages of a PDF (no text layer), each page as large as the picture is at `dpi`."""
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()


def scanned(pdf: bytes, dpi: int = SCAN_DPI, grey: bool = False) -> bytes:
    """The PDF as a scan of its printed pages: a PDF of page images."""
    return image_pdf(page_images(pdf, dpi, grey), dpi)
