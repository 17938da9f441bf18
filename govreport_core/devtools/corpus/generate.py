"""Seeded random reports with known figures, each written with its truth JSON.

Every era and form: 2019/2021 tables as HTML grids (zeros written or blank, U+3000 fillers, page chrome),
text flattened one cell per line (zeros written, or blank cells dropped as in seed 004), pipe rows, tab
rows, DOCX and PDF (reportlab), and PDFs as offices make them (`office`): Word files exported by LibreOffice
with ruled or borderless tables, narrow label columns that wrap, portrait or landscape pages, a second font,
a running title (pdf_office, pdf_office_plain), and web pages printed by chromium with tables cut by page
breaks, header rows repeated or not, the browser's page header and footer or not (pdf_print); the 2014
统计表 (grid with 单位 and 历年累计 columns, or flattened with values before labels) and old
prose; text made by other tools (`converted`: broken PDF-to-markdown, OCR markdown, glued crawled text, the
glued 统计表). Variants: traditional characters, GBK bytes, the label typo, labels split over two lines and tables
broken across PDF pages of ../shared/real-files, table-4 sums that fail (the truth then lists the K4
finding it must raise), and sentences that must NOT give a figure. Areas are fictional (metadata is scored
on year, level and era).
The truth lists only figures the text states or its sums prove; a figure a form hides is left out.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from . import converters
from .office_pdf import FONTS, OfficeStyle, docx_to_pdf, html_to_docx_lo, html_to_pdf_print, office_docx
from .render import T3_LABELS, Cell, Report, html_to_docx, html_to_pdf

NEW_FORMS = ("html", "html_blank", "flattened", "flattened_drop", "pipes", "tabs", "docx", "pdf", "pdf_office",
             "pdf_office_plain", "pdf_print", "pdf_lo_html", *converters.CONVERTED_FORMS)
# PDFs as offices make them: a Word file exported by LibreOffice with ruled or borderless tables, a web page
# printed by chromium, a web page opened in LibreOffice, saved as DOCX and exported to PDF (its tables as
# wide as the page made them, often past the right margin; cells centred vertically). Slow to make (external
# programs), so `--text-only` and the quick tests leave them out.
OFFICE_FORMS = frozenset({"pdf_office", "pdf_office_plain", "pdf_print", "pdf_lo_html"})
OLD_FORMS = ("stats_flat", "stats_html", "prose", *converters.OLD_CONVERTED_FORMS)
# Fictional places: invented names that are in no gazetteer.
PLACES = [("岚溪", "雾岭"), ("青川", "白沙"), ("云栖", "松陌"), ("望川", "镜湖"), ("霞浦湾", "丹枫"), ("翠微", "石岑")]
DEPARTMENTS = ["发展和改革局", "教育局", "财政局", "自然资源局", "卫生健康委员会", "市场监督管理局"]
DISTRACTORS = [
    "依据国办公开办函〔2021〕30号要求编制，于{year}年3月1日发布。",
    "政府网站发布、转发各类信息条数5189条，页面浏览量达252万次。",
    "截至年底累计主动公开政府信息98765条。",
    "如有疑问请致电0731-28580542，邮编412000。",
    "全年办结率为100%，群众满意率98.6%。",
]


@dataclass
class Spec:
    name: str
    era: str  # pre2019 | 2019 | 2021
    form: str
    year: int
    level: str
    agency: str
    text: str = ""
    data: bytes = b""
    suffix: str = ".txt"
    metrics: dict[str, object] = field(default_factory=dict)
    by_applicant: dict[str, int] = field(default_factory=dict)
    findings: list[str] = field(default_factory=list)
    pending: str | None = None  # `data` is a Word file ("docx") or web page ("html") still to be made a PDF by
    # LibreOffice (one batch per step)

    def truth(self) -> dict:
        metrics = dict(self.metrics)
        if self.by_applicant:
            metrics["applications_by_applicant"] = self.by_applicant
        return {"file": self.name + self.suffix, "agency": self.agency, "level": self.level, "year": self.year,
                "format_era": self.era, "form": self.form, "metrics": metrics, "findings": self.findings}


@cache
def _converter():
    import opencc

    return opencc.OpenCC("s2t")


def _to_traditional(text: str) -> str:
    return _converter().convert(text)


def _agency(rng: random.Random) -> tuple[str, str]:
    city, county = rng.choice(PLACES)
    kind = rng.choice(["county_government", "county_government", "county_department", "prefecture_government",
                       "township_government"])
    agency = {"county_government": f"{county}区人民政府", "county_department": f"{county}区{rng.choice(DEPARTMENTS)}",
              "prefecture_government": f"{city}市人民政府", "township_government": f"{county}街道办事处"}[kind]
    return agency, kind


def _table3(rng: random.Random, era: str) -> dict[str, list[Cell]]:
    """Leaves per applicant column, then totals, so that K1–K3 hold."""
    keys = [k for k, _, _ in T3_LABELS]
    leaves = [k for k in keys[2:-2] if k != ("other_handling" if era == "2021" else "other_no_correction")
              and not (era == "2019" and k in ("other_no_fee", "other_misc"))]
    table: dict[str, list[Cell]] = {}
    active = [0, *rng.sample(range(1, 6), rng.randint(0, 2))]  # natural persons, maybe a few others
    for key in leaves:
        table[key] = [rng.choice([0, 0, 0, rng.randint(1, 30)]) if c in active else 0 for c in range(6)]
    processed = [sum(table[k][c] for k in leaves) for c in range(6)]  # type: ignore[misc]
    carried = [rng.randint(0, 3) if c in active else 0 for c in range(6)]
    nxt = [rng.randint(0, 4) if c in active else 0 for c in range(6)]
    new = [processed[c] + nxt[c] - min(carried[c], processed[c] + nxt[c]) for c in range(6)]
    carried = [processed[c] + nxt[c] - new[c] for c in range(6)]
    rows = {"applications_new": new, "applications_carried_over": carried, "processed_total": processed,
            "carried_to_next_year": nxt, **table}
    return {k: [*v, sum(v)] for k, v in rows.items()}  # type: ignore[misc]


def _table2(rng: random.Random, era: str) -> tuple[dict[str, list[Cell]], dict[str, object]]:
    n = rng.randint
    if era == "2019":
        change = n(-20, 20)
        change_text = rng.choice([f"+{change}" if change > 0 else str(change),
                                  (f"增{change}" if change >= 0 else f"减{-change}")])
        amount = n(0, 9_000_000)
        table = {"regulations": [0, 0, 0], "normative_docs": [a := n(0, 9), a, n(a, 60)],
                 "licensing": [n(0, 900), change_text, n(0, 900)], "other_services": [n(0, 300), 0, n(0, 500)],
                 "penalty": [n(0, 3000), 0, n(0, 3000)], "coercion": [n(0, 90), 0, n(0, 90)], "fees": [n(0, 9), 0],
                 "procurement": [n(0, 600), f"{amount}元"]}
        truth = {"regulations_new": 0, "regulations_published": 0, "regulations_total": 0,
                 "normative_docs_new": table["normative_docs"][0], "normative_docs_published": table["normative_docs"][1],
                 "normative_docs_total": table["normative_docs"][2], "licensing_prev_year": table["licensing"][0],
                 "licensing_change": change, "licensing_decisions": table["licensing"][2],
                 "procurement_items": table["procurement"][0],
                 "procurement_amount_wan": float(Decimal(amount) / Decimal(10000))}
        for block in ("other_services", "penalty", "coercion"):
            truth |= {f"{block}_prev_year": table[block][0], f"{block}_change": 0, f"{block}_decisions": table[block][2]}
        truth |= {"fees_prev_year_items": table["fees"][0], "fees_change": 0}
        return table, truth
    fee = Decimal(n(0, 999999)) / 100
    table = {"regulations": [0, 0, 0], "normative_docs": [n(0, 9), n(0, 5), n(10, 80)], "licensing": [n(0, 900)],
             "penalty": [n(0, 5000)], "coercion": [n(0, 300)], "fees": [str(fee)]}
    truth = {"regulations_new": 0, "regulations_repealed": 0, "regulations_in_force": 0,
             "normative_docs_new": table["normative_docs"][0], "normative_docs_repealed": table["normative_docs"][1],
             "normative_docs_in_force": table["normative_docs"][2], "licensing_decisions": table["licensing"][0],
             "penalty_decisions": table["penalty"][0], "coercion_decisions": table["coercion"][0],
             "admin_fees_amount_wan": float(fee)}
    return table, truth


def _table4(rng: random.Random) -> list[Cell]:
    cells: list[Cell] = []
    for _ in range(3):
        group = [rng.choice([0, 0, rng.randint(1, 9)]) for _ in range(4)]
        cells += [*group, sum(group)]
    return cells


def new_format_spec(rng: random.Random, name: str, era: str, form: str) -> Spec:
    spec, report, table3 = new_format_report(rng, name, era, form)
    _apply_form(rng, spec, report, table3)
    return spec


def new_format_report(rng: random.Random, name: str, era: str, form: str) -> tuple[Spec, Report, dict[str, list[Cell]]]:
    """A drawn report (its truth in the Spec) before it is laid out in `form`; tests lay it out themselves."""
    agency, level = _agency(rng)
    year = rng.choice([2019, 2020] if era == "2019" else [2021, 2022, 2023, 2024])
    spec = Spec(name, era, form, year, level, agency)
    table2, spec.metrics = _table2(rng, era)
    table3, table4 = _table3(rng, era), _table4(rng)
    if form == "html" and rng.random() < 0.2:  # a report whose own sums fail: printed values stay, K4 raised
        table4[4] = int(table4[4]) + 1  # type: ignore[arg-type]
        spec.findings.append("K4")
    items, fee_yuan = rng.randint(10, 20000), rng.choice([0, 0, rng.randint(1, 5000)])
    fee_sentence = f"本年度收取信息处理费{fee_yuan}元。" if fee_yuan else "本年度未收取信息处理费。"
    prose = f"{year}年，本机关主动公开政府信息{items}条。" + rng.choice(DISTRACTORS).format(year=year + 1)
    report = Report(era, f"{agency}{year}年政府信息公开工作年度报告", table2, table3, table4, prose=prose,
                    section6=fee_sentence, head=[f"发布日期：{year + 1}-01-2{rng.randint(0, 8)}"])
    spec.metrics |= {"proactive_items": items, "fees_collected_wan": float(Decimal(fee_yuan) / Decimal(10000))}
    spec.metrics |= {k: table3[k][6] for k, _, _ in report.t3_rows()}
    if era == "2021":
        spec.metrics["other_handling"] = sum(int(table3[k][6]) for k in ("other_no_correction", "other_no_fee", "other_misc"))  # type: ignore[arg-type]
    keys = ["review", "litigation_direct", "litigation_after_review"]
    leaves = ["upheld", "corrected", "other", "pending", "total"]
    spec.metrics |= {f"{g}_{leaf}": table4[i * 5 + j] for i, g in enumerate(keys) for j, leaf in enumerate(leaves)}
    applicants = ["natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total"]
    new_row = [int(v) for v in table3["applications_new"]]  # type: ignore[arg-type]
    spec.by_applicant = dict(zip(applicants, new_row, strict=True))
    return spec, report, table3


def _apply_form(rng: random.Random, spec: Spec, report: Report, table3: dict[str, list[Cell]]) -> None:
    form = spec.form
    if rng.random() < 0.3:  # the typo of the real Hongze PDFs
        report.typo_law_forbidden = True
    report.split_labels = rng.random() < 0.5
    if form == "html_blank":  # zeros left blank, U+3000 fillers; totals printed, so K2 proves the blanks
        for key, cells in table3.items():
            table3[key] = [c if c != 0 or i == 6 else rng.choice([None, "\u3000"]) for i, c in enumerate(cells)]
    if form == "flattened_drop":  # seed 004: blank applicant cells dropped; 自然人 and 总计 always written
        for key, cells in table3.items():
            table3[key] = [c if c != 0 or i in (0, 6) else None for i, c in enumerate(cells)]
        for block, cells in report.table2.items():
            if spec.era == "2019" and block in ("other_services", "penalty", "coercion", "fees"):
                report.table2[block] = [c if i != 1 else None for i, c in enumerate(cells)]
                spec.metrics.pop(f"{block}_change", None)
        others = spec.by_applicant
        spec.by_applicant = ({"natural_person": others["natural_person"], "total": others["total"]}
                             if not any(others[k] for k in list(others)[1:6]) else {"total": others["total"]})
    if form in converters.CONVERTED_FORMS:
        _apply_converted(rng, spec, report, table3)
        return
    render = {"html": report.render_html, "html_blank": report.render_html, "flattened": report.render_flattened,
              "flattened_drop": report.render_flattened, "pipes": report.render_pipes, "tabs": report.render_tabs,
              "docx": report.render_html, "pdf": report.render_html}.get(form, report.render_html)
    if form in OFFICE_FORMS:
        _apply_office_form(rng, spec, report)
        return
    text = render()
    if form in ("html", "flattened") and rng.random() < 0.3:
        text = _to_traditional(text)
    spec.suffix = {"html": ".html", "html_blank": ".html", "pipes": ".md", "docx": ".docx", "pdf": ".pdf"}.get(form, ".txt")
    if form == "docx":
        spec.data = html_to_docx(text)
    elif form == "pdf":  # half of them with tables pushed across page breaks
        spec.data = html_to_pdf(text, rng.choice([0, rng.randint(200, 600)]))
    else:
        encoding = "gbk" if spec.suffix == ".txt" and rng.random() < 0.3 else "utf-8"
        spec.data = text.encode(encoding)


def _apply_office_form(rng: random.Random, spec: Spec, report: Report) -> None:
    spec.suffix = ".pdf"
    if spec.form == "pdf_print":  # ruled tables cut by page breaks; header rows repeated on each page or not
        html = report.render_html(ruled=True, repeat_headers=rng.random() < 0.5,
                                  space_before_tables=rng.choice([0, rng.randint(50, 700)]))
        spec.data = html_to_pdf_print(html, furniture=rng.random() < 0.5)
        return
    if spec.form == "pdf_lo_html":  # the page saved from the web, as real report pages write their tables
        spec.data = _web_tables(rng, report.render_html(repeat_headers=rng.random() < 0.3)).encode("utf-8")
        spec.pending = "html"
        return
    style = OfficeStyle(borders=spec.form == "pdf_office", landscape=rng.random() < 0.3,
                        font=rng.choice([None, *FONTS]),
                        running_title=report.title if rng.random() < 0.4 else None)
    spec.data = office_docx(report.render_html(), style, blank_lines_before_tables=rng.choice([0, rng.randint(1, 25)]))
    spec.pending = "docx"


def _web_tables(rng: random.Random, html: str) -> str:
    """The tables of a report page as sites write them: ruled by the border attribute (LibreOffice's import
    keeps it, not CSS) or not, and as wide as the page's layout made them: the text width, or a fixed width in
    pixels that can run past the right margin of an A4 page (its last column then prints past the page's edge;
    wider still, up to 900 px, LibreOffice leaves the columns beyond the edge out of the PDF, figures no reader
    can see, so the corpus stops at 740); their cells' text at the left or centred."""
    border = ' border="1" cellspacing="0" cellpadding="2"' if rng.random() < 0.5 else ""
    width = rng.choice(["", ' width="100%"', f' width="{rng.randint(560, 740)}"'])
    html = html.replace("<table>", f"<table{border}{width}>")
    return html.replace("<td", '<td align="center"') if rng.random() < 0.4 else html  # cells centred


