"""Opening the database file: the sentences for what can go wrong (not DuckDB, damaged, read-only, in use,
a full disk) and the wait for another process that holds the file. Used by the Store (store/db.py)."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb


def lock_wait_seconds() -> float:
    """How long to wait for another process that holds the database (GOVREPORT_DB_WAIT, default 30 s)."""
    import os

    try:
        return float(os.environ.get("GOVREPORT_DB_WAIT", "30"))
    except ValueError:
        return 30.0


class StoreError(Exception):
    """A database problem, said as a sentence for the user (never a traceback)."""


class StoreBusy(StoreError):
    """Another process holds the database (an ingest writing, or a dashboard reading while this one wants to
    write) beyond the wait. Transient: the dashboard catches this class and retries."""


class StoreReadOnly(StoreError):
    """The database file can only be read (no write permission): reading works, writing is refused."""


def default_db_path() -> Path:
    import os

    return Path(os.environ.get("GOVREPORT_DB") or Path(__file__).resolve().parents[2] / "data" / "govreport.duckdb")


# Never fetch or load an extension: a SQLite file given as the database made DuckDB try to download one.
DUCKDB_CONFIG = {"autoload_known_extensions": False, "autoinstall_known_extensions": False}
_DUCKDB_MAGIC = b"DUCK"  # bytes 8–11 of every DuckDB database file
_DAMAGED = ("corrupt", "checksum", "could not read enough bytes", "invalid block", "serialization", "deserializ")
_NO_SPACE = ("no space left", "file too large", "disk full", "disk quota")  # ENOSPC, EFBIG (a size limit), EDQUOT


def storage_failure(exc: BaseException, path: str) -> StoreError | None:
    """A write the disk refused (full, over a size limit), or DuckDB stopping the database after one: a sentence
    that says what was kept. None for any other error."""
    text = str(exc).lower()
    if any(word in text for word in _NO_SPACE):
        return StoreError(f"The disk holding the database {path} is full (or the file reached a size limit): "
                          "nothing more could be saved; what was saved before is kept. Free some space and run "
                          "the same command again to continue.")
    if isinstance(exc, duckdb.FatalException) or "invalidated" in text:
        return StoreError(f"The database {path} stopped after a failed write ({str(exc).splitlines()[0][:160]}); "
                          "what was saved before is kept. Run the same command again to continue.")
    return None


def check_database_file(path: str) -> None:
    """Refuse what is not a DuckDB database before DuckDB sees it (a folder, an empty file, SQLite, text)."""
    file = Path(path)
    if path == ":memory:" or not file.exists():
        return
    if file.is_dir():
        raise StoreError(f"The database path {path} is a folder, not a DuckDB database file.")
    try:
        with file.open("rb") as handle:
            head = handle.read(16)
    except PermissionError as exc:
        raise StoreError(f"The database file {path} cannot be read (no permission).") from exc
    if not head:
        raise StoreError(f"The database file {path} is empty (0 bytes), not a DuckDB database; delete it to start "
                         "a new one.")
    if head.startswith(b"SQLite format 3"):
        raise StoreError(f"The file {path} is a SQLite database, not a DuckDB database.")
    if head[8:12] != _DUCKDB_MAGIC:
        raise StoreError(f"The file {path} is not a DuckDB database.")


def explain(exc: BaseException, path: str) -> StoreError:
    """A DuckDB error met opening or reading the database, as one of the sentences users can act on."""
    text = str(exc).lower()
    if "could not set lock" in text or "conflicting lock" in text:
        return StoreBusy(f"The database {path} is in use by another process (an ingest or the dashboard writing); "
                         "try again in a moment.")
    if "permission denied" in text or "read-only file system" in text or "readonly" in text.replace("-", ""):
        return StoreReadOnly(f"The database {path} is read-only (no write permission); it can be read and "
                             "exported but not changed.")
    if "not a valid duckdb database" in text:
        return StoreError(f"The file {path} is not a DuckDB database.")
    if any(word in text for word in _DAMAGED):
        return StoreError(f"The database file {path} is damaged ({str(exc).splitlines()[0][:120]}); restore a "
                          "copy, or delete it and ingest the reports again.")
    return StoreError(f"The database {path} cannot be used: {str(exc).splitlines()[0][:200]}")


def _connect(path: str, read_only: bool, wait_seconds: float, announce: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the database, waiting for another process (the dashboard, an ingest) that holds its lock."""
    check_database_file(path)
    deadline = time.monotonic() + wait_seconds
    told = False
    while True:
        try:
            return duckdb.connect(path, read_only=read_only, config=DUCKDB_CONFIG)
        except duckdb.ConnectionException as exc:
            if read_only and "different configuration" in str(exc):
                # This process already has the file open for writing: reads go through that instance.
                return duckdb.connect(path, read_only=False, config=DUCKDB_CONFIG)
            raise explain(exc, path) from exc
        except duckdb.Error as exc:
            problem = explain(exc, path)
            if not isinstance(problem, StoreBusy) or time.monotonic() >= deadline:
                raise problem from exc
            if announce and not told:
                print(f"The database {path} is in use by another process; waiting up to {wait_seconds:.0f} s…",
                      flush=True)
                told = True
            time.sleep(0.2)


def _writable(path: str) -> bool:
    import os

    file = Path(path)
    return os.access(file if file.exists() else file.parent, os.W_OK) and os.access(file.parent, os.W_OK)
