"""An ingest whose database write is refused by a full disk (simulated: DuckDB's own IOException from the batch
write) ends with the store's one sentence as the last thing on the terminal and a non-zero exit: the progress bar
is closed before it (never drawn after it, nor glued to it), and the batches saved before are kept."""

from __future__ import annotations

import gc
from pathlib import Path

import duckdb
import pytest
from test_database_file import NOISE, reports_folder

from govreport_core.cli import main
from govreport_core.store import Store, writes

pytestmark = pytest.mark.slow  # an ingest in another process on a full file system

FULL = "IO Error: Could not write file \"g.duckdb.wal\": No space left on device"


def test_a_full_disk_ends_the_run_with_its_sentence_last(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    folder = reports_folder(tmp_path / "in", 30)
    database = tmp_path / "g.duckdb"
    Store(database).close()  # an empty database (a new path would be filled with the default data first)
    real, batches = writes.write_batch, []

    def write_until_the_disk_is_full(tx: duckdb.DuckDBPyConnection, batch: dict) -> dict:
        batches.append(len(batch))
        if len(batches) > 2:  # two batches of 5 fit, the third does not
            raise duckdb.IOException(FULL)
        return real(tx, batch)

    monkeypatch.setattr(writes, "write_batch", write_until_the_disk_is_full)
    code = main(["ingest", str(folder), "--db", str(database), "--workers", "1", "--batch-size", "5"])
    gc.collect()  # a progress bar left open draws itself again when it is collected
    out = capsys.readouterr()
    assert code == 1
    lines = [line.strip() for line in out.err.replace("\r", "\n").splitlines() if line.strip()]
    errors = [line for line in lines if "error:" in line]
    assert len(errors) == 1 and errors[0].startswith("error: The disk holding the database"), out.err
    assert "what was saved before is kept" in errors[0] and not any(word in out.err for word in NOISE)
    assert lines[-1] == errors[0], out.err  # the sentence is the last line: no bar after it
    monkeypatch.undo()
    with Store(database, read_only=True) as store:
        assert store.report_count() == 10  # the two batches written before the disk filled
