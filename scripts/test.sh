#!/usr/bin/env bash
# `make test` after lint and type checks: the whole pytest suite on real PostgreSQL/RabbitMQ.
# pytest's own exit codes propagate, except 5 ("no tests collected"), which here means a broken
# test configuration and is turned into a failure with a message instead of a silent pass.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

WORKERS="${PYTEST_WORKERS:-2}"
PER_TEST_TIMEOUT="${PYTEST_TIMEOUT:-120}"

rc=0
"$VENV/bin/python" -m pytest -n "$WORKERS" --timeout="$PER_TEST_TIMEOUT" -q "$@" || rc=$?
if [ "$rc" -eq 5 ]; then
    echo "test:        pytest collected no tests: check testpaths in pyproject.toml" >&2
    exit 1
fi
exit "$rc"
