#!/bin/sh
# The nightly jobs; each command exists once its capability is installed, and each is idempotent.
set -eu
sc=/opt/semicluster/.venv/bin/semicluster
for job in "indicators refresh" "projects escalate" "tasks escalate"; do
  # shellcheck disable=SC2086
  if $sc help ${job%% *} >/dev/null 2>&1; then
    $sc $job
  fi
done
