#!/usr/bin/env bash
# Make sure the command-line tools a target needs are here:  scripts/ensure-tools.sh TOOL...
# A missing tool's Debian package is installed when running as root (apt-get, like
# ensure-services.sh does for the servers); otherwise the exact command to run is printed and the
# exit status is 1. One line per call. Tools known (→ Debian package):
#   curl wrk git ss(iproute2) python3 venv(python3-venv: `python3 -m venv` needs ensurepip)
#   initdb pg_ctl(postgresql) psql pg_isready(postgresql-client) rabbitmqctl(rabbitmq-server)
#   docker-compose(docker-compose) npm(npm) chromium(chromium, with fonts-dejavu for Greek text)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

package_of() { # package_of <tool> → its Debian package; status 1 for an unknown tool
    case "$1" in
        curl | wrk | git | python3 | docker-compose | npm) echo "$1" ;;
        # The portal's browser tests drive Debian's Chromium (no browser download); DejaVu
        # covers Greek in its pages and in WeasyPrint's PDFs (Pango and Cairo come with both).
        chromium) printf '%s\n' chromium fonts-dejavu-core fonts-dejavu-extra libpango-1.0-0 \
            libpangoft2-1.0-0 ;;
        ss) echo iproute2 ;;
        venv) echo python3-venv ;;
        initdb | pg_ctl) echo postgresql ;;
        psql | pg_isready) echo postgresql-client ;;
        rabbitmqctl) echo rabbitmq-server ;;
        *) return 1 ;;
    esac
}

# PostgreSQL's server programs are not on PATH on Debian (/usr/lib/postgresql/<v>/bin): look
# exactly where the tests look for them (testkit.pg_instance.find_bindir).
pg_bindir_has() {
    if [ -n "${EINV_PG_BINDIR:-}" ]; then
        [ -x "$EINV_PG_BINDIR/$1" ]
        return
    fi
    local dir
    for dir in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
        [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/$1" ] && return 0
    done
    return 1
}

has_tool() {
    case "$1" in
        initdb | pg_ctl) pg_bindir_has "$1" ;;
        venv) command -v python3 >/dev/null && python3 -c 'import ensurepip, venv' 2>/dev/null ;;
        *) command -v "$1" >/dev/null ;;
    esac
}

missing_tools() { # missing_tools <tool...> → the missing ones, one a line
    local tool
    for tool in "$@"; do
        has_tool "$tool" || echo "$tool"
    done
}

packages_for() { # packages_for <tool...> → their packages, each once, one a line
    local tool
    for tool in "$@"; do package_of "$tool"; done | sort -u
}

main() {
    local tool missing=() packages=()
    [ "$#" -gt 0 ] || { echo "usage: $0 TOOL..." >&2; exit 2; }
    for tool in "$@"; do
        package_of "$tool" >/dev/null || { echo "ensure-tools: unknown tool '$tool'" >&2; exit 2; }
    done
    mapfile -t missing < <(missing_tools "$@")
    if [ "${#missing[@]}" -eq 0 ]; then
        say tools "$* present"
        return 0
    fi
    mapfile -t packages < <(packages_for "${missing[@]}")
    if ! is_root || ! command -v apt-get >/dev/null; then
        say tools "missing ${missing[*]} (not root, so not installing)"
        echo "  Install with: sudo apt-get install -y ${packages[*]}" >&2
        return 1
    fi
    apt_install "${packages[@]}"
    mapfile -t missing < <(missing_tools "$@")
    if [ "${#missing[@]}" -gt 0 ]; then
        say tools "still missing after installing ${packages[*]}: ${missing[*]}"
        return 1
    fi
    say tools "$* present (installed ${packages[*]})"
}

main "$@"
