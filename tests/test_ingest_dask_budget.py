"""Issue 22 point 3: the same budget on Dask. Each Dask task reads its file in a budgeted worker process of its own
Dask worker, and results are saved as they complete: a file that takes its whole budget holds nothing else back.

The bombs of the issue on a 2-worker LocalCluster: the 875 kB PDF whose Flate stream inflates to 900 MB, a DOCX
of dense text (60 MB inflated here, the issue's was 450 MB: below every expansion limit, so only the memory budget
can stop it), and glued digits whose cuts are searched without end; against a budget scaled down to 150 MB and
30 s (a margin for a loaded machine), so the run takes about as long as its slowest file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import hostile_builder as hb
import pytest
from report_builder import sample_report

from govreport_core.service.ingest import IngestError, close_dask, connect_dask, ingest
from govreport_core.service.workers import Budget
from govreport_core.store import Store

pytestmark = pytest.mark.slow  # Dask clusters: `scripts/test.sh --quick` leaves it out
BUDGET = Budget(seconds=30, memory_mb=150)
MEMORY = "Reading the file uses more than 150 MB of memory; it was stopped."
TIME = "Reading the file took longer than 30 s; it was stopped."


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    dask = connect_dask("local", 2)
    yield dask
    close_dask(dask)


def _good(folder: Path, count: int = 6) -> list[str]:
    names = []
    for n in range(count):
        title = f"株洲市荷塘区人民政府{2016 + n}年政府信息公开工作年度报告"
        names.append(f"good_{n}.html")
        (folder / names[-1]).write_text(sample_report("2021", title=title).render_html(), encoding="utf-8")
    return names


def test_the_bombs_are_stopped_on_the_cluster_and_the_good_files_saved(client: object, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a_flate900.pdf").write_bytes(hb.pdf_flate_bomb(900))
    (folder / "b_dense.docx").write_bytes(hb.docx_dense(60))
    good = _good(folder)
    store = Store(tmp_path / "g.duckdb")
    summary = ingest(store, [folder], client=client, budget=BUDGET, batch_size=1)
    assert summary.new == len(good) and store.report_count() == len(good)
    failed = {Path(name).name: reason for name, reason in summary.failed}
    # The two expansions are stopped by whichever budget they reach first (memory, or on a busy machine time).
    assert failed.keys() == {"a_flate900.pdf", "b_dense.docx"}
    assert failed["a_flate900.pdf"] in (MEMORY, TIME) and failed["b_dense.docx"] in (MEMORY, TIME)


def test_workers_that_cannot_start_a_process_are_refused_before_any_work() -> None:
    """A `dask worker` started as a daemon (Dask's default) cannot start the budgeted process: one sentence."""
    import dask
    from distributed import LocalCluster

    with dask.config.set({"distributed.worker.daemon": True}):
        cluster = LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=40)
    try:
        with pytest.raises(IngestError, match="DASK_DISTRIBUTED__WORKER__DAEMON=False"):
            connect_dask(cluster.scheduler_address, 1)
    finally:
        cluster.close()
