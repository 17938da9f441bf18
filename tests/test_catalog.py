"""The catalog and METRICS.md describe the same keys, both ways (as datasette's test_docs does)."""

from __future__ import annotations

import re

from conftest import shared_path

from govreport_core import catalog
from govreport_core.catalog import METRICS, Grade


def spec_keys() -> set[str]:
    """Every metric key in the first column of METRICS.md's metric tables (not the metadata table).

    Expands the spec's shorthands: "normative_docs_new / _published / _total" and
    "litigation_direct_upheld … litigation_direct_total" (the five table-4 leaves).
    """
    text = shared_path("spec", "METRICS.md").read_text(encoding="utf-8")
    text = text[text.index("## Table 2"):text.index("## The `extract --json` object")]
    keys: set[str] = set()
    for line in text.splitlines():
        if not line.startswith("| ") or line.startswith(("| key", "|---")):
            continue
        first = line.split("|")[1]
        names = re.findall(r"_?[a-z][a-z0-9_]*", first)
        base = names[0].rsplit("_", 1)[0] if names else ""
        if "…" in first:
            keys |= {f"{base}_{leaf}" for leaf in ("upheld", "corrected", "other", "pending", "total")}
            continue
        keys |= {f"{base}{name}" if name.startswith("_") else name for name in names}
    return keys


def test_every_spec_key_is_in_the_catalog() -> None:
    missing = spec_keys() - set(METRICS)
    assert not missing, f"METRICS.md keys missing from the catalog: {sorted(missing)}"


def test_every_catalog_key_is_in_the_spec() -> None:
    text = shared_path("spec", "METRICS.md").read_text(encoding="utf-8")
    keys = spec_keys()
    undocumented = [k for k in METRICS if k not in keys and k not in text]
    assert not undocumented, f"catalog keys METRICS.md does not name: {undocumented}"


def test_every_metric_has_a_grade_unit_and_unique_chinese_label() -> None:
    labels = [m.label_zh for m in METRICS.values()]
    assert len(labels) == len(set(labels)), "Chinese labels must be unique (they become column headers)"
    for metric in METRICS.values():
        assert isinstance(metric.grade, Grade)
        assert metric.unit
        assert metric.eras
        if metric.compares_with is not None:
            assert metric.compares_with in METRICS


def test_money_keys_end_in_wan_and_are_money() -> None:
    for key, metric in METRICS.items():
        assert (metric.kind == catalog.Kind.MONEY) == key.endswith("_wan"), key


def test_table_skeleton_keys_exist() -> None:
    for key, _ in catalog.TABLE3_ROWS:
        assert key in METRICS
    for era, blocks in catalog.TABLE2_COLUMNS.items():
        for block, columns in blocks.items():
            for column in columns:
                assert catalog.table2_key(block, column) in METRICS, (era, block, column)
    assert len(catalog.TABLE4_KEYS) == 15 and all(k in METRICS for k in catalog.TABLE4_KEYS)
    for key, leaves in catalog.DERIVED_SUMS.items():
        assert key in METRICS and all(leaf in METRICS for leaf in leaves)


def test_zone_rows_of_the_gazetteer_follow_the_catalogs_level_rule() -> None:
    """areas_extra.csv's zones sit one tier below their parent (a 直辖市's like its districts): catalog.zone_tier."""
    import csv

    from govreport_core.extraction.gazetteer import EXTRA_CSV, MUNICIPALITIES, get_gazetteer

    gazetteer = get_gazetteer()
    with EXTRA_CSV.open(encoding="utf-8") as handle:
        zones = [row for row in csv.DictReader(handle) if row["kind"] == "zone"]
    assert zones
    for row in zones:
        parent = next(a for a in gazetteer.lookup(row["parent"]) if a.tier != "county")
        municipal = (parent.adcode or "")[:2] in MUNICIPALITIES
        assert row["tier"] == catalog.zone_tier(parent.tier, municipal), row["name"]


def test_zone_tier_rule() -> None:
    assert [catalog.zone_tier(t) for t in ("province", "prefecture", "county", None)] == [
        "prefecture", "county", "township", "county"]
    assert catalog.zone_tier("province", municipality=True) == "county"


# --- the skeleton has one home --------------------------------------------------------------------