# --- old format -----------------------------------------------------------------------------------

OLD_ROWS: list[tuple[str, str | None, str]] = [  # (label, metric or None for a heading, unit)
    ("一、主动公开情况", None, ""), ("(一)主动公开政府信息数(不同渠道和方式公开相同的信息列为1条)", "proactive_items", "条"),
    ("其中:主动公开规范性文件数", "normative_docs_proactive", "条"), ("制发规范性文件总数", "normative_docs_issued", "件"),
    ("二、回应解读情况", None, ""), ("(一)回应公众关注热点或重大舆情数(不同方式回应同一热点或舆情计1次)", "hot_topic_responses", "次"),
    ("三、依申请公开情况", None, ""), ("(一)收到申请数", "applications_new", "件"), ("1、当面申请数", "applications_in_person", "件"),
    ("(二)申请办结数", "processed_total", "件"), ("(三)申请答复数", "replied_total", "件"),
    ("2、同意公开答复数", "granted", "件"), ("6、申请信息不存在数", "info_not_exist", "件"),
    ("四、行政复议数量", "review_total", "件"), ("(一)维持具体行政行为数", "review_upheld", "件"),
    ("五、行政诉讼数量", "litigation_total", "件"), ("六、举报投诉数量", "complaints_total", "件"),
    ("八、机构建设和保障经费情况", None, ""), ("(一)政府信息公开工作专门机构数", "dedicated_offices", "个"),
    ("九、政府信息公开会议和培训情况", None, ""), ("(二)举办各类培训班数", "trainings", "次"), ("(三)接受培训人员数", "trainees", "人次"),
]


