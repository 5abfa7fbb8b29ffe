#!/usr/bin/env bash
# Make sure the local PostgreSQL and RabbitMQ answer; start them when installed but stopped,
# install them when missing (root only). Never stops or restarts a running server, so it is safe
# to run while others are testing. One line per component; exit 1 when something is not usable.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # say, is_root, apt_install

PG_HOST=127.0.0.1
PG_PORT="${PG_PORT:-5432}"
AMQP_HOST=127.0.0.1
AMQP_PORT="${AMQP_PORT:-5672}"
WAIT_SECONDS="${WAIT_SECONDS:-60}"
PG_FRESH_INSTALL=0

has_systemd() { [ -d /run/systemd/system ] && command -v systemctl >/dev/null; }

wait_for() { # wait_for <seconds> <command...>
    local deadline=$((SECONDS + $1)); shift
    until "$@" >/dev/null 2>&1; do
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 1
    done
}

# --- PostgreSQL ---------------------------------------------------------------------------
pg_up() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; }

pg_start() {
    if has_systemd; then
        systemctl start postgresql
    elif command -v pg_lsclusters >/dev/null; then
        # Containers without systemd: start every stopped cluster directly.
        pg_lsclusters -h | while read -r version name _port status _rest; do
            [ "$status" = online ] || pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start
        done
    else
        service postgresql start
    fi
}

pg_trust_localhost() {
    # Only on a server this script installed: the default DSNs carry no password.
    local hba
    hba=$(su postgres -c "psql -tAc 'SHOW hba_file'")
    sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "$hba"
    su postgres -c "psql -qtAc 'SELECT pg_reload_conf()'" >/dev/null
    say postgresql "fresh install: local TCP connections set to trust in $hba"
}

pg_can_login() {
    PGCONNECT_TIMEOUT=3 psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -w -tAc 'SELECT 1' \
        >/dev/null 2>&1
}

ensure_postgresql() {
    if ! pg_up; then
        if ! command -v pg_isready >/dev/null || ! command -v psql >/dev/null; then
            is_root || return 2
            apt_install postgresql
            PG_FRESH_INSTALL=1
        fi
        say postgresql "not answering on $PG_HOST:$PG_PORT, starting it"
        pg_start || true
        wait_for "$WAIT_SECONDS" pg_up || { say postgresql "FAILED to start (see its log)"; return 1; }
    fi
    if ! pg_can_login && [ "$PG_FRESH_INSTALL" = 1 ]; then
        pg_trust_localhost
    fi
    if ! pg_can_login; then
        say postgresql "up, but role postgres cannot log in over TCP from $PG_HOST"
        echo "  Allow it: in pg_hba.conf use 'host all all 127.0.0.1/32 trust' and reload," >&2
        echo "  or give the role a password, export PGPASSWORD and put it in EINV_CATALOG_DSN," >&2
        echo "  EINV_SYNC_DSN and EINV_TEST_PG_DSN (postgresql+asyncpg://postgres:PASS@...)." >&2
        return 1
    fi
    say postgresql "up ($PG_HOST:$PG_PORT, role postgres can connect)"
}

# --- RabbitMQ -----------------------------------------------------------------------------
amqp_port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$AMQP_HOST/$AMQP_PORT" 2>/dev/null; }

rabbit_start() {
    if has_systemd; then
        systemctl start rabbitmq-server
    else
        rabbitmq-server -detached
    fi
}

rabbit_node_note() {
    command -v rabbitmq-diagnostics >/dev/null || { echo "no rabbitmq-diagnostics here"; return; }
    # The node ping needs the Erlang cookie (root or the rabbitmq user); the port is what counts.
    if timeout 15 rabbitmq-diagnostics -q ping >/dev/null 2>&1; then
        echo "node ping ok"
    else
        echo "node ping not possible as $(id -un)"
    fi
}

