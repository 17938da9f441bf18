"""Tesseract runs through `readers.subprocesses.run` (issue 22.7 for OCR): in a process group of its own, so no
`tesseract` outlives its timeout, nor the worker reading the scan when that worker is killed over its budget
(pytesseract's own Popen killed only the program at its timeout, and nothing when its parent died)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT
from test_subprocesses import processes_naming, wait_for

from govreport_core.extraction.readers import ocr_engines
from govreport_core.model import ReportError

pytestmark = pytest.mark.slow  # Tesseract started and killed

NOISE_SIDE = 3000  # px: a page of grain that Tesseract's layout analysis takes many seconds over


@pytest.fixture
def program() -> str:
    try:
        return ocr_engines.tesseract()
    except ReportError as exc:
        pytest.skip(str(exc))


def noise() -> np.ndarray:
    return (np.random.default_rng(7).random((NOISE_SIDE, NOISE_SIDE)) * 255).astype(np.uint8)


def test_a_tiny_timeout_leaves_no_tesseract_and_no_image_behind(program: str, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the image's folder, so its Tesseract can be found
    with pytest.raises(ReportError, match=r"took longer than 0\.3 s"):
        ocr_engines.read_words(program, noise(), 3, timeout=0.3)
    assert not processes_naming(str(tmp_path), "tesseract")  # killed before `run` returned, not later
    assert list(tmp_path.iterdir()) == []  # the image and its folder removed


def test_killing_the_reader_kills_its_tesseract_and_removes_the_image(program: str, tmp_path: Path) -> None:
    code = ("import numpy as np\nfrom govreport_core.extraction.readers import ocr_engines\n"
            f"pixels = (np.random.default_rng(7).random(({NOISE_SIDE}, {NOISE_SIDE})) * 255).astype(np.uint8)\n"
            "ocr_engines.read_words(ocr_engines.tesseract(), pixels, 3)\n")
    reader = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "TMPDIR": str(tmp_path)},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: processes_naming(str(tmp_path), "tesseract"), 60), "Tesseract never started"
        reader.send_signal(signal.SIGKILL)  # as the worker pool kills a worker over its time or memory budget
        reader.wait(timeout=10)
        assert wait_for(lambda: not processes_naming(str(tmp_path), "tesseract"), 10)
        assert wait_for(lambda: list(tmp_path.iterdir()) == [], 10)
    finally:
        if reader.poll() is None:
            reader.kill()
        for pid in processes_naming(str(tmp_path), "tesseract"):  # only what this test started
            os.kill(pid, signal.SIGKILL)
