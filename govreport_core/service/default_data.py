"""The embedded default data: facts extracted from the real reports in ../shared, as CSV under data/default.

`devtools/default_build.rebuild_default` (`python -m govreport_core rebuild-default`) extracts every report of
../shared that reads exactly as its truth says and writes reports.csv, figures.csv (with evidence snippets) and
findings.csv here, deterministically (sorted, no timestamps), so a test can check that data/default equals what
it would write. `open_store` opens the database and, when it is new and empty, fills it from those files, so a
fresh machine shows real figures. The report texts are not copied: only metadata, figures, their snippets and
findings.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from govreport_core.extraction.version import PARSER_VERSION
from govreport_core.model import Evidence, Figure, Finding, ReportMeta, Result, Source
from govreport_core.store import Store, default_db_path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DIR = ROOT / "data" / "default"
# No parser version column: it changes with every extraction change (extraction/version.py). The default data is
# what the current parser writes (test_default_data holds data/default to rebuild-default), so it loads as such.
REPORT_COLUMNS = ("sha256", "file", "format", "size", *ReportMeta.__dataclass_fields__)
FIGURE_COLUMNS = ("sha256", "metric", "applicant", "value", "derived", "evidence_text", "evidence_start",
                  "evidence_end", "evidence_row", "evidence_column", "evidence_page")
FINDING_COLUMNS = ("sha256", "rule", "severity", "message", "keys")


def result_rows(result: Result, file: str) -> dict[str, list[dict[str, object]]]:
    """One extracted report as rows of the three default files, named `file` (its path under ../shared)."""
    sha = result.source.sha256
    assert result.meta is not None
    rows: dict[str, list[dict[str, object]]] = {
        "reports": [{"sha256": sha, "file": file, "format": result.source.format, "size": result.source.size,
                     **result.meta.to_dict()}], "figures": [], "findings": []}
    for fig in result.figures:
        ev = fig.evidence
        rows["figures"].append({
            "sha256": sha, "metric": fig.key, "applicant": fig.applicant or "", "value": str(fig.value),
            "derived": int(fig.derived), "evidence_text": ev.text if ev else "", "evidence_start": ev.start if ev else "",
            "evidence_end": ev.end if ev else "", "evidence_row": (ev.row or "") if ev else "",
            "evidence_column": (ev.column or "") if ev else "", "evidence_page": (ev.page or "") if ev and ev.page else ""})
    for finding in result.findings:
        rows["findings"].append({"sha256": sha, "rule": finding.rule, "severity": finding.severity,
                                 "message": finding.message, "keys": "|".join(finding.keys)})
    return rows


def write_default(rows: dict[str, list[dict[str, object]]], folder: Path = DEFAULT_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, columns in (("reports", REPORT_COLUMNS), ("figures", FIGURE_COLUMNS), ("findings", FINDING_COLUMNS)):
        path = folder / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows({k: ("" if v is None else v) for k, v in row.items()} for row in rows[name])
        written.append(path)
    return written


def _read(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def default_results(folder: Path = DEFAULT_DIR) -> list[Result]:
    """The stored facts as Results, ready for `Store.save`."""
    figures: dict[str, list[Figure]] = defaultdict(list)
    for row in _read(folder, "figures"):
        evidence = None
        if row["evidence_text"] or row["evidence_start"]:
            evidence = Evidence(row["evidence_text"], int(row["evidence_start"] or 0), int(row["evidence_end"] or 0),
                                row["evidence_row"] or None, row["evidence_column"] or None,
                                int(row["evidence_page"]) if row["evidence_page"] else None)
        value = Decimal(row["value"])
        figures[row["sha256"]].append(Figure(row["metric"], int(value) if value == value.to_integral_value() else value,
                                             evidence, row["applicant"] or None, row["derived"] == "1"))
    findings: dict[str, list[Finding]] = defaultdict(list)
    for row in _read(folder, "findings"):
        findings[row["sha256"]].append(Finding(row["rule"], row["severity"], row["message"],
                                               tuple(k for k in row["keys"].split("|") if k)))
    results = []
    for row in _read(folder, "reports"):
        meta = ReportMeta(**{k: (row[k] or None) for k in ReportMeta.__dataclass_fields__})
        meta.year = int(row["year"]) if row["year"] else None
        source = Source(row["file"], row["sha256"], row["format"], int(row["size"]))
        results.append(Result(source, meta, figures[row["sha256"]], findings[row["sha256"]],
                              parser_version=PARSER_VERSION))
    return results


def open_store(path: Path | str | None = None, read_only: bool = False, shared: bool = False,
               read_wait: float | None = 3.0, must_exist: bool = False) -> Store:
    """The database at `path` (GOVREPORT_DB or data/govreport.duckdb); a new one is filled from data/default,
    unless `must_exist` (a path the user named for reading: a StoreError instead).
    `shared`: connections only while in use, so other processes can use the file too (see Store)."""
    path = Path(path or default_db_path())
    is_new = not path.exists()
    store = Store(path, read_only=read_only and not is_new, shared=shared, read_wait=read_wait, must_exist=must_exist)
    if is_new and store.report_count() == 0 and (DEFAULT_DIR / "reports.csv").exists():
        store.save_batch(default_results())
    return store
