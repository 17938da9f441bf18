"""govreport_core: read 政府信息公开工作年度报告 files as data.

`extract_path(path)` / `extract_bytes(data, name)` return a Result whose `to_dict()` is the
`extract --json` object of `../shared/spec/METRICS.md`.
"""

from .fingerprint import parser_version

__version__ = "0.1.0"
# Derived from the extraction code and data (fingerprint.py): a re-ingest re-reads what an older parser read.
PARSER_VERSION = parser_version()
