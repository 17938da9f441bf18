#!/usr/bin/env bash
# Start the dashboard on a fresh machine: make a virtualenv, install the pinned requirements, run Streamlit.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
exec .venv/bin/python -m streamlit run app.py --server.headless true "$@"
