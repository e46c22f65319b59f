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
  # The browser tests (tests/browser/) drive Debian's chromium through Playwright (never
  # `playwright install`, which would download a browser build) and run the Nu HTML
  # checker with Debian's Java. apt only runs when a binary is missing.
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-liberation)
  command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
  if [ "${#missing[@]}" -gt 0 ]; then
    as_root=(env DEBIAN_FRONTEND=noninteractive)
    if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
      as_root=(sudo env DEBIAN_FRONTEND=noninteractive)
    fi
    "${as_root[@]}" apt-get update -qq
    "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  # axe-core and vnu-jar, pinned in package.json / package-lock.json. --ignore-scripts:
  # vnu-jar's postinstall would fetch a Java of its own; Debian's is used instead.
  # A copy of the lock file in node_modules/ marks an install that matches it.
  if ! cmp -s package-lock.json node_modules/.installed-package-lock.json; then
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
    cp package-lock.json node_modules/.installed-package-lock.json
  fi
fi
