#!/usr/bin/env bash
# The server-rendered sites' front-end packages (services/portal-web/package.json, exact
# versions): installed once with npm and copied into each site's static/vendor/, where its pages
# load them (no CDN): portal-web, and tenant-admin's admin app (the same htmx). Skipped when the
# copies match package.json. Run by scripts/setup.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT/services/portal-web"

VENDOR=src/portal_web/static/vendor
ADMIN_VENDOR="$REPO_ROOT/services/tenant-admin/src/tenant_admin/app/static/vendor"
STAMP="$VENDOR/.package-json.sha256"

up_to_date() {
    [ -f "$VENDOR/htmx.min.js" ] && [ -f "$ADMIN_VENDOR/htmx.min.js" ] &&
        [ "$(cat "$STAMP" 2>/dev/null)" = "$1" ]
}

main() {
    local want
    want=$(sha256sum package.json | cut -d' ' -f1)
    if up_to_date "$want"; then
        say assets "portal-web and the admin app up to date"
        return 0
    fi
    "$REPO_ROOT/scripts/ensure-tools.sh" npm
    # No lock file (it would record registry addresses): package.json pins exact versions.
    npm install --no-package-lock --no-audit --no-fund --omit=dev --silent
    mkdir -p "$VENDOR" "$ADMIN_VENDOR"
    cp node_modules/htmx.org/dist/htmx.min.js "$VENDOR/htmx.min.js"
    cp node_modules/htmx.org/dist/htmx.min.js "$ADMIN_VENDOR/htmx.min.js"
    echo "$want" >"$STAMP"
    say assets "htmx $(node -p 'require("./node_modules/htmx.org/package.json").version') copied to portal-web and the admin app"
}

main "$@"
