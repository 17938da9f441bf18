"""The two OCR engines, each loaded once per process and run on one core.

- Tesseract 5 (Debian's `tesseract-ocr` with `tesseract-ocr-chi-sim`) reads the text of a page and the cells of
  its tables, all stacked on one sheet; the cells that may be numbers again with its English model allowed only
  digits (a second sheet). It runs as a program per call (a model loads in about 0.07 s), through
  `subprocesses.run`: in a process group of its own, killed with it at `TESSERACT_SECONDS` and when the worker
  reading the scan is killed over its budget (pytesseract's own Popen killed only the program at its timeout,
  and nothing when the worker died: Tesseract ran on orphaned). `OMP_THREAD_LIMIT=1` because its OpenMP threads
  spin: a page took 3.5 s of CPU with them and 1.25 s without, for the same text.
- RapidOCR's text recogniser (the PP-OCRv4 recognition model shipped in the `rapidocr-onnxruntime` wheel,
  run offline by onnxruntime with one thread; no detection step) reads one line per crop, every character
  with its probability, so one uncertain digit leaves its number out. It is the most accurate on printed
  digits and on large titles, and the slowest (18 ms for a cell): it reads only what Tesseract is unsure of.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from govreport_core.model import ReportError

from . import subprocesses

LANG = "chi_sim"
DIGITS_OPTIONS = ("-l", "eng", "-c", "tessedit_char_whitelist=0123456789.")  # eng ships with Debian's tesseract-ocr
# One Tesseract run reads one page or one sheet of cells: about 1 s here (README, "Scanned PDFs"). Far beyond it
# the image is pathological; the run is stopped with a sentence instead of holding the worker to its deadline.
TESSERACT_SECONDS = 120.0
INSTALL_HINT = ("install Tesseract with its Simplified Chinese model: "
                "`apt-get install tesseract-ocr tesseract-ocr-chi-sim` (Debian/Ubuntu)")
_GAP = 24  # px between crops on the sheet read by Tesseract
_HEIGHT = 48  # the recogniser's input height (its model's)
_WIDTH = 320  # the model's input width in training: narrower inputs are read far less surely (a "0" at 0.4)
_BATCH = 1  # crops per run: one at a time measured fastest on one thread (18 ms a crop; 25–30 ms in batches)
_CJK = r"\u3400-\u9fff\u3000-\u303f\uff00-\uffef"
CJK_SPACE = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")


@dataclass
class TessWord:
    text: str
    confidence: float  # 0–100
    left: int
    top: int
    width: int
    height: int
    line: tuple[int, int, int]  # Tesseract's block, paragraph and line numbers


@dataclass
class Reading:
    text: str
    probabilities: list[float]  # one per character of `text`

    @property
    def certainty(self) -> float:
        return min(self.probabilities, default=0.0)


def tesseract() -> str:
    """The Tesseract program, once it, its Chinese model and the recogniser's package are known to be there."""
    program = shutil.which("tesseract")
    if program is None:
        raise ReportError(f"The PDF has no text layer (a scan); to read it by OCR, {INSTALL_HINT}.")
    if not {LANG, "eng"} <= set(_languages(program)):
        raise ReportError(f"The PDF has no text layer (a scan) and Tesseract has no Chinese model; {INSTALL_HINT}.")
    if importlib.util.find_spec("rapidocr_onnxruntime") is None:
        raise ReportError("The PDF has no text layer (a scan); to read it by OCR, install the project's pinned "
                          "requirements (pip install -r requirements.txt: rapidocr-onnxruntime).")
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # read by every tesseract program started from here
    return program


_LANGUAGES: dict[str, list[str]] = {}


def _languages(program: str) -> list[str]:
    """Tesseract's installed models, asked once per process (it is a program run)."""
    if program not in _LANGUAGES:
        try:
            done = subprocesses.run([program, "--list-langs"], 30, capture=True)
        except subprocess.TimeoutExpired:
            raise ReportError("Tesseract did not answer within 30 s; the scan was not read.") from None
        lines = (done.stdout or done.stderr).decode("utf-8", "replace").splitlines()
        _LANGUAGES[program] = [line.strip() for line in lines[1:] if line.strip()]  # after "List of available…"
    return _LANGUAGES[program]


def _tsv(program: str, pixels: np.ndarray, options: list[str], timeout: float) -> str:
    """Tesseract's TSV of an image, the image given as a BMP file (uncompressed: no PNG encoding per call) in a
    folder of its own that goes with the run however it ends."""
    folder = Path(tempfile.mkdtemp(prefix="govreport-ocr-"))
    try:
        image = folder / "image.bmp"
        Image.fromarray(pixels).save(image, format="BMP")
        try:
            done = subprocesses.run([program, str(image), "stdout", *options, "tsv"], timeout, capture=True,
                                    cleanup=folder)
        except subprocess.TimeoutExpired:
            raise ReportError(f"OCR of one page took longer than {timeout:g} s; the scan was not read.") from None
        if done.returncode != 0:
            said = (done.stderr or b"").decode("utf-8", "replace").strip().splitlines()
            raise ReportError(f"Tesseract could not read a page ({said[-1][:160] if said else done.returncode}).")
        return done.stdout.decode("utf-8", "replace")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def read_words(program: str, pixels: np.ndarray, psm: int, digits: bool = False,
               timeout: float = TESSERACT_SECONDS) -> list[TessWord]:
    """Tesseract's words on an image, with their boxes and line numbers, in its reading order; `digits`: read by
    the English model allowed only digits and a decimal point (Tesseract's own numbers model, in effect)."""
    options = ["--psm", str(psm), *(DIGITS_OPTIONS if digits else ("-l", LANG))]
    words = []
    # Columns: level page block paragraph line word left top width height confidence text (a header line first).
    for row in _tsv(program, pixels, options, timeout).splitlines()[1:]:
        cells = row.split("\t", 11)
        if len(cells) == 12 and cells[11].strip():
            block, paragraph, line, left, top, width, height = (int(cells[i]) for i in (2, 3, 4, 6, 7, 8, 9))
            words.append(TessWord(cells[11].strip(), float(cells[10]), left, top, width, height,
                                  (block, paragraph, line)))
    return words


