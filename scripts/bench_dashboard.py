"""Time every dashboard page as the server runs it (Streamlit's AppTest runs the real script), on a database.

    .venv/bin/python scripts/bench_dashboard.py                       # the embedded default data
    .venv/bin/python scripts/bench_dashboard.py --db /tmp/scale.duckdb   # e.g. `python -m govreport_core scale`'s

For each page: cold (all caches emptied, store reopened), warm (the same view again), a filter change (one
province: new cache keys, so its queries run) and that view warm. The time is the script run on the server,
which is what a user waits for before the browser draws; it leaves out the browser's own drawing.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from govreport_core.dashboard.page import declared_pages  # noqa: E402

PAGES = [Path(script).stem for script, _ in declared_pages()]  # app.py's own list


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="database to open (default: a fresh copy of the embedded default data)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is printed")
    args = parser.parse_args()
    os.environ["GOVREPORT_DB"] = args.db or str(Path(tempfile.mkdtemp()) / "default.duckdb")

    import statistics

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from govreport_core.dashboard import page as frame
    from govreport_core.store import queries as q
    from govreport_core.store.filters import Filters

    logging.disable(logging.WARNING)  # outside a server every cached call warns that there is no script context

    province = q.options(frame.store(), Filters())["province"][0]
    print(f"database {os.environ['GOVREPORT_DB']}: {frame.store().report_count():,} reports; filter change = {province}")
    print(f"{'page':14}{'cold':>10}{'warm':>10}{'filter':>10}{'warm':>10}   (ms, median of {args.repeat})")

    def timed(at: AppTest) -> float:
        start = time.perf_counter()
        at.run()
        elapsed = (time.perf_counter() - start) * 1000
        if at.exception:
            raise SystemExit(f"{at.exception}")
        return elapsed

    worst = {"cold": 0.0, "warm": 0.0, "filter": 0.0}
    for page in PAGES:
        runs: dict[str, list[float]] = {"cold": [], "warm": [], "filter": [], "filter_warm": []}
        for _ in range(args.repeat):
            # AppTest's first run scans installed packages for components (a server does it once at start):
            # a run of a page without queries takes that out of the figures.
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            at.switch_page("pages/upload.py")
            at.run()
            st.cache_data.clear()
            st.cache_resource.clear()  # the store is reopened too
            at.switch_page(f"pages/{page}.py")
            runs["cold"].append(timed(at))
            runs["warm"].append(timed(at))
            if not [w for w in at.sidebar.selectbox if w.key == "f_province"]:  # no filters (upload, dictionary)
                runs["filter"].append(runs["warm"][-1])
                runs["filter_warm"].append(runs["warm"][-1])
                continue
            at.sidebar.selectbox(key="f_province").set_value(province)  # as a user picks it
            runs["filter"].append(timed(at))
            runs["filter_warm"].append(timed(at))
        medians = {k: statistics.median(v) for k, v in runs.items()}
        for key in worst:
            worst[key] = max(worst[key], medians[key])
        print(f"{page:14}{medians['cold']:10.0f}{medians['warm']:10.0f}{medians['filter']:10.0f}"
              f"{medians['filter_warm']:10.0f}")
    print(f"slowest: cold {worst['cold']:.0f} ms (aim < 3000), warm {worst['warm']:.0f} ms (aim < 1000), "
          f"filter change {worst['filter']:.0f} ms (aim < 1000)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