def old_format_spec(rng: random.Random, name: str, form: str) -> Spec:
    agency, level = _agency(rng)
    year = rng.randint(2009, 2018)
    spec = Spec(name, "pre2019", form, year, level, agency)
    title = f"{agency}{year}年政府信息公开工作年度报告"
    intro = f"一、概述\n现将本机关{year}年政府信息公开工作情况报告如下。{rng.choice(DISTRACTORS).format(year=year)}"
    if form == "prose":
        text = _old_prose(rng, spec, title, intro)
    else:
        applications = rng.randint(0, 40)
        values = {"proactive_items": rng.randint(50, 9000), "applications_new": applications,
                  "processed_total": applications, "granted": rng.randint(0, applications)}
        for _, key, _ in OLD_ROWS:
            if key and key not in values and rng.random() < 0.7:
                values[key] = rng.randint(0, 30)
        if "review_upheld" in values and "review_total" in values:
            values["review_upheld"] = min(values["review_upheld"], values["review_total"])
        spec.metrics = dict(values)
        text = (_stats_html(title, intro, values, year) if form == "stats_html" else
                converters.render_stats_glued(rng, title, intro, OLD_ROWS, values) if form == "stats_glued" else
                _stats_flat(rng, title, intro, values))
    if form != "stats_html" and rng.random() < 0.3:
        text = _to_traditional(text)
    spec.suffix = ".html" if form == "stats_html" else ".txt"
    spec.data = text.encode("gbk" if spec.suffix == ".txt" and rng.random() < 0.3 else "utf-8")
    return spec


