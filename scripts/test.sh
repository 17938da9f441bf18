#!/usr/bin/env bash
# The whole test suite on a fresh machine: make a virtualenv, install the pinned requirements, lint, test.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
.venv/bin/python -m ruff check .
# Dead code: anything no module, page, script or test uses (scripts/vulture_whitelist.py says why the rest is alive)
.venv/bin/python -m vulture govreport_core app.py pages scripts tests --min-confidence 60 --ignore-names pytestmark
# --quick: the loop while working: the tests outside the `slow` marker, on every core (pytest-xdist)
if [ "${1:-}" = "--quick" ]; then
  shift
  set -- -m "not slow" -n auto --dist worksteal -q "$@"
fi
.venv/bin/python -m pytest "$@"
