# Shared by the scripts: repo root, the package directories, the venv's tools.
# shellcheck shell=bash
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$REPO_ROOT/.venv}"

# Every workspace package: a libs/*, services/* or tests/* directory with a pyproject.toml (the
# last: the end-to-end harness), so a new package is picked up without editing any script.
package_dirs() {
    (cd "$REPO_ROOT" && for f in libs/*/pyproject.toml services/*/pyproject.toml \
        tests/*/pyproject.toml; do
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

# One status line per component: "name:       message".
say() { printf '%-12s %s\n' "$1:" "$2"; }
is_root() { [ "$(id -u)" -eq 0 ]; }

apt_install() { # apt_install <package...>: root only, quiet, no prompts
    say install "apt-get install -y $*"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
