"""`bench --ingest --mix national`: the mixed folder is made as the mix says, every engine reads every file of
it, and the tables are printed. Speed itself is measured by running the bench, never asserted here."""

from __future__ import annotations

import contextlib
import re
import socket
import subprocess
import sys

import pytest
from conftest import ROOT

from govreport_core.devtools.corpus.mix import MIXES, Mix

ENGINES = ("1 budgeted worker", "2 budgeted workers", "2-worker Dask LocalCluster")
SUMMARY = re.compile(r"\((\d+) new, (\d+) updated, (\d+) unchanged, (\d+) duplicate, (\d+) without any data, "
                     r"(\d+) failed\)")


@pytest.mark.parametrize("count", [3, 8, 40, 300, 1001])
def test_a_mix_shares_out_every_file_and_gives_each_kind_one(count: int) -> None:
    mix = MIXES["national"]
    counts = mix.counts(count)
    assert sum(counts.values()) == count
    assert all(n >= 1 for n in counts.values())
    if count >= 40:  # the rounding is the only departure from the shares
        assert all(abs(counts[kind] - share * count) <= 1 for kind, share in mix.shares)


def test_the_national_mix_at_300_files_is_225_pdfs_66_pages_and_9_scans() -> None:
    assert MIXES["national"].counts(300) == {"PDF": 225, "HTML": 66, "scan": 9}
    assert Mix((("PDF", 0.5), ("HTML", 0.5))).counts(3) in ({"PDF": 2, "HTML": 1}, {"PDF": 1, "HTML": 2})


@pytest.mark.slow  # LibreOffice and chromium make the PDFs, OCR reads the scan three times, a Dask cluster starts
def test_bench_ingest_national_mix_reads_every_file_with_every_engine() -> None:
    files = 8
    with socket.socket() as dashboard_port:  # held, as another cluster on the machine would (if none does yet)
        with contextlib.suppress(OSError):
            dashboard_port.bind(("", 8787))
            dashboard_port.listen()
        proc = subprocess.run([sys.executable, "-m", "govreport_core", "bench", "--ingest", "--mix", "national",
                               "--count", str(files)], cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and "already in use" not in proc.stderr  # Dask's port warning is gone
    lines = proc.stdout.splitlines()
    assert sum(line.startswith("load: load average") for line in lines) == 2
    mixed = next(line for line in lines if "mixed as a national collection" in line)
    assert "6 PDF (75%" in mixed and "1 HTML (22%" in mixed and "1 scan (3%" in mixed
    per_form = dict(re.findall(r"(\w+) (\d+)", next(line for line in lines if "files per form:" in line)))
    assert sum(map(int, per_form.values())) == files
    assert per_form["scan"] == "1" and int(per_form.get("html", 0)) + int(per_form.get("html_blank", 0)) == 1
    for engine in ENGINES:
        line = next(line for line in lines if line.startswith(engine + " "))
        new, updated, unchanged, duplicate, no_data, failed = map(int, SUMMARY.search(line).groups())
        # every file saved in a fresh database: as a report or a duplicate, or as a failure with its reason
        assert new + duplicate + no_data + failed == files and updated == unchanged == 0, line
        assert failed <= 1, line  # a loaded machine may stop the scan at its time budget, nothing else
        assert len(line[len(engine):line.index("(")].split()) == 6  # seconds, reports/s, CPU s, peak MB, vs 1, save s
    failures = [line for line in lines if line.startswith("    failed: ")]
    assert all("scan.pdf" in line and "longer than" in line for line in failures), failures
    rows = {line.split()[0]: line.split()[1:] for line in lines[lines.index(next(
        line for line in lines if line.startswith("form (1-worker run)"))) + 1:] if line.strip() and
        not line.startswith(("saves", "load", "driver"))}
    assert {"scan", "all"} <= set(rows) and set(per_form) <= set(rows)
    assert int(rows["all"][0]) == files and sum(int(v[0]) for form, v in rows.items() if form != "all") == files
    assert any(line.startswith("driver, per report ") for line in lines)
    assert any(line.startswith("saves one per transaction") for line in lines)
    assert any(line.startswith("saves in batches of 500") for line in lines)
