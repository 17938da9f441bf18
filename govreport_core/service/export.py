"""Export: DataFrame -> bytes of CSV (UTF-8 with BOM, opens in Excel with Chinese intact), XLSX, Parquet, JSON.

Headers are Chinese or English labels (the catalog's, and `i18n`'s for other columns) or the metric keys; with
labelled headers, codes in the cells (level, scope, era, applicant, severity, rule, metric lists) are labels in
the same language too, while "key" headers keep every code as stored. A file's name says its filter
(`govreport_江苏省_2019-2024.csv`), and an XLSX file has a second sheet describing the filter, the source and
every metric (the data dictionary). A missing value stays missing in every format (an empty CSV field, an empty
XLSX cell, a Parquet/JSON null), never 0. In CSV and XLSX (what spreadsheets open) a text cell that begins with
= + - @, a tab or a carriage return, also after leading spaces or control characters, is prefixed with ' so a
spreadsheet shows it instead of running it as a formula; CSV fields holding a CR or LF are quoted (CRLF line
ends). JSON and Parquet carry the values exactly as extracted. No Streamlit here.
Numbers are written as they are (`faithful`): counts (and ids, years, pages) as whole numbers, never "4.0";
amounts (万元) as the DECIMAL the store holds (a float's shortest digits, which are exact up to 15 significant
digits; a longer one read again from the store, store/exact.py): digits a double would lose
(12345678901234.567891) are kept in CSV and JSON numbers and a Parquet DECIMAL(20, 6) column;
in XLSX an amount is a number cell when a double holds it exactly (7730.28), else a text cell of its digits.
A long table whose value column mixes counts and amounts is DECIMAL(20, 6) in Parquet.
"""

from __future__ import annotations

import errno
import gc
import io
import os
import re
import secrets
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from govreport_core import catalog
from govreport_core.labels import label, t
from govreport_core.store.filters import ERA_LABELS, Filters

