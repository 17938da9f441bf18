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

    from govreport_core.gazetteer import EXTRA_CSV, MUNICIPALITIES, get_gazetteer

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