def _stats_flat(rng: random.Random, title: str, intro: str, values: dict[str, int]) -> str:
    lines = [title, intro, "统计指标", "单位", "统计数"]
    for label, key, unit in OLD_ROWS:
        if key is None:
            lines.append(label)
        elif key in values and lines[-1].endswith("情况") and rng.random() < 0.5:
            lines += [str(values[key]), label, unit]  # the value printed before its label (seed 001)
        else:
            lines += [label, unit] + ([str(values[key])] if key in values else [])
    return "\n".join(lines) + "\n"


def _stats_html(title: str, intro: str, values: dict[str, int], year: int) -> str:
    rows = "".join(f"<tr><td>{label}</td><td>{unit}</td><td>{values.get(key, '') if key else ''}</td>"
                   f"<td>{values[key] * 7 + 3 if key in values else ''}</td></tr>" for label, key, unit in OLD_ROWS)
    return (f"<html><body><nav>首页</nav><h1>{title}</h1><p>{intro}</p><table><tr><td>统计指标</td><td>单位</td>"
            f"<td>{year}年度</td><td>历年累计</td></tr>{rows}</table></body></html>")


def _old_prose(rng: random.Random, spec: Spec, title: str, intro: str) -> str:
    items, applications = rng.randint(50, 9000), rng.randint(0, 60)
    parts = [title, intro, "二、主动公开政府信息情况", f"全年主动公开政府信息{items}条，其中规范性文件{rng.randint(1, 9)}件。",
             "三、依申请公开政府信息情况"]
    spec.metrics = {"proactive_items": items, "applications_new": applications}
    if applications:
        parts.append(rng.choice([f"全年共收到政府信息公开申请{applications}件，均已按时答复。",
                                 f"共受理信息公开申请{applications}件，申请办结数{applications}件。"]))
        if "办结" in parts[-1]:
            spec.metrics["processed_total"] = applications
    else:
        parts.append(rng.choice(["全年未收到政府信息公开申请。", "没有接到群众要求公开政府信息的申请。"]))
    parts.append("四、政府信息公开的收费及减免情况")
    parts.append(rng.choice(["全年没有收取政府信息公开费用。", "未收取任何政府信息公开费用。"]))
    spec.metrics["fees_collected_wan"] = 0
    parts.append("五、因政府信息公开申请行政复议、提起行政诉讼的情况")
    review = rng.choice([0, 0, rng.randint(1, 9)])
    if review:
        parts.append(f"全年共收到行政复议申请{review}件，行政诉讼案件{review + 1}件。")
        spec.metrics |= {"review_total": review, "litigation_total": review + 1}
    else:
        parts.append(rng.choice(["无此类情况。", "未发生因政府信息公开申请行政复议和提起行政诉讼的情况。"]))
        spec.metrics |= {"review_total": 0, "litigation_total": 0}
    parts += ["六、存在的主要问题和改进措施", "工作人员业务水平有待提高。"]
    return "\n".join(parts) + "\n"


