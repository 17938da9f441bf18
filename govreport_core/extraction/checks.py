"""Checks: figures -> findings, and the derived sums that only hold when the checks pass.

K1–K4 are the tables' own arithmetic (FORMATS.md §5), K9 the layout against the data year, K10 the
value types, L1–L5 the relations of the old 统计表. Each rule is a small function returning Findings; a report whose sums fail keeps its
printed values (the findings say what is wrong). `add_derived_sums` adds the subtotals METRICS.md
derives (denied_total, litigation_total, …) only from leaves that are all present and checked. `check_k8` holds the
summary sentences to the tables (FORMATS §5 K8: trust the table); a 总计 cell that both the sentence and its own sums
contradict is named in a `withheld` finding and left out by `withhold` (accuracy over coverage).
"""

from __future__ import annotations

from decimal import Decimal

from govreport_core import catalog
from govreport_core.catalog import APPLICANTS, DERIVED_SUMS, Kind
from govreport_core.model import Figure, Finding, Number

Values = dict[tuple[str, str | None], Number]

_T3_ENDS = catalog.TABLE3_END_ROWS
_T3_SUB_ROWS = catalog.TABLE3_OTHER_SUB_ROWS
_T3_LEAVES = catalog.TABLE3_OUTCOME_LEAVES
_T4_GROUPS = tuple(group.key for group in catalog.TABLE4_GROUPS)


def _values(figures: list[Figure]) -> Values:
    """(key, applicant) -> value; the 总计 column is both (key, None) and (key, 'total')."""
    return {(f.key, f.applicant): f.value for f in figures}


def _column(applicant: str) -> str | None:
    return None if applicant == "total" else applicant


def check_k1(v: Values) -> list[Finding]:
    out = []
    for applicant in APPLICANTS:
        col = _column(applicant)
        nums = [v.get((k, col)) for k in _T3_ENDS]
        if any(n is None for n in nums):
            continue
        a, b, c, d = nums
        if a + b != c + d:  # type: ignore[operator]
            out.append(Finding("K1", "error", f"表三“{catalog.APPLICANT_LABELS[applicant]}”列：新收{a}+结转{b}"
                               f"≠办理结果总计{c}+结转下年{d}。", _T3_ENDS))
    return out


def _t3_leaves(v: Values) -> tuple[str, ...]:
    """Table 3's outcome leaves: the （六） sub-rows when all are there, else the （六） row itself if read (so a
    garbled table with one sub-row missing is still checked), else the sub-rows (the check is then skipped)."""
    if all((k, None) in v for k in _T3_SUB_ROWS) or ("other_handling", None) not in v:
        return (*_T3_LEAVES, *_T3_SUB_ROWS)
    return (*_T3_LEAVES, "other_handling")


def check_k2(v: Values) -> list[Finding]:
    out = []
    rows = {k for k, applicant in v if applicant is not None}
    for key in sorted(rows):
        parts = [v.get((key, a)) for a in APPLICANTS[:-1]]
        total = v.get((key, "total"))
        if total is None or any(p is None for p in parts):
            continue
        if sum(parts) != total:  # type: ignore[arg-type]
            out.append(Finding("K2", "error", f"表三“{catalog.label(key)}”行：各类申请人之和{sum(parts)}≠总计{total}。",  # type: ignore[arg-type]
                               (key,)))
    return out


def check_k3(v: Values) -> list[Finding]:
    out = []
    leaves = _t3_leaves(v)
    for applicant in APPLICANTS:
        col = _column(applicant)
        total = v.get(("processed_total", col))
        parts = [v.get((k, col)) for k in leaves]
        if total is None or any(p is None for p in parts):
            continue
        if sum(parts) != total:  # type: ignore[arg-type]
            out.append(Finding("K3", "error", f"表三“{catalog.APPLICANT_LABELS[applicant]}”列：各项办理结果之和"
                               f"{sum(parts)}≠总计{total}。", ("processed_total", *leaves)))  # type: ignore[arg-type]
    return out


def check_k4(v: Values) -> list[Finding]:
    out = []
    for group in _T4_GROUPS:
        keys = [catalog.table4_key(group, leaf) for leaf, _, _ in catalog.TABLE4_LEAVES]
        nums = [v.get((k, None)) for k in keys]
        if any(n is None for n in nums):
            continue
        if sum(nums[:4]) != nums[4]:  # type: ignore[arg-type]
            name = catalog.METRICS[keys[0]].label_zh.split("·")[0]
            out.append(Finding("K4", "error", f"表四“{name}”：维持+纠正+其他+尚未审结={sum(nums[:4])}，"  # type: ignore[arg-type]
                               f"但总计为{nums[4]}。", tuple(keys)))
    return out


def check_k9(era: str | None, year: int | None, has_tables: bool) -> list[Finding]:
    """FORMATS §5 K9: the 2019 layout belongs to 2019–2020 data, the 2021 layout to 2021 on."""
    if not has_tables or era is None or year is None:
        return []
    if (era == "2019" and year >= 2021) or (era == "2021" and year < 2021):
        return [Finding("K9", "warn", f"表格为{era}年版式，但报告年度为{year}年。")]
    if era == "pre2019" and year >= 2019:
        return [Finding("K9", "warn", f"报告年度为{year}年，却未见2019年后的统计表。")]
    return []


