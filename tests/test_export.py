"""Exports: every format reads back with the same values, missing stays missing, cells are spreadsheet-safe."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from govreport_core.service.export import WRITERS, export_bytes

FRAME = pd.DataFrame({"agency": ["芦淞区人民政府", "=HYPERLINK(\"x\")", "+1", "@SUM", "-2"],
                      "year": [2019, 2020, 2021, 2022, 2023],
                      "applications_new": [11.0, np.nan, 0.0, 3.5, 7.0]})


def read_back(data: bytes, fmt: str) -> pd.DataFrame:
    if fmt == "csv":
        return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    if fmt == "xlsx":
        return pd.read_excel(io.BytesIO(data))
    if fmt == "parquet":
        return pd.read_parquet(io.BytesIO(data))
    return pd.DataFrame(json.loads(data.decode("utf-8")))


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_round_trip_keeps_values_and_missing(fmt: str) -> None:
    back = read_back(export_bytes(FRAME, fmt, language="zh"), fmt)
    assert list(back.columns) == ["发布机关", "数据年度", "本年新收申请数"]
    values = back["本年新收申请数"].tolist()
    assert values[0] == 11 and values[2] == 0 and values[3] == 3.5  # 0 stays 0 …
    assert pd.isna(values[1])  # … and missing stays missing
    assert back["发布机关"].tolist()[0] == "芦淞区人民政府"


HOSTILE = ["=cmd|' /C calc'!A0", "+1", "-2", "@SUM(A1)", "\t=1+1", "\r=1+1", "  =1+1", "\x01@x", "x\r=cmd|' /C calc'!A0",
           "a\nb", "plain", "3-2", "e=mc2"]
SAFE = ["'=cmd|' /C calc'!A0", "'+1", "'-2", "'@SUM(A1)", "'\t=1+1", "'\r=1+1", "'  =1+1", "'\x01@x",
        "x\r=cmd|' /C calc'!A0", "a\nb", "plain", "3-2", "e=mc2"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_like_cells_are_made_safe_in_spreadsheet_formats(fmt: str) -> None:
    agencies = read_back(export_bytes(FRAME, fmt), fmt)["发布机关"].tolist()
    assert agencies[1:] == ["'=HYPERLINK(\"x\")", "'+1", "'@SUM", "'-2"]


def test_csv_guard_after_blanks_and_control_characters_and_quoting_of_line_breaks() -> None:
    frame = pd.DataFrame({"agency": HOSTILE, "year": range(len(HOSTILE))})
    data = export_bytes(frame, "csv", language="key")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False)
    assert back["year"].tolist() == list(range(len(HOSTILE)))  # a CR inside a field starts no new row
    assert back["agency"].tolist() == SAFE
    text = data.decode("utf-8-sig")
    assert '"x\r=cmd' in text and '"a\nb"' in text  # fields with CR or LF are quoted


def test_xlsx_guard_and_control_characters_dropped() -> None:
    frame = pd.DataFrame({"agency": HOSTILE, "year": range(len(HOSTILE))})
    back = read_back(export_bytes(frame, "xlsx", language="key"), "xlsx")
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    assert back["agency"].tolist() == [ILLEGAL_CHARACTERS_RE.sub("", v) for v in SAFE]


@pytest.mark.parametrize("fmt", ["json", "parquet"])
def test_json_and_parquet_carry_the_values_as_extracted(fmt: str) -> None:
    frame = pd.DataFrame({"agency": HOSTILE, "year": range(len(HOSTILE))})
    assert read_back(export_bytes(frame, fmt, language="key"), fmt)["agency"].tolist() == HOSTILE


def test_csv_has_a_bom_for_excel_and_key_headers_on_request() -> None:
    data = export_bytes(FRAME, "csv", language="key")
    assert data.startswith(b"\xef\xbb\xbf") and data[3:].decode("utf-8").startswith("agency,year,applications_new")


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown export format"):
        export_bytes(FRAME, "docx")


# --- issue 22.8: counts whole, amounts exact, in every format, from the store through the command line ---------

BIG = "12345678901234.567891"  # 20 significant digits: a double keeps 15–17 of them


@pytest.fixture(scope="module")
def exact_db(tmp_path_factory: pytest.TempPathFactory):
    from report_builder import sample_report

    from govreport_core.extraction.pipeline import extract_bytes
    from govreport_core.store import Store

    html = sample_report("2021").render_html()
    assert "7730.28" in html  # the sample's 行政事业性收费 amount (万元), replaced by a number a double cannot hold
    result = extract_bytes(html.replace("7730.28", BIG).encode("utf-8"), "r.html")
    assert {f.key: f.value for f in result.figures if f.applicant is None}["admin_fees_amount_wan"] == Decimal(BIG)
    path = tmp_path_factory.mktemp("exact") / "g.duckdb"
    with Store(path) as store:
        assert store.save(result).status == "new"
    return path


def _exported(db, tmp_path, fmt: str, long: bool) -> bytes:
    from govreport_core.cli import main

    out = tmp_path / f"o_{long}.{fmt}"
    assert main(["export", "--db", str(db), "--format", fmt, "--headers", "key", "--departments", "-o", str(out),
                 *(["--long"] if long else [])]) == 0
    return out.read_bytes()


@pytest.mark.parametrize("long", [False, True])
def test_csv_and_json_write_counts_whole_and_amounts_with_every_digit(exact_db, tmp_path, long: bool) -> None:
    text = _exported(exact_db, tmp_path, "csv", long).decode("utf-8-sig")
    assert BIG in text and ".0," not in text and not text.replace("\r\n", "").endswith(".0")
    rows = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    values = (dict(zip(rows["metric"] + "/" + rows["applicant"], rows["value"], strict=True)) if long
              else rows.iloc[0].to_dict())
    assert values["applications_new/total" if long else "applications_new"] == "25"  # spec: 本年新收 20+3+0+0+1+1
    assert values["fees_collected_wan/total" if long else "fees_collected_wan"] == "0"
    assert values["admin_fees_amount_wan/total" if long else "admin_fees_amount_wan"] == BIG
    data = _exported(exact_db, tmp_path, "json", long).decode("utf-8")
    records = json.loads(data, parse_float=Decimal)
    if long:
        by_key = {f"{r['metric']}/{r['applicant']}": r["value"] for r in records}
        assert by_key["admin_fees_amount_wan/total"] == Decimal(BIG) and by_key["applications_new/total"] == 25
        assert isinstance(by_key["applications_new/total"], int) and isinstance(by_key["granted/total"], int)
    else:
        assert records[0]["admin_fees_amount_wan"] == Decimal(BIG) and records[0]["applications_new"] == 25
        assert isinstance(records[0]["report_id"], int) and isinstance(records[0]["year"], int)


@pytest.mark.parametrize("long", [False, True])
def test_parquet_has_integer_counts_and_a_decimal_amount(exact_db, tmp_path, long: bool) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(_exported(exact_db, tmp_path, "parquet", long)))
    if long:  # one value column for counts and amounts: the store's DECIMAL(20, 6), every value exact
        assert table.schema.field("value").type == pa.decimal128(20, 6)
        rows = {f"{m}/{a}": v for m, a, v in zip(*(table.column(c).to_pylist() for c in ("metric", "applicant", "value")),
                                                  strict=True)}
        assert rows["admin_fees_amount_wan/total"] == Decimal(BIG) and rows["applications_new/total"] == 25
    else:
        assert pa.types.is_integer(table.schema.field("applications_new").type)
        assert pa.types.is_integer(table.schema.field("report_id").type)
        assert table.schema.field("admin_fees_amount_wan").type == pa.decimal128(20, 6)
        assert table.column("admin_fees_amount_wan").to_pylist() == [Decimal(BIG)]
        assert table.column("applications_new").to_pylist() == [25]


def test_xlsx_cells_are_integers_and_an_amount_a_double_cannot_hold_is_its_digits(exact_db, tmp_path) -> None:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(_exported(exact_db, tmp_path, "xlsx", False))).worksheets[0]
    header = [c.value for c in sheet[1]]
    row = {name: cell.value for name, cell in zip(header, sheet[2], strict=True)}
    assert row["applications_new"] == 25 and isinstance(row["applications_new"], int)
    assert row["admin_fees_amount_wan"] == BIG  # text: an Excel number would keep 15 of its 20 digits
    assert row["fees_collected_wan"] == 0
    plain = export_bytes(pd.DataFrame({"admin_fees_amount_wan": pd.Series([Decimal("7730.28")], dtype=object)}),
                         "xlsx", "key")
    assert pd.read_excel(io.BytesIO(plain))["admin_fees_amount_wan"].tolist() == [7730.28]  # a number cell


def test_a_frame_without_a_store_gets_whole_counts_and_keeps_a_count_that_is_not_whole() -> None:
    from govreport_core.service.export import faithful

    out = faithful(pd.DataFrame({"report_id": [1.0, 2.0], "year": [2021.0, np.nan], "applications_new": [4.0, 3.5],
                                 "granted": [4.0, np.nan]}))
    assert out["year"].tolist()[0] == 2021 and str(out["year"].dtype) == "Int64" and out["year"].isna().tolist()[1]
    assert str(out["granted"].dtype) == "Int64" and out["applications_new"].tolist() == [4.0, 3.5]
    assert export_bytes(out, "csv", "key").decode("utf-8-sig").splitlines()[1:] == ["1,2021,4.0,4", "2,,3.5,"]