def _apply_converted(rng: random.Random, spec: Spec, report: Report, table3: dict[str, list[Cell]]) -> None:
    """Text made by other tools (`converted`); a glued table's truth keeps only rows whose digits split one way."""
    report.split_labels = False
    if spec.form in ("md_broken", "ocr_md") and rng.random() < 0.3:  # zeros left blank; totals printed (K2 proves them)
        for key, cells in table3.items():
            table3[key] = [c if c != 0 or i == 6 else None for i, c in enumerate(cells)]
    if spec.form == "md_broken":
        text = converters.render_md_broken(rng, report)
    elif spec.form == "ocr_md":
        text = converters.render_ocr_md(rng, report)
    else:
        if rng.random() < 0.4:  # bigger counts, whose glued digits split several ways more often
            _scale(spec, report, table3, rng.choice([7, 11, 13]))
        text = converters.render_glued(report, rng)
        _glued_truth(spec, report, table3)
    spec.suffix = ".md" if spec.form != "glued" else ".txt"
    spec.data = text.encode("gbk" if spec.suffix == ".txt" and rng.random() < 0.3 else "utf-8")


def _scale(spec: Spec, report: Report, table3: dict[str, list[Cell]], factor: int) -> None:
    """Tables 3 and 4 with every count times `factor`: every sum (K1–K4) still holds; the truth follows."""
    for key, cells in table3.items():
        table3[key] = [c * factor if isinstance(c, int) else c for c in cells]
    report.table4[:] = [c * factor if isinstance(c, int) else c for c in report.table4]
    for key in [k for k in spec.metrics if k in table3 or k.startswith(("review_", "litigation_"))]:
        spec.metrics[key] = spec.metrics[key] * factor  # type: ignore[operator]
    if "other_handling" in spec.metrics and spec.era == "2021":
        spec.metrics["other_handling"] = sum(int(table3[k][6]) for k in ("other_no_correction", "other_no_fee", "other_misc"))  # type: ignore[arg-type]
    spec.by_applicant = {k: v * factor for k, v in spec.by_applicant.items()}


