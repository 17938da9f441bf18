"""The parser version is the extraction's fingerprint: an edit to extraction/ or to the root modules it reads
changes it; an edit to the store, the service, the dashboard or the devtools does not (a million stored reports
are re-read only when what is read could differ)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from govreport_core.extraction import version


@pytest.fixture
def package(tmp_path: Path) -> Path:
    copy = tmp_path / "govreport_core"
    shutil.copytree(ROOT / "govreport_core", copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def _edited(package: Path, relative: str) -> str:
    with (package / relative).open("a", encoding="utf-8") as handle:
        handle.write("\n# one comment more\n")
    return version.parser_version(package / "extraction")


def test_the_copy_has_the_installed_version(package: Path) -> None:
    assert version.parser_version(package / "extraction") == version.PARSER_VERSION


@pytest.mark.parametrize("relative", ["dashboard/report_view.py", "dashboard/upload_preview.py", "store/queries.py",
                                      "service/ingest.py", "devtools/bench.py", "cli.py"])
def test_an_edit_outside_extraction_keeps_the_version(package: Path, relative: str) -> None:
    assert _edited(package, relative) == version.PARSER_VERSION


@pytest.mark.parametrize("relative", ["extraction/tables.py", "extraction/readers/pdf.py", "extraction/data/areas_extra.csv",
                                      "catalog.py", "settings.py", "model.py"])
def test_an_edit_to_what_extraction_reads_changes_the_version(package: Path, relative: str) -> None:
    assert _edited(package, relative) != version.PARSER_VERSION


def test_the_readers_and_programs_are_part_of_it() -> None:
    assert {"beautifulsoup4", "pypdfium2", "rapidocr-onnxruntime"} <= set(version.READERS)
    if shutil.which("tesseract"):
        assert any(line.startswith("tesseract=tesseract ") for line in version.program_versions())
    if shutil.which("soffice"):
        assert any(line.startswith("libreoffice=") for line in version.program_versions())
