"""govreport_core installs as a library: a wheel of the package alone (not app.py, pages/, data/ or tests/), whose base
dependencies read reports without Streamlit, and whose `dashboard` extra adds what the dashboard layer imports.

Built from a copy of the project's files in a temporary folder, installed into fresh virtualenvs with
requirements.txt as constraints (the pinned versions, from pip's cache)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, load_truth, shared_path

pytestmark = pytest.mark.slow  # builds a wheel and two virtualenvs: `scripts/test.sh --quick` leaves it out


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "govreport_core", source / "govreport_core", ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", out, source)
    [built] = out.glob("govreport-*.whl")
    return built


def test_the_wheel_holds_the_package_and_its_data_and_declares_its_extras(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    packaged = {name.split("/")[0] for name in names if not name.startswith("govreport-")}
    assert packaged == {"govreport_core"}
    assert "govreport_core/extraction/data/areas_extra.csv" in names
    assert "govreport_core/extraction/pipeline.py" in names and "govreport_core/dashboard/page.py" in names
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    base = [line for line in requires if "extra ==" not in line]
    assert any("beautifulsoup4" in line for line in base) and any("duckdb" in line for line in base)
    assert not any(name in line for line in base for name in ("streamlit", "plotly", "playwright", "ruff", "pytest"))
    assert any("streamlit" in line and 'extra == "dashboard"' in line for line in requires)
    assert any("distributed" in line and 'extra == "scale"' in line for line in requires)
    assert any("rapidocr-onnxruntime" in line and 'extra == "ocr"' in line for line in requires)


def _venv(tmp_path: Path, wheel: Path, target: str) -> Path:
    env = tmp_path / "venv"
    run(sys.executable, "-m", "venv", env)
    python = env / "bin" / "python"
    run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-c", ROOT / "requirements.txt",
        target.replace("WHEEL", str(wheel)))
    return python


def test_pip_install_reads_a_report_without_the_dashboard(tmp_path: Path, wheel: Path) -> None:
    python = _venv(tmp_path, wheel, "WHEEL")
    seed = shared_path("seeds", "004_c9b27cee782bad7f.txt")
    done = run(python, "-m", "govreport_core", "extract", "--json", seed, cwd=tmp_path)  # not from the checkout
    result = json.loads(done.stdout)
    truth = load_truth("004_c9b27cee782bad7f.json")
    assert result["metrics"]["applications_new"] == truth["metrics"]["applications_new"]
    assert result["report"]["agency"] == truth["agency"]
    missing = subprocess.run([python, "-c", "import streamlit"], capture_output=True, text=True)
    assert missing.returncode != 0  # the base install does not pull the dashboard's packages


def test_pip_install_with_the_dashboard_extra_imports_the_dashboard_layer(tmp_path: Path, wheel: Path) -> None:
    python = _venv(tmp_path, wheel, "govreport[dashboard] @ file://WHEEL")
    run(python, "-c", "import govreport_core.dashboard.page, govreport_core.dashboard.charts", cwd=tmp_path)
