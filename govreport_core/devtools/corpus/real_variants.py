"""Real reports redrawn the way other tools draw them (issue 20 point 1.3): test material with known truth.

The generated corpus shows what its converters were written to show; real reports have the wordings, wrapped
labels and odd cells no generator thought of. Each real report of ../shared whose truth is known (the seeds,
the real PDFs, the converted texts) is laid out as its text and table cells were printed, then redrawn:
- `crawl`: as a crawler saves the page (BeautifulSoup `get_text()` with no separator): every cell and line run
  together, whitespace collapsed, a site's menus and footer around it, the title on a line of its own;
- `rows_run_together`: each table row's cells glued, lines kept;
- `row_group_tables`: each row group a small pipe table under generic headers (| 类别 | 数据1 | … |), as OCR
  markdown gives them;
- `rows_apart`: each row's labels on a line of their own and its numbers in a one-row pipe table below, as a
  PDF-to-markdown converter breaks a table.
A variant is scored against its original's truth unchanged (`accuracy OUT/truth OUT`): a figure that gluing
made unknowable (a row's digits cut more than one way) counts as missed, never as found.

    python scripts/real_variants.py /tmp/variants && python -m govreport_core accuracy /tmp/variants/truth
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from govreport_core.extraction.normalise import CELL_SEPARATOR, build_document
from govreport_core.extraction.readers import read_report

MENU = "首页 政务公开 政府信息公开 政府信息公开年报 当前位置：首页 > 政务公开 > 政府信息公开年报 字号：大 中 小 打印 "
FOOTER = " 相关链接 附件下载 主办单位：人民政府办公室 网站地图 联系我们 技术支持"
# Real reports whose truth is known, under ../shared: (folder, truth folder, file name).
SOURCES: tuple[tuple[str, str, str], ...] = (
    ("seeds", "seeds/truth", "004_c9b27cee782bad7f.txt"),
    ("real-files", "real-files", "hongze_2023.pdf"), ("real-files", "real-files", "hongze_2024.pdf"),
    ("real-files", "real-files", "huaian_city_2024.pdf"),
    ("real-text", "real-text", "503_pingtan_zone_2022_lo.pdf"), ("real-text", "real-text", "010_shanghai_kewei_2024.md"),
    ("real-text", "real-text", "012_shuyang_county_2025.txt"),
)
_NUMBER_CELL = re.compile(r"[+\-增减]?\d[\d,]*(?:\.\d+)?(?:万元|元|万)?|[-—/]")
_GROUP_START = re.compile(r"^(?:[（(][一二三四五六七]+[)）]|[一二三四]、|第二十条)")

Line = list[str]  # a printed line: one cell, or a table row's cells


def printed_lines(path: Path) -> list[Line]:
    """The report's lines as printed: a table row (a grid's row or a pipe line) as its cells, text as one cell."""
    doc = build_document(read_report(path.read_bytes(), path.name))
    lines: list[Line] = []
    for line in doc.text.split("\n"):
        if CELL_SEPARATOR in line or "|" in line:
            cells = [c.strip() for c in re.split(r"\s*\|\s*", line.strip().strip("|"))]
            if cells and not all(re.fullmatch(r":?-{3,}:?", c) for c in cells if c):
                lines.append(cells)
        elif line.strip():
            lines.append([line.strip()])
    return lines


def crawl(lines: list[Line]) -> str:
    title, *rest = lines
    body = re.sub(r"\s+", " ", "".join("".join(cells) for cells in rest))
    return "".join(title) + "\n" + MENU + body + FOOTER + "\n"


def glued_lines(lines: list[Line]) -> str:
    return "\n".join("".join(cells) for cells in lines) + "\n"


def _split(cells: Line) -> tuple[Line, Line]:
    """A row's label cells and its value cells (from the first number on)."""
    for i, cell in enumerate(cells):
        if _NUMBER_CELL.fullmatch(cell) and all(not c or _NUMBER_CELL.fullmatch(c) for c in cells[i:]):
            return cells[:i], cells[i:]
    return cells, []


def ocr_md(lines: list[Line]) -> str:
    out: list[str] = []
    table: list[Line] = []

    def flush() -> None:
        if table:
            width = max(len(row) for row in table)
            header = ["类别", *(f"数据{i}" for i in range(1, width))]
            out.extend(["| " + " | ".join(header) + " |", "|" + "---|" * width])
            out.extend("| " + " | ".join(row + [""] * (width - len(row))) + " |" for row in table)
            out.append("")
            table.clear()

    for cells in lines:
        if len(cells) == 1:
            flush()
            out.append(cells[0])
            continue
        if _GROUP_START.match(cells[0]) and table:
            flush()
        table.append(cells)
    flush()
    return "\n".join(out) + "\n"


def md_broken(lines: list[Line]) -> str:
    out: list[str] = []
    for cells in lines:
        labels, values = _split(cells)
        if not values or len(cells) == 1:
            out.append(" ".join(c for c in cells if c))
            continue
        if any(labels):
            out.append(" ".join(c for c in labels if c))
        out += ["| " + " | ".join(values) + " |", "|" + "---|" * len(values)]
    return "\n".join(out) + "\n"


VARIANTS: dict[str, Callable[[list[Line]], str]] = {"crawl": crawl, "rows_run_together": glued_lines,
                                                   "row_group_tables": ocr_md, "rows_apart": md_broken}


def write_variants(shared: Path, out: Path) -> list[Path]:
    """Every variant of every source with its original's truth (form "redrawn <kind>") in out/truth."""
    (out / "truth").mkdir(parents=True, exist_ok=True)
    written = []
    for folder, truth_folder, name in SOURCES:
        source = shared / folder / name
        truth_path = shared / truth_folder / (Path(name).stem + ".json")
        if not source.exists() or not truth_path.exists():
            continue
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        lines = printed_lines(source)
        tabled = any(len(cells) > 1 for cells in lines)
        for kind, render in VARIANTS.items():
            if kind != "crawl" and not tabled:
                continue  # text one cell per line has no row to redraw but by gluing it
            stem = f"{Path(name).stem}__{kind}"
            path = out / f"{stem}{'.md' if kind.startswith('row') and kind != 'rows_run_together' else '.txt'}"
            path.write_text(render(lines), encoding="utf-8")
            variant = dict(truth, file=path.name, form=f"redrawn {kind}")
            (out / "truth" / f"{stem}.json").write_text(json.dumps(variant, ensure_ascii=False, indent=1), encoding="utf-8")
            written.append(path)
    return written
