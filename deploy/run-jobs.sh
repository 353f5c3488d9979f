#!/bin/sh
# The nightly jobs; each command exists once its capability is installed, and each is idempotent.
# One failing job does not stop the others; the script exits non-zero if any failed, so the systemd
# unit shows the failure (and its log names the job).
set -u
sc=${SEMICLUSTER_BIN:-/opt/semicluster/.venv/bin/semicluster}
failed=""
for job in "indicators refresh" "projects escalate" "tasks escalate"; do
  # shellcheck disable=SC2086
  if $sc help ${job%% *} >/dev/null 2>&1; then
    if ! $sc $job; then
      echo "semicluster job failed: $job" >&2
      failed="$failed [$job]"
    fi
  fi
done
if [ -n "$failed" ]; then
  echo "failed jobs:$failed" >&2
  exit 1
fi
