"""The README's command-line examples run (as sqlite-utils tests its docs): every `python …` line of its bash
blocks, on the seeds, the real files, the built fixtures and a temporary database.

Only sizes change (a 30-report corpus, 300 scale reports, a 0.01 s bench) and file names point at real
inputs; `rebuild-default` is left out because it rewrites the committed data/default (test_ingest checks
that what it writes equals what is committed)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, shared_path

pytestmark = pytest.mark.slow  # every README command, servers included: `scripts/test.sh --quick` leaves it out

BUILT = ROOT / "tests" / "fixtures" / "built"


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip().startswith("python ")]


def test_the_readme_shows_every_command() -> None:
    from govreport_core.cli import _parser

    commands = {line.split()[3] for line in readme_commands() if line.startswith("python -m govreport_core ")}
    subparsers = next(a for a in _parser()._actions if a.dest == "command")
    assert set(subparsers.choices) == commands


def _inputs(tmp: Path) -> dict[str, str]:
    """README's file names -> real inputs (copied under those names into tmp where the name matters)."""
    seeds, real = shared_path("seeds"), shared_path("real-files")
    for name, source in (("report.html", BUILT / "built_2021.html"), ("a.html", BUILT / "built_2019.html"),
                         ("b.txt", BUILT / "built_2019_tabs.txt"), ("report.txt", seeds / "004_c9b27cee782bad7f.txt"),
                         ("big.htm", BUILT / "built_2021.html"), ("more.pdf", real / "hongze_2024.pdf"),
                         ("slow.pdf", real / "hongze_2023.pdf")):
        shutil.copy(source, tmp / name)
    (tmp / "reports").mkdir()
    for seed in sorted(seeds.glob("00[0-2]_*.txt")):
        shutil.copy(seed, tmp / "reports" / seed.name)
    return {"../shared": str(shared_path()), "/tmp/corpus": str(tmp / "corpus"),
            "/tmp/corpus/truth": str(tmp / "corpus" / "truth"), "/tmp/scale.duckdb": str(tmp / "scale.duckdb"),
            "/tmp/office": str(tmp / "office"), "/tmp/print": str(tmp / "print"),
            "1000": "30", "100000": "300", "110": "2", "56": "1"}


def _runnable(line: str, names: dict[str, str]) -> list[str]:
    args = [names.get(arg, arg) for arg in shlex.split(line, comments=True)]
    args = [arg.replace("../shared", names["../shared"]) if arg.startswith("../shared") else arg for arg in args]
    if args[1:4] == ["-m", "govreport_core", "bench"]:
        args += ["--seconds", "0.01"]
    return [sys.executable, *args[1:]]


def test_every_readme_command_runs(tmp_path: Path) -> None:
    names = _inputs(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GOVREPORT_DB": str(tmp_path / "g.duckdb")}
    ran = []
    for line in readme_commands():
        # rebuild-default rewrites the committed data; a remote Dask scheduler and s3:// need machines this run has
        # not (the same ingest runs here on a LocalCluster in tests/test_ingest_dask.py).
        if "rebuild-default" in line or "tcp://" in line:
            continue
        proc = subprocess.run(_runnable(line, names), cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, f"{line}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
        assert "Traceback" not in proc.stderr, line
        ran.append((line, proc))
    out = {line.split("#")[0].strip(): proc for line, proc in ran}
    # What each shows, from the inputs' own text and truth (sample report: 本年新收 25; seed 004: 11).
    assert "本年新收申请数" in out["python -m govreport_core extract report.html"].stdout
    assert out["python -m govreport_core extract --json a.html b.txt"].stdout.count('"applications_new": 25') == 2
    assert "layout 'text stream: one cell per line'" in out["python -m govreport_core extract --debug report.txt"].stderr
    assert "recall=1.000 precision=1.000" in out["python ../shared/tools/score.py ../shared/seeds/truth ../shared/seeds"].stdout
    assert "new" in out["python -m govreport_core ingest reports/ more.pdf --workers 2"].stdout
    assert (tmp_path / "out.xlsx").stat().st_size > 0 and "applications_new" in (tmp_path / "long.csv").read_text("utf-8-sig")
    assert len(ran) == len(readme_commands()) - 2

