"""Which govreport made a database file, and whether its tables are the ones this version makes.

Every Store checks the file it opens before any query runs (store/db.py): a database of an older schema is
migrated (or refused with a sentence when it cannot be written), one made by a newer govreport or with a
schema version that is not a number is refused, and so is one whose tables lack a column this version reads or
has it with another type (a column renamed or retyped by another program): one sentence each, never a
traceback at the first query or a "could not be saved" for every file of an ingest.
The columns expected are those the migrations themselves make, read once per process from an in-memory
database built by them (`reference_columns`), so a new migration needs no second description here.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

Columns = dict[tuple[str, str], str]  # (table, column) -> DuckDB type name
_REFERENCE: dict[int, Columns] = {}  # by the newest schema version the migrations make
WIDE_TABLE = "report_values"  # its columns follow the catalog; the store rebuilds it when they differ


class SchemaProblem(Exception):
    """What is wrong with a database's schema, as a sentence (the store turns it into a StoreError)."""


def columns(cursor: duckdb.DuckDBPyConnection) -> Columns:
    """Every column of the main schema's tables and views, with its type."""
    rows = cursor.execute("SELECT table_name, column_name, data_type FROM information_schema.columns "
                          "WHERE table_schema = current_schema() AND table_catalog = current_database()").fetchall()
    return {(table, column): kind for table, column, kind in rows}


def reference_columns(newest: int, build: Callable[[], Columns]) -> Columns:
    """The columns a database of schema `newest` has (`build` makes one in memory), once per process."""
    if newest not in _REFERENCE:
        _REFERENCE[newest] = build()
    return _REFERENCE[newest]


def found_version(cursor: duckdb.DuckDBPyConnection, path: str, newest: int) -> int:
    """The schema version of the database (0: a new, empty one); SchemaProblem for one this version cannot use."""
    tables = {row[0] for row in cursor.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
        "AND table_catalog = current_database()").fetchall()}
    if "schema_version" not in tables:
        if tables:
            shown = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
            raise SchemaProblem(f"The database {path} holds other tables ({shown}) and no govreport schema "
                                "version: it was not made by govreport; use another file.")
        return 0
    kind = cursor.execute("SELECT data_type FROM information_schema.columns WHERE table_name = 'schema_version' "
                          "AND column_name = 'version' AND table_schema = current_schema() "
                          "AND table_catalog = current_database()").fetchone()
    if kind is None or kind[0] not in ("INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT"):
        what = f"its version column is {kind[0]}" if kind else "it has no version column"
        raise SchemaProblem(f"The schema version of the database {path} is not a number ({what}): it was changed by "
                            "another program; restore a copy, or delete it and ingest the reports again.")
    version = cursor.execute("SELECT max(version) FROM schema_version").fetchone()[0]
    if version is None:
        if tables - {"schema_version"}:
            raise SchemaProblem(f"The database {path} has govreport's tables but no schema version: it was changed "
                                "by another program; restore a copy, or delete it and ingest the reports again.")
        return 0  # a first migration stopped before it began: start again
    if version > newest:
        raise SchemaProblem(f"The database {path} was made by a newer govreport (schema {version}; this version "
                            f"reads schemas up to {newest}): update govreport to use it.")
    if version < 1:
        raise SchemaProblem(f"The database {path} has an unknown schema version ({version}): it was changed by "
                            "another program; restore a copy, or delete it and ingest the reports again.")
    return int(version)


def differences(found: Columns, expected: Columns, wide_too: bool) -> list[str]:
    """What the database lacks or has with another type, as short phrases (extra tables or columns are fine)."""
    out = []
    for (table, column), kind in sorted(expected.items()):
        if table == WIDE_TABLE and not wide_too:
            continue
        have = found.get((table, column))
        if have is None:
            out.append(f"{table}.{column} is missing")
        elif have != kind:
            out.append(f"{table}.{column} is {have}, not {kind}")
    return out


def mismatch_sentence(path: str, problems: list[str]) -> str:
    shown = "; ".join(problems[:3]) + (f"; and {len(problems) - 3} more" if len(problems) > 3 else "")
    return (f"The database {path} does not have the tables this govreport reads ({shown}): it was changed by another "
            "program or another version; restore a copy, or delete it and ingest the reports again.")