COLUMN_LABELS = {
    "report_id": "报告编号", **catalog.FIELD_LABELS, "metric": "指标键", "label": "指标", "applicant": "申请人类型",
    "value": "数值", "unit": "单位", "derived": "推算值", "corrected": "已更正", "extracted_value": "原提取值",
    "evidence_text": "原文依据", "evidence_row": "表格行", "evidence_column": "表格列", "evidence_page": "页码",
    "evidence_ocr": "OCR识别",
    "file_name": "文件名", "format": "文件格式", "ingested_at": "入库时间", "rule": "规则", "severity": "级别",
    "message": "说明", "keys": "涉及指标", "reports": "报告数", "area": "地区", "rate": "比率键", "share": "覆盖比例",
    "correction_id": "更正编号", "old_value": "原值", "new_value": "新值", "reason": "理由", "author": "更正人",
    "corrected_at": "更正时间", "report_group": "报告组", "active": "启用", "duplicate_of": "重复于",
    "label_zh": "中文名称", "label_en": "英文名称", "table": "所在表格", "eras": "适用版式", "grade": "可比性",
    "compares_with": "对应新版指标",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_LEADING_BLANKS = "".join(chr(c) for c in range(33)) + "\x7f\u00a0\u3000\ufeff"
SPREADSHEET_FORMATS = ("csv", "xlsx")


CODE_LABELS: dict[str, dict[str, str]] = {"level": catalog.LEVEL_LABELS, "scope": catalog.SCOPE_LABELS,
                                          "format_era": ERA_LABELS, "applicant": catalog.APPLICANT_LABELS,
                                          "severity": catalog.SEVERITY_LABELS}


def labelled(frame: pd.DataFrame, language: str = "zh") -> pd.DataFrame:
    """Codes in the cells as labels in `language` ("zh" or "en"): levels, scopes, eras, applicants, severities, and
    the metric keys listed in a findings table's `keys`. A code without a label stays as it is."""
    columns = [c for c in (*CODE_LABELS, "keys", "rule") if c in frame]
    if language not in ("zh", "en") or not columns:
        return frame
    out = frame.copy()
    for column in columns:
        if column == "rule":
            out[column] = [rule_label(v, language) for v in out[column]]
            continue
        if column == "keys":
            sep = "; " if language == "en" else "、"
            out[column] = [sep.join(label(k, language) if k in catalog.METRICS else k for k in v.split(", "))
                           if isinstance(v, str) and v else v for v in out[column]]
            continue
        names = {code: t(text, language) for code, text in CODE_LABELS[column].items()}
        out[column] = [names.get(v, v) if isinstance(v, str) else v for v in out[column]]
    return out


def rule_label(rule: object, language: str = "zh") -> object:
    """A finding's rule as a sentence in `language`: a check of the spec keeps its id first, for searching
    ("K4 复议诉讼各组：…"); the extractor's own rules ("assumed", "placement") are said in words only."""
    if not isinstance(rule, str) or rule not in catalog.RULES:
        return rule
    meaning = t(catalog.RULES[rule], language)
    return f"{rule} {meaning}" if rule[:1] in ("K", "L") and rule[1:].isdigit() else meaning


def headers(frame: pd.DataFrame, language: str = "zh") -> pd.DataFrame:
    """Column headers in Chinese ("zh") or English ("en"), metric columns by their unique catalog label, and the
    codes in the cells as labels (`labelled`); any other language ("key") keeps the keys as they are. In English
    the long table's `label` column is too."""
    if language not in ("zh", "en"):
        return frame
    frame = labelled(frame, language)
    if language == "en" and "label" in frame and "metric" in frame:
        frame = frame.assign(label=[label(k, "en") for k in frame["metric"]])
    names = {c: label(c, language) if c in catalog.METRICS else t(COLUMN_LABELS.get(c, c), language) for c in frame.columns}
    return frame.rename(columns=names)


def formula_like(value: object) -> bool:
    """Would a spreadsheet run this cell? Also when spaces or control characters come first."""
    return isinstance(value, str) and (value.startswith(_FORMULA_START)
                                       or value.lstrip(_LEADING_BLANKS).startswith(_FORMULA_START[:4]))


def safe_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells a spreadsheet would run as formulas, prefixed with ' (for CSV and XLSX only)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(lambda v: "'" + v if formula_like(v) else v)
    return out


WHOLE_COLUMNS = ("report_id", "year", "evidence_page", "evidence_start", "evidence_end", "size", "correction_id",
                 "duplicate_of", "reports", "report_group")
Exact = dict[tuple[int, str, str], tuple[Decimal | None, Decimal | None]]


def _amount(metric: object) -> bool:
    return isinstance(metric, str) and metric in catalog.METRICS and catalog.METRICS[metric].kind == catalog.Kind.MONEY


def _whole(column: pd.Series) -> pd.Series:
    """A float column of whole numbers (a count, an id; NaN where missing) as nullable integers."""
    if not pd.api.types.is_float_dtype(column):
        return column
    values = column.dropna()
    if not values.map(float.is_integer).all() or (values.abs() >= 2 ** 53).any():
        return column  # not whole (a count corrected to 3.5 stays as it is), or past a double's exact integers
    return column.astype("Int64")


def faithful(frame: pd.DataFrame, store: object | None = None) -> pd.DataFrame:
    """The frame's numbers as an export writes them: counts whole, amounts (万元) exact. A double keeps every
    decimal of up to 15 significant digits, so an amount is its float's shortest digits, and only the rare one
    whose float shows more (it had more than 15) is read again, exactly, from `store` when given. Idempotent."""
    out = frame.copy()
    for column in out.columns:
        if column in WHOLE_COLUMNS or (column in catalog.METRICS and not _amount(column)):
            out[column] = _whole(out[column])
    long = "metric" in out and "value" in out
    wide_amounts = [c for c in out.columns if _amount(c) and out[c].notna().any()]
    ids = out["report_id"].tolist() if "report_id" in out else [None] * len(out)
    applicants = out["applicant"].tolist() if long and "applicant" in out else ["total"] * len(out)
    value_columns = [c for c in ("value", "extracted_value") if long and c in out]
    exact: Exact = {}
    if store is not None and "report_id" in out:
        doubtful = {(rid, c) for c in wide_amounts for rid, v in zip(ids, out[c], strict=True) if _doubtful(v)}
        doubtful |= {(rid, m) for c in value_columns for rid, m, v in zip(ids, out["metric"], out[c], strict=True)
                     if _amount(m) and _doubtful(v)}
        if doubtful:
            from govreport_core.store.exact import amounts

            exact = amounts(store, sorted({int(rid) for rid, _ in doubtful}), sorted({m for _, m in doubtful}))
    for column in wide_amounts:
        out[column] = _cells([column] * len(out), ["total"] * len(out), ids, out[column].tolist(), 0, exact)
    for column, which in (("value", 0), ("extracted_value", 1)):
        if column in value_columns:
            out[column] = _cells(out["metric"].tolist(), applicants, ids, out[column].tolist(), which, exact)
    return out


def _shortest(value: float) -> Decimal:
    """The float's shortest digits as a Decimal, without trailing zeros: 0.0 -> 0, 7730.28 -> 7730.28."""
    number = Decimal(repr(value)).normalize()
    return Decimal(format(number, "f")) if number else Decimal(0)


def _doubtful(value: object) -> bool:
    """A float whose shortest digits are more than 15 significant ones: the DECIMAL it came from may differ."""
    if not isinstance(value, float) or value != value:
        return False
    digits = repr(abs(value)).lower().split("e")[0].replace(".", "").strip("0")
    return len(digits) > 15


def _cells(metrics: list, applicants: list, ids: list, values: list, which: int, exact: Exact) -> pd.Series | list:
    """One value column, cell by cell: a count as an int, an amount as a Decimal (exact when the store gave it)."""
    cells: list[object] = []
    for metric, applicant, report_id, value in zip(metrics, applicants, ids, values, strict=True):
        if isinstance(value, Decimal):
            cells.append(value)
        elif value is None or pd.isna(value):
            cells.append(None)
        elif _amount(metric):
            stored = exact.get((int(report_id), metric, applicant)) if report_id is not None else None
            cells.append(stored[which] if stored and stored[which] is not None else _shortest(float(value)))
        elif float(value).is_integer():
            cells.append(int(value))
        else:
            cells.append(float(value))
    if all(c is None or isinstance(c, int) for c in cells):
        return pd.array(cells, dtype="Int64")
    return pd.Series(cells, dtype=object)


def _csv(frame: pd.DataFrame) -> bytes:
    # CRLF line ends make the csv writer quote every field holding a lone CR as well as LF.
    return frame.to_csv(index=False, na_rep="", lineterminator="\r\n").encode("utf-8-sig")


def _xlsx(frame: pd.DataFrame) -> bytes:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    # XLSX cannot hold most control characters (openpyxl raises on them): they are dropped from text cells.
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].map(lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v)
    for column in _decimal_columns(frame):  # a number cell is a double: an amount it cannot hold stays text
        frame[column] = frame[column].map(_xlsx_number)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name="govreport")
    return buffer.getvalue()


