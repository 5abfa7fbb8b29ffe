# Shared by the scripts: repo root, the package directories, the venv's tools.
# shellcheck shell=bash
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$REPO_ROOT/.venv}"

# Every workspace package: a libs/* or services/* directory with a pyproject.toml, so a new
# package is picked up without editing any script.
package_dirs() {
    (cd "$REPO_ROOT" && for f in libs/*/pyproject.toml services/*/pyproject.toml; do
        [ -f "$f" ] && dirname "$f"
    done)
}

# The importable Python packages (src/<name>/__init__.py) of those directories.
python_packages() {
    (cd "$REPO_ROOT" && for d in $(package_dirs); do
        for init in "$d"/src/*/__init__.py; do
            [ -f "$init" ] && basename "$(dirname "$init")"
        done
    done)
}
