"""Issue 22 points 1–2: nothing in a folder stops `ingest`, and any file name is kept as it is.

The driver lists and hashes before any budgeted worker sees a file: a FIFO there blocked the run forever, a symlink
to /dev/zero was hashed forever, a 20 GB sparse file for 70 s, a folder it could not list was skipped without a
word, and a file name that is not UTF-8 stopped every run with a pyarrow traceback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import hostile_builder as hb
import pytest
from conftest import ROOT
from report_builder import sample_report

from govreport_core.extraction.names import original_name, printable_name
from govreport_core.store import Store

NAMES = [b"\xff\xfe.html", b"line\nbreak.html", "右\u202eLMTH.html".encode(), b"back\\x41slash.html",
         "全角　空格 2022.html".encode(), b"\xe4\xb8.html"]


@pytest.mark.parametrize("raw", NAMES, ids=["not-utf8", "newline", "rlo", "backslash", "spaces", "cut-utf8"])
def test_a_name_is_printable_and_turns_back_into_its_bytes(raw: bytes) -> None:
    shown = printable_name(os.fsdecode(raw))
    shown.encode("utf-8")  # valid text for DuckDB, Arrow, JSON and a strict stdout
    assert shown.isprintable() or "\u3000" in shown  # one line, no control or format character
    assert os.fsencode(original_name(shown)) == raw


def test_names_that_need_no_escape_are_unchanged() -> None:
    for name in ("芦淞区2022年报.pdf", "/data/reports/a b (1).html", "report.final.v2.docx"):
        assert printable_name(name) == name


def _report(seed: int) -> bytes:
    """A report of its own (a different title each): each file a new report, none a copy of another."""
    title = f"株洲市荷塘区人民政府{2014 + seed}年政府信息公开工作年度报告"
    return sample_report("2021", title=title).render_html().encode()


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    for n, raw in enumerate(NAMES):
        (folder / os.fsdecode(raw)).write_bytes(_report(n))
    hb.fifo(folder, "pipe.html")
    hb.zero_symlink(folder, "zero.html")
    with (folder / "sparse.txt").open("wb") as handle:
        handle.truncate(20_000_000_000)
    locked = folder / "locked"
    locked.mkdir()
    (locked / "inside.html").write_bytes(_report(9))
    locked.chmod(0)
    return folder


def _ingest(folder: Path, db: Path) -> subprocess.CompletedProcess[str]:
    """The command line, without root's power to read any folder when run as root (a mode-000 folder is then
    unreadable to it, as to any user)."""
    command = [sys.executable, "-m", "govreport_core", "ingest", str(folder), "--db", str(db)]
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("setpriv (util-linux) is needed to drop root's read-any-file capability")
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *command]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.mark.slow  # a whole ingest in worker processes
def test_a_folder_of_hostile_paths_and_names_is_read_to_the_end(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    db = tmp_path / "g.duckdb"
    Store(db).close()
    try:
        first = _ingest(folder, db)
        second = _ingest(folder, db)
    finally:
        (folder / "locked").chmod(0o755)
    assert "Traceback" not in first.stderr + first.stdout
    assert first.returncode == 1 and f"{len(NAMES)} new" in first.stdout and "4 failed" in first.stdout
    failures = dict(line.strip().removeprefix("failed: ").split(": ", 1) for line in first.stdout.splitlines()
                    if line.strip().startswith("failed: "))
    assert failures == {
        str(folder / "locked"): "This folder cannot be read (Permission denied); the files in it are not read.",
        str(folder / "pipe.html"): "This path is a FIFO, not a regular file; only files are read.",
        str(folder / "sparse.txt"): "The file is larger than the 50 MB size limit (raise it with --max-size).",
        str(folder / "zero.html"): "This path is a device, not a regular file; only files are read."}
    assert f"0 new, 0 updated, {len(NAMES)} unchanged" in second.stdout and "4 failed" in second.stdout
    store = Store(db)
    stored = [name for (name,) in store.query("SELECT file_name FROM sources").itertuples(index=False)]
    store.close()
    assert sorted(os.fsencode(original_name(name)) for name in stored) == sorted(NAMES)
    assert r"\xff\xfe.html" in stored and r"line\x0abreak.html" in stored
