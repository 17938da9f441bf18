"""Settings: the extraction's thresholds in one typed object, each with the reason for its default.

Like pdfplumber's `TableSettings`: the stages read the one frozen `SETTINGS` instead of literals spread over
the modules, so a threshold is found, explained and changed in one place (regex quantifiers stay in their
patterns: they are part of the wording matched). Limits of the input itself (file size, grid spans) belong
to the readers, not here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    max_label_chars: int = 60
    """A cell longer than this (whitespace removed) is a sentence, not a row label: the longest label of the
    2019/2021 forms (table 3 row （七）'s notes, 统计表 indicators) stays well below it."""

    max_table2_label_chars: int = 20
    """Table 2's row labels are short (行政事业性收费, 其他对外管理服务事项): a longer cell naming one is prose."""

    table2_label_slack: int = 2
    """A table-2 label may carry this many characters before its fragment ("政府规章", "市级规章")."""

    table3_marks: int = 2
    """A grid naming at least this many table-3 outcome rows (予以公开, 不予公开 …) is table 3 even without its
    本年新收 row: the second half of a table 3 split at a page break."""

    label_fuzzy_min_chars: int = 6
    """A table-3 row label this long or longer is also found with OCR slips (one edit under 10 characters, two
    from 10 on); shorter labels (予以公开, 重复申请) must be exact, as one slip makes them another word."""

    max_label_gap: int = 1200
    """Consecutive rows of one table 3 are printed at most this many characters apart (a row group's own pipe
    table and headers in OCR markdown take a few hundred); farther apart, a label is prose elsewhere."""

    min_table3_labels: int = 6
    """A text names table 3 with at least this many of its row labels in order: prose names a few outcomes
    (予以公开、部分公开、其他处理) but never so many rows in the table's order."""

    max_label_candidates: int = 3000
    """Row-label places considered in one document (the ordered chain is quadratic in them): a real report has
    a few dozen; a hostile text repeating labels is cut here."""

    table4_header_slack: int = 3
    """Characters a run between table 4's numbers may hold beyond its header words (a stray "表" or "单位")."""

    max_cell_digits: int = 9
    """A table cell holds at most this many digits (the largest counts and 万元 amounts printed stay far below a
    billion): a glued run is never cut into a longer piece, and a longer run is no table row."""

    max_cut_steps: int = 20000
    """Steps one glued run's cut search may take: a real row needs a few hundred; past this (a hostile run of
    thousands of digits) the run is left out with a placement finding."""

    max_row_cuts: int = 24
    """A glued table-3 row with more ways to cut than this (each adding up) is left out rather than searched
    further against the other rows."""

    max_cut_combinations: int = 5000
    """Combinations of the open rows' cuts tried against one column equation (K1 or K3) at most."""

    evidence_window: int = 240
    """Table evidence runs from the row label to the value when they are at most this many characters apart,
    else it is the value alone (a label far away would make a long, unreadable quote)."""

    legacy_evidence_window: int = 200
    """The same for the 2014 统计表, whose rows are shorter."""

    legacy_max_serial: int = 1000
    """Row numbers (序号) of a 统计表 stay far below this: a bigger bare number is a value."""

    legacy_serial_step: int = 3
    """In text flattened one cell per line, blank 序号 of heading rows leave gaps of up to this many."""

    prose_sentence_chars: int = 200
    """A sentence longer than this (a run-on paragraph, a list without full stops) is quoted as evidence only
    around the number."""

    prose_context_chars: int = 60
    """How much of such a sentence is quoted either side of the number: about a clause."""

    metadata_head_chars: int = 3000
    """The year stated in the body, the publication date and the source line are looked for in the report's
    head: past it, a year or a date is about something else (a plan, a regulation)."""

    truncated_tail_chars: int = 400
    """How much of a file's end is looked at to tell a file cut off inside table 3."""

    truncated_last_line_chars: int = 40
    """A last line shorter than this and without a full stop is a table cell, not a closing sentence."""

    scan_seconds_per_page: int = 15
    """A scanned PDF's time budget grows with its pages: OCR took 10.7 s a page on this 2-core machine under
    load 5 (hongze_2024 rendered at 200 DPI, 5 pages in 54 s), so a fixed 60 s would stop a 6-page scan that
    is reading fine. A file's deadline is max(timeout, scan_seconds_base + pages × this), set once the OCR
    reader knows the page count (`limits.note_scanned_pages`)."""

    scan_seconds_base: int = 30
    """What a scan costs besides its pages: opening the PDF, loading both OCR engines, the stages after."""


SETTINGS = Settings()
