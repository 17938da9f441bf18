"""Exact values for exports: amounts (万元) as the DECIMAL(20, 6) the store holds, not the doubles the pages use.

The pages' frames carry every value as a float (the wide table's DOUBLE columns, DuckDB's DECIMAL read into
pandas), which holds any count exactly but not an amount of more than 15 significant digits
(12345678901234.567891 became …234.566). An export asks here for the few amount cells of its reports.
"""

from __future__ import annotations

from decimal import Decimal

from .db import Store


def amounts(store: Store, report_ids: list[int], metrics: list[str]) -> dict[tuple[int, str, str], tuple[Decimal | None,
                                                                                                        Decimal | None]]:
    """(report_id, metric, applicant) -> (current value, extracted value) of these reports' `metrics`, exact."""
    if not report_ids or not metrics:
        return {}
    frame = store.query(
        "SELECT report_id, metric, applicant, CAST(value AS VARCHAR) AS value, "
        "CAST(extracted_value AS VARCHAR) AS extracted FROM current_figures "
        "WHERE metric IN (SELECT unnest(?::VARCHAR[])) AND report_id IN (SELECT unnest(?::INTEGER[]))",
        [list(metrics), [int(i) for i in report_ids]])
    return {(int(rid), metric, applicant): (_decimal(value), _decimal(extracted))
            for rid, metric, applicant, value, extracted in frame.itertuples(index=False)}


def _decimal(text: object) -> Decimal | None:
    """The stored DECIMAL without the scale's trailing zeros: 1.500000 -> 1.5, 100.000000 -> 100."""
    if not isinstance(text, str):
        return None
    value = Decimal(text)
    return Decimal(format(value.normalize(), "f")) if value else Decimal(0)
