"""Limits: how far one report file may expand while it is read (the budget's sizes, checked by the readers).

A report of a few kilobytes can expand to gigabytes (a zip bomb in a DOCX, a huge Flate stream in a PDF, a
table cell spanning a billion columns). `Budget` holds the limits (60 s and 1 GB by default; the command line
sets them); readers check the expanded-size limits before they expand anything (`check_zip`,
`check_pdf_streams`, `check_pages`, `grid_cells_error`) against the budget of the extraction running now
(`active`). `read_regular_file` reads a path only if it is a regular file (no device, FIFO or socket, also
through a symlink), at most the size limit plus one byte: the size is what was read (`st_size` only refuses).
The time and memory budget are enforced from outside the extraction, by the worker pool (service/workers.py):
memory as the resident size the file adds to its worker process and that process's children (sampled), time
as a deadline that a scan pushes back once its page count is known (`note_scanned_pages`, `deadline`).
Sizes are decimal: 1 MB = 1,000,000 bytes, 1 GB = 1,000 MB (the same everywhere, messages included).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from govreport_core.model import ReportError
from govreport_core.settings import SETTINGS

log = logging.getLogger(__name__)
MB = 1_000_000


@dataclass(frozen=True)
class Budget:
    """Limits for one file's extraction. Sizes in MB of 1,000,000 bytes."""

    seconds: float = 60.0  # wall time per file (a scan gets more: `deadline`); the worker is killed after it
    memory_mb: int = 1000  # resident memory one extraction may add to its worker (children included), sampled
    max_file_mb: float = 50.0  # bytes read from one file
    expanded_mb: int = 1000  # DOCX members' uncompressed sum; PDF streams decoded
    max_ratio: int = 100  # uncompressed/compressed size of a large DOCX member (a zip bomb beyond it)
    max_pages: int = 1000  # PDF pages
    max_grid_cells: int = 200_000  # one table's positions after rowspans and colspans

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * MB)

    @property
    def memory_bytes(self) -> int:
        return int(self.memory_mb * MB)

    @property
    def expanded_bytes(self) -> int:
        return int(self.expanded_mb * MB)

    @property
    def address_space_bytes(self) -> int:
        """RLIMIT_AS over the idle worker: a loose backstop for growth faster than the sampling sees. Several
        GB, because address space is not memory: the OCR libraries reserve 1.3 GB of it to read a 5-page
        scan that is 0.46 GB resident (VmPeak against VmHWM, README "Reliability")."""
        return 2 * self.memory_bytes + 4000 * MB


DEFAULT_BUDGET = Budget()
_ACTIVE: ContextVar[Budget] = ContextVar("govreport_budget", default=DEFAULT_BUDGET)


def active() -> Budget:
    """The budget of the extraction running now (readers check their limits against it)."""
    return _ACTIVE.get()


@contextlib.contextmanager
def using(budget: Budget) -> Iterator[Budget]:
    token = _ACTIVE.set(budget)
    try:
        yield budget
    finally:
        _ACTIVE.reset(token)


# --- the time budget of a scan -----------------------------------------------------------------------

_ON_SCANNED_PAGES: list[Callable[[int], None]] = []  # set in a worker process by the pool that runs it


def deadline(budget: Budget, scanned_pages: int = 0) -> float:
    """Seconds one file may take: the budget's timeout, or for a scan of that many pages the settings' rule
    (a base plus seconds per page) when it gives more."""
    if scanned_pages <= 0:
        return budget.seconds
    return max(budget.seconds, SETTINGS.scan_seconds_base + scanned_pages * SETTINGS.scan_seconds_per_page)


def note_scanned_pages(pages: int) -> None:
    """The OCR reader knows how many pages it will read: the file's deadline grows to `deadline(budget, pages)`.
    Told to the worker pool watching this process; in a process that no pool watches nothing is timed."""
    for hook in _ON_SCANNED_PAGES:
        hook(pages)


def on_scanned_pages(hook: Callable[[int], None]) -> None:
    """Called once by a budgeted worker process: where `note_scanned_pages` sends the page count."""
    _ON_SCANNED_PAGES[:] = [hook]


def size_text(n_bytes: float) -> str:
    """1000000000 -> "1 GB", 52428800 -> "52.4 MB", 1500 -> "1.5 kB" (decimal units, as everywhere here)."""
    if n_bytes >= 1000 * MB:
        return f"{n_bytes / (1000 * MB):.3g} GB"
    return f"{n_bytes / MB:.3g} MB" if n_bytes >= MB else f"{n_bytes / 1000:.3g} kB"


def too_big_message(limit: float) -> str:
    return f"The file is larger than the {size_text(limit)} size limit (raise it with --max-size)."


# --- reading within the limits ---------------------------------------------------------------------

