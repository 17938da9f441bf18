"""Extraction: a report file -> Result. The only module that knows the order of the stages.

1. read: bytes -> RawDocument (format and encoding detected; unreadable files refused)
2. normalise: RawDocument -> Document (NFKC, 繁→简, grids laid out in one text)
3. tables: the 2019/2021 tables -> figures (layout era told by the headers); legacy: the 2014 统计表
4. metadata: title, area, agency, level, year, era (an excerpt without its tables: the format of its year)
5. prose: sentences that carry numbers -> figures. 2019+ reports: the summary sentences (`summary`) stand in
   for a table that is neither read nor printed, else only cross-check it; old reports: their sentences, then
   a glued local 统计表 (`local_table`) whose digit runs the sentences help to cut. A text with no title, no
   table rows and no summary sentence is refused as not a report.
6. checks: K1–K4, K9, K10 -> findings; derived subtotals where the checks allow; K8: the summary sentences
   against the tables (a cell that both contradict is withheld)
A file that cannot be read becomes a Result with `error` set; nothing here raises for bad input.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from govreport_core.catalog import DERIVED_SUMS, METRICS, Era
from govreport_core.model import Document, Figure, ReportError, Result
from govreport_core.settings import SETTINGS

from .checks import add_derived_sums, check_k8, run_checks, withhold
from .layouts import detect_era
from .limits import read_regular_file
from .local_table import read_local_table
from .metadata import read_metadata
from .normalise import build_document
from .prose import read_old_prose, read_prose
from .readers import DEFAULT_MAX_BYTES, make_source, read_report, sniff_format
from .statistics_table import has_statistics_table, read_statistics_table
from .summary import read_summary_sentences, zero_review_leaves
from .tables import read_tables
from .version import PARSER_VERSION

# A report names itself or its subject somewhere: without any of these words it is not one.
_REPORT_WORDS = re.compile(r"信息公开|政务公开|依申请公开|主动公开")
_TRUNCATED_T3 = ("结转下年度", "总计")
# Row and column labels of the 2019/2021 tables 3 and 4 that no sentence uses.
_T3_LABELS = re.compile(r"本年新收政府信息公开申请数量|上年结转政府信息公开申请数量|本年度办理结果|申请人情况")
_T4_LABELS = re.compile(r"未经复议直接起诉|复议后起诉")
_TABLE_ROW = re.compile(f"(?:{_T3_LABELS.pattern}|{_T4_LABELS.pattern}|结转下年度继续办理|第二十条第)"
                        r"[^\n\d]{0,60}?\d+(?:[ \t|]+\d+){2,}")
NEW_FORMAT_YEAR = 2019  # the 2019 Regulation's reports (FORMATS §1)
# Outcomes and rows only the 2019 Regulation's reports have (FORMATS §4: "new only").
_NEW_WORDS = re.compile(r"无法提供|不予处理|其他处理|上年结转|结转下年|本年新收")
_TABLE4_PREFIXES = ("review_", "litigation_")
# Words only one format's reports use (FORMATS §2): the notice that issued the format, its table 2 and 3 labels.
_F2021_WORDS = re.compile(r"〔2021〕30号|[(（\[]2021[)）\]]30号|本年制发件数|本年废止件数|现行有效件数|本年收费金额|逾期不补正"
                          r"|逾期未按收费通知")
_F2019_WORDS = re.compile(r"〔2019〕60号|[(（\[]2019[)）\]]60号|本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量"
                          r"|采购总金额")


def extract_path(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Result:
    """Extract one report file; errors (unreadable, too big, not a report) come back in `Result.error`."""
    path = Path(path)
    try:
        data = read_regular_file(path, max_bytes)  # no device, FIFO or socket; the size is what was read
    except ReportError as exc:
        return Result(make_source(b"", str(path), sniff_format(b"", path.name)), error=str(exc),
                      parser_version=PARSER_VERSION)
    except OSError as exc:
        source = make_source(b"", str(path), "txt")
        return Result(source, error=f"The file cannot be opened: {exc.strerror or exc}.",
                      parser_version=PARSER_VERSION)
    return extract_bytes(data, str(path), max_bytes)


def extract_bytes(data: bytes, name: str = "upload", max_bytes: int = DEFAULT_MAX_BYTES) -> Result:
    """Extract a report from raw bytes (an upload); `name` gives the extension and the source file name."""
    source = make_source(data, name, sniff_format(data[:8192], name))
    try:
        raw = read_report(data, name, max_bytes)
        doc = build_document(raw)
        source = make_source(data, name, source.format, raw.encoding)
        return extract_document(doc, source)
    except ReportError as exc:
        return Result(source, error=str(exc), parser_version=PARSER_VERSION)


def extract_document(doc: Document, source) -> Result:
    if not _REPORT_WORDS.search(doc.text):
        raise ReportError("The file does not look like a government information disclosure report "
                          "(no 信息公开 or 政务公开 anywhere in its text).")
    era = detect_era(doc)
    tables = read_tables(doc, era)
    _refuse_truncated(doc, tables.figures)
    if era is None and not tables.figures:  # an old report: the 2014 统计表 where it is attached
        legacy, legacy_findings = read_statistics_table(doc)
        tables.figures += legacy
        tables.findings += legacy_findings
    meta, meta_findings = read_metadata(doc)
    prose_figures, prose_findings = read_prose(doc, meta.title)  # the title names the body's own subject
    # A table 3 without table 2 still means a new-format report; its year then decides the era.
    has_new_tables = era is not None or any(f.key == "applications_new" and f.applicant for f in tables.figures)
    new_words = meta.year is None and bool(_NEW_WORDS.search(doc.text))  # an excerpt without its year
    if has_new_tables or (meta.year or 0) >= NEW_FORMAT_YEAR or new_words:  # the summary sentences of the 2019+ formats
        said, said_findings = read_summary_sentences(doc, meta.title or "")
        stated = said  # restating the tables (K8)
        missing = [f for f in (*said.values(), *zero_review_leaves(said))
                   if not _table_read(tables.figures, f.key) and (f.value == 0 or not _table_printed(doc, f.key))]
        prose_figures = _merge_figures(prose_figures, missing)  # where a table is missing, its figures
        prose_findings += [f for f in said_findings if not any(_table_read(tables.figures, k) for k in f.keys)]
    else:  # old reports state their figures in sentences (FORMATS.md §3.4)
        old_figures, old_findings = read_old_prose(doc)
        prose_figures = _merge_figures(prose_figures, old_figures)
        prose_findings += old_findings
        stated = {f.key: f for f in prose_figures}  # an attached 统计表 is checked against them
        if not tables.figures:  # the 统计表, its glued digit runs split where the prose confirms a cut
            tables.figures += read_local_table(doc, stated)
    figures = _merge_figures(tables.figures, prose_figures)
    if meta.title is None and not figures and era is None and not _has_table_labels(doc):
        # It mentions disclosure but has no report title, no table labels and no summary sentence: a README, a
        # news item or a notice about the reports, not a report.
        raise ReportError("The file does not look like a government information disclosure report "
                          "(no report title, no statistics table and no figure were found).")
    meta.format_era = _era_value(era, has_new_tables, meta.year, new_words, doc.text)
    findings = [*meta_findings, *doc.findings, *tables.findings, *prose_findings]
    findings += run_checks(figures, meta.format_era, meta.year)
    figures = add_derived_sums(figures, findings)
    findings += check_k8(figures, stated)  # a table cell that both the prose and its sums contradict is withheld
    figures = _with_pages(withhold(figures, findings), doc)
    return Result(source, meta, figures, findings, parser_version=PARSER_VERSION, tables=tables.traces)


def _with_pages(figures: list[Figure], doc: Document) -> list[Figure]:
    """PDF evidence carries the page its text is on, and whether that text was read by OCR."""
    if not doc.page_starts:
        return figures
    return [replace(f, evidence=replace(f.evidence, page=doc.page_at(f.evidence.start), ocr=doc.ocr))
            if f.evidence else f for f in figures]


def _era_value(era: Era | None, has_new_tables: bool, year: int | None, new_words: bool, text: str) -> str | None:
    """The format era: the tables' layout; else the format of the report's year; else, for an excerpt without its
    year, the words only one format uses (null when its words are the 2019 Regulation's but name neither format)."""
    if era is not None:
        return era.value
    if year is None and (has_new_tables or new_words):
        by_words = _era_of_words(text)
        if by_words is not None or new_words:
            return by_words
    if has_new_tables or (year or 0) >= NEW_FORMAT_YEAR:  # an excerpt without its tables: the format of its year
        return Era.F2021.value if year is not None and year >= 2021 else Era.F2019.value
    return Era.PRE2019.value


def _era_of_words(text: str) -> str | None:
    """The format whose own words (its template's notice, its table's column names) the text uses, and not the other's."""
    f2021, f2019 = bool(_F2021_WORDS.search(text)), bool(_F2019_WORDS.search(text))
    if f2021 == f2019:
        return None
    return Era.F2021.value if f2021 else Era.F2019.value


def _merge_figures(tables: list[Figure], prose: list[Figure]) -> list[Figure]:
    """Table figures win over prose ones for the same metric (FORMATS §5 K8: trust the table)."""
    keys = {(f.key, f.applicant) for f in tables}
    return [*tables, *(f for f in prose if (f.key, f.applicant) not in keys)]


def _table_read(figures: list[Figure], key: str) -> bool:
    """Whether the table a summary figure restates was read: then the sentence only cross-checks it (K8)."""
    table = _table_of(key)
    return any(_table_of(f.key) == table for f in figures) if table in ("table3", "table4") else \
        any(f.key == key for f in figures)


def _table_of(key: str) -> str | None:
    """The table a figure is printed in; a derived sum's is its parts' (unable_total: table 3)."""
    parts = DERIVED_SUMS.get(key)
    return METRICS[parts[0]].table if parts else METRICS[key].table if key in METRICS else None


def _table_printed(doc: Document, key: str) -> bool:
    """The table a figure belongs to is printed, though not read: its count there may differ from the sentence's
    ("收到申请75件" counting the carried-over request that the table's 本年新收 leaves out), so only a sentence's
    zero stands in for it."""
    labels = _T3_LABELS if _table_of(key) == "table3" else _T4_LABELS if _table_of(key) == "table4" else None
    return bool(labels and labels.search(doc.text))


def _has_table_labels(doc: Document) -> bool:
    """A table's rows (a page of a report's tables, an excerpt of one): a skeleton label with its row of numbers
    ("四、结转下年度继续办理 0 0 0 0 0 0 0"), or the 统计表. A label quoted in a note about reports has no such row."""
    return bool(_TABLE_ROW.search(doc.text)) or has_statistics_table(doc)


def _refuse_truncated(doc: Document, figures: list[Figure]) -> None:
    """A table 3 that starts but never reaches its last rows: the file was cut off."""
    has_t3_start = any(f.key == "applications_new" for f in figures)
    tail = doc.text[-SETTINGS.truncated_tail_chars:]
    # Table 4 read means the document goes on past table 3, whatever rows a page break cost it.
    reached_end = any(f.key in ("processed_total", "carried_to_next_year") or f.key.startswith(_TABLE4_PREFIXES)
                      for f in figures)
    if has_t3_start and not reached_end and (
            not any(word in doc.text for word in _TRUNCATED_T3) or not tail.strip() or _ends_in_table(tail)):
        raise ReportError("The file ends inside table 3 (收到和处理政府信息公开申请情况): it looks truncated.")


def _ends_in_table(tail: str) -> bool:
    lines = [line.strip() for line in tail.strip().split("\n") if line.strip()]
    return bool(lines) and len(lines[-1]) < SETTINGS.truncated_last_line_chars and not lines[-1].endswith("。")
