"""Real published PDF (and DOCX) reports in ../shared/real-files against their hand-checked truth files."""

from __future__ import annotations

import io
import json

import pytest
from conftest import shared_path
from PIL import Image

from govreport_core.extraction.pipeline import extract_bytes, extract_path

PDFS = ["hongze_2023", "hongze_2024", "huaian_city_2024"]


def extract_real(stem: str, suffix: str = ".pdf") -> tuple[dict, dict]:
    truth = json.loads(shared_path("real-files", f"{stem}.json").read_text(encoding="utf-8"))
    return extract_path(shared_path("real-files", f"{stem}{suffix}")).to_dict(), truth


@pytest.mark.parametrize("stem", PDFS)
def test_real_pdf_reproduces_its_truth(stem: str) -> None:
    got, truth = extract_real(stem)
    assert "error" not in got, got.get("error")
    for field in ("province", "city", "region", "agency", "level", "year", "format_era"):
        assert got["report"][field] == truth[field], field
    expected = dict(truth["metrics"])
    for applicant, value in expected.pop("applications_by_applicant").items():
        assert got["breakdown"]["applications_new"][applicant] == value, applicant
    for key, value in expected.items():
        assert got["metrics"].get(key) == pytest.approx(value), key
    assert set(got["metrics"]) - set(got["derived"]) <= set(expected), "a figure the report does not state"


def test_pdf_evidence_carries_its_page() -> None:
    got, _ = extract_real("hongze_2023")
    evidence = got["evidence"]["applications_new"]
    assert evidence["page"] == 3 and evidence["text"].startswith("一、本年新收政府信息公开申请数量")


def test_pdf_whose_table_4_sums_fail_keeps_printed_values_and_flags_them() -> None:
    got, _ = extract_real("hongze_2023")  # 复议 10+1+0+0 but 总计 0; 复议后起诉 维持 5 but 总计 0 (truth notes)
    k4 = [f for f in got["findings"] if f["rule"] == "K4"]
    assert len(k4) == 2 and all(f["severity"] == "error" for f in k4)
    assert "litigation_total" not in got["metrics"]  # derived totals are withheld when their groups fail


def test_pdf_derived_subtotals_match_the_truth_notes() -> None:
    got, _ = extract_real("huaian_city_2024")  # notes: denied 178, unable 781, not processed 88, suits 46/25/5/9
    assert [got["metrics"][k] for k in ("denied_total", "unable_total", "not_processed_total", "litigation_total",
                                        "litigation_upheld", "litigation_corrected", "litigation_other")] == [
        178, 781, 88, 46, 25, 5, 9]
    assert got["report"]["scope"] == "area"  # 全市共受理政府信息公开申请3119件


def test_scanned_pdf_without_text_layer_is_refused_clearly() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(buffer, format="PDF")
    got = extract_bytes(buffer.getvalue(), "scan.pdf").to_dict()
    assert "no text layer" in got["error"] and "metrics" not in got


def test_blank_2021_docx_template_gives_no_figures_and_no_area_or_year() -> None:
    got, truth = extract_real("template_2021_blank", ".docx")
    assert got["source"]["format"] == "docx"
    assert got["metrics"] == {} and got["breakdown"] == {}
    assert (got["report"]["year"], got["report"]["region"], got["report"]["level"]) == (None, None, None)
    assert got["report"]["format_era"] == truth["format_era"]


@pytest.mark.slow  # subprocesses, LibreOffice or a generated corpus
def test_legacy_doc_is_refused_with_advice() -> None:
    got = extract_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old.doc").to_dict()
    assert "DOCX" in got["error"]
