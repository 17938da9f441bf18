"""The seed reports in ../shared/seeds against their hand-checked truth files."""

from __future__ import annotations

import pytest
from conftest import load_truth, shared_path

from govreport_core.catalog import METRICS
from govreport_core.extraction.pipeline import extract_path

SEEDS = ["000_a8bd0235eb05c85c", "001_388bdfa86b858c1f", "002_6fb7aed3f3fbdc6e", "003_069c06395881046f",
         "004_c9b27cee782bad7f"]
META_FIELDS = ("title", "province", "city", "region", "agency", "level", "year", "format_era")


def extract_seed(stem: str) -> tuple[dict, dict]:
    truth = load_truth(f"{stem}.json")
    result = extract_path(shared_path("seeds", truth["file"]))
    return result.to_dict(), truth


@pytest.mark.parametrize("stem", SEEDS)
def test_seed_metadata(stem: str) -> None:
    got, truth = extract_seed(stem)
    assert "error" not in got, got.get("error")
    for field in ("province", "city", "region", "agency", "level", "year", "format_era"):
        assert got["report"][field] == truth[field], field


@pytest.mark.parametrize("stem", SEEDS)
def test_seed_reproduces_every_truth_key(stem: str) -> None:
    got, truth = extract_seed(stem)
    expected = dict(truth["metrics"])
    by_applicant = expected.pop("applications_by_applicant", {})
    for key, value in expected.items():
        assert key in got["metrics"], f"{key} missing"
        assert got["metrics"][key] == pytest.approx(value), key
    for applicant, value in by_applicant.items():
        assert got["breakdown"]["applications_new"][applicant] == value
    # No figure the report does not state (derived sums aside).
    assert set(got["metrics"]) - set(got["derived"]) <= set(expected)


def test_seed_004_title_and_publication_date() -> None:
    got, truth = extract_seed("004_c9b27cee782bad7f")
    assert got["report"]["title"] == truth["title"]
    assert got["report"]["published"] == "2020-02-22"  # 发布日期:2020/2/22 in the page head


def test_seed_004_emits_only_catalog_keys() -> None:
    got, _ = extract_seed("004_c9b27cee782bad7f")
    assert set(got["metrics"]) <= set(METRICS)
    assert "fees_change" not in got["metrics"]  # blank in the source


def test_seed_000_reply_count_is_not_the_applications_granted() -> None:
    got, _ = extract_seed("000_a8bd0235eb05c85c")
    assert "granted" not in got["metrics"]  # 同意公开政府信息5501件 counts more than the 47 applications
    assert got["evidence"]["applications_new"]["text"].count("47")


def test_seed_004_evidence_points_into_the_normalised_text() -> None:
    got, _ = extract_seed("004_c9b27cee782bad7f")
    evidence = got["evidence"]["applications_new"]
    assert "本年新收政府信息公开申请数量" in evidence["text"] and evidence["text"].endswith("11")
    assert evidence["row"].endswith("本年新收政府信息公开申请数量") and evidence["column"] == "总计"
    assert evidence["end"] - evidence["start"] == len(evidence["text"])
    assert got["evidence"]["penalty_change"]["text"].endswith("减61")


def test_seed_004_sums_hold_so_no_arithmetic_findings() -> None:
    got, _ = extract_seed("004_c9b27cee782bad7f")
    rules = {f["rule"] for f in got["findings"]}
    assert not rules & {"K1", "K2", "K3", "K4", "K9", "K10"}
    # The report's own sums give these derived totals (truth notes: table 4 direct suits 11+5+26+0 = 42).
    assert got["metrics"]["litigation_total"] == 42
    assert got["metrics"]["denied_total"] == 1