def _decimal_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if frame[c].dtype == object and any(isinstance(v, Decimal) for v in frame[c])]


def _xlsx_number(value: object) -> object:
    """An Excel number for a Decimal a double holds exactly, else its digits as text (nothing is lost)."""
    if not isinstance(value, Decimal):
        return value
    return float(value) if Decimal(repr(float(value))) == value else format(value, "f")


def _parquet(frame: pd.DataFrame) -> bytes:
    frame = frame.copy()
    decimals = _decimal_columns(frame)
    for column in decimals:  # one type a column: the store's DECIMAL(20, 6), whole counts in it included
        frame[column] = [None if v is None else Decimal(v) for v in frame[column]]
    table = pa.Table.from_pandas(frame, preserve_index=False)
    for column in decimals:
        index = table.schema.get_field_index(column)
        table = table.set_column(index, column, table.column(index).cast(pa.decimal128(20, 6)))
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def _json(frame: pd.DataFrame) -> bytes:
    """Records; an amount is a JSON number written with the Decimal's own digits (pandas would pass it through
    a double): each is a marker string first, unguessable by any text in the data, replaced by its digits."""
    decimals = _decimal_columns(frame)
    if not decimals:
        return frame.to_json(orient="records", force_ascii=False, date_format="iso").encode("utf-8")
    nonce = secrets.token_hex(8)
    digits: list[str] = []

    def marker(value: object) -> object:
        if not isinstance(value, Decimal):
            return value
        digits.append(format(value, "f"))
        return f"{nonce}:{len(digits) - 1}"

    frame = frame.copy()
    for column in decimals:
        frame[column] = frame[column].map(marker)
    text = frame.to_json(orient="records", force_ascii=False, date_format="iso")
    return re.sub(f'"{nonce}:(\\d+)"', lambda m: digits[int(m.group(1))], text).encode("utf-8")


