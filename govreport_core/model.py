"""Typed values passed between the stages.

`read` hands on a RawDocument (blocks of text and table grids as found in the file); `normalise`
turns it into a Document (one normalised text, with every grid cell placed in it by offset); the
parsers produce Figures with Evidence; `checks` produces Findings; `extract` bundles them into a
Result whose `to_dict()` is the `extract --json` object of METRICS.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

Number = int | Decimal


class ReportError(Exception):
    """A file that cannot be read as a report; the message is a sentence for the user."""


@dataclass(frozen=True)
class Source:
    file: str
    sha256: str
    format: str  # html | txt | md | pdf | docx
    size: int
    encoding: str | None = None


@dataclass
class RawCell:
    text: str
    rowspan: int = 1
    colspan: int = 1


RawTable = list[list[RawCell]]
# A block is a paragraph of text or a table (rows of cells, spans not yet expanded).
RawBlock = str | RawTable


@dataclass
class RawDocument:
    blocks: list[RawBlock]
    format: str
    encoding: str | None = None
    title_hint: str | None = None  # e.g. the HTML <title>, used only when the body has no title
    block_pages: list[int] | None = None  # PDF: the page of each block
    row_pages: list[list[int] | None] | None = None  # PDF: per block, the page of each grid row (tables over pages)
    findings: list[Finding] = field(default_factory=list)  # what the reader could not read (said, not dropped)
    ocr: bool = False  # the text was read from page images (a scan), not from the file's own text


@dataclass(frozen=True)
class Cell:
    """One grid position after span expansion; `start`/`end` locate its text in Document.text."""

    text: str
    start: int
    end: int
    origin: tuple[int, int]  # (row, col) of the cell that spans here: shared by all its positions


@dataclass
class Grid:
    rows: list[list[Cell]]
    start: int
    end: int

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class Document:
    """The normalised text the extractor matches on, and the table grids placed inside it."""

    text: str
    grids: list[Grid] = field(default_factory=list)
    format: str = "txt"
    encoding: str | None = None
    title_hint: str | None = None
    page_starts: list[tuple[int, int]] | None = None  # PDF: (offset in text, page number), ascending
    findings: list[Finding] = field(default_factory=list)  # the reader's, passed on to the result
    ocr: bool = False

    def page_at(self, offset: int) -> int | None:
        """The PDF page an offset of the text lies on, or None for formats without pages."""
        if not self.page_starts:
            return None
        page = None
        for start, number in self.page_starts:
            if start > offset:
                break
            page = number
        return page


@dataclass(frozen=True)
class Evidence:
    text: str
    start: int
    end: int
    row: str | None = None
    column: str | None = None
    page: int | None = None
    ocr: bool = False  # read by OCR from a page image: the text may hold recognition errors

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text, "start": self.start, "end": self.end}
        for name in ("row", "column", "page"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.ocr:
            out["ocr"] = True
        return out


@dataclass(frozen=True)
class Figure:
    """A value with its evidence; `applicant` is set for table-3 breakdown cells."""

    key: str
    value: Number
    evidence: Evidence | None
    applicant: str | None = None
    derived: bool = False


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str  # error | warn | info
    message: str
    keys: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "severity": self.severity, "message": self.message, "keys": list(self.keys)}


class TracedRow(NamedTuple):  # NamedTuples: a report makes hundreds of these, cheaply
    """A table row as a recogniser read it: the skeleton row it names (None: not used) and its value cells."""

    key: str | None
    label: str
    cells: tuple[str, ...]  # each value cell as printed; "" for a blank cell, "NA" for "/" or "—"


class Placement(NamedTuple):
    """How a figure got its column: `position` (the cell's column or order), `arithmetic` (the table's own
    sums prove it: a blank filled, or the 总计 told by the sum of the others), `convention` (an assumption
    the report's layout leaves, stated in an `assumed` finding)."""

    key: str
    applicant: str | None
    value: Number
    how: str


class Omission(NamedTuple):
    """Values of a table left out, and why (a sentence)."""

    keys: tuple[str, ...]
    reason: str


@dataclass
class TableTrace:
    """How one table was read (`extract --debug`, tests, 报告详情's "how this was read")."""

    table: str  # table2 | table3 | table4
    layout: str  # the recogniser that matched (layouts.LAYOUTS)
    rows: list[TracedRow] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)
    left_out: list[Omission] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"table": self.table, "layout": self.layout,
                "rows": [{"key": r.key, "label": r.label, "cells": list(r.cells)} for r in self.rows],
                "placements": [{"key": p.key, "applicant": p.applicant, "value": _json_number(p.value), "how": p.how}
                               for p in self.placements],
                "left_out": [{"keys": list(o.keys), "reason": o.reason} for o in self.left_out]}


@dataclass
class ReportMeta:
    title: str | None = None
    province: str | None = None
    city: str | None = None
    region: str | None = None
    agency: str | None = None
    level: str | None = None
    year: int | None = None
    format_era: str | None = None
    published: str | None = None
    adcode: str | None = None
    scope: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Result:
    source: Source
    meta: ReportMeta | None = None
    figures: list[Figure] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    parser_version: str = ""
    tables: list[TableTrace] = field(default_factory=list)  # how each table was read; not part of to_dict()

    def to_dict(self) -> dict[str, Any]:
        source = {"file": self.source.file, "sha256": self.source.sha256, "format": self.source.format,
                  "parser_version": self.parser_version}
        if self.error is not None:
            return {"source": source, "error": self.error}
        metrics: dict[str, Any] = {}
        breakdown: dict[str, dict[str, Any]] = {}
        evidence: dict[str, Any] = {}
        derived: list[str] = []
        for fig in self.figures:
            value = _json_number(fig.value)
            name = fig.key if fig.applicant is None else f"{fig.key}@{fig.applicant}"
            if fig.applicant is None:
                metrics[fig.key] = value
                if fig.derived:
                    derived.append(fig.key)
            else:
                breakdown.setdefault(fig.key, {})[fig.applicant] = value
            if fig.evidence is not None:
                evidence[name] = fig.evidence.to_dict()
        return {"source": source, "report": self.meta.to_dict() if self.meta else {}, "metrics": metrics,
                "breakdown": breakdown, "evidence": evidence, "derived": derived,
                "findings": [f.to_dict() for f in self.findings]}


def _json_number(value: Number) -> int | float:
    # METRICS.md: money in 万元 with at most 6 decimals, converted exactly (Decimal) before output.
    if isinstance(value, Decimal):
        rounded = value.quantize(Decimal("0.000001")).normalize()
        return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)
    return value
