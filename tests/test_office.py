"""Legacy .doc and WPS .wps through LibreOffice headless: files made in the test from DOCX.

The .doc files are written by LibreOffice itself (Word 97 format) from the blank 2021 template in
../shared/real-files and from a team-written report (tests/report_builder.py); a Kingsoft .wps is the
same OLE format. Expected figures come from the spec the report was rendered from and from the
template's README description (its three tables: 14×4, 28×10, 4×15).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import shared_path
from report_builder import html_to_docx, sample_report
from test_tables import assert_complete

from govreport_core.extraction.normalise import build_document
from govreport_core.extraction.pipeline import extract_bytes, extract_document
from govreport_core.extraction.readers import make_source, office_convert, read_report
from govreport_core.model import ReportError

pytestmark = pytest.mark.slow  # LibreOffice conversions: `scripts/test.sh --quick` leaves it out


def soffice() -> str:
    path = office_convert.soffice_path()
    if path is None:
        message = "LibreOffice (soffice) is not installed; .ci/run installs libreoffice-writer-nogui"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def to_doc(docx: bytes) -> bytes:
    """A Word 97 .doc of the DOCX, written by LibreOffice (a private profile, as the reader uses)."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "in.docx").write_bytes(docx)
        subprocess.run([soffice(), f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                        "--convert-to", "doc:MS Word 97", "--outdir", folder, str(work / "in.docx")],
                       check=True, capture_output=True, timeout=120, env={**os.environ, "HOME": folder})
        return (work / "in.doc").read_bytes()


@pytest.fixture(scope="module")
def report_doc() -> bytes:
    return to_doc(html_to_docx(sample_report("2021").render_html()))


def test_a_generated_report_saved_as_doc_reads_every_figure(report_doc: bytes) -> None:
    assert report_doc.startswith(b"\xd0\xcf\x11\xe0")  # really the OLE Word 97 format
    got = extract_bytes(report_doc, "report.doc").to_dict()
    assert "error" not in got, got.get("error")
    assert got["source"]["format"] == "doc" and got["report"]["format_era"] == "2021"
    assert got["report"]["region"] == "芦淞区" and got["report"]["year"] == 2022
    assert_complete(got, sample_report("2021"))


def test_the_same_file_named_wps_is_read_as_wps(report_doc: bytes) -> None:
    got = extract_bytes(report_doc, "年报.wps").to_dict()
    assert got["source"]["format"] == "wps" and got["metrics"]["applications_new"] == 25


def test_the_blank_2021_template_as_doc_keeps_its_three_tables_and_gives_no_figures() -> None:
    doc_bytes = to_doc(shared_path("real-files", "template_2021_blank.docx").read_bytes())
    document = build_document(read_report(doc_bytes, "template.doc"))
    assert [(len(g.rows), g.width) for g in document.grids] == [(14, 4), (28, 10), (4, 15)]
    got = extract_document(document, make_source(doc_bytes, "template.doc", "doc")).to_dict()
    assert not got["metrics"] and got["report"]["year"] is None


def test_a_damaged_doc_is_refused_with_a_sentence() -> None:
    soffice()
    got = extract_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "broken.doc").to_dict()
    assert "could not convert" in got["error"]


def test_a_conversion_over_its_time_is_stopped(report_doc: bytes) -> None:
    soffice()
    with pytest.raises(ReportError, match="took more than"):
        office_convert.convert_to_docx(report_doc, "doc", timeout=0.05)


def test_without_libreoffice_the_error_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    got = extract_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old.doc").to_dict()
    assert "apt-get install libreoffice-writer-nogui" in got["error"]