def _glued_truth(spec: Spec, report: Report, table3: dict[str, list[Cell]]) -> None:
    def digits(cells: list[Cell]) -> str:
        return "".join("" if c is None else str(c) for c in cells)

    t3_keys = [key for key, _, _ in report.t3_rows()]
    subs = [k for k in ("other_no_correction", "other_no_fee", "other_misc") if k in t3_keys]
    leaves = [k for k in t3_keys[2:-2] if k not in ("other_handling", *subs)] + (subs or ["other_handling"])
    known = converters.table3_known({key: digits(table3[key]) for key in t3_keys}, leaves,
                                   ("applications_new", "applications_carried_over", "processed_total", "carried_to_next_year"))
    left_out = [key for key in t3_keys if key not in known]
    if left_out or len(converters.unique_splits(digits(report.table4), 15, 3)) != 1:
        spec.findings.append("placement")  # what the digits cannot tell is said, not guessed
    for key in t3_keys:
        if key not in known:
            spec.metrics.pop(key, None)
            if key == "applications_new":
                spec.by_applicant = {}
            if key in ("other_no_correction", "other_no_fee", "other_misc"):
                spec.metrics.pop("other_handling", None)
    if len(converters.unique_splits(digits(report.table4), 15, 3)) != 1:
        for key in [k for k in spec.metrics if k.startswith(("review_", "litigation_"))]:
            spec.metrics.pop(key)
    columns = {"2019": {"regulations": ("new", "published", "total"), "normative_docs": ("new", "published", "total"),
                        "licensing": ("prev_year", "change", "decisions"),
                        "other_services": ("prev_year", "change", "decisions"),
                        "penalty": ("prev_year", "change", "decisions"), "coercion": ("prev_year", "change", "decisions"),
                        "fees": ("prev_year_items", "change"), "procurement": ("items", "amount_wan")},
               "2021": {"regulations": ("new", "repealed", "in_force"), "normative_docs": ("new", "repealed", "in_force"),
                        "licensing": ("decisions",), "penalty": ("decisions",), "coercion": ("decisions",),
                        "fees": ("amount_wan",)}}[spec.era]
    for block, cells in report.table2.items():
        text = digits(cells)
        if len(cells) > 1 and (len(text) != len(cells) or not text.isdigit()):
            for column in columns[block]:  # digits that do not split one per column: no one can know them
                key = "admin_fees_amount_wan" if block == "fees" and spec.era == "2021" else f"{block}_{column}"
                spec.metrics.pop(key, None)


