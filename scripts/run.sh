#!/usr/bin/env bash
# `make run`: local servers up, packages installed, catalog migrated, sync database present,
# a demo customer with a saved token, then every service in the foreground (honcho). Once every
# service answers /readyz a line starting with "ready:" says so (tests/quickstart waits for it).
# Only EINV_* variables are read: the PORT honcho sets for each process is ignored.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

RUN_DIR=.run
TOKEN_FILE="$RUN_DIR/demo-token"
# The demo user's first portal password (changed at the first login, PORTAL-2).
PASSWORD_FILE="$RUN_DIR/demo-password"
# The demo operator of the admin app, and its password (generated once, kept here).
OPERATOR=operator
OPERATOR_FILE="$RUN_DIR/operator-password"
DEMO_USER=demo
DEMO_VAT=094420307 # passes the Greek VAT check digit
TENANT_ADMIN="$VENV/bin/tenant-admin"
PY="$VENV/bin/python"

json_field() { # json_field <name> < json  → the field's value, or nothing
    "$PY" -c 'import json, sys; print(json.load(sys.stdin).get(sys.argv[1]) or "")' "$1"
}

save_token() {
    mkdir -p "$RUN_DIR"
    (umask 077 && printf '%s\n' "$1" >"$TOKEN_FILE")
}

save_password() { # save_password <create-tenant or reset-password JSON>: its password, if any
    local password
    password=$(json_field initial_password <<<"$1")
    [ -n "$password" ] || password=$(json_field password <<<"$1")
    [ -n "$password" ] || return 0
    mkdir -p "$RUN_DIR"
    (umask 077 && printf '%s\n' "$password" >"$PASSWORD_FILE")
}

demo_password() { # the saved first password; a new one when none is saved and the CLI can
    local out
    if [ ! -s "$PASSWORD_FILE" ] && out=$("$TENANT_ADMIN" reset-password --username "$DEMO_USER" \
        --json 2>/dev/null); then
        save_password "$out"
    fi
    if [ -s "$PASSWORD_FILE" ]; then
        cat "$PASSWORD_FILE"
    else
        echo "(not known: see docs/runbooks/provision-customer.md to set one)"
    fi
}

demo_token() {
    local out token
    out=$("$TENANT_ADMIN" create-tenant --vat "$DEMO_VAT" --name "Demo Α.Ε." \
        --username "$DEMO_USER" --email demo@example.com --mobile 6900000000 \
        --calls 100000 --days 365 --if-absent --json)
    token=$(json_field api_token <<<"$out")
    if [ -n "$token" ]; then
        echo "demo:        customer '$DEMO_USER' created" >&2
        save_token "$token"
        rm -f "$PASSWORD_FILE"
        save_password "$out"
    elif [ -s "$TOKEN_FILE" ] && "$TENANT_ADMIN" check-token --username "$DEMO_USER" \
        <"$TOKEN_FILE" >/dev/null 2>&1; then
        echo "demo:        customer '$DEMO_USER' exists, reusing $TOKEN_FILE" >&2
    else
        # The customer exists but no working token is saved here (none, or it was revoked or
        # expired since): issue one (revokes older).
        echo "demo:        customer '$DEMO_USER' exists, issuing a new token" >&2
        out=$("$TENANT_ADMIN" issue-token --username "$DEMO_USER" --json)
        save_token "$(json_field api_token <<<"$out")"
    fi
    cat "$TOKEN_FILE"
}

demo_operator() { # the demo operator's password: the saved one, made the operator's own
    if [ ! -s "$OPERATOR_FILE" ]; then
        mkdir -p "$RUN_DIR"
        (umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(12))' >"$OPERATOR_FILE")
    fi
    EINV_OPERATOR_PASSWORD=$(cat "$OPERATOR_FILE") "$TENANT_ADMIN" create-operator \
        --username "$OPERATOR" --or-update >&2
    cat "$OPERATOR_FILE"
}

service_host() { # where the services answer (0.0.0.0 listens on 127.0.0.1 too)
    local host=${EINV_BIND_HOST:-127.0.0.1}
    [ "$host" = 0.0.0.0 ] && host=127.0.0.1
    echo "$host"
}

