"""Text made by other tools, rendered from a report spec (issue 14 point 4): the forms people hold in bulk.

- `md_broken`: PDF-to-markdown output whose pipe tables broke: a row's label on a line of its own and its
  numbers in a one-row pipe table below (sometimes with the `|---|` line markdown wants), header cells split
  over two lines, and here and there the numbers of three rows stacked before their three labels.
- `ocr_md`: OCR markdown, one small pipe table per row group, each with generic headers (| 列1 | 列2 | …).
- `glued`: crawled page text whose table cells lost their separators: a label followed by all its row's
  digits run together ("（一）予以公开3000003").
- `stats_glued`: the 2014 统计表 glued into lines ("(一)收到申请数件12").

The truth of a glued form lists a row's figures only when the digits split one way under the table's own
sums (`unique_splits`, written here independently of the extractor's splitter); the rest a reader cannot
know, so it is left out of the truth too.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from itertools import product

from .render import Cell, Report

CONVERTED_FORMS = ("md_broken", "ocr_md", "glued")
OLD_CONVERTED_FORMS = ("stats_glued",)


def _text(cell: Cell) -> str:
    return "" if cell is None else str(cell)


def _is_value(cell: Cell) -> bool:
    return isinstance(cell, int) or (isinstance(cell, str) and cell[-1:].isdigit() and not cell[:1].isalpha()
                                     and any(ch.isdigit() for ch in cell) and len(cell) < 16
                                     and all(not ("\u4e00" <= ch <= "\u9fff") or ch in "增减元" for ch in cell))


def _split_row(row: list[Cell]) -> tuple[list[str], list[Cell]]:
    """A rendered row's label cells and its value cells (everything from the first value on)."""
    for i, cell in enumerate(row):
        if (cell is None or _is_value(cell)) and any(_is_value(c) for c in row[i:]):
            return [_text(c) for c in row[:i]], row[i:]
    return [_text(c) for c in row], []


