#!/usr/bin/env bash
# Run the whole test suite (set-up included). Extra arguments go to pytest.
# The tests run in two worker processes (pytest-xdist, one per CPU of a CI runner);
# TEST_WORKERS=N sets another number (TEST_WORKERS=0: all in this one process).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
exec .venv/bin/python -m pytest -q -n "${TEST_WORKERS:-2}" --dist load "$@"
