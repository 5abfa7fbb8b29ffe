#!/usr/bin/env bash
# The fault phase: tests/faults (real processes; kill -9, broker and PostgreSQL outages, myDATA
# blackhole, duplicate deliveries), serially, never beside another suite: F1 stops the local
# RabbitMQ's app unless EINV_FAULT_BROKER=proxy.
#   make faults           full outages, EINV_FAULT_ITERATIONS (default 3) runs each
#   scripts/test.sh       one short run of each after the main suite (CI guard, < 4 minutes)
# EINV_FAULT_SEED replays a run's random timings (the seed is printed first).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"
# F1 stops the broker's app with rabbitmqctl; F3 restarts a private PostgreSQL (initdb, pg_ctl).
scripts/ensure-tools.sh rabbitmqctl initdb pg_ctl

export EINV_FAULT_TESTS=1
export EINV_FAULT_SCALE="${EINV_FAULT_SCALE:-short}"
export EINV_FAULT_ITERATIONS="${EINV_FAULT_ITERATIONS:-1}"
# A full run is several outages of up to a minute per scenario.
PER_TEST_TIMEOUT="${PYTEST_FAULT_TIMEOUT:-$((300 * EINV_FAULT_ITERATIONS))}"

# -s: each scenario prints its ledger table.
exec "$VENV/bin/python" -m pytest tests/faults -p no:xdist -s -q \
    --timeout="$PER_TEST_TIMEOUT" "$@"