def _pipe(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


# --- md_broken ------------------------------------------------------------------------------------

def _broken_header(labels: list[str]) -> list[str]:
    """A header row whose long cells wrap: two pipe lines, the second holding each cell's tail."""
    heads = [label[: (len(label) + 1) // 2] if len(label) > 4 else label for label in labels]
    tails = [label[(len(label) + 1) // 2:] if len(label) > 4 else "" for label in labels]
    return [_pipe(heads), _pipe(tails)]


def _md_broken_table(rng: random.Random, rows: list[list[Cell]], separator: bool) -> list[str]:
    lines: list[str] = []
    data = [(labels, values) for labels, values in map(_split_row, rows)]
    i = 0
    while i < len(data):
        labels, values = data[i]
        if not values:
            lines += _broken_header(labels) if rng.random() < 0.5 else [_pipe(labels)]
            i += 1
            continue
        group = 1
        if rng.random() < 0.15 and all(data[j][1] and data[j][0] for j in range(i, min(i + 3, len(data)))) \
                and i + 3 <= len(data):
            group = 3  # three rows' numbers stacked before their labels
        block = data[i:i + group]
        value_lines = []
        for _, vals in block:
            value_lines.append(_pipe([_text(v) for v in vals]))
            if separator:
                value_lines.append(_pipe(["---"] * len(vals)))
        label_lines = [" ".join(label for label in lbls if label) for lbls, _ in block]
        lines += value_lines + label_lines if group > 1 else label_lines + value_lines
        i += group
    return lines


def render_md_broken(rng: random.Random, report: Report) -> str:
    separator = rng.random() < 0.5
    tables = ["\n".join(_md_broken_table(rng, rows, separator)) for rows in report.text_rows()]
    return report._sections(*tables, "\n\n")


# --- ocr_md ---------------------------------------------------------------------------------------

def _groups(rows: list[list[Cell]]) -> Iterator[list[list[Cell]]]:
    """Rows cut where a new numbered group begins (（三）…, 一、…, a table-2 caption): one OCR table each."""
    group: list[list[Cell]] = []
    for row in rows:
        labels, values = _split_row(row)
        first = labels[0] if labels else ""
        starts = bool(first) and (first.startswith(("（", "第二十条", "一、", "二、", "三、", "四、")) or not values)
        if group and starts and (values or bool(_split_row(group[-1])[1])):
            yield group
            group = []
        group.append(row)
    if group:
        yield group


def render_ocr_md(rng: random.Random, report: Report) -> str:
    tables = []
    for rows in report.text_rows():
        parts = []
        for group in _groups(rows):
            width = max(len(row) for row in group)
            header = [f"列{i + 1}" for i in range(width)]
            lines = [_pipe(header), _pipe(["---"] * width)]
            for row in group:
                labels, values = _split_row(row)
                pad = width - len(labels) - len(values)
                lines.append(_pipe([*labels, *[""] * pad, *(_text(v) for v in values)]))
            parts.append("\n".join(lines))
        tables.append("\n\n".join(parts))
    return report._sections(*tables, "\n\n")


# --- glued ----------------------------------------------------------------------------------------

def render_glued(report: Report) -> str:
    tables = []
    for rows in report.text_rows():
        tables.append("\n".join("".join(_text(c) for c in row) for row in rows))
    return report._sections(*tables, "\n")


def unique_splits(digits: str, count: int, groups: int, limit: int = 2) -> list[list[int]]:
    """Ways (up to `limit`) `digits` splits into `count` numbers (no leading zeros) whose `groups` equal groups
    each add up to their last member; the brute force the generator uses to decide what the truth may list."""
    size = count // groups
    found: list[list[int]] = []

    def walk(pos: int, parts: list[int]) -> None:
        if len(found) >= limit:
            return
        if len(parts) == count:
            if pos == len(digits) and all(sum(parts[g:g + size - 1]) == parts[g + size - 1]
                                          for g in range(0, count, size)):
                found.append(list(parts))
            return
        left = count - len(parts)
        for end in range(pos + 1, len(digits) - left + 2):
            piece = digits[pos:end]
            if len(piece) > 1 and piece[0] == "0":
                break
            walk(end, [*parts, int(piece)])

    walk(0, [])
    return found


def table3_known(rows: dict[str, str], leaves: list[str], ends: tuple[str, ...]) -> set[str]:
    """Table-3 rows (key -> glued digits) whose cut a reader can know: unique by the row's own sum, or, taking
    every combination of the open rows' cuts (at most 5,000), the only combination under which K1 and K3 hold."""
    options = {key: unique_splits(digits, 7, 1, limit=25) for key, digits in rows.items()}
    known = {key for key, found in options.items() if len(found) == 1}
    open_rows = [key for key, found in options.items() if 1 < len(found) <= 24]
    combos = 1
    for key in open_rows:
        combos *= len(options[key])
    if not open_rows or combos > 5000:
        return known
    good = []
    for choice in product(*(options[key] for key in open_rows)):
        cut = {key: found[0] for key, found in options.items() if len(found) == 1} | dict(zip(open_rows, choice, strict=True))
        ok = all(sum(cut[k][c] for k in ends[:2]) == sum(cut[k][c] for k in ends[2:]) for c in range(7)) \
            if all(k in cut for k in ends) else True
        if all(k in cut for k in [*leaves, "processed_total"]):
            ok = ok and all(sum(cut[k][c] for k in leaves) == cut["processed_total"][c] for c in range(7))
        if ok:
            good.append(choice)
    return known | set(open_rows) if len(good) == 1 else known


# --- stats_glued ----------------------------------------------------------------------------------

def render_stats_glued(rng: random.Random, title: str, intro: str, rows: list[tuple[str, str | None, str]],
                       values: dict[str, int]) -> str:
    """The 统计表 with each row's label, unit and value glued into one line (the unit cell sometimes lost)."""
    lines = [title, intro, "统计指标单位统计数"]
    keep_unit = rng.random() < 0.5
    for label, key, unit in rows:
        if key is None:
            lines.append(label)
        elif key in values:
            lines.append(f"{label}{unit if keep_unit else ''}{values[key]}")
        else:
            lines.append(f"{label}{unit}")
    return "\n".join(lines) + "\n"
