#!/usr/bin/env bash
# Start the dashboard on a fresh machine: make a virtualenv, install the pinned requirements, run Streamlit.
# govreport_core/dashboard/server.py serves the dashboard (app.py) and the open-data API (/api/v1/) on the same port (8501 by default).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
exec .venv/bin/python -m streamlit run govreport_core/dashboard/server.py --server.headless true "$@"
