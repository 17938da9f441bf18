"""govreport's server: the dashboard (app.py) and the open-data API (/api/v1/) on one port.

`streamlit run server.py` (what scripts/dashboard.sh runs) finds the `st.App` below and serves it with uvicorn:
Streamlit's own routes for the dashboard, plus the API's read-only Starlette routes (govreport_core/service/api.py).
`streamlit run app.py` still serves the dashboard alone.
"""

import streamlit as st

from govreport_core.service.api import routes

app = st.App("app.py", routes=routes())