services() { # "<name> <url>" for every process in the Procfile, in start order
    local host
    host=$(service_host)
    cat <<SERVICES
api-gateway http://$host:${EINV_GATEWAY_PORT:-8000}
portal-web http://$host:${EINV_PORTAL_PORT:-8001}
tenant-admin http://$host:${EINV_TENANT_ADMIN_PORT:-8002}
invoice-service http://$host:${EINV_INVOICE_SERVICE_PORT:-8003}
mydata-sync http://$host:${EINV_MYDATA_SYNC_PORT:-8004}
aade-sim http://$host:${EINV_AADE_SIM_PORT:-8090}
notifier http://$host:${EINV_NOTIFIER_PORT:-8005}
devmail http://$host:${EINV_DEVMAIL_PORT:-8091}
webhooks http://$host:${EINV_WEBHOOKS_PORT:-8006}
SERVICES
}

print_banner() {
    local token=$1 password=$2 operator_password=$3 gw portal name url
    gw="http://$(service_host):${EINV_GATEWAY_PORT:-8000}"
    portal="http://$(service_host):${EINV_PORTAL_PORT:-8001}"
    cat <<BANNER

  Demo API token (user '$DEMO_USER', saved in $TOKEN_FILE; delete the file for a new one):
    $token

  Customers' portal: $portal   (public search needs no login; webhooks: $portal/account/webhooks)
    username: $DEMO_USER
    first password: $password   (saved in $PASSWORD_FILE; the portal asks for a new one
                    at the first login, then this one no longer works)

  Operators' admin app: http://$(service_host):${EINV_TENANT_ADMIN_PORT:-8002}/admin-app/
    username: $OPERATOR
    password: $operator_password   (saved in $OPERATOR_FILE)

  Services:
BANNER
    while read -r name url; do printf '    %-16s %s\n' "$name" "$url"; done < <(services)
    cat <<BANNER
  Each one answers /healthz, /readyz and /metrics.

  Every e-mail and SMS the notifier sent (devmail's SMTP server on port \
${EINV_DEVMAIL_SMTP_PORT:-2525} and SMS gateway):
    http://$(service_host):${EINV_DEVMAIL_PORT:-8091}/

  Once "ready:" is printed, issue an invoice through the gateway (README.md, Quick start), from
  the repository root in another terminal:
    $VENV/bin/python scripts/demo_invoice.py | curl -sS -X POST $gw/invoice-data \\
      -H "Authorization: Bearer \$(cat $TOKEN_FILE)" \\
      -H 'Content-Type: application/json' --data @-

BANNER
}

not_ready() { # the names of the services whose /readyz does not answer 200 yet
    local name url
    while read -r name url; do
        curl -fsS -o /dev/null --max-time 2 "$url/readyz" 2>/dev/null || echo "$name"
    done < <(services)
}

announce_ready() { # announce_ready <honcho pid>: one "ready:" line once every service is ready
    local manager=$1 waiting report_at=$((SECONDS + 60))
    # Started with `&`, so Ctrl-C (SIGINT) is ignored here: stop when honcho is gone instead.
    while kill -0 "$manager" 2>/dev/null; do
        waiting=$(not_ready | paste -sd ' ')
        if [ -z "$waiting" ]; then
            echo "ready:       every service answers /readyz; Ctrl-C stops them all"
            return 0
        fi
        if [ "$SECONDS" -ge "$report_at" ]; then
            echo "waiting:     still not ready: $waiting (their /readyz and log lines say why)"
            report_at=$((SECONDS + 60))
        fi
        sleep 1
    done
}

check_ports() { # stop here, naming the port and its owner, when a service could not bind
    local pairs=() name url
    while read -r name url; do pairs+=("$name=${url##*:}"); done < <(services)
    pairs+=("devmail-smtp=${EINV_DEVMAIL_SMTP_PORT:-2525}")
    "$PY" scripts/check_ports.py "${pairs[@]}"
}

main() {
    scripts/ensure-services.sh
    scripts/ensure-tools.sh curl
    scripts/setup.sh
    check_ports
    "$TENANT_ADMIN" migrate-catalog
    # Databases of customers made by an earlier checkout catch up with the tenant history.
    "$TENANT_ADMIN" migrate-tenants | tail -n 1
    "$PY" scripts/ensure_database.py
    local token
    token=$(demo_token)
    print_banner "$token" "$(demo_password)" "$(demo_operator)"
    # $$ stays this shell's pid after the exec: it becomes honcho.
    announce_ready "$$" &
    exec "$VENV/bin/honcho" start -f Procfile
}

main "$@"
