"""The skeleton's labels found in a token stream: where each row of tables 2–4 is named.

Table 3's rows are found in order (FORMATS §2.2, R01–R23 with （六） as one row or three): every place a row's
label occurs in a run — exactly, by one of the catalog's distinctive fragments, or within a few edits of the
whole label (OCR slips: a character or two wrong or missing in a long label) — is a candidate, and the longest
chain of candidates in skeleton order, each close after the one before, is the table (prose that names a row
here and there makes no such chain). Table 2's rows are a block label closing a run; table 4 is the numbers
after its header words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from govreport_core import catalog
from govreport_core.settings import SETTINGS

from .stream import Run, Stream

_NOT_CJK = re.compile(r"[^\u4e00-\u9fff]")
_LEADING_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十]+\)|（[一二三四五六七八九十]+）|\d+[.、])")
_TOTAL_KEY = "processed_total"
_MISC_KEY = "other_misc"


def cjk(text: str) -> str:
    """The CJK characters of a text: what a run's label keeps."""
    return _NOT_CJK.sub("", text)


@dataclass(frozen=True)
class RowLabel:
    """How a table-3 row is named: its whole label (matched within `edits`) and its distinctive fragments."""

    key: str
    order: int
    whole: str
    edits: int
    fragments: tuple[str, ...]


@cache
def table3_labels() -> tuple[RowLabel, ...]:
    fragments = dict(catalog.TABLE3_ROWS)
    out = []
    for order, (key, section, group, item) in enumerate(catalog.TABLE3_PRINTED_ROWS):
        printed = item or group or section
        whole = cjk(_LEADING_NUMBERING.sub("", printed.replace("（", "(").replace("）", ")")))
        edits = 0 if len(whole) < SETTINGS.label_fuzzy_min_chars else 1 if len(whole) < 10 else 2
        own = tuple(cjk(f) for f in fragments.get(key, ()) if key not in (_TOTAL_KEY, _MISC_KEY))
        out.append(RowLabel(key, order, whole, edits, own))
    return tuple(out)


@dataclass(frozen=True)
class Anchor:
    """A table-3 row named in a run: label characters first..last-1 of the run."""

    key: str
    order: int
    run: Run
    first: int
    last: int
    edits: int

    @property
    def start(self) -> int:
        return self.run.offsets[self.first]

    @property
    def end(self) -> int:
        return self.run.offsets[self.last - 1] + 1


def find_table3(stream: Stream) -> list[Anchor]:
    """Table 3's row labels, one per row at most, in printed order: the best chain of exact candidates, then
    again with the rows it lacks looked for with OCR slips in the runs it spans (two runs either side)."""
    exact = [a for run in stream.runs for a in _candidates(run)]
    chain = _chain(exact)
    if not chain:
        return []
    missing = {row.key for row in table3_labels() if row.edits} - {a.key for a in chain}
    if not missing:
        return chain
    runs = stream.runs
    first = max(0, runs.index(chain[0].run) - 2)
    last = runs.index(chain[-1].run) + 3
    slips = [a for run in runs[first:last] for a in _candidates(run, missing)]
    return _chain(exact + slips) if slips else chain


def _chain(found: list[Anchor]) -> list[Anchor]:
    candidates = sorted(found, key=lambda a: (a.start, a.order))[: SETTINGS.max_label_candidates]
    if not candidates:
        return []
    best: list[tuple[float, int]] = []  # per candidate: (score of the best chain ending here, previous)
    for i, here in enumerate(candidates):
        score, previous = 1.0 - 0.1 * here.edits, -1
        for j in range(i - 1, -1, -1):
            there = candidates[j]
            if here.start - there.end > SETTINGS.max_label_gap:
                break
            if there.order >= here.order or there.end > here.start:
                continue
            if here.key == _MISC_KEY and there.key not in catalog.TABLE3_OTHER_SUB_ROWS:
                continue  # a bare "其他" is row 3 of （六） only right after its first two rows
            if best[j][0] + 1.0 - 0.1 * here.edits > score:
                score, previous = best[j][0] + 1.0 - 0.1 * here.edits, j
        best.append((score, previous))
    end = max(range(len(best)), key=lambda i: (best[i][0], -i))
    chain = []
    while end >= 0:
        chain.append(candidates[end])
        end = best[end][1]
    chain.reverse()
    return chain if len(chain) >= SETTINGS.min_table3_labels else []


def _candidates(run: Run, slips: set[str] | None = None) -> list[Anchor]:
    """The rows a run names exactly, or (`slips`) those rows within a few edits of their whole label."""
    label = run.label
    found: list[Anchor] = []
    for row in table3_labels():
        if slips is not None:
            if row.key in slips:
                found += [Anchor(row.key, row.order, run, *match) for match in _fuzzy(label, row.whole, row.edits)]
            continue
        spans: set[tuple[int, int, int]] = set()
        if row.key == _TOTAL_KEY:  # "总计" names row （七） only with its numbering, or standing alone
            spans |= {(a, a + 2, 0) for a in _all(label, "总计") | _all(label, "合计") if a > 0 and label[a - 1] == "七"}
            if label in ("总计", "合计"):
                spans.add((0, 2, 0))
        elif row.key == _MISC_KEY:
            if label.endswith("其他") and not label.endswith("法律服务机构其他"):
                spans.add((len(label) - 2, len(label), 0))
        else:
            for fragment in (row.whole, *row.fragments):
                spans |= {(a, a + len(fragment), 0) for a in _all(label, fragment)}
        for first, last, edits in spans:
            found.append(Anchor(row.key, row.order, run, first, last, edits))
    return _distinct(found)


