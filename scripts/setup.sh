#!/usr/bin/env bash
# Create the virtualenv and install every workspace package editable, with pinned third-party
# versions. Skipped when the pins and the package definitions are unchanged since the last run.
# Also portal-web's front-end package (scripts/portal-assets.sh). Its message catalogs need no
# step: the service compiles them when it starts (services/portal-web, web/i18n.py).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

STAMP="$VENV/.einv-install-stamp"

fingerprint() {
    # Pins, dev tools, every package definition (path and content) and the interpreter.
    {
        python3 --version 2>&1
        for f in constraints.txt requirements-dev.txt $(package_dirs | sed 's|$|/pyproject.toml|'); do
            echo "== $f"
            cat "$f"
        done
    } | sha256sum | cut -d' ' -f1
}

main() {
    # portal-web's htmx, from npm into its static files (its own check; fast when up to date).
    scripts/portal-assets.sh
    if [ ! -x "$VENV/bin/python" ]; then
        # Debian ships `python3 -m venv` without ensurepip unless python3-venv is installed.
        scripts/ensure-tools.sh python3 venv
        echo "install:     creating $(basename "$VENV") with $(python3 --version)"
        python3 -m venv "$VENV"
    fi
    local want
    want="$(fingerprint)"
    if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
        echo "install:     up to date"
        return 0
    fi
    local editables=()
    for d in $(package_dirs); do editables+=(-e "$d"); done
    echo "install:     pip install -e $(package_dirs | tr '\n' ' ')"
    "$VENV/bin/python" -m pip install -q -c constraints.txt -r requirements-dev.txt "${editables[@]}"
    echo "$want" >"$STAMP"
    echo "install:     done"
}

main "$@"
