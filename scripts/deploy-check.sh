#!/usr/bin/env bash
# Validate deploy/compose.yaml without a Docker engine: `docker compose config` (or the
# standalone docker-compose). `--optional` turns "no compose client here" into a skip.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

optional=0
[ "${1:-}" = --optional ] && optional=1

find_compose() { # sets compose=(...) to a client that answers, or returns 1
    if command -v docker >/dev/null && docker compose version >/dev/null 2>&1; then
        compose=(docker compose)
    elif command -v docker-compose >/dev/null; then
        compose=(docker-compose)
    else
        return 1
    fi
}

compose=()
if ! find_compose; then
    echo "deploy:      no docker compose client found"
    [ "$optional" = 1 ] && exit 0
    # Debian's docker-compose validates a file without a Docker engine (the plugin would too).
    scripts/ensure-tools.sh docker-compose
    find_compose
fi
"${compose[@]}" -f deploy/compose.yaml config --quiet
echo "deploy:      deploy/compose.yaml is valid (${compose[*]} config)"
