#!/usr/bin/env bash
# Start the platform on SQLite with the Kunshan 2025 plan and the synthetic demo data set.
#   ./start.sh            → http://127.0.0.1:8000
set -euo pipefail
cd "$(dirname "$0")"
./scripts/setup.sh
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-semicluster.config.settings.dev}
sc=.venv/bin/semicluster
$sc migrate -v0
$sc plan load plans/kunshan-semiconductor-2025.yaml
$sc demo --if-empty
$sc demo_logins
echo "semicluster is starting at http://127.0.0.1:${PORT:-8000}/ (Ctrl-C to stop)"
exec $sc runserver "127.0.0.1:${PORT:-8000}"
