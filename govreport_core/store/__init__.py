"""The store: the DuckDB database (`db`: schema, writes, corrections) and its queries (`queries`).

All the SQL of the project lives in this package.
"""

import duckdb

from .connect import StoreBusy, StoreError, StoreReadOnly, default_db_path
from .db import SCHEMA_VERSION, SaveOutcome, Store, where

# Any error the database library raises (the pages retry on a busy one): callers above the store never import DuckDB.
DatabaseError = duckdb.Error

__all__ = ["SCHEMA_VERSION", "DatabaseError", "SaveOutcome", "Store", "StoreBusy", "StoreError",
           "StoreReadOnly", "default_db_path", "where"]
