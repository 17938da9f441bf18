"""Which file of a report stands, and so the findings, do not depend on the order the files were saved in
(issue 22.8). Team-written reports (tests/report_builder.py); expected figures from their spec: 上年结转 2 in
every report, 结转下年度继续办理 3 (2+1) in a well-read one."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from report_builder import sample_report, sample_table3

from govreport_core.extraction.pipeline import extract_bytes
from govreport_core.model import Result
from govreport_core.store import Store, db

AGENCY = "株洲市芦淞区人民政府"


def report(year: int, carried_out_total: int | None = None, note: str = "") -> Result:
    """The sample 2021-format report of `year`; with `carried_out_total`, its 结转下年度 总计 misprinted (the
    applicant columns still add up to 3), so the table's own sums fail: a file read worse than the good copy."""
    spec = sample_report("2021", f"{AGENCY}{year}年政府信息公开工作年度报告")
    if carried_out_total is not None:
        spec.table3 = sample_table3("2021") | {"carried_to_next_year": [2, 1, 0, 0, 0, 0, carried_out_total]}
    html = spec.render_html().replace("</body>", f"<p>{note}</p></body>")
    return extract_bytes(html.encode("utf-8"), f"{year}{note}.html")


@pytest.fixture(scope="module")
def files() -> dict[str, Result]:
    out = {"2021": report(2021), "2021 misprinted": report(2021, 2, "b"), "2021 copy": report(2021, None, "c"),
           "2022": report(2022)}
    by_rule = {f.rule for f in out["2021 misprinted"].findings if f.severity == "error"}
    assert by_rule and not any(f.severity == "error" for f in out["2021"].findings)  # the misprint fails K1/K2
    return out


def state(store: Store) -> tuple[set[str], list[tuple[str, str, str]]]:
    """The files that stand and every finding, by sha256 (report ids depend on the order of saving)."""
    sha = dict(store.query("SELECT r.report_id, s.sha256 FROM reports r JOIN sources s USING (source_id)").values.tolist())
    standing = {sha[i] for i in store.query("SELECT report_id FROM reports WHERE active")["report_id"]}
    findings = sorted((sha[r], rule, re.sub(r"报告编号 (\d+)", lambda m: sha[int(m.group(1))], message))
                      for r, rule, message in store.query("SELECT report_id, rule, message FROM findings").values.tolist())
    return standing, findings


@pytest.mark.slow  # 48 databases filled
def test_the_same_files_in_any_order_and_batches_give_the_same_standing_files_and_findings(files) -> None:
    names = list(files)
    seen = set()
    for order in itertools.permutations(names):
        for batch in (1, 3):
            with Store() as store:
                for first in range(0, len(order), batch):
                    store.save_batch([files[name] for name in order[first:first + batch]])
                standing, findings = state(store)
                seen.add((frozenset(standing), tuple(findings)))
    assert len(seen) == 1  # 24 orders × 2 batch sizes, one outcome
    standing, findings = next(iter(seen))
    # The misprinted copy never stands (its sums fail); of the two good copies the smaller sha256 does.
    good = sorted(files[name].source.sha256 for name in ("2021", "2021 copy"))
    assert standing == {good[0], files["2022"].source.sha256}
    k5 = [f for f in findings if f[1] == "K5"]
    assert len(k5) == 1 and k5[0][0] == files["2022"].source.sha256  # 上年结转 2 against 结转下年度 3
    assert "上年结转申请数 2 件" in k5[0][2] and "3 件不一致" in k5[0][2] and good[0] in k5[0][2]


def test_a_later_file_that_reads_better_stands_and_the_save_says_so(files) -> None:
    with Store() as store:
        first = store.save(files["2021 misprinted"])
        later = store.save(files["2021"])
        assert first.status == "new" and later.status == "duplicate" and "this one reads better" in later.message
        assert store.query("SELECT report_id FROM reports WHERE active")["report_id"].tolist() == [later.report_id]
        rows = store.query("SELECT report_id, coalesce(duplicate_of, 0) FROM reports ORDER BY report_id").values.tolist()
        assert rows == [[first.report_id, 0], [later.report_id, first.report_id]]


def test_a_choice_made_by_hand_stands_whatever_comes_later(files) -> None:
    with Store() as store:
        chosen = store.save(files["2021 misprinted"]).report_id
        store.save(files["2021"])
        store.choose_report(chosen)
        store.save(files["2021 copy"])  # read well, but the user chose the other
        assert store.query("SELECT report_id FROM reports WHERE active")["report_id"].tolist() == [chosen]
        assert store.save(files["2022"]).status == "new"
        _, findings = state(store)
        assert not [f for f in findings if f[1] == "K5"]  # the chosen file's 结转下年度 2 = 上年结转 2


def test_a_schema_4_database_keeps_a_choice_made_by_hand(files, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "v4.duckdb"
    with monkeypatch.context() as old:
        old.setattr(db, "MIGRATIONS", {v: s for v, s in db.MIGRATIONS.items() if v <= 4})
        old.setattr("govreport_core.store.duplicates.settle", lambda cursor, ids: [])  # as version 4 saved
        for name in ("refresh", "refresh_reports"):  # schema 7 makes the wide table and its groups anew
            old.setattr(f"govreport_core.store.derived.{name}", lambda *args, **kwargs: None)
        old.setattr(db, "_changed", lambda tx: None)  # version 4 had no data version (schema 6)
        with Store(path) as store:
            first = store.save(files["2021"]).report_id
            second = store.save(files["2021 copy"]).report_id
            third = store.save(files["2021 misprinted"]).report_id
            store._connection.execute("UPDATE reports SET duplicate_of = ? WHERE report_id IN (?, ?)", [first, second, third])
            store._connection.execute("UPDATE reports SET active = (report_id = ?)", [third])  # chosen by hand then
    with Store(path) as store:
        assert store.schema_version() == db.SCHEMA_VERSION
        assert store.query("SELECT report_id FROM reports WHERE active")["report_id"].tolist() == [third]
        assert store.query("SELECT chosen_at IS NOT NULL AS c FROM reports ORDER BY report_id")["c"].tolist() == \
            [False, False, True]