TEXT_FORMS = frozenset({"html", "html_blank", "flattened", "flattened_drop", "pipes", "tabs", *OLD_FORMS,
                        *converters.CONVERTED_FORMS})


def write_corpus(folder: Path, count: int, seed: int = 1, forms: frozenset[str] | None = None) -> list[Path]:
    """`count` reports spread over every era × form (or only `forms`), truth JSONs in folder/truth; deterministic."""
    rng = random.Random(seed)
    combos = [("2019", f) for f in NEW_FORMS] + [("2021", f) for f in NEW_FORMS] + [("pre2019", f) for f in OLD_FORMS]
    combos = [(era, form) for era, form in combos if forms is None or form in forms]
    (folder / "truth").mkdir(parents=True, exist_ok=True)
    specs = []
    for i in range(count):
        era, form = combos[i % len(combos)]
        name = f"gen_{i:05d}_{era}_{form}"
        specs.append(old_format_spec(rng, name, form) if era == "pre2019" else new_format_spec(rng, name, era, form))
    pages = [spec for spec in specs if spec.pending == "html"]
    for spec, document in zip(pages, html_to_docx_lo([spec.data for spec in pages]), strict=True):
        spec.data, spec.pending = document, "docx"
    documents = [spec for spec in specs if spec.pending == "docx"]
    for spec, pdf in zip(documents, docx_to_pdf([spec.data for spec in documents]), strict=True):
        spec.data, spec.pending = pdf, None
    paths = []
    for spec in specs:
        path = folder / (spec.name + spec.suffix)
        path.write_bytes(spec.data)
        (folder / "truth" / f"{spec.name}.json").write_text(json.dumps(spec.truth(), ensure_ascii=False, indent=1),
                                                            encoding="utf-8")
        paths.append(path)
    return paths