def _owned_lists() -> dict[str, set[str]]:
    """The key and label lists of the tables' skeleton that only catalog.py may spell out."""
    leaves = [leaf for leaf, _, _ in catalog.TABLE4_LEAVES]
    return {
        "table-4 keys": set(catalog.TABLE4_KEYS), "table-4 groups": {g.key for g in catalog.TABLE4_GROUPS},
        "table-4 leaves": set(leaves), "table-4 leaf labels": {zh for _, zh, _ in catalog.TABLE4_LEAVES},
        "table-4 group labels": {g.label_zh for g in catalog.TABLE4_GROUPS},
        "table-3 rows": {key for key, _ in catalog.TABLE3_ROWS}, "table-3 end rows": set(catalog.TABLE3_END_ROWS),
        "table-3 sub-rows": set(catalog.TABLE3_OTHER_SUB_ROWS), "outcome leaves": set(catalog.TABLE3_OUTCOME_LEAVES),
        "outcome groups": set(catalog.OUTCOME_GROUPS), "applicants": set(catalog.APPLICANTS),
        "applicant labels": set(catalog.APPLICANT_LABELS.values()), "table-2 blocks": {b for b, _ in catalog.TABLE2_ROWS},
        "table-2 columns": set(catalog.TABLE2_COLUMN_LABELS),
        "table-2 column labels": {label for pair in catalog.TABLE2_COLUMN_LABELS.values() for label in pair},
        "report fields": set(catalog.REPORT_FIELDS), "levels": set(catalog.LEVELS),
    }


def _literals(tree) -> list[tuple[int, list[str]]]:
    """The string elements of every tuple, list, set and dict-keys literal in a module."""
    import ast

    out = []
    for node in ast.walk(tree):
        elements = node.keys if isinstance(node, ast.Dict) else node.elts if isinstance(node, ast.Tuple | ast.List | ast.Set) else []
        strings = [e.value for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        if len(strings) >= 3:
            out.append((node.lineno, strings))
    return out


def test_no_module_but_the_catalog_spells_out_a_skeleton_list() -> None:
    """A literal naming most of a catalog-owned list (at least 3 of its members, over half of it) is a copy.

    Left out: labels.py (its table translates every UI text, labels included), the corpus generator and the
    test builder (they print reports as offices do: an independent oracle must not read the catalog), and
    the 2014 统计表's block labels in extraction/statistics_table.py (another form, with its own wording)."""
    import ast

    from conftest import ROOT

    owned = _owned_lists()
    exempt = {"catalog.py", "labels.py"}
    sources = [p for p in [*(ROOT / "govreport_core").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"]
               if p.name not in exempt and "corpus" not in p.parts]
    copies = []
    for path in sources:
        for line, strings in _literals(ast.parse(path.read_text(encoding="utf-8"))):
            for name, members in owned.items():
                hits = set(strings) & members
                if len(hits) >= 3 and 2 * len(hits) > len(members):
                    copies.append(f"{path.relative_to(ROOT)}:{line} spells the {name}: {sorted(hits)}")
    assert not copies, "\n".join(copies)


def test_report_fields_are_the_metadata_the_extractor_fills() -> None:
    from dataclasses import fields

    from govreport_core.model import ReportMeta

    assert tuple(f.name for f in fields(ReportMeta)) == catalog.REPORT_FIELDS


def test_the_year_range_is_the_regulation_s() -> None:
    """FORMATS.md covers 2008 → 今: the Regulation took effect on 2008-05-01, so no report is for 2007."""
    from govreport_core.extraction import metadata
    from govreport_core.store import filters

    assert catalog.FIRST_YEAR == 2008
    assert metadata.FIRST_YEAR is filters.FIRST_YEAR is catalog.FIRST_YEAR
    assert filters.from_params({"from": "2007"}).filters.year_from is None


def test_every_finding_the_code_makes_has_a_catalog_rule_and_severity() -> None:
    """Each Finding(rule, severity, …) written in the library names a rule of catalog.RULES and a known severity."""
    import ast

    from conftest import ROOT

    made = set()
    for path in (ROOT / "govreport_core").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Finding" and len(node.args) >= 2:
                rule, severity = node.args[0], node.args[1]
                if isinstance(rule, ast.Constant) and isinstance(severity, ast.Constant):
                    made.add((rule.value, severity.value))
    assert {"K1", "K4", "placement", "assumed"} <= {rule for rule, _ in made}  # the scan finds the checks' findings
    assert {rule for rule, _ in made} <= set(catalog.RULES)
    assert {severity for _, severity in made} <= set(catalog.SEVERITIES)


def test_no_page_spells_a_metric_key() -> None:
    """Pages ask the catalog which figures they show (catalog.PAGE_SERIES, DERIVED_SUMS…): a renamed or new metric is
    one edit there, never a search through the pages."""
    import ast

    from conftest import ROOT

    spelled = [f"{path.relative_to(ROOT)}:{node.lineno} {node.value}"
               for path in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
               for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
               if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in catalog.METRICS]
    assert spelled == []
