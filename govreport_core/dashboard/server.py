"""govreport's server: the dashboard (app.py) and the open-data API (/api/v1/) on one port.

`streamlit run govreport_core/dashboard/server.py` from the project's root (what scripts/dashboard.sh runs; the
root's `.streamlit/config.toml` is read from the working folder) finds the `st.App` below and serves it with uvicorn:
Streamlit's own routes for the dashboard, plus the API's read-only Starlette routes (govreport_core/service/api.py).
`streamlit run app.py` still serves the dashboard alone.
"""

import logging
from pathlib import Path

import streamlit as st

from govreport_core.service.api import routes, store
from govreport_core.store import StoreError

try:
    store()  # opened now, and on a fresh machine filled from the default data, before the API or a page reads it
except StoreError as exc:  # busy (an ingest writing) or unusable: the API and the pages say so when asked
    logging.getLogger("govreport.api").warning("database not opened at start: %s", exc)

app = st.App(Path(__file__).resolve().parents[2] / "app.py", routes=routes())
