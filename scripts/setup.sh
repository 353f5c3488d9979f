#!/usr/bin/env bash
# Installs everything the platform needs into the project folder: a virtualenv (.venv) with the
# Python packages of pyproject.toml, the browser assets of package.json (node_modules), and the
# compiled translations. Re-running it only redoes what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "semicluster needs Python 3.11 or newer ($PYTHON is $("$PYTHON" --version 2>&1))." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "· creating .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.semicluster-installed
want=$(cat pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "· installing Python packages"
  .venv/bin/python -m pip install --quiet --upgrade pip setuptools wheel
  .venv/bin/python -m pip install --quiet -e '.[dev]'
  echo "$want" > "$stamp"
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "npm is needed to install the browser assets (package.json); install Node.js 18+." >&2
  exit 1
fi
node_stamp=node_modules/.semicluster-installed
node_want=$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)
if [ ! -f "$node_stamp" ] || [ "$(cat "$node_stamp")" != "$node_want" ]; then
  echo "· installing browser assets (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$node_want" > "$node_stamp"
fi
if command -v msgfmt >/dev/null 2>&1; then
  DJANGO_SETTINGS_MODULE=semicluster.config.settings.test .venv/bin/python -m django compilemessages -v0 \
    --ignore=.venv --ignore=node_modules
else
  echo "! msgfmt (GNU gettext) not found: the interface will show English only. Install gettext." >&2
fi
mkdir -p var