def read_sheet(program: str, crops: list[np.ndarray], digits: bool = False) -> list[list[TessWord]]:
    """Many crops read in one Tesseract run, stacked on one sheet so neighbours never run together: per crop,
    its words in reading order, their boxes in the crop's own pixels."""
    if not crops:
        return []
    width = max(crop.shape[1] for crop in crops) + 2 * _GAP
    height = sum(crop.shape[0] + _GAP for crop in crops) + _GAP
    sheet = np.full((height, width), 255, dtype=np.uint8)
    spans: list[tuple[int, int]] = []
    y = _GAP
    for crop in crops:
        sheet[y:y + crop.shape[0], _GAP:_GAP + crop.shape[1]] = crop
        spans.append((y, y + crop.shape[0]))
        y += crop.shape[0] + _GAP
    out: list[list[TessWord]] = [[] for _ in crops]
    for word in read_words(program, sheet, 6, digits):
        middle = word.top + word.height / 2
        for index, (start, end) in enumerate(spans):
            if start - _GAP / 2 <= middle < end + _GAP / 2:
                word.top, word.left = word.top - start, word.left - _GAP
                out[index].append(word)
                break
    return out


def joined(words: list[TessWord]) -> str:
    """Words as text: lines in Tesseract's order, Chinese without the spaces Tesseract puts between characters."""
    lines: dict[tuple[int, int, int], list[TessWord]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    text = " ".join(" ".join(w.text for w in line) for _, line in sorted(lines.items()))
    return CJK_SPACE.sub("", text).strip()


# --- RapidOCR's recogniser --------------------------------------------------------------------------

_RECOGNISER: list[Any] = []  # (session, characters), loaded once per process


def preload() -> None:
    """Load the recogniser now (a worker does it at start, so no file pays for it); nothing without RapidOCR."""
    if not _RECOGNISER and importlib.util.find_spec("rapidocr_onnxruntime") is not None:
        _recogniser()


def _recogniser() -> tuple[Any, list[str]]:
    if not _RECOGNISER:
        import rapidocr_onnxruntime
        from rapidocr_onnxruntime.ch_ppocr_rec import TextRecognizer

        model = Path(rapidocr_onnxruntime.__file__).parent / "models" / "ch_PP-OCRv4_rec_infer.onnx"
        # One thread: the machine's other cores are for the other files being read.
        recogniser = TextRecognizer({"model_path": str(model), "intra_op_num_threads": 1,
                                     "inter_op_num_threads": 1, "rec_img_shape": [3, _HEIGHT, _WIDTH],
                                     "rec_batch_num": _BATCH})
        _RECOGNISER.append((recogniser.session, recogniser.postprocess_op.character))
    return _RECOGNISER[0]


def recognise(crops: list[np.ndarray], min_width: int = _WIDTH) -> list[Reading]:
    """Each crop (grey, one line of text) read by the recogniser, with each character's probability.

    Crops are sorted by width and run in batches, each as wide as its widest crop at the model's height and
    at least `min_width` (padded on the right, as the package does)."""
    if not crops:
        return []
    import cv2

    session, characters = _recogniser()
    widths = [max(1, int(np.ceil(_HEIGHT * crop.shape[1] / crop.shape[0]))) for crop in crops]
    order = np.argsort(widths, kind="stable")
    out: list[Reading] = [Reading("", [])] * len(crops)
    for begin in range(0, len(crops), _BATCH):
        batch = order[begin:begin + _BATCH]
        width = max(min_width, max(widths[i] for i in batch))
        inputs = np.zeros((len(batch), 3, _HEIGHT, width), dtype=np.float32)
        for k, i in enumerate(batch):
            resized = cv2.resize(crops[i], (widths[i], _HEIGHT)).astype(np.float32) / 127.5 - 1.0
            inputs[k, :, :, :widths[i]] = resized  # the same grey in the three colour channels
        predictions = session(inputs)[0]
        for k, i in enumerate(batch):
            out[i] = _decode(predictions[k], characters)
    return out


def _decode(steps: np.ndarray, characters: list[str]) -> Reading:
    """CTC greedy decoding: a character per run of one class (blank, class 0, separates repeats), with the
    highest probability over its run."""
    best = steps.argmax(axis=1)
    probability = steps.max(axis=1)
    text: list[str] = []
    probabilities: list[float] = []
    previous = 0
    for cls, p in zip(best.tolist(), probability.tolist(), strict=True):
        if cls != 0 and cls == previous:
            probabilities[-1] = max(probabilities[-1], p)
        elif cls != 0:
            text.append(characters[cls])
            probabilities.append(p)
        previous = cls
    kept = [(c, p) for c, p in zip(text, probabilities, strict=True) if c.strip()]
    return Reading("".join(c for c, _ in kept), [p for _, p in kept])
