"""An upload before and after it counts: a Result in the shapes 报告详情 shows (so `detail` lays it out as printed),
a sentence for a file that cannot be read, and why the current filters would hide a saved report.

Receives extraction Results, report metadata dicts and Filters; hands back DataFrames, sentences (Chinese
templates translated with `i18n.t`) and Filters. No Streamlit here.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from govreport_core.labels import t
from govreport_core.model import Result
from govreport_core.store.filters import Filters

FIGURE_COLUMNS = ("metric", "applicant", "value", "derived", "corrected", "evidence_text", "evidence_page")


def figures_frame(result: Result) -> pd.DataFrame:
    """The figures as `queries.report_detail` gives them (one row per metric and applicant, 总计 as "total")."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for fig in result.figures:
        applicant = fig.applicant or "total"
        if (fig.key, applicant) in rows:
            continue  # table 3's 总计 column is both the metric and the breakdown's "total", as the store keeps it
        ev = fig.evidence
        rows[(fig.key, applicant)] = {"metric": fig.key, "applicant": applicant, "value": float(fig.value),
                                      "derived": fig.derived, "corrected": False,
                                      "evidence_text": ev.text if ev else None, "evidence_page": ev.page if ev else None}
    return pd.DataFrame(list(rows.values()), columns=list(FIGURE_COLUMNS))


def findings_frame(result: Result) -> pd.DataFrame:
    """The findings as `queries.report_detail` gives them."""
    return pd.DataFrame([{"rule": f.rule, "severity": f.severity, "message": f.message, "keys": ", ".join(f.keys)}
                         for f in result.findings], columns=["rule", "severity", "message", "keys"])


# The worker's own sentences for a budget it stopped a file at (service/workers.py, extraction/limits.py).
_TOOK_LONGER = re.compile(r"took longer than ([\d.]+) s(?: \(the time given to a scan of (\d+) pages\))?")
_MEMORY = re.compile(r"uses more than ([\d.]+ [kMG]B) of memory")
_PAGES = re.compile(r"has (\d+) pages, more than the (\d+) pages")


def error_sentence(name: str, error: str, lang: str = "zh") -> str:
    """A plain, true sentence for a file that cannot be read; the extractor's technical message goes in a fold.
    A budget the file ran into is named as such, never as a damaged file."""
    text = error.lower()
    kind = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if found := _TOOK_LONGER.search(error):
        seconds, pages = found.groups()
        if pages:
            return t("读取这个 {pages} 页的扫描件超过 {seconds} 秒，已停止。", lang).format(pages=pages, seconds=seconds)
        return t("读取这个文件超过 {seconds} 秒，已停止。", lang).format(seconds=seconds)
    if found := _MEMORY.search(error):
        return t("读取这个文件需要超过 {size} 内存，已停止。", lang).format(size=found.group(1))
    if found := _PAGES.search(error):
        return t("这个 PDF 有 {pages} 页，超过读取上限 {limit} 页，未读取。", lang).format(pages=found.group(1),
                                                                                limit=found.group(2))
    if "stopped its worker process" in text:
        sentence = "读取这个文件的进程意外中止（可能是内存耗尽），文件未读取。"
    elif "internal error" in text:
        sentence = "读取这个文件时程序出错，文件未读取；其他文件不受影响。"
    elif "not installed" in text:
        sentence = "读取这个文件所需的程序没有安装（见技术细节）。"
    elif "password" in text or "encrypt" in text:
        sentence = "这个 PDF 文件有密码保护，无法读取。"
    elif "larger than" in text or "too large" in text or "expands to" in text:
        sentence = "文件超出大小上限，未读取。"
    elif kind == "pdf":
        sentence = "这不是有效的 PDF 文件（或文件已损坏）。"
    elif kind in ("docx", "doc"):
        sentence = "这不是有效的 Word 文件（或文件已损坏）。"
    elif kind in ("html", "htm", "txt", "md"):
        sentence = "无法把这个文件读作文本，可能不是年报或编码无法识别。"
    else:
        sentence = "无法读取这个文件。"
    return t(sentence, lang)


def hidden_because(meta: dict[str, Any], filters: Filters, lang: str = "zh") -> list[str]:
    """Why a saved report (its metadata) is outside the selection, one short phrase per reason; [] if it is in.
    The filters' own tests decide (`Filters.hiding`), so a new filter is said here without a line more."""
    return [t(reason, lang) for reason in dict.fromkeys(spec.hides for spec in filters.hiding(meta))]


def view_including(meta: dict[str, Any], filters: Filters) -> Filters:
    """The selection widened just enough to include the report: each filter that hides it is undone."""
    return filters.widened_for(meta)