def read_regular_file(path: str | Path, max_bytes: int) -> bytes:
    """The bytes of a regular file, at most `max_bytes` (ReportError beyond, or for anything but a file).

    Opened without blocking (a FIFO would wait forever for a writer) and checked on the open descriptor,
    so a symlink to /dev/zero is a character device, not a file of size 0. A regular file whose size says it
    is over the limit is refused unread; otherwise what is read is counted (a file may grow, /proc says 0)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        info = os.fstat(fd)
        mode = info.st_mode
        if stat.S_ISREG(mode) and info.st_size > max_bytes:  # a sparse 20 GB file: refused unread
            raise ReportError(too_big_message(max_bytes))
        if not stat.S_ISREG(mode):
            kind = "a directory" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode) else \
                "a socket" if stat.S_ISSOCK(mode) else "a device"
            raise ReportError(f"This path is {kind}, not a regular file; only files are read.")
        os.set_blocking(fd, True)
        data = bytearray()
        with os.fdopen(fd, "rb", closefd=False) as handle:
            while len(data) <= max_bytes:  # in blocks: read(limit) would allocate the whole limit up front
                block = handle.read(min(1 << 20, max_bytes + 1 - len(data)))
                if not block:
                    break
                data += block
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise ReportError(too_big_message(max_bytes))
    return bytes(data)


def check_zip(archive: zipfile.ZipFile, what: str = "The DOCX file") -> None:
    """Refuse a zip whose members would expand beyond the budget, before any member is inflated."""
    budget = active()
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if info.file_size > MB and info.file_size > budget.max_ratio * max(info.compress_size, 1):
            raise ReportError(f"{what} expands to more than {size_text(info.file_size)} from "
                              f"{size_text(info.compress_size)} ({info.filename}): a compression bomb, not read.")
    if total > budget.expanded_bytes:
        raise ReportError(f"{what} expands to more than {size_text(budget.expanded_bytes)}; it is not read.")


_STREAM = re.compile(rb"stream\r?\n")


def check_pdf_streams(data: bytes) -> None:
    """Refuse a PDF whose compressed streams decode to more than the budget, counted without keeping them.

    Each `stream` keyword is tried as the start of a zlib stream and inflated in chunks: only the count is
    kept, so a 1.5 GB stream costs a few megabytes here instead of its size in the PDF reader."""
    limit = active().expanded_bytes
    total = 0
    for match in _STREAM.finditer(data):
        start = match.end()
        if data[start:start + 1] not in (b"x", b"h", b"X"):  # not a zlib header: raw or other filters
            continue
        inflater = zlib.decompressobj()
        chunk = data[start:start + (1 << 20)]
        offset = start + len(chunk)
        try:
            while chunk:
                total += len(inflater.decompress(chunk, 1 << 24))
                while inflater.unconsumed_tail and total <= limit:
                    total += len(inflater.decompress(inflater.unconsumed_tail, 1 << 24))
                if inflater.eof or total > limit:
                    break
                chunk = data[offset:offset + (1 << 20)]
                offset += len(chunk)
        except zlib.error:
            continue  # encrypted or not zlib after all: the PDF reader decides
        if total > limit:
            raise ReportError(f"The PDF's compressed content expands to more than {size_text(limit)}; "
                              "it is not read.")


def check_pages(pages: int) -> None:
    budget = active()
    if pages > budget.max_pages:
        raise ReportError(f"The PDF has {pages} pages, more than the {budget.max_pages} pages a report is read "
                          "up to; it is not read.")


def grid_cells_error(cells: int) -> ReportError:
    return ReportError(f"A table of the file expands to more than {active().max_grid_cells:,} cells after its "
                       f"merged cells are spread ({cells:,} so far); it is not read.")


def local_path(url: str) -> str | None:
    """The path a `file://` (or other local) fsspec URL names, else None."""
    import fsspec
    from fsspec.implementations.local import LocalFileSystem

    try:
        fs, path = fsspec.core.url_to_fs(url)
    except (ImportError, ValueError):
        return None
    return path if isinstance(fs, LocalFileSystem) else None


def read_url(url: str, max_bytes: int) -> bytes:
    """An fsspec URL's bytes (s3://…, file://…), at most `max_bytes`; ReportError with a sentence otherwise.
    A local URL is read as a path is (a FIFO behind file:// must not block)."""
    import fsspec

    path = local_path(url)
    if path is not None:
        try:
            return read_regular_file(path, max_bytes)
        except OSError as exc:
            raise ReportError(f"The file cannot be opened: {exc.strerror or exc}.") from exc
    try:
        with fsspec.open(url, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except ImportError as exc:  # e.g. s3:// without s3fs installed
        raise ReportError(f"This kind of URL needs a package that is not installed ({exc}).") from exc
    except (OSError, ValueError) as exc:
        raise ReportError(f"The file cannot be opened: {exc}.") from exc
    if len(data) > max_bytes:
        raise ReportError(too_big_message(max_bytes))
    return data

