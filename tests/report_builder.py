"""Team-written 2019/2021 reports for tests: fixed specs rendered by govreport_core.corpus.render.

The expected figures of a test come from the spec it renders, never from the extractor.
"""

from __future__ import annotations

from site_chrome import site_page

from govreport_core.devtools.corpus.render import T3_LABELS, Cell, Report, html_to_docx

__all__ = ["T3_LABELS", "Cell", "Report", "html_to_docx"]


def sample_table3(era: str) -> dict[str, list[Cell]]:
    """A table 3 whose sums all hold (K1–K3), with several applicant columns in use."""
    t3: dict[str, list[Cell]] = {key: [0] * 7 for key, _, _ in T3_LABELS}
    def put(key: str, *applicants: int) -> None:
        t3[key] = [*applicants, sum(applicants)]
    put("applications_new", 20, 3, 0, 0, 1, 1)
    put("applications_carried_over", 2, 0, 0, 0, 0, 0)
    put("granted", 8, 1, 0, 0, 0, 0)
    put("partially_granted", 3, 1, 0, 0, 0, 0)
    put("denied_third_party", 1, 0, 0, 0, 0, 0)
    put("unable_no_info", 4, 0, 0, 0, 1, 0)
    put("not_processed_repeat", 2, 0, 0, 0, 0, 0)
    if era == "2021":
        put("other_no_correction", 1, 0, 0, 0, 0, 1)
        put("other_misc", 1, 0, 0, 0, 0, 0)
    else:
        put("other_handling", 2, 0, 0, 0, 0, 1)
    put("processed_total", 20, 2, 0, 0, 1, 1)  # K3: each column's leaves; K1: 25 + 2 = 24 + 3
    put("carried_to_next_year", 2, 1, 0, 0, 0, 0)
    return t3


def sample_report(era: str, title: str | None = None) -> Report:
    year = 2020 if era == "2019" else 2022
    table2 = ({"regulations": [0, 0, 0], "normative_docs": [3, 3, 12], "licensing": [195, "+9", 212],
               "other_services": [323, "减109", 214], "penalty": [221, "-61", 160], "coercion": [27, 0, 32],
               "fees": [1, 0], "procurement": [542, "251000元"]} if era == "2019" else
              {"regulations": [0, 0, 0], "normative_docs": [5, 1, 25], "licensing": [550],
               "penalty": [4119], "coercion": [195], "fees": ["7730.28"]})
    table4 = [1, 1, 0, 0, 2, 11, 5, 26, 0, 42, 0, 0, 1, 1, 2]
    return Report(era, title or f"株洲市芦淞区人民政府{year}年政府信息公开工作年度报告", table2, sample_table3(era), table4)


EXPECTED_T2 = {
    "2019": {"regulations_new": 0, "regulations_published": 0, "regulations_total": 0, "normative_docs_new": 3,
             "normative_docs_published": 3, "normative_docs_total": 12, "licensing_prev_year": 195,
             "licensing_change": 9, "licensing_decisions": 212, "other_services_prev_year": 323,
             "other_services_change": -109, "other_services_decisions": 214, "penalty_prev_year": 221,
             "penalty_change": -61, "penalty_decisions": 160, "coercion_prev_year": 27, "coercion_change": 0,
             "coercion_decisions": 32, "fees_prev_year_items": 1, "fees_change": 0, "procurement_items": 542,
             "procurement_amount_wan": 25.1},
    "2021": {"regulations_new": 0, "regulations_repealed": 0, "regulations_in_force": 0, "normative_docs_new": 5,
             "normative_docs_repealed": 1, "normative_docs_in_force": 25, "licensing_decisions": 550,
             "penalty_decisions": 4119, "coercion_decisions": 195, "admin_fees_amount_wan": 7730.28},
}


BUILT_FIXTURES = {  # file name -> (era, layout method): the committed copies the benchmark also reads
    "built_2019.html": ("2019", "render_html"), "built_2021.html": ("2021", "render_html"),
    "built_2019_flattened.txt": ("2019", "render_flattened"), "built_2021_pipes.md": ("2021", "render_pipes"),
    "built_2019_tabs.txt": ("2019", "render_tabs"),
    # The report on a government website: a web editor's markup and a light site template (~30 KB), and
    # Word's HTML export inside a large site's full chrome (~210 KB); the benchmark's HTML bars use them.
    "site_2021_editor.html": ("2021", "site_light"), "site_2019_word_chrome.html": ("2019", "site_full"),
}


def built_fixture(name: str) -> str:
    era, method = BUILT_FIXTURES[name]
    if method.startswith("site_"):
        return site_page(sample_report(era).render_html(), chrome=method.removeprefix("site_"))
    return getattr(sample_report(era), method)()


if __name__ == "__main__":  # python tests/report_builder.py: rewrite tests/fixtures/built/
    from pathlib import Path

    folder = Path(__file__).parent / "fixtures" / "built"
    folder.mkdir(parents=True, exist_ok=True)
    for file_name in BUILT_FIXTURES:
        (folder / file_name).write_text(built_fixture(file_name), encoding="utf-8")
