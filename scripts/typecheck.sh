#!/usr/bin/env bash
# mypy (strict, settings in pyproject.toml) over every workspace package, found on disk, then
# over the Python helpers in scripts/ and deploy/ (mypy takes packages or files, not both in one run).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

packages=()
for pkg in $(python_packages); do packages+=(-p "$pkg"); done
echo "typecheck:   mypy ${packages[*]}"
"$VENV/bin/mypy" "${packages[@]}" "$@"

scripts=(scripts/*.py deploy/*.py)
if [ -f "${scripts[0]}" ]; then
    echo "typecheck:   mypy ${scripts[*]}"
    "$VENV/bin/mypy" "${scripts[@]}" "$@"
fi
