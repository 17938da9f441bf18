"""Real reports flattened into one line as crawlers save report pages (issue 20, second round): test material with
known truth.

A crawler that keeps a page's text without its markup (`get_text()`, a copy of the page, a PDF's text pasted into a
site's editor) runs every line of the report together: menus, a breadcrumb and the page's field labels before the
title, the title straight into the body ("…工作年度报告本报告由…"), the 2014 统计表 one line with its values before
their labels, a site's footer after the signature. Every real report of ../shared whose truth is known (the seeds,
the real files, the converted texts) is read by the project's own reader (and a PDF's text also by `pdftotext -raw`
and `-layout`, as other tools give it), then its lines are joined into one line, with single spaces and with no
separator at all, inside each of several page chromes:
- `menu`: a site's menu and breadcrumb (当前位置：首页 > … > 正文) before the report, its footer after;
- `fields`: the page's info table as text (标 题 … 发布机构 … 发布日期 …) before the report;
- `source`: an inline 来源：… 发布时间：… 浏览次数 line before the title;
- `pdf`: a PDF's page number (-1-) before the title;
- `crawler`: the crawler header of the shared crawled files (标题: … / 发布时间: … / ==== 正文 ====), the body one line.
A variant keeps its original's truth (form "one-line <reader> <joiner>", the chrome in its file name): what the
flattening made unknowable counts as missed, never as found. `flatten_folder` does the same to any folder of
reports with truth (the generated corpus: every form run into one line).

    python scripts/real_variants.py /tmp/variants
    python -m govreport_core accuracy /tmp/variants/truth /tmp/variants --by-form
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

from govreport_core.extraction.normalise import CELL_SEPARATOR, build_document
from govreport_core.extraction.readers import read_report

# Real reports with truth under ../shared: (folder of the reports, folder of their truth files).
FOLDERS: tuple[tuple[str, str], ...] = (("seeds", "seeds/truth"), ("real-files", "real-files"),
                                       ("real-text", "real-text"))
_REPORT_SUFFIXES = (".txt", ".md", ".pdf", ".html", ".htm", ".docx")
_CRAWLER_BODY = re.compile(r"^=+\s*正文\s*=+$")
_CRAWLER_FIELD = re.compile(r"^(?:标题|发布时间|文号|发布机构|栏目|原文链接|本地目录|页面链接)\s*[:：]")
_TITLE_WORDS = re.compile(r"信息公开|政务公开|年度报告|工作报告")

MENU = "首页 机构概况 政务公开 政务服务 互动交流 专题专栏 政府信息公开 政府信息公开年报 "
BREADCRUMB = "当前位置：首页 > 政务公开 > 政府信息公开 > 政府信息公开年报 > 正文 "
FOOTER = " 【打印本页】 【关闭窗口】 相关链接 网站地图 联系我们 主办单位：人民政府办公室 技术支持：信息中心 备案号：00000000号"


def report_lines(text: str) -> tuple[list[str], list[str]]:
    """(header fields, body lines) of a text: a crawled file's own header is set apart, a table row's cells stay
    a line's pieces joined by the separator the variant uses."""
    lines = [line.strip() for line in text.split("\n")]
    header: list[str] = []
    for i, line in enumerate(lines):
        if _CRAWLER_BODY.match(line):
            header, lines = [h for h in lines[:i] if _CRAWLER_FIELD.match(h)], lines[i + 1:]
            break
    return header, [line for line in lines if line]


def _cells(line: str) -> list[str]:
    if CELL_SEPARATOR.strip() in line:
        return [c.strip() for c in line.strip().strip("|").split("|") if c.strip() and not re.fullmatch(r":?-{3,}:?", c.strip())]
    return [line]


def flatten(lines: list[str], joiner: str) -> str:
    """Every line and table cell run together into one line, whitespace collapsed to single spaces (or none)."""
    pieces = [cell for line in lines for cell in _cells(line)]
    joined = joiner.join(pieces)
    return re.sub(r"\s+", " ", joined) if joiner else re.sub(r"[ \t]+", " ", joined)


def _field(header: list[str], name: str) -> str:
    return next((h.split(":", 1)[1].strip() if ":" in h else h.split("：", 1)[1].strip()
                 for h in header if h.startswith(name)), "")


def _title_of(header: list[str], lines: list[str]) -> str:
    """The page's title as a site would show it in its fields: the crawler's 标题 field, else the first line
    when it reads like a report title (an excerpt has none)."""
    title = _field(header, "标题")
    if title:
        return title
    first = re.sub(r"^#+\s*", "", lines[0]) if lines else ""
    return first if len(first) <= 60 and _TITLE_WORDS.search(first) and "。" not in first else ""


Chrome = Callable[[str, str, dict], str]


def _menu(body: str, _title: str, _truth: dict) -> str:
    return MENU + BREADCRUMB + body + FOOTER + "\n"


