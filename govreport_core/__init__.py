"""govreport_core: read 政府信息公开工作年度报告 files as data.

`extract_path(path)` / `extract_bytes(data, name)` return a Result whose `to_dict()` is the
`extract --json` object of `../shared/spec/METRICS.md`.
"""

__version__ = "0.1.0"
PARSER_VERSION = "1"