def _distinct(found: list[Anchor]) -> list[Anchor]:
    """One candidate per row and place: the widest of overlapping matches of the same row."""
    found.sort(key=lambda a: (a.key, a.first, -(a.last - a.first)))
    out: list[Anchor] = []
    for anchor in found:
        if out and out[-1].key == anchor.key and anchor.first < out[-1].last:
            continue
        out.append(anchor)
    return out


def _all(text: str, part: str) -> set[int]:
    out: set[int] = set()
    at = text.find(part)
    while at >= 0:
        out.add(at)
        at = text.find(part, at + 1)
    return out


def _fuzzy(text: str, label: str, edits: int) -> list[tuple[int, int, int]]:
    """Places where `label` occurs in `text` within `edits` edits: a piece of it found exactly (one of
    edits+1 pieces always survives that many edits), then the alignment around it measured."""
    size = len(label) // (edits + 1)
    pieces = [(i * size, label[i * size:(i + 1) * size if i < edits else len(label)]) for i in range(edits + 1)]
    out: dict[int, tuple[int, int, int]] = {}
    for offset, piece in pieces:
        for at in _all(text, piece):
            lo = max(0, at - offset - edits)
            hi = min(len(text), at - offset + len(label) + edits)
            match = _align(label, text, lo, hi)
            if match and match[2] <= edits:
                out.setdefault(match[0], match)
    return sorted(out.values())


def _align(label: str, text: str, lo: int, hi: int) -> tuple[int, int, int] | None:
    """The best place of `label` within text[lo:hi], any start and end (Sellers' edit distance): (start,
    end, edits)."""
    width = hi - lo
    previous = [(0, lo + j) for j in range(width + 1)]  # (edits, start) with the label's first 0 characters
    for i, ch in enumerate(label, 1):
        row = [(i, lo)]
        for j in range(1, width + 1):
            cost = 0 if text[lo + j - 1] == ch else 1
            row.append(min((previous[j - 1][0] + cost, previous[j - 1][1]), (previous[j][0] + 1, previous[j][1]),
                           (row[j - 1][0] + 1, row[j - 1][1])))
        previous = row
    best = min(range(width + 1), key=lambda j: (previous[j][0], -j))
    edits, start = previous[best]
    return (start, lo + best, edits) if edits < len(label) else None


# --- table 2 --------------------------------------------------------------------------------------

_T2_VOCABULARY = re.compile("|".join(sorted(
    {r"第二十条第[一二三四五六七八九十]+项", "信息内容", "主动公开政府信息情况", "单位万元", "单位元",
     *(cjk(label) for label, _ in catalog.TABLE2_COLUMN_LABELS.values()),
     *(cjk(token) for tokens in catalog.ERA_TOKENS.values() for token in tokens),
     "本年新制作数量", "本年增减", "本年收费金额", "采购总金额"}, key=len, reverse=True)))


def table2_block(run: Run) -> tuple[str, int] | None:
    """The table-2 block (regulations, licensing, …) a run names with its last words, header words before
    them dropped ("…现行有效件数规章": 规章), and where in the run its label begins; prose that only mentions
    one names none."""
    label = run.label
    tail_from = 0
    for match in _T2_VOCABULARY.finditer(label):
        tail_from = match.end()
    # The label after the header words, or (headers split over lines by a converter) on a line of its own.
    for begin in (tail_from, run.breaks[-1] if run.breaks else 0):
        numbering = _LEADING_NUMBERING.match(label, begin)
        tail = label[numbering.end() if numbering else begin:]
        if not tail or len(tail) > SETTINGS.max_table2_label_chars:
            continue
        for block, fragments in catalog.TABLE2_ROWS:
            for fragment in map(cjk, fragments):
                if tail == fragment or (tail.endswith(fragment) and len(tail) <= len(fragment) + SETTINGS.table2_label_slack
                                        and block != "regulations"):
                    return block, begin
    return None


def table2_start(stream: Stream) -> int | None:
    """Where table 2 begins: its first caption (第二十条第(一)项) or 信息内容 header."""
    for run in stream.runs:
        match = re.search(r"第二十条第[一二三四五六七八九十]+项|信息内容", run.label)
        if match:
            return run.offsets[match.start()]
    return None


# --- table 4 --------------------------------------------------------------------------------------

_T4_VOCABULARY = re.compile("|".join(sorted(
    {"政府信息公开", "因政府信息公开申请", "行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉", "直接起诉", "提起",
     "情况", "结果", "维持", "纠正", "其他", "尚未", "审结", "总计", "合计", "申请", "和", "表四", "四", "三", "因",
     "复议", "诉讼", "未经", "直接", "起诉", "行政", "后"},
    key=len, reverse=True)))
_T4_HEAD = ("尚未审结", "结果维持", "复议后起诉")
# The characters of table 4's header: a converter that set its header cells one character per line leaves
# them in no word order ("结其尚结结其…").
_T4_CHARS = re.compile("[" + "".join(sorted(set("行政复议诉讼未经直接起后结果维持纠正其他尚未审结总计合"))) + "]")


def table4_header(label: str) -> bool:
    """Whether a run's label is table 4's header (or a part of it between its numbers): its words and little else."""
    rest = _T4_CHARS.sub("", _T4_VOCABULARY.sub("", label))
    return len(rest) <= SETTINGS.table4_header_slack and bool(_T4_VOCABULARY.search(label))


def table4_head(label: str) -> bool:
    """Whether a run's label holds table 4's column headers (not only the section title)."""
    return any(word in label for word in _T4_HEAD) or ("行政复议" in label and "行政诉讼" in label)
