"""Rebuild the embedded default data (data/default) from the real reports of ../shared that read exactly.

    python -m govreport_core rebuild-default [--shared ../shared]

Every report in ../shared/{seeds,real-files,real-text} that has a truth file is extracted and scored as the
accuracy benchmark scores it (`accuracy.score_one`, after ../shared/tools/score.py): it is kept only when every
truth figure comes out with the truth's value, no figure contradicts the truth, the metadata equal the truth's
and the findings the truth lists are raised. Accuracy over coverage: a newcomer's dashboard shows no figure that
a hand-made truth says is wrong. Each file left out is named with why, so the next engineer sees what to fix;
files without a truth are left out too, since nothing says they read right.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from govreport_core.extraction.pipeline import extract_path
from govreport_core.service.default_data import DEFAULT_DIR, ROOT, result_rows, write_default
from govreport_core.service.ingest import expand_paths

from .accuracy import Score, score_one, truth_pairs

SHARED_FOLDERS = ("seeds", "real-files", "real-text")
Rows = dict[str, list[dict[str, object]]]


def _truth_dir(folder: Path) -> Path:
    """Where a folder's truth files sit: seeds/truth, or beside the reports (real-files, real-text)."""
    return folder / "truth" if (folder / "truth").is_dir() else folder


def why_left_out(score: Score, problems: list[str]) -> str:
    """One line's reason: the scores, counts of what is missing or wrong, then the first few problems."""
    missing, wrong = score.truth - score.output, score.output - score.hit
    parts = [f"recall {score.recall:.2f}"]
    parts += [f"{missing} metric{'s' * (missing != 1)} missing"] if missing else []
    parts += [f"{wrong} wrong"] if wrong else []
    parts += [f"metadata {score.meta_ok}/{score.meta_total}"] if score.meta_ok < score.meta_total else []
    return ", ".join(parts) + ": " + "; ".join(problems[:4]) + (" …" if len(problems) > 4 else "")


def exact_rows(shared: Path, say: Callable[[str], None] = print) -> Rows:
    """Rows of the three default files from the reports under `shared` that read exactly; `say` gets one line
    per file left out."""
    rows: Rows = {"reports": [], "figures": [], "findings": []}
    kept: set[str] = set()
    for folder in (shared / name for name in SHARED_FOLDERS):
        if not folder.is_dir():
            continue
        pairs = truth_pairs(_truth_dir(folder), folder)
        paired = {path for path, _ in pairs}
        for path in expand_paths([folder]):
            if path not in paired and path.suffix != ".json":
                say(f"left out: {path.relative_to(shared)} (no truth file)")
        for path, truth in pairs:
            name = str(path.relative_to(shared))
            result = extract_path(path)
            score, problems = score_one(result.to_dict(), truth)
            if result.error or result.meta is None or problems:
                say(f"left out: {name} ({why_left_out(score, problems or [str(result.error)])})")
                continue
            if result.source.sha256 in kept:  # the same bytes under two names: one report
                continue
            kept.add(result.source.sha256)
            for table, more in result_rows(result, name).items():
                rows[table] += more
    rows["reports"].sort(key=lambda r: str(r["file"]))
    return rows


def rebuild_default(shared: Path = ROOT.parent / "shared", folder: Path = DEFAULT_DIR,
                    say: Callable[[str], None] = print) -> list[Path]:
    if not shared.is_dir():
        raise FileNotFoundError(f"{shared} is not there: the default data is built from ../shared.")
    return write_default(exact_rows(shared, say), folder)
