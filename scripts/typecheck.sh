#!/usr/bin/env bash
# mypy (strict, settings in pyproject.toml) over every workspace package, found on disk.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

args=()
for pkg in $(python_packages); do args+=(-p "$pkg"); done
for script in scripts/*.py; do [ -f "$script" ] && args+=("$script"); done
echo "typecheck:   mypy ${args[*]}"
exec "$VENV/bin/mypy" "${args[@]}" "$@"