WRITERS: dict[str, Callable[[pd.DataFrame], bytes]] = {"csv": _csv, "xlsx": _xlsx, "parquet": _parquet, "json": _json}
MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "parquet": "application/vnd.apache.parquet", "json": "application/json"}


def export_bytes(frame: pd.DataFrame, fmt: str, language: str = "zh", about: list[tuple[str, str]] | None = None) -> bytes:
    """The frame in one format with the chosen headers; spreadsheet formats with formula-safe cells. In XLSX,
    `about` (see `about_rows`) and the data dictionary fill a second sheet."""
    if fmt not in WRITERS:
        raise ValueError(f"Unknown export format {fmt!r}; choose one of {', '.join(WRITERS)}.")
    frame = faithful(frame)
    prepared = headers(safe_cells(frame) if fmt in SPREADSHEET_FORMATS else frame, language)
    if fmt in ("parquet", "xlsx"):  # these need text column names and plain object columns
        prepared.columns = [str(c) for c in prepared.columns]
    hook = sys.unraisablehook
    try:
        if fmt == "xlsx" and about is not None:
            return _xlsx_with_notes(prepared, about, language)
        return WRITERS[fmt](prepared)
    except Exception as exc:  # openpyxl builds the sheets in temporary files (lxml says IO_EFBIG, not OSError)
        if getattr(exc, "errno", None) not in _NO_SPACE and not any(code in str(exc) for code in _NO_SPACE_CODES):
            raise
        # openpyxl's half-written sheets complain ("Exception ignored …") when collected: quiet while they go.
        sys.unraisablehook = lambda _: None
    try:
        gc.collect()
    finally:
        sys.unraisablehook = hook
    raise ExportError(f"The disk of the temporary folder ({tempfile.gettempdir()}) is full (or a file size limit "
                      f"was reached): the {fmt.upper()} file could not be made.")


class ExportError(Exception):
    """An export file that could not be written, as a sentence."""


_NO_SPACE = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)
_NO_SPACE_CODES = ("ENOSPC", "EFBIG", "EDQUOT", "No space left")