def _fields(body: str, title: str, truth: dict) -> str:
    publisher = truth.get("agency") if isinstance(truth.get("agency"), str) and " " not in truth["agency"] else ""
    fields = f"标 题 {title} " if title else ""
    fields += f"发布机构 {publisher} " if publisher else ""
    return MENU + "索 引 号 000000000/2020-00001 主题分类 政务公开 " + fields + "发布日期 2020-01-20 " + body + FOOTER + "\n"


def _source(body: str, _title: str, truth: dict) -> str:
    publisher = truth.get("agency") if isinstance(truth.get("agency"), str) and " " not in truth["agency"] else "本站"
    return BREADCRUMB + f"来源：{publisher} 发布时间：2020-01-20 10:30 浏览次数：128 【字体：大 中 小】 " + body + FOOTER + "\n"


def _pdf(body: str, _title: str, _truth: dict) -> str:
    return "-1- " + body + " -12-\n"


def _crawler(body: str, title: str, _truth: dict) -> str:
    head = f"标题: {title}\n发布时间: 2020-01-20 15:22\n文号: \n发布机构: \n栏目: 政府信息公开年报\n"
    return head + "原文链接: https://www.example.gov.cn/zwgk/nb/t20200120_1.htm\n" + "=" * 20 + " 正文 " + "=" * 20 + "\n" \
        + BREADCRUMB + body + FOOTER + "\n"


CHROMES: dict[str, Chrome] = {"menu": _menu, "fields": _fields, "source": _source, "pdf": _pdf, "crawler": _crawler}
JOINERS: dict[str, str] = {"spaced": " ", "unspaced": ""}


def texts_of(path: Path) -> Iterator[tuple[str, str]]:
    """(reader, text) of a report: the project's own reading, and for a PDF poppler's raw and layout text."""
    yield "reader", build_document(read_report(path.read_bytes(), path.name)).text
    if path.suffix.lower() == ".pdf" and shutil.which("pdftotext"):
        for mode in ("raw", "layout"):
            done = subprocess.run(["pdftotext", f"-{mode}", str(path), "-"], capture_output=True, timeout=120,
                                  check=False)
            if done.returncode == 0:
                text = done.stdout.decode("utf-8", "replace").replace("\f", "\n")
                yield mode, "\n".join(re.sub(r"\s{2,}", " ", line) for line in text.split("\n"))


def sources(shared: Path) -> Iterator[tuple[Path, dict]]:
    """Every real report of ../shared with its truth file."""
    for folder, truth_folder in FOLDERS:
        for path in sorted((shared / folder).glob("*")):
            truth_path = shared / truth_folder / (path.stem + ".json")
            if path.suffix.lower() in _REPORT_SUFFIXES and truth_path.exists():
                yield path, json.loads(truth_path.read_text(encoding="utf-8"))


def variants_of(path: Path, truth: dict) -> Iterator[tuple[str, str]]:
    """(name, text) of every flattened variant of one report."""
    for reader, text in texts_of(path):
        header, lines = report_lines(text)
        if not lines:
            continue
        title = _title_of(header, lines)
        for joiner_name, joiner in JOINERS.items():
            body = flatten(lines, joiner)
            for chrome_name, chrome in CHROMES.items():
                yield f"{reader}_{chrome_name}_{joiner_name}", chrome(body, title, truth)


def _write(out: Path, stem: str, text: str, truth: dict, form: str) -> Path:
    target = out / f"{stem}.txt"
    target.write_text(text, encoding="utf-8")
    (out / "truth" / f"{stem}.json").write_text(
        json.dumps(dict(truth, file=target.name, form=form), ensure_ascii=False, indent=1), encoding="utf-8")
    return target


def write_flat_variants(shared: Path, out: Path) -> list[Path]:
    """Every flattened variant of every real report, with its original's truth in out/truth."""
    (out / "truth").mkdir(parents=True, exist_ok=True)
    written = []
    for path, truth in sources(shared):
        for name, text in variants_of(path, truth):
            reader, _chrome, joiner = name.split("_")
            written.append(_write(out, f"{path.stem}__flat_{name}", text, truth, f"one-line {reader} {joiner}"))
    return written


def flatten_folder(source: Path, out: Path) -> list[Path]:
    """Every text report of a folder with truth (`source/truth`, as `corpus` writes it) run into one line, spaced
    and unspaced, inside the menu chrome; the form is the original's with the joiner ("glued one-line unspaced")."""
    (out / "truth").mkdir(parents=True, exist_ok=True)
    written = []
    for truth_path in sorted((source / "truth").glob("*.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        path = source / truth.get("file", truth_path.stem)
        if path.suffix.lower() not in (".txt", ".md", ".html", ".htm") or not path.exists():
            continue
        _, lines = report_lines(build_document(read_report(path.read_bytes(), path.name)).text)
        for joiner_name, joiner in JOINERS.items():
            text = _menu(flatten(lines, joiner), "", truth)
            form = f"{truth.get('form') or path.suffix[1:]} one-line {joiner_name}"
            written.append(_write(out, f"{truth_path.stem}__{joiner_name}", text, truth, form))
    return written
