#!/usr/bin/env bash
# `make test` after lint and type checks: the whole pytest suite on real PostgreSQL/RabbitMQ,
# then the fault phase (tests/faults, one short run of each scenario, serially; scripts/faults.sh).
# With arguments (`make pytest ARGS=...`) only the main suite runs, with those arguments.
# pytest's own exit codes propagate, except 5 ("no tests collected"), which here means a broken
# test configuration and is turned into a failure with a message instead of a silent pass.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

WORKERS="${PYTEST_WORKERS:-2}"
PER_TEST_TIMEOUT="${PYTEST_TIMEOUT:-120}"

rc=0
# The fault scenarios stop shared servers: never in the parallel run.
"$VENV/bin/python" -m pytest -n "$WORKERS" --timeout="$PER_TEST_TIMEOUT" -q \
    --ignore=tests/faults "$@" || rc=$?
if [ "$rc" -eq 5 ]; then
    echo "test:        pytest collected no tests: check testpaths in pyproject.toml" >&2
    exit 1
fi
if [ "$rc" -ne 0 ] || [ "$#" -gt 0 ] || [ "${EINV_SKIP_FAULTS:-0}" = 1 ]; then
    exit "$rc"
fi
echo "test:        fault phase (tests/faults, short; EINV_SKIP_FAULTS=1 skips it)" >&2
EINV_FAULT_SCALE=short EINV_FAULT_ITERATIONS=1 scripts/faults.sh