def write_file(path: Path, data: bytes) -> None:
    """Write an export whole or not at all: into a new file beside it, flushed to the disk, then renamed onto
    `path`. A full disk or any other failure leaves no partial file, and a file already there as it was."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    except OSError as exc:
        if exc.errno in _NO_SPACE:
            raise ExportError(f"The disk is full (or a file size limit was reached): {path} was not written, and "
                              "nothing partial was left.") from None
        raise ExportError(f"{path} could not be written ({exc.strerror or exc}); nothing partial was left.") from None


def export_query(store: object, query: Callable[..., pd.DataFrame], filters: Filters, fmt: str, language: str = "zh",
                 search: str = "", about: list[tuple[str, str]] | None = None) -> bytes:
    """A store query's whole selection (`query(store, filters, search=…)`) as the bytes of one export format, its
    amounts exact as stored."""
    return export_bytes(faithful(query(store, filters, search=search), store), fmt, language, about)


def _xlsx_with_notes(frame: pd.DataFrame, about: list[tuple[str, str]], language: str) -> bytes:
    """The data on a first sheet; the filter, the source and the data dictionary on a second."""
    lang = "en" if language == "en" else "zh"
    notes = pd.DataFrame(about, columns=[t("项目", lang), t("内容", lang)])
    dictionary = safe_cells(headers(data_dictionary(lang), lang) if language in ("zh", "en") else data_dictionary(lang))
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name="govreport")
        sheet = t("关于本文件", lang)
        safe_cells(notes).to_excel(writer, index=False, sheet_name=sheet)
        dictionary.to_excel(writer, index=False, sheet_name=sheet, startrow=len(notes) + 3)
        writer.sheets[sheet].cell(row=len(notes) + 3, column=1, value=t("数据字典", lang))
    return buffer.getvalue()


SHAPES = {"wide": "每份报告一行", "figures": "每项指标一行"}  # the export's table shapes (store.queries.wide, .figures)


def about_rows(filters: Filters, search: str, reports: int, shape: str, language: str = "zh") -> list[tuple[str, str]]:
    """What an exported file holds, for its notes sheet: the filter in words, the search, the source, when."""
    lang = "en" if language == "en" else "zh"
    rows = [(t("筛选", lang), filters.describe(lang))]
    if search.strip():
        rows.append((t("搜索", lang), search.strip()))
    rows += [(t("报告数", lang), str(reports)), (t("表格形式", lang), t(SHAPES.get(shape, shape), lang)),
             (t("来源", lang), t("各机关公开发布的政府信息公开工作年度报告，由 govreport 提取；数值为更正后的值，"
                                 "每项的原文依据见“每项指标一行”的导出。", lang)),
             (t("导出时间", lang), datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))]
    return rows


_UNSAFE = re.compile(r'[\\/:*?"<>|\s\x00-\x1f]+')


def file_name(filters: Filters, fmt: str, search: str = "", language: str = "zh", shape: str = "wide") -> str:
    """A download's name saying its filter: govreport_江苏省_2019-2024.csv (area, years, then any other choice),
    then the table shape and header language when not the default one row a report with Chinese headers
    (`_long`, `_en`, `_key`: govreport_江苏省_2019-2024_long_key.csv)."""
    lang = "en" if language == "en" else "zh"
    parts = ["govreport", "".join(p for p in (filters.province, filters.city, filters.region) if p)]
    if filters.year_from is not None or filters.year_to is not None:
        parts.append(f"{filters.year_from or ''}-{filters.year_to or ''}")
    parts += [t(ERA_LABELS.get(e, e), lang) for e in filters.eras]
    parts += [t(catalog.LEVEL_LABELS.get(v, v), lang) for v in filters.levels]
    if not filters.governments_only:
        parts.append(t("含部门报告", lang))
    if filters.aggregates:
        parts.append(t("含地区汇总报告", lang))
    if filters.agency:
        parts.append(filters.agency)
    parts += search.split()
    parts += ["long"] if shape == "figures" else []
    parts += [language] if language in ("en", "key") else []
    stem = "_".join(_UNSAFE.sub("-", p).strip("-.") for p in parts if p and _UNSAFE.sub("-", p).strip("-."))
    return f"{stem[:120]}.{fmt}"


def data_dictionary(language: str = "zh", search: str = "") -> pd.DataFrame:
    """Every metric of the catalog: key, Chinese and English label, table, unit, formats, comparability grade and
    its meaning, the new-format metric an old one is read against. Texts in `language` ("zh" or "en"); with
    `search`, only the metrics whose key or labels contain every word of it."""
    lang = "en" if language == "en" else "zh"
    sep = ", " if lang == "en" else "、"
    rows = [{"metric": m.key, "label_zh": m.label_zh, "label_en": m.label_en,
             "table": t(catalog.TABLE_LABELS.get(m.table, m.table), lang), "unit": m.unit,
             "eras": sep.join(t(ERA_LABELS[e.value], lang) for e in catalog.Era if e in m.eras),
             "grade": t(catalog.GRADE_LABELS[m.grade.value], lang),
             "compares_with": label(m.compares_with, lang) if m.compares_with else ""}
            for m in catalog.METRICS.values()]
    words = search.lower().split()
    rows = [r for r in rows if all(w in f"{r['metric']} {r['label_zh']} {r['label_en']}".lower() for w in words)]
    return pd.DataFrame(rows, columns=["metric", "label_zh", "label_en", "table", "unit", "eras", "grade",
                                       "compares_with"])
