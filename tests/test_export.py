"""Exports: every format reads back with the same values, missing stays missing, cells are spreadsheet-safe."""

from __future__ import annotations

import io
import json

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
