"""Resident memory of a worker process and its children, sampled cheaply; and ending a process with them.

The memory budget counts what a file's extraction truly holds (its worker's resident size, plus any program it
runs: Tesseract, LibreOffice), not address space: the OCR libraries reserve gigabytes of address space they
never touch. Reading one process's resident size is one small /proc read (`/proc/PID/statm`); finding its
children means scanning every process, so `Tree` does that once a second and reads the sizes every sample.
"""

from __future__ import annotations

import contextlib
import os
import time

import psutil

CHILDREN_SECONDS = 1.0  # how often a worker's children are looked for (a scan of every process: ~3 ms)
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss(pid: int) -> int:
    """One process's resident size in bytes (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):  # gone, or no /proc: psutil's way
        with contextlib.suppress(psutil.Error):
            return psutil.Process(pid).memory_info().rss
        return 0


class Tree:
    """A process and its descendants, whose resident sizes add up to what `resident` says."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.children: list[int] = []
        self._looked = 0.0

    def resident(self) -> int:
        now = time.monotonic()
        if now - self._looked >= CHILDREN_SECONDS:
            self._looked = now
            with contextlib.suppress(psutil.Error):
                self.children = [child.pid for child in psutil.Process(self.pid).children(recursive=True)]
        return rss(self.pid) + sum(rss(child) for child in self.children)


def kill_tree(pid: int) -> None:
    """Kill a process and every process under it (a worker and the Tesseract or LibreOffice it started)."""
    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        children = []
    for process in [*children]:
        with contextlib.suppress(psutil.Error):
            process.kill()
    with contextlib.suppress(OSError):
        os.kill(pid, 9)
