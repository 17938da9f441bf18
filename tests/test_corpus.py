"""The generated corpus: deterministic, and read at ≥99% recall and ≥99.9% precision in EACH era × form."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from govreport_core.devtools.accuracy import Score, run_accuracy
from govreport_core.devtools.corpus.generate import NEW_FORMS, OLD_FORMS, TEXT_FORMS, write_corpus


def scores_by_group(folder: Path) -> dict[tuple[str, str], Score]:
    results, _ = run_accuracy(folder / "truth", folder)
    groups: dict[tuple[str, str], Score] = defaultdict(Score)
    for result in results:
        groups[(result.era, result.form)].add(result.score)
    return groups


@pytest.fixture(scope="module")
def text_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(folder, 300, seed=11, forms=TEXT_FORMS)
    return folder


@pytest.mark.slow  # subprocesses, LibreOffice or a generated corpus
def test_every_text_and_html_era_and_form_is_read_accurately(text_corpus: Path) -> None:
    groups = scores_by_group(text_corpus)
    expected = {(era, form) for era in ("2019", "2021") for form in NEW_FORMS if form in TEXT_FORMS}
    expected |= {("pre2019", form) for form in OLD_FORMS}
    assert set(groups) == expected
    for group, score in groups.items():
        assert score.reports >= 10, group
        assert score.recall >= 0.99 and score.precision >= 0.999, (group, score)
        assert score.meta == 1.0 and score.findings_ok == score.findings_total, (group, score)


@pytest.mark.slow  # PDFs and Word files written and read
def test_pdf_and_docx_forms_are_read_accurately(tmp_path: Path) -> None:
    write_corpus(tmp_path, 24, seed=5, forms=frozenset({"pdf", "docx"}))
    groups = scores_by_group(tmp_path)
    assert set(groups) == {(era, form) for era in ("2019", "2021") for form in ("pdf", "docx")}
    for group, score in groups.items():
        assert score.recall >= 0.99 and score.precision >= 0.999 and score.meta == 1.0, (group, score)


def test_generation_is_deterministic(tmp_path: Path) -> None:
    first = write_corpus(tmp_path / "a", 30, seed=3, forms=TEXT_FORMS)
    second = write_corpus(tmp_path / "b", 30, seed=3, forms=TEXT_FORMS)
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes() and a.name == b.name
    assert (tmp_path / "a" / "truth" / (first[0].stem + ".json")).read_text() == (
        tmp_path / "b" / "truth" / (second[0].stem + ".json")).read_text()


def test_the_scorer_counts_a_wrong_value_and_a_missing_finding() -> None:
    from govreport_core.devtools.accuracy import score_one

    truth = {"year": 2020, "metrics": {"granted": 3, "applications_by_applicant": {"total": 5}}, "findings": ["K4"]}
    output = {"report": {"year": 2020}, "metrics": {"granted": 4}, "breakdown": {"applications_new": {"total": 5}},
              "findings": []}
    score, problems = score_one(output, truth)
    assert (score.truth, score.hit, score.output, score.findings_ok) == (2, 1, 2, 0)
    assert "granted=4≠3" in problems and "finding K4 not raised" in problems
