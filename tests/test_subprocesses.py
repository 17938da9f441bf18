"""Helper programs die with the reading that started them (issue 22.7): a process that runs one through
`readers.subprocesses.run` is killed with SIGKILL (as a worker over its time budget is), and nothing it started
is left running, nor its temporary folder; the same for a real LibreOffice conversion of a .doc file."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from test_office import report_doc, soffice  # noqa: F401 (a fixture)

from govreport_core.extraction.readers import subprocesses

pytestmark = pytest.mark.slow  # helper programs started and killed, LibreOffice among them


def processes_naming(text: str, name: str | None = None) -> list[int]:
    """Pids whose command line holds `text` (and whose program is `name`)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            comm = (entry / "comm").read_text().strip()
        except OSError:
            continue
        if text in line and (name is None or comm == name):
            found.append(int(entry.name))
    return found


def wait_for(check, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return check()


def start_reader(code: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """A process standing for a budgeted worker: it runs `code` (which starts a helper program) and is killed."""
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_timeout_kills_the_whole_group(tmp_path: Path) -> None:
    token = f"{900 + random.random():.6f}"  # a sleep no other process runs
    start = time.monotonic()
    with pytest.raises(subprocess.TimeoutExpired):
        subprocesses.run(["sh", "-c", f"sleep {token} & sleep {token}; wait"], timeout=0.5)
    assert time.monotonic() - start < 10
    assert wait_for(lambda: not processes_naming(token, "sleep"), 5)  # the background sleep too


def test_a_finished_program_gives_its_output_and_leaves_nothing_behind(tmp_path: Path) -> None:
    token = f"{900 + random.random():.6f}"
    done = subprocesses.run(["sh", "-c", f"(sleep {token} >/dev/null 2>&1 &) ; printf 'ok'"], timeout=30, capture=True)
    assert done.returncode == 0 and done.stdout == b"ok"
    assert wait_for(lambda: not processes_naming(token, "sleep"), 5)  # what it left running is killed


def test_killing_the_reader_kills_its_helper_and_removes_its_folder(tmp_path: Path) -> None:
    token = f"{900 + random.random():.6f}"
    folder = tmp_path / "helper-folder"
    folder.mkdir()
    reader = start_reader(
        "from pathlib import Path\nfrom govreport_core.extraction.readers import subprocesses\n"
        f"subprocesses.run(['sh', '-c', 'sleep {token} & sleep {token}; wait'], timeout=600, "
        f"cleanup=Path({str(folder)!r}))\n")
    try:
        assert wait_for(lambda: len(processes_naming(token, "sleep")) == 2, 30)
        reader.send_signal(signal.SIGKILL)  # as the worker pool stops a worker over its time: no finally runs
        reader.wait()
        assert wait_for(lambda: not processes_naming(token, "sleep"), 10)
        assert wait_for(lambda: not folder.exists(), 5)
    finally:
        for pid in processes_naming(token, "sleep"):
            os.kill(pid, signal.SIGKILL)


def test_a_killed_doc_conversion_leaves_no_soffice_and_no_profile(tmp_path: Path, report_doc: bytes) -> None:  # noqa: F811
    soffice()
    source = tmp_path / "report.doc"
    source.write_bytes(report_doc)
    work = tmp_path / "tmp"  # the reader's temporary folder: its profile folder goes here, our marker
    work.mkdir()
    reader = start_reader("from pathlib import Path\nfrom govreport_core.extraction.readers import office_convert\n"
                          f"office_convert.convert_to_docx(Path({str(source)!r}).read_bytes(), 'doc', timeout=600)\n",
                          env={"TMPDIR": str(work)})
    try:
        assert wait_for(lambda: bool(processes_naming(str(work), "soffice.bin")), 60), "LibreOffice never started"
        # Frozen mid-conversion, as on a file it never finishes: it cannot end by itself before its reader dies.
        for pid in processes_naming(str(work), "soffice.bin"):
            os.kill(pid, signal.SIGSTOP)
        reader.send_signal(signal.SIGKILL)  # as the worker pool stops a worker over its time: no finally runs
        reader.wait()
        assert wait_for(lambda: not processes_naming(str(work)), 15), "soffice.bin outlived its reader"
        assert wait_for(lambda: not list(work.glob("govreport-office-*")), 5)  # the throw-away profile is gone
    finally:
        for pid in processes_naming(str(work)):
            os.kill(pid, signal.SIGKILL)
