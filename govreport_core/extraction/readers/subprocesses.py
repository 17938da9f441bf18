"""Helper programs (LibreOffice, Tesseract) that end with the reading that started them, however it ends.

A reader that runs another program must not leave it behind: a budgeted worker that overruns its time is
killed with SIGKILL (service/workers.py), so its own `finally` never runs, and a `.doc` conversion then went
on as an orphaned `soffice.bin` at 100% CPU for minutes beside a left-over `/tmp/govreport-office-*` profile.
`run` therefore
- starts the program in a process group of its own (a new session), killed as a group at the timeout and
  after it ends (whatever it started and left behind goes too);
- starts a small guard process beside it that holds the read end of a pipe only this process writes to:
  when this process ends in any way (even kill -9) the pipe closes, and the guard kills the group and
  removes the `cleanup` folder. A run that finishes tells the guard so, and the guard just exits.
The guard is a bare Python (`-I -S`: no site packages, about 20 ms to start), in a session of its own so that a
Ctrl-C meant for the command line does not stop it before it has cleaned up.

The OCR reader calls Tesseract through `run` too (`ocr_engines.read_words`: `[tesseract, image, "stdout", "--psm",
"6", "-l", "chi_sim", "tsv"]` with the image's folder as `cleanup`) and reads the TSV from `.stdout`
(pytesseract's own `Popen` left Tesseract running when the worker was killed).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

# Reads until this process closes the pipe: "done" means the program ended here, anything else (EOF only) that
# this process died; then the group is killed and the folder removed. Signals that stop a terminal's jobs are
# ignored, so that a Ctrl-C reaches the command line but never this cleaner.
_GUARD = """
import os, shutil, signal, sys
for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"):
    signal.signal(getattr(signal, name), signal.SIG_IGN)
said = sys.stdin.buffer.read()
if said != b"done":
    try:
        os.killpg(int(sys.argv[1]), signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if len(sys.argv) > 2:
        shutil.rmtree(sys.argv[2], ignore_errors=True)
"""


def run(command: list[str], timeout: float, *, env: dict[str, str] | None = None, capture: bool = False,
        input: bytes | None = None, cleanup: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run `command` in its own process group within `timeout` seconds; subprocess.TimeoutExpired after the
    group was killed. With `capture`, stdout and stderr are returned; otherwise they are discarded. The group,
    and the `cleanup` folder, also go when this process dies before the program ends."""
    pipe = subprocess.PIPE if capture else subprocess.DEVNULL
    process = subprocess.Popen(command, stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
                               stdout=pipe, stderr=pipe, env=env, start_new_session=True)
    guard = _start_guard(process.pid, cleanup)
    try:
        try:
            stdout, stderr = process.communicate(input, timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process.pid)
            process.communicate()
            raise
        return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
    finally:
        _kill_group(process.pid)  # whatever it started and left behind goes too
        if process.poll() is None:
            process.kill()
            process.wait()
        _release(guard)


def _start_guard(group: int, cleanup: Path | None) -> subprocess.Popen[bytes] | None:
    try:
        return subprocess.Popen([sys.executable, "-I", "-S", "-c", _GUARD, str(group),
                                 *([str(cleanup)] if cleanup is not None else [])],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
    except OSError:  # no process left to start one: the timeout still holds while this process lives
        return None


def _release(guard: subprocess.Popen[bytes] | None) -> None:
    if guard is None or guard.stdin is None:
        return
    with contextlib.suppress(OSError):
        guard.stdin.write(b"done")
    with contextlib.suppress(OSError):
        guard.stdin.close()
    with contextlib.suppress(subprocess.TimeoutExpired):
        guard.wait(timeout=5)


def _kill_group(group: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)
