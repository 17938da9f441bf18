"""The command line: JSON Lines in input order, errors as objects, exit status, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, shared_path

from govreport_core.cli import main

REPORT = "株洲市芦淞区人民政府2020年政府信息公开工作年度报告\n一、总体情况\n本年度主动公开政府信息1234条。\n"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "govreport_core", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_extract_json_lines_in_input_order_with_errors_in_place(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(REPORT, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.txt"
    proc = run_cli("extract", "--json", str(good), str(empty), str(missing), str(good))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    objects = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [Path(o["source"]["file"]).name for o in objects] == ["good.txt", "empty.txt", "missing.txt", "good.txt"]
    assert objects[0]["report"]["year"] == 2020 and objects[0]["metrics"]["proactive_items"] == 1234
    assert "empty" in objects[1]["error"] and "metrics" not in objects[1]
    assert objects[2]["error"]
    assert objects[0]["source"]["sha256"] == objects[3]["source"]["sha256"]
    assert objects[0]["source"]["parser_version"]


def test_extract_exit_zero_when_every_file_reads(tmp_path: Path, capsys) -> None:
    good = tmp_path / "good.txt"
    good.write_text(REPORT, encoding="utf-8")
    assert main(["extract", str(good)]) == 0
    out = capsys.readouterr().out
    assert "主动公开政府信息数" in out and "1234" in out


def test_max_size_flag(tmp_path: Path, capsys) -> None:
    big = tmp_path / "big.txt"
    big.write_text(REPORT * 200, encoding="utf-8")
    assert main(["extract", "--json", "--max-size", "0.001", str(big)]) == 1
    assert "limit" in json.loads(capsys.readouterr().out)["error"]
    assert main(["extract", "--json", "--max-size", "10", str(big)]) == 0


@pytest.mark.slow  # subprocesses, LibreOffice or a generated corpus
def test_shared_scorer_rates_the_new_format_seed_exact() -> None:
    seeds = shared_path("seeds")
    proc = subprocess.run([sys.executable, str(shared_path("tools", "score.py")), str(seeds / "truth"), str(seeds),
                           "--project", str(ROOT), "--python", sys.executable], capture_output=True, text=True,
                          timeout=300)
    line = next(line for line in proc.stdout.splitlines() if "004_" in line)
    assert line.startswith("ok "), line  # every truth metric exact, year/region/level right


@pytest.mark.slow  # subprocesses, LibreOffice or a generated corpus
def test_bench_prints_reports_per_second() -> None:
    proc = run_cli("bench", "--seconds", "0.2")
    assert proc.returncode == 0, proc.stderr
    assert "reports/s" in proc.stdout and "\nall" in proc.stdout
    assert "parse ms" in proc.stdout and "rest ms" in proc.stdout and "CPU ms" in proc.stdout
    site = next(line for line in proc.stdout.splitlines() if "site_2019_word_chrome.html" in line)
    assert float(site.split()[2]) > 150  # KB: the page with the full site chrome has a line of its own


def test_extract_debug_shows_each_table_s_layout_rows_and_placements(capsys) -> None:
    built = ROOT / "tests" / "fixtures" / "built"
    assert main(["extract", "--debug", str(built / "built_2019.html"), str(built / "built_2019_flattened.txt")]) == 0
    err = capsys.readouterr().err
    assert "--- table3: layout 'grid'" in err and "--- table3: layout 'text stream: one cell per line'" in err
    # The sample's 本年新收 row (tests/report_builder.py): 自然人 20, 商业企业 3, 总计 25, each by its position.
    assert "[applications_new] 一、本年新收政府信息公开申请数量 | 20 | 3 |" in err
    assert "applications_new: 自然人20 (position), 商业企业3 (position)" in err
    assert "licensing_change: 9 (position)" in err


@pytest.mark.slow  # subprocesses, LibreOffice or a generated corpus
def test_export_never_overwrites_the_database_nor_an_existing_file_without_force(tmp_path: Path) -> None:
    from govreport_core.store import Store

    db = tmp_path / "g.duckdb"
    Store(db).close()  # exists, so it is not filled from the default data
    before = db.read_bytes()
    onto_db = run_cli("export", "--db", str(db), "--format", "csv", "-o", str(db))
    assert onto_db.returncode == 1 and "is the database file" in onto_db.stderr and "Traceback" not in onto_db.stderr
    alias = tmp_path / "alias.duckdb"
    alias.symlink_to(db)
    assert "is the database file" in run_cli("export", "--db", str(db), "-o", str(alias), "--force").stderr
    assert db.read_bytes() == before and Store(db, read_only=True).report_count() == 0
    existing = tmp_path / "mine.csv"
    existing.write_text("keep me", encoding="utf-8")
    refused = run_cli("export", "--db", str(db), "-o", str(existing))
    assert refused.returncode == 1 and "already exists; add --force" in refused.stderr
    assert existing.read_text(encoding="utf-8") == "keep me"
    forced = run_cli("export", "--db", str(db), "-o", str(existing), "--force")
    assert forced.returncode == 0 and existing.read_text(encoding="utf-8-sig").startswith("报告编号")


@pytest.mark.slow  # subprocesses, LibreOffice or a generated corpus
def test_corpus_forms_flag_refuses_an_unknown_form_and_names_a_missing_converter(tmp_path: Path, capsys,
                                                                                 monkeypatch) -> None:
    assert main(["corpus", str(tmp_path / "a"), "--count", "2", "--forms", "pdf_bogus"]) == 2
    assert "Unknown form(s): pdf_bogus" in capsys.readouterr().err
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice on it
    assert main(["corpus", str(tmp_path / "b"), "--count", "2", "--forms", "pdf_office"]) == 1
    assert "libreoffice-writer-nogui" in capsys.readouterr().err


NOISE = ("Traceback", "nanobind", "leaked")


@pytest.mark.slow  # subprocesses, LibreOffice or a generated corpus
def test_no_command_prints_library_noise(tmp_path: Path) -> None:
    """Each command, in success and in refusal: never a traceback nor DuckDB's "leaked instances" at exit."""
    good = tmp_path / "in" / "good.txt"
    good.parent.mkdir()
    good.write_text(REPORT, encoding="utf-8")
    db = tmp_path / "g.duckdb"
    runs = {
        "extract": run_cli("extract", "--json", str(good)),
        "ingest": run_cli("ingest", str(good.parent), "--db", str(db), "--workers", "1"),
        "ingest, nothing to do": run_cli("ingest", str(good.parent), "--db", str(db), "--workers", "1"),
        "export": run_cli("export", "--db", str(db), "--format", "json", "-o", str(tmp_path / "o.json")),
        "export, refused": run_cli("export", "--db", str(db), "-o", str(tmp_path / "o.json")),
        "export, no database": run_cli("export", "--db", str(tmp_path / "none.duckdb"), "-o", str(tmp_path / "p.csv")),
        "scale, no database": run_cli("scale", "--db", str(tmp_path / "none.duckdb"), "--bench-only"),
        "corpus": run_cli("corpus", str(tmp_path / "corpus"), "--count", "2", "--text-only"),
        "accuracy": run_cli("accuracy", str(tmp_path / "corpus" / "truth")),
        "bad option": run_cli("ingest", str(good), "--db", str(db), "--db-memory", "0"),
    }
    for name, proc in runs.items():
        assert not any(word in proc.stdout + proc.stderr for word in NOISE), f"{name}:\n{proc.stderr[-3000:]}"
    assert [name for name, proc in runs.items() if proc.returncode != 0] == [
        "export, refused", "export, no database", "scale, no database", "bad option"]
    assert "1 new" in runs["ingest"].stdout and "1 unchanged" in runs["ingest, nothing to do"].stdout
    assert not Path(f"{db}.wal").exists()


@pytest.mark.parametrize(("option", "value", "told"), [
    ("--db-memory", "0", "0 is not above 0"), ("--timeout", "nan", "nan is not a finite number above 0"),
    ("--timeout", "inf", "inf is not a finite number above 0"), ("--timeout", "-1", "-1 is not a finite number"),
    ("--max-size", "0", "0 is not a finite number above 0"), ("--memory", "-5", "-5 is not above 0"),
    ("--workers", "0", "0 is not above 0"), ("--batch-size", "x", "'x' is not a whole number"),
])
def test_numeric_options_are_positive_and_finite(option: str, value: str, told: str, capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["ingest", "somewhere", option, value])
    assert stopped.value.code == 2 and f"argument {option}: {told}" in capsys.readouterr().err
