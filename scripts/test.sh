#!/usr/bin/env bash
# `make test` after lint and type checks: the whole pytest suite on real PostgreSQL/RabbitMQ,
# then the fault phase (tests/faults, one short run of each scenario, serially; scripts/faults.sh),
# then the quick-start check (tests/quickstart: README's quick start run as written, `make run` on
# the default ports and the demo curl commands, serially since it owns those ports).
# With arguments (`make pytest ARGS=...`) only the main suite runs, with those arguments.
# EINV_SKIP_FAULTS=1 / EINV_SKIP_QUICKSTART=1 skip a serial phase.
# pytest's own exit codes propagate, except 5 ("no tests collected"), which here means a broken
# test configuration and is turned into a failure with a message instead of a silent pass.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

WORKERS="${PYTEST_WORKERS:-2}"
PER_TEST_TIMEOUT="${PYTEST_TIMEOUT:-120}"
# The quick-start check waits for `make run` and its shutdown itself; this only stops a hang.
QUICKSTART_TIMEOUT="${PYTEST_QUICKSTART_TIMEOUT:-600}"

# A second PostgreSQL (initdb, pg_ctl), per-test vhosts (rabbitmqctl), the README's curl, and
# Debian's Chromium with fonts for the portal's browser tests (tests/portal).
scripts/ensure-tools.sh initdb pg_ctl rabbitmqctl curl chromium

rc=0
# The fault scenarios stop shared servers and the quick start owns the default ports: never in
# the parallel run.
"$VENV/bin/python" -m pytest -n "$WORKERS" --timeout="$PER_TEST_TIMEOUT" -q \
    --ignore=tests/faults --ignore=tests/quickstart "$@" || rc=$?
if [ "$rc" -eq 5 ]; then
    echo "test:        pytest collected no tests: check testpaths in pyproject.toml" >&2
    exit 1
fi
if [ "$rc" -ne 0 ] || [ "$#" -gt 0 ]; then
    exit "$rc"
fi
if [ "${EINV_SKIP_FAULTS:-0}" = 1 ]; then
    echo "test:        fault phase skipped (EINV_SKIP_FAULTS=1)" >&2
else
    echo "test:        fault phase (tests/faults, short; EINV_SKIP_FAULTS=1 skips it)" >&2
    EINV_FAULT_SCALE=short EINV_FAULT_ITERATIONS=1 scripts/faults.sh
fi
if [ "${EINV_SKIP_QUICKSTART:-0}" = 1 ]; then
    echo "test:        quick-start check skipped (EINV_SKIP_QUICKSTART=1)" >&2
    exit 0
fi
echo "test:        quick-start check (tests/quickstart, README's commands on the default ports;" \
    "EINV_SKIP_QUICKSTART=1 skips it)" >&2
exec "$VENV/bin/python" -m pytest tests/quickstart -p no:xdist -q -s --timeout="$QUICKSTART_TIMEOUT"
