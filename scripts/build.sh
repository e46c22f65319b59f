#!/usr/bin/env bash
# Build the brief's site into site/ (set-up included). Extra arguments go to build.py.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh build
exec .venv/bin/python build.py "$@"
