"""Export: DataFrame -> bytes of CSV (UTF-8 with BOM, opens in Excel with Chinese intact), XLSX, Parquet, JSON.

Headers are Chinese or English labels (the catalog's, and `i18n`'s for other columns) or the metric keys. A
missing value stays missing in every format (an empty CSV field, an empty XLSX cell, a Parquet/JSON null),
never 0. Text cells that begin with = + - @ (or a tab or carriage return) are prefixed with ' so a spreadsheet
shows them instead of running them as formulas. No Streamlit here.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import pandas as pd

from . import catalog
from .i18n import label, t

COLUMN_LABELS = {
    "report_id": "报告编号", "title": "标题", "province": "省份", "city": "地市", "region": "县区/地区",
    "agency": "发布机关", "level": "机关层级", "year": "数据年度", "format_era": "报告版式", "published": "发布日期",
    "adcode": "区划代码", "scope": "统计范围", "metric": "指标键", "label": "指标", "applicant": "申请人类型",
    "value": "数值", "unit": "单位", "derived": "推算值", "corrected": "已更正", "extracted_value": "原提取值",
    "evidence_text": "原文依据", "evidence_row": "表格行", "evidence_column": "表格列", "evidence_page": "页码",
    "evidence_ocr": "OCR识别",
    "file_name": "文件名", "format": "文件格式", "ingested_at": "入库时间", "rule": "规则", "severity": "级别",
    "message": "说明", "keys": "涉及指标", "reports": "报告数", "area": "地区", "rate": "比率键", "share": "覆盖比例",
    "correction_id": "更正编号", "old_value": "原值", "new_value": "新值", "reason": "理由", "author": "更正人",
    "corrected_at": "更正时间", "report_group": "报告组", "active": "启用", "duplicate_of": "重复于",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def headers(frame: pd.DataFrame, language: str = "zh") -> pd.DataFrame:
    """Column headers in Chinese ("zh") or English ("en"), metric columns by their unique catalog label;
    any other language ("key") keeps the keys as they are. In English the long table's `label` column is too."""
    if language not in ("zh", "en"):
        return frame
    if language == "en" and "label" in frame and "metric" in frame:
        frame = frame.assign(label=[label(k, "en") for k in frame["metric"]])
    names = {c: label(c, language) if c in catalog.METRICS else t(COLUMN_LABELS.get(c, c), language) for c in frame.columns}
    return frame.rename(columns=names)


def safe_cells(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v)
    return out


def _csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False, na_rep="").encode("utf-8-sig")


def _xlsx(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name="govreport")
    return buffer.getvalue()


def _parquet(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def _json(frame: pd.DataFrame) -> bytes:
    return frame.to_json(orient="records", force_ascii=False, date_format="iso").encode("utf-8")


WRITERS: dict[str, Callable[[pd.DataFrame], bytes]] = {"csv": _csv, "xlsx": _xlsx, "parquet": _parquet, "json": _json}
MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "parquet": "application/vnd.apache.parquet", "json": "application/json"}


def export_bytes(frame: pd.DataFrame, fmt: str, language: str = "zh") -> bytes:
    """The frame in one format, with safe cells and the chosen headers."""
    if fmt not in WRITERS:
        raise ValueError(f"Unknown export format {fmt!r}; choose one of {', '.join(WRITERS)}.")
    prepared = headers(safe_cells(frame), language)
    if fmt in ("parquet", "xlsx"):  # these need text column names and plain object columns
        prepared.columns = [str(c) for c in prepared.columns]
    return WRITERS[fmt](prepared)
