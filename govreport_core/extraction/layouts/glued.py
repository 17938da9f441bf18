"""Glued digits cut into cells, only where the table's own sums make the cut unique.

A crawler that drops a table's cell separators leaves each row's digits in one run ("（一）予以公开270020130"),
sometimes with a stray space that does fall between two cells ("230 000023"). A run is cut into the row's known
number of cells, no cell with a leading zero, each space a cut: for table 3 each row's six applicant columns
must add up to its 总计 (K2), for table 4 each group's four outcomes to its 总计 (K4). A row that K2 leaves
open is settled by K1/K3 column by column when exactly one combination of the open rows' cuts balances them.
Anything else is left out: a wrong figure is worse than none. The search is bounded (hostile input: a
long digit run), and a run past the bound is left out the same way.
"""

from __future__ import annotations

from itertools import product
from math import prod

from govreport_core import catalog
from govreport_core.settings import SETTINGS


class TooLong(Exception):
    """The cut search passed its step bound: the run is left out, not searched further."""


def cuts(pieces: list[str], count: int, groups: int = 1, total_at: int = -1, limit: int = 2) -> list[list[int]]:
    """Ways (at most `limit`) to cut digit runs into `count` whole numbers: each run into one or more numbers
    without leading zeros, in each of `groups` equal groups the others adding up to the one at `total_at`.

    >>> cuts(["230", "000023"], 7)
    [[23, 0, 0, 0, 0, 0, 23]]
    Raises TooLong past `SETTINGS.max_cut_steps` steps.
    """
    digits = "".join(pieces)
    if not digits.isdigit() or not count or count % groups or len(pieces) > count or len(digits) < count:
        return []
    if len(digits) > count * SETTINGS.max_cell_digits:
        return []
    ends: list[int] = []
    at = 0
    for piece in pieces:
        at += len(piece)
        ends.append(at)
    size = count // groups
    total = total_at % size
    found: list[list[int]] = []
    parts: list[int] = []
    steps = 0

    def holds(done: int) -> bool:
        group = parts[done - size:done]
        return sum(group) - group[total] == group[total]

    def walk(pos: int, piece: int) -> None:
        nonlocal steps
        steps += 1
        if steps > SETTINGS.max_cut_steps:
            raise TooLong
        done = len(parts)
        if done and done % size == 0 and not holds(done):
            return
        if done == count:
            if pos == len(digits):
                found.append(list(parts))
            return
        if len(found) >= limit or len(digits) - pos < count - done or len(pieces) - piece > count - done:
            return
        stop = ends[piece]  # a part never runs over a space between runs
        at = done % size
        if at == total == size - 1:  # the group's total is the sum of its other parts: one way on, or none
            expected = str(sum(parts[done - at:done]))
            end = pos + len(expected)
            if end <= stop and digits.startswith(expected, pos):
                parts.append(int(expected))
                walk(end, piece + 1 if end == stop else piece)
                parts.pop()
            return
        for end in range(pos + 1, min(stop, pos + SETTINGS.max_cell_digits) + 1):
            part = digits[pos:end]
            if len(part) > 1 and part[0] == "0":
                break
            if at != total and total == size - 1:
                # The group's total comes last and is no smaller than its other parts so far: it has at most the
                # digits left once every later part has one.
                longest = len(digits) - end - (count - done - 1 - 1)
                if sum(parts[done - at:done]) + int(part) >= 10 ** min(longest, SETTINGS.max_cell_digits):
                    break
            parts.append(int(part))
            walk(end, piece + 1 if end == stop else piece)
            parts.pop()

    walk(0, 0)
    return found


def table3_cuts(runs: dict[str, list[str]], total_at: int = -1) -> dict[str, list[int]]:
    """Table 3's glued rows (key -> digit runs) cut where the sums make the cut unique: each row by its own K2,
    then the rows K2 leaves open by K1 or K3 (every column), until nothing changes."""
    width = len(catalog.APPLICANTS)
    candidates: dict[str, list[list[int]]] = {}
    for key, pieces in runs.items():
        try:
            candidates[key] = cuts(pieces, width, total_at=total_at, limit=SETTINGS.max_row_cuts + 1)
        except TooLong:
            candidates[key] = []
    fixed = {key: found[0] for key, found in candidates.items() if len(found) == 1}
    subs = [k for k in catalog.TABLE3_OTHER_SUB_ROWS if k in runs]
    leaves = [*catalog.TABLE3_OUTCOME_LEAVES, *(subs or ["other_handling"])]
    ends = catalog.TABLE3_END_ROWS
    equations = [(list(ends[:2]), list(ends[2:])), (leaves, ["processed_total"])]  # K1, K3: each column
    changed = True
    while changed:
        changed = False
        for left, right in equations:
            open_rows = [k for k in left + right if k not in fixed]
            if not open_rows or any(k not in candidates for k in open_rows):
                continue
            choices = [candidates[k] for k in open_rows]
            if any(not 1 < len(c) <= SETTINGS.max_row_cuts for c in choices) \
                    or prod(len(c) for c in choices) > SETTINGS.max_cut_combinations:
                continue
            balanced = []
            for combination in product(*choices):
                rows = {**fixed, **dict(zip(open_rows, combination, strict=True))}
                if all(sum(rows[k][c] for k in left) == sum(rows[k][c] for k in right) for c in range(width)):
                    balanced.append(combination)
            if len(balanced) == 1:
                fixed |= dict(zip(open_rows, balanced[0], strict=True))
                changed = True
    return fixed
