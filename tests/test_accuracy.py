"""The accuracy benchmark groups real files by their form, as ../shared/real-text/README.md lists them."""

from __future__ import annotations

import json
from collections import Counter

from conftest import shared_path

from govreport_core.devtools.accuracy import form_of


def test_real_text_files_fall_into_the_forms_their_readme_lists() -> None:
    folder = shared_path("real-text")
    truths = [json.loads(path.read_text(encoding="utf-8")) for path in folder.glob("*.json")]
    forms = Counter(form_of(truth, folder / truth["file"]) for truth in truths)
    # README: two crawled 2019/2021 pages, two crawled old reports, one PDF→markdown, one OCR markdown, two
    # LibreOffice PDFs, eight excerpts (the table there counts them; the truth notes say the form in words).
    assert forms == {"crawled, tables glued": 2, "crawled, old (统计表 glued)": 2, "PDF → markdown": 1,
                     "OCR markdown": 1, "office PDF (LibreOffice)": 2, "excerpt (text)": 8}


def test_a_generated_report_keeps_its_own_form() -> None:
    for form in ("md_broken", "glued", "ocr_md", "stats_glued", "pdf_office"):
        assert form_of({"form": form}, shared_path("seeds")) == form
