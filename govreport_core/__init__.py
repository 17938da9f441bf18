"""govreport_core: read 政府信息公开工作年度报告 files as data.

The package's folders are its layers, each importing only from those listed before it (`tests/test_imports.py`):
`catalog`, `model`, `settings` (every metric and the tables' skeleton; the values passed between stages; the
thresholds) → `extraction/` (a file's bytes → a `Result`; `extraction.pipeline.extract_path` /
`extract_bytes`, whose `to_dict()` is the `extract --json` object of `../shared/spec/METRICS.md`) → `store/`
(DuckDB: all the SQL, and the filters) → `service/` (ingest, per-file budgets in worker processes, exports,
the default data) → `devtools/` (bench, accuracy, scale, the corpus generator) and `dashboard/` (what the
Streamlit pages share) → `cli` (the command line over all of them).
"""

__version__ = "0.1.0"
