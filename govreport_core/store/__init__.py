"""The store: the DuckDB database (`db`: schema, writes, corrections) and its queries (`queries`).

All the SQL of the project lives in this package.
"""

from .db import SCHEMA_VERSION, SaveOutcome, Store, StoreBusy, StoreError, StoreReadOnly, default_db_path, where

__all__ = ["SCHEMA_VERSION", "SaveOutcome", "Store", "StoreBusy", "StoreError", "StoreReadOnly", "default_db_path",
           "where"]
