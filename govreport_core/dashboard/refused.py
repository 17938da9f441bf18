"""A database the store refuses ($GOVREPORT_DB made by a newer govreport, another program's file, a damaged one…),
said on every page as one sentence in the dashboard's language, never a traceback (the frame: `page.navigate`).

The store says why in English for the command line (store/connect.py, store/schema.py, store/db.py), with
details a page has no use for (DuckDB's checksums). Each kind of refusal has its own UI sentence with the path, in
Chinese with its English in labels.EN, recognised by the store's wording (tests/test_app_refused.py makes each
kind for real, so a changed wording fails there, not silently); the store's own sentence goes to the log.
"""

from __future__ import annotations

import re

from govreport_core import labels
from govreport_core.store import StoreError

# (the store's wording, the UI sentence): first match wins; {path} and the pattern's named groups are filled in.
_SENTENCES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"made by a newer govreport \(schema (?P<found>-?\d+); this version reads schemas up to (?P<newest>\d+)"),
     "数据库 {path} 由更新版本的 govreport 建立（数据库版本 {found}，本版本最高可读 {newest}），请先更新 govreport。"),
    (re.compile(r"holds other tables|is not a DuckDB database|is a SQLite database|is a folder|is empty \(0 bytes\)"),
     "文件 {path} 不是 govreport 的数据库，请改用其他文件。"),
    (re.compile(r"is damaged"), "数据库文件 {path} 已损坏，请恢复备份，或删除后重新导入报告。"),
    (re.compile(r"cannot be upgraded: the file is read-only"),
     "数据库 {path} 由旧版本的 govreport 建立，且文件只读，无法升级；请以可写权限打开一次（任一 govreport 命令都会升级）。"),
    (re.compile(r"cannot be read \(no permission\)"), "没有读取数据库文件 {path} 的权限。"),
    (re.compile(r"There is no database at"), "{path} 处没有数据库，请检查路径。"),
    (re.compile(r"changed by another program|does not have the tables|cannot be used"),
     "数据库 {path} 已被其他程序或版本改动，本版本无法使用；请恢复备份，或删除后重新导入报告。"),
)
_OTHER = "无法使用数据库 {path}，详情已记入服务器日志。"


def sentence(exc: StoreError, path: str, language: str) -> str:
    """Why the database cannot be used, in the dashboard's language ("zh" or "en")."""
    for pattern, template in _SENTENCES:
        found = pattern.search(str(exc))
        if found:
            return labels.t(template, language).format(path=path, **found.groupdict())
    return labels.t(_OTHER, language).format(path=path)
