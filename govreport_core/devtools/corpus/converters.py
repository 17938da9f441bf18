"""Text made by other tools, rendered from a report spec (issue 14 point 4): the forms people hold in bulk.

Each looks like the real files of ../shared/real-text it stands for:
- `md_broken` (010): PDF-to-markdown output whose pipe tables broke: a row's label on a line of its own and its
  numbers in a one-row pipe table below (sometimes with the `|---|` line markdown wants), header cells split
  over two lines, long labels wrapped over lines, page markers between rows, and here and there the numbers of
  a few rows stacked before (or after) their labels.
- `ocr_md` (012): OCR markdown, one small pipe table per row group under a heading, each with generic headers
  (| 列1 | 列2 | … or | 类别 | 数据1 | … | 总计 |), the applicant header as tables of "-", and sometimes a
  misleading header row (本年新收件数 | 上年结转件数 | 予以公开 …) over the last rows.
- `glued` (005, 006): a report page as a crawler saves it: site menus, the whole report on one line or a few,
  table cells without separators ("（一）予以公开3000003"), a stray space here and there between two cells.
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


def _wrapped(rng: random.Random, label: str) -> str:
    """A long label as a PDF cell wraps it: broken over two or three lines at random points."""
    if len(label) <= 10 or rng.random() < 0.5:
        return label
    cuts = sorted(rng.sample(range(4, len(label) - 2), k=min(2, len(label) - 6)))
    return "\n".join(label[a:b] for a, b in zip([0, *cuts], [*cuts, len(label)], strict=True))


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
        label_lines = [_wrapped(rng, " ".join(label for label in lbls if label)) for lbls, _ in block]
        lines += value_lines + label_lines if group > 1 else label_lines + value_lines
        if rng.random() < 0.05:  # a page break: the converter keeps the page number
            lines.append(rng.choice([f"- {rng.randint(2, 9)} -", f"第 {rng.randint(2, 9)} 页", f"{rng.randint(2, 9)} / 9"]))
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


_MISLEADING = ["项目", "本年新收件数", "上年结转件数", "予以公开", "部分公开", "不予公开", "结转下年度", "总计"]


def render_ocr_md(rng: random.Random, report: Report) -> str:
    numbered = rng.random() < 0.5  # | 类别 | 数据1 | … | 数据6 | 总计 | as real OCR output heads its tables
    tables = []
    for n, rows in enumerate(report.text_rows()):
        parts = []
        groups = list(_groups(rows))
        for g, group in enumerate(groups):
            width = max(len(row) for row in group)
            header = [f"列{i + 1}" for i in range(width)]
            if numbered and n == 1 and any(_split_row(row)[1] for row in group):
                header = ["类别", *(f"数据{i + 1}" for i in range(width - 2)), "总计"]
                if g == len(groups) - 1 and rng.random() < 0.5 and width == len(_MISLEADING):
                    header = list(_MISLEADING)  # the wrong header OCR copied onto the last rows (012)
            heading = _split_row(group[0])[0]
            lines = [f"### {heading[0]}"] if numbered and heading and heading[0] else []
            if numbered and n == 1 and g == 0:  # the applicant header as empty tables (012)
                lines += ["### 申请人情况 (自然人)", "| (数据项目) | 数量 |", "|---|---|", "| - | - |", "",
                          "### 申请人情况 (法人或其他组织)", "| 商业企业 | 科研机构 | 社会公益 | 法律服务机构 | 其他 |",
                          "|---|---|---|---|---|", "| - | - | - | - | - |", ""]
            lines += [_pipe(header), _pipe(["---"] * width)]
            for row in group:
                labels, values = _split_row(row)
                pad = width - len(labels) - len(values)
                lines.append(_pipe([*labels, *[""] * pad, *(_text(v) for v in values)]))
            parts.append("\n".join(lines))
        tables.append("\n\n".join(parts))
    return report._sections(*tables, "\n\n")


# --- glued ----------------------------------------------------------------------------------------

_MENU = "首页 政务公开 政府信息公开 政府信息公开年报 当前位置：首页 > 政务公开 > 政府信息公开年报 字号：大 中 小 打印 关闭 "
_FOOTER = " 相关链接： 附件下载 主办单位：人民政府办公室 网站标识码 网站地图 联系我们"


def render_glued(report: Report, rng: random.Random | None = None) -> str:
    """Cells glued within each row; with `rng`, as a crawler saves the page: menus around it, every line of the
    report run together (or a few lines kept), a stray space between two cells here and there."""
    def row_text(row: list[Cell]) -> str:
        if rng is None:
            return "".join(_text(c) for c in row)
        return "".join(_text(c) + (" " if rng.random() < 0.08 and c is not None else "") for c in row).rstrip()

    tables = ["\n".join(row_text(row) for row in rows) for rows in report.text_rows()]
    text = report._sections(*tables, "\n")
    if rng is None:
        return text
    title, *lines = text.split("\n")
    head = f"{title}\n"  # the crawler keeps the page title apart (006 writes "标题: …", which no reader knows yet)
    if rng.random() < 0.7:  # the whole page on one line, as get_text() without a separator leaves it
        return head + _MENU + "".join(lines) + _FOOTER + "\n"
    return head + _MENU + "\n" + "".join(line + ("\n" if rng.random() < 0.1 else "") for line in lines) + _FOOTER + "\n"


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