# RabbitMQ sizes its file-descriptor budget from its open-files limit at start: Debian's 1024
# gives ~830 sockets, and a test run's many vhosts (each with its message stores and quorum
# queues) exhaust it. The broker then stops accepting connections: new ones hang in the AMQP
# handshake (seen as a service "not connected to RabbitMQ yet"). Restart it once, higher.
RABBIT_NOFILE="${RABBIT_NOFILE:-65536}"

rabbit_open_files() {
    local pid
    pid=$(pgrep -o -f 'beam.smp.*rabbit' 2>/dev/null) || return 0
    awk '/^Max open files/ {print $4}' "/proc/$pid/limits" 2>/dev/null
}

ensure_rabbit_open_files() {
    local now
    now=$(rabbit_open_files)
    [ -n "$now" ] && [ "$now" != unlimited ] || return 0
    [ "$now" -ge "$RABBIT_NOFILE" ] && return 0
    if ! is_root; then
        say rabbitmq "open-files limit $now (test runs may exhaust it): as root, restart it under 'ulimit -n $RABBIT_NOFILE'"
        return 0
    fi
    local want hard
    hard=$(ulimit -Hn)
    want=$RABBIT_NOFILE
    [ "$hard" != unlimited ] && [ "$hard" -lt "$want" ] && want=$hard  # a container's ceiling
    [ "$now" -ge "$want" ] && return 0
    say rabbitmq "open-files limit $now is too low for the test suite: restarting with $want"
    if has_systemd; then
        mkdir -p /etc/systemd/system/rabbitmq-server.service.d
        printf '[Service]\nLimitNOFILE=%s\n' "$want" \
            > /etc/systemd/system/rabbitmq-server.service.d/einv-nofile.conf
        systemctl daemon-reload
        systemctl restart rabbitmq-server
    else
        # rabbitmq-server runs the node through 'su rabbitmq', whose pam_limits sets the limit.
        printf 'rabbitmq soft nofile %s\nrabbitmq hard nofile %s\n' "$want" "$want" \
            > /etc/security/limits.d/einv-rabbitmq.conf
        rabbitmqctl stop >/dev/null 2>&1 || true
        wait_for "$WAIT_SECONDS" rabbit_stopped || true
        rabbitmq-server -detached
    fi
    wait_for "$WAIT_SECONDS" amqp_port_open || { say rabbitmq "FAILED to restart"; return 1; }
}

rabbit_stopped() { ! pgrep -f 'beam.smp.*rabbit' >/dev/null; }

ensure_rabbitmq() {
    if ! amqp_port_open; then
        if ! command -v rabbitmq-server >/dev/null; then
            is_root || return 2
            apt_install rabbitmq-server
        fi
        say rabbitmq "not answering on $AMQP_HOST:$AMQP_PORT, starting it"
        rabbit_start || true
        wait_for "$WAIT_SECONDS" amqp_port_open || { say rabbitmq "FAILED to start (see its log)"; return 1; }
    fi
    ensure_rabbit_open_files || return 1
    say rabbitmq "up ($AMQP_HOST:$AMQP_PORT, open files $(rabbit_open_files), $(rabbit_node_note))"
}

# --- main ---------------------------------------------------------------------------------
main() {
    local missing=() rc=0 status
    ensure_postgresql && status=0 || status=$?
    [ "$status" = 2 ] && missing+=(postgresql)
    [ "$status" = 1 ] && rc=1
    ensure_rabbitmq && status=0 || status=$?
    [ "$status" = 2 ] && missing+=(rabbitmq-server)
    [ "$status" = 1 ] && rc=1
    if [ "${#missing[@]}" -gt 0 ]; then
        say missing "${missing[*]} (not root, so not installing)"
        echo "  Install with: sudo apt-get install ${missing[*]}" >&2
        rc=1
    fi
    # Browser tests (Playwright + system Chromium) arrive with portal-web; nothing to check yet.
    say browser "not needed yet"
    return "$rc"
}

main "$@"