def check_k10(figures: list[Figure]) -> list[Finding]:
    out = []
    for fig in figures:
        kind = catalog.METRICS[fig.key].kind
        if kind == Kind.COUNT and (fig.value < 0 or isinstance(fig.value, Decimal)):
            out.append(Finding("K10", "error", f"“{catalog.label(fig.key)}”应为非负整数，却是{fig.value}。", (fig.key,)))
        elif kind == Kind.MONEY and fig.value < 0:
            out.append(Finding("K10", "error", f"“{catalog.label(fig.key)}”金额为负数{fig.value}。", (fig.key,)))
    return out


# Old format (2008–2018): the 统计表 has no carried-over row and no pending column, so most relations
# are bounds, not equations (FORMATS §3.3, §4); the 申请答复数 categories are not additive: no check.
_OLD_RULES: tuple[tuple[str, str, tuple[str, ...], str, str], ...] = (
    # (rule, severity, parts, relation, whole)
    ("L1", "warn", ("processed_total",), "<=", "applications_new"),
    ("L2", "warn", ("processed_on_time", "processed_extended"), "==", "processed_total"),
    ("L3", "warn", ("applications_in_person", "applications_fax", "applications_online", "applications_letter"),
     "<=", "applications_new"),
    ("L4", "warn", ("review_upheld", "review_corrected", "review_other"), "<=", "review_total"),
    ("L4", "warn", ("litigation_upheld", "litigation_corrected", "litigation_other"), "<=", "litigation_total"),
    ("L5", "warn", ("staff_fulltime", "staff_parttime"), "==", "staff_total"),
)


def check_old(v: Values) -> list[Finding]:
    out = []
    for rule, severity, parts, relation, whole in _OLD_RULES:
        total = v.get((whole, None))
        present = [v[(p, None)] for p in parts if (p, None) in v]
        if total is None or not present or (relation == "==" and len(present) < len(parts)):
            continue
        amount = sum(present)
        if (relation == "<=" and amount > total) or (relation == "==" and amount != total):
            names = "+".join(catalog.METRICS[p].label_zh for p in parts if (p, None) in v)
            out.append(Finding(rule, severity, f"{names}={amount}，与“{catalog.METRICS[whole].label_zh}”{total}不符。",
                               (*parts, whole)))
    return out


def run_checks(figures: list[Figure], era: str | None, year: int | None) -> list[Finding]:
    v = _values(figures)
    has_tables = any(catalog.METRICS[f.key].table in ("table2", "table3", "table4") for f in figures)
    old = check_old(v) if era == "pre2019" else []
    return [*check_k1(v), *check_k2(v), *check_k3(v), *check_k4(v), *check_k9(era, year, has_tables),
            *check_k10(figures), *old]


# Totals the summary sentences state (prose.read_summary; old reports' sentences), cross-checked with the tables.
CROSS_CHECKED: tuple[str, ...] = ("applications_new", *catalog.OUTCOME_GROUPS, "review_total", "litigation_total",
                                  "proactive_items")  # the last: the 2014 统计表's row against the prose


def _failing_sums(v: Values) -> set[str]:
    """Keys whose 总计-column value takes part in a K1–K4 sum that fails (other columns' sums are not its own)."""
    totals = {(k, a): n for (k, a), n in v.items() if a is None}
    return {k for f in (*check_k1(totals), *check_k2(v), *check_k3(totals), *check_k4(v)) for k in f.keys}


def check_k8(figures: list[Figure], stated: dict[str, Figure]) -> list[Finding]:
    """FORMATS §5 K8: the summary sentences against the tables. Trust the table (an info finding when they differ),
    unless the table's own sums fail too: then the printed cell is withheld (a `withheld` finding; see `withhold`)."""
    printed = {f.key: f for f in figures if f.applicant is None}
    failing = _failing_sums(_values(figures))
    out = []
    for key in CROSS_CHECKED:
        said, table = stated.get(key), printed.get(key)
        if said is None or table is None or said.value == table.value:
            continue
        quote = said.evidence.text.strip() if said.evidence else ""
        if key in failing and not table.derived:
            out.append(Finding("withheld", "warn", f"表格“{catalog.label(key)}”为{table.value}，与正文所述{said.value}不符，"
                               f"表内合计也不成立，该数未予采用（正文：“{quote}”）。", (key,)))
        else:
            out.append(Finding("K8", "info", f"正文所述“{catalog.label(key)}”为{said.value}，表格为{table.value}，"
                               f"以表格为准（正文：“{quote}”）。", (key,)))
    return out


def withhold(figures: list[Figure], findings: list[Finding]) -> list[Figure]:
    """Figures without the 总计 cells a `withheld` finding names (the applicant columns of the row are kept)."""
    keys = {k for f in findings if f.rule == "withheld" for k in f.keys}
    return [f for f in figures if not (f.key in keys and f.applicant in (None, "total"))]


def add_derived_sums(figures: list[Figure], findings: list[Finding]) -> list[Figure]:
    """Figures plus the derived subtotals whose leaves are all present and pass their checks."""
    v = _values(figures)
    failed = {k for f in findings if f.severity == "error" and f.rule in ("K3", "K4", "K10") for k in f.keys}
    out = list(figures)
    for key, leaves in DERIVED_SUMS.items():
        if (key, None) in v or any((leaf, None) not in v for leaf in leaves) or failed.intersection(leaves):
            continue
        out.append(Figure(key, sum(v[(leaf, None)] for leaf in leaves), None, derived=True))  # type: ignore[misc]
    return out
