"""Accuracy benchmark: extract a folder of reports with truth files; recall, precision and metadata per era × form.

    python -m govreport_core accuracy TRUTH_DIR [REPORTS_DIR]     # e.g. ../shared/seeds/truth ../shared/seeds
    python -m govreport_core corpus OUT --count 1000 --seed 1      # a generated corpus with truth in OUT/truth

Scoring follows ../shared/tools/score.py: a truth value counts as recalled when the output equals it; precision
is over output values for keys the truth has; the applicant breakdown of applications_new is scored as
`applications_new@<applicant>`; metadata compares year, level and format_era (and region where the truth has
one). Findings listed in a truth file (e.g. K4 for a report whose sums fail) must be raised. Throughput per
file format is printed too.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from govreport_core.extraction.pipeline import extract_path

META_FIELDS = ("year", "level", "format_era", "region")
# The forms real files come in (../shared/real-text/README.md), told from a truth file's free-text "form" note: the
# first rule whose words all occur names the group, so real files are scored per form as the corpus is.
REAL_FORMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("office PDF (LibreOffice)", ("libreoffice",)),
    ("OCR markdown", ("ocr",)),
    ("PDF → markdown", ("markdown",)),
    ("crawled, old (统计表 glued)", ("statistics table", "no separators")),
    ("crawled, tables glued", ("glued",)),
)


def form_of(truth: dict, path: Path) -> str:
    """A truth file's form: a generated report's own (`html`, `glued`…), a real file's group from its note, or for
    a real file without one, an excerpt (text) or its format."""
    note = str(truth.get("form") or "")
    if note and not any(c.isspace() for c in note):
        return note  # a generated report's form is its identifier (glued, ocr_md, pdf_office…)
    lowered = note.lower()
    for name, words in REAL_FORMS:
        if all(word in lowered for word in words):
            return name
    if note:
        return note
    return "excerpt (text)" if path.suffix in (".txt", ".md") else path.suffix[1:]


@dataclass
class Score:
    truth: int = 0
    hit: int = 0
    output: int = 0
    meta_total: int = 0
    meta_ok: int = 0
    findings_total: int = 0
    findings_ok: int = 0
    reports: int = 0

    def add(self, other: Score) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def recall(self) -> float:
        return self.hit / self.truth if self.truth else 1.0

    @property
    def precision(self) -> float:
        return self.hit / self.output if self.output else 1.0

    @property
    def meta(self) -> float:
        return self.meta_ok / self.meta_total if self.meta_total else 1.0


@dataclass
class Report:
    name: str
    era: str
    form: str
    score: Score
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0  # extraction time (wall clock)
    cpu_seconds: float = 0.0  # extraction time on the CPU: reports per CPU second is the speed per core on a busy machine


def _equal(got: object, want: object) -> bool:
    if isinstance(got, (int, float)) and isinstance(want, (int, float)) and not isinstance(got, bool):
        return abs(got - want) <= 1e-6 * max(1, abs(want))
    return got == want


def score_one(output: dict, truth: dict) -> tuple[Score, list[str]]:
    score, problems = Score(reports=1), []
    metrics = dict(output.get("metrics") or {})
    for applicant, value in ((output.get("breakdown") or {}).get("applications_new") or {}).items():
        metrics[f"applications_new@{applicant}"] = value
    wanted = dict(truth.get("metrics") or {})
    for applicant, value in (wanted.pop("applications_by_applicant", None) or {}).items():
        wanted[f"applications_new@{applicant}"] = value
    for key, value in wanted.items():
        score.truth += 1
        got = metrics.get(key)
        score.output += got is not None
        if got is not None and _equal(got, value):
            score.hit += 1
        else:
            problems.append(f"{key}={got}≠{value}" if got is not None else f"{key} missing")
    report = output.get("report") or {}
    for name in META_FIELDS:
        if name in truth:
            score.meta_total += 1
            ok = report.get(name) == truth[name]
            score.meta_ok += ok
            if not ok:
                problems.append(f"{name}={report.get(name)!r}≠{truth[name]!r}")
    rules = {f["rule"] for f in output.get("findings") or []}
    for rule in truth.get("findings") or []:
        score.findings_total += 1
        score.findings_ok += rule in rules
        if rule not in rules:
            problems.append(f"finding {rule} not raised")
    if output.get("error"):
        problems.append(f"error: {output['error']}")
    return score, problems


def truth_pairs(truth_dir: Path, reports_dir: Path) -> list[tuple[Path, dict]]:
    """(report, truth) for every truth file whose report is there: the truth's "file", else the report named like
    the truth file (score.py's rule)."""
    pairs = []
    for truth_path in sorted(truth_dir.glob("*.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        path = reports_dir / truth.get("file", truth_path.stem)
        if not path.is_file():
            path = next((p for p in sorted(reports_dir.glob(truth_path.stem + ".*")) if p.suffix != ".json"), path)
        if path.is_file():
            pairs.append((path, truth))
    return pairs


def run_accuracy(truth_dir: Path, reports_dir: Path | None = None) -> tuple[list[Report], dict[str, tuple[int, float]]]:
    """Score every truth file's report; also (files, seconds) of extraction per file format."""
    reports_dir = reports_dir or truth_dir.parent
    results: list[Report] = []
    timing: dict[str, list[float]] = defaultdict(list)
    for path, truth in truth_pairs(truth_dir, reports_dir):
        start, cpu_start = time.perf_counter(), time.process_time()
        output = extract_path(path).to_dict()
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
        timing[output["source"]["format"]].append(seconds)
        score, problems = score_one(output, truth)
        results.append(Report(path.name, truth.get("format_era") or "?", form_of(truth, path), score, problems, seconds,
                              cpu_seconds))
    return results, {fmt: (len(times), sum(times)) for fmt, times in timing.items()}


def print_accuracy(results: list[Report], timing: dict[str, tuple[int, float]], worst: int = 10,
                   by_form: bool = False) -> None:
    """One line per era × form (or per form alone with `by_form`, as real files of one form span eras)."""
    groups: dict[tuple[str, str], Score] = defaultdict(Score)
    seconds: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    total = Score()
    for result in results:
        group = ("any" if by_form else result.era, result.form[:24])
        groups[group].add(result.score)
        seconds[group][0] += result.seconds
        seconds[group][1] += result.cpu_seconds
        total.add(result.score)
    print(f"{'era':<8} {'form':<24} {'reports':>7} {'recall':>7} {'precision':>9} {'meta':>6} {'findings':>8} "
          f"{'reports/s':>9} {'per CPU s':>9}")
    for (era, form), score in sorted(groups.items()):
        findings = f"{score.findings_ok}/{score.findings_total}" if score.findings_total else "-"
        wall, cpu = seconds[(era, form)]
        print(f"{era:<8} {form:<24} {score.reports:>7} {score.recall:>7.4f} {score.precision:>9.4f} "
              f"{score.meta:>6.3f} {findings:>8} {score.reports / wall if wall else 0:>9.1f} "
              f"{score.reports / cpu if cpu else 0:>9.1f}")
    print(f"{'all':<8} {'':<24} {total.reports:>7} {total.recall:>7.4f} {total.precision:>9.4f} {total.meta:>6.3f}")
    print("throughput: " + ", ".join(f"{fmt} {n / seconds:.1f} reports/s" for fmt, (n, seconds) in sorted(timing.items())
                                       if seconds))
    bad = sorted((r for r in results if r.problems), key=lambda r: (r.score.recall, -len(r.problems)))[:worst]
    if bad:
        print("worst files:")
        for result in bad:
            print(f"  {result.name}: recall {result.score.recall:.3f}; " + "; ".join(result.problems[:6]))
