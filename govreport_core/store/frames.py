"""DuckDB results through Arrow, as the DataFrames DuckDB's own `.df()` gives (`Store.query`).

`.df()` builds a Python object per text cell: 700 ms for a 178,000-report listing that Arrow fetches in 180 ms
and pandas takes over in 25 ms (its text columns are Arrow-backed already). The column types are `.df()`'s,
so a page cannot tell the two apart (tests/test_store_fast.py compares them): DECIMAL as float64, DATE and
TIMESTAMP as datetime64[us], integers and booleans with a missing value as pandas' nullable types, a text
column with no text as None objects.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from .db import Store

_NULLABLE = {pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
             pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}


def _column(column: pa.ChunkedArray) -> pd.Series:
    kind = column.type
    if pa.types.is_decimal(kind):
        column = column.cast(pa.float64())
    elif pa.types.is_date(kind):
        column = column.cast(pa.timestamp("us"))
    if column.null_count and column.type in _NULLABLE:
        return column.to_pandas(types_mapper=_NULLABLE.get)
    if pa.types.is_string(kind) and len(column) and column.null_count == len(column):
        return pd.Series([None] * len(column), dtype=object)  # as `.df()` gives a text column of NULLs only
    return column.to_pandas()


def to_frame(table: pa.Table) -> pd.DataFrame:
    """An Arrow result as the DataFrame `.df()` would have made of it. The DOUBLE columns (the wide table's
    hundreds) are taken over together, as one block: one by one cost 20–60 ms for a preview of 1,000 reports."""
    doubles = [n for n, c in zip(table.column_names, table.columns, strict=True) if pa.types.is_floating(c.type)]
    if len(doubles) < 2:
        return pd.DataFrame({name: _column(column) for name, column in zip(table.column_names, table.columns,
                                                                             strict=True)}, columns=table.column_names)
    block = table.select(doubles).to_pandas()
    rest = {n: _column(c) for n, c in zip(table.column_names, table.columns, strict=True) if n not in set(doubles)}
    return pd.concat([block, pd.DataFrame(rest, index=block.index)], axis=1)[table.column_names]


def frame(store: Store, sql: str, params: list[object] | tuple[object, ...] = ()) -> pd.DataFrame:
    """`store.query(sql, params)`'s DataFrame, fetched through Arrow."""
    return to_frame(store.arrow(sql, params))
