#!/usr/bin/env bash
# Re-extract the admin app's messages (tenant-admin's app/ templates and Python, keyword N_
# besides gettext's own, and webkit's error page titles) into locale/messages.pot and merge them
# into the Greek catalog; then translate the new or fuzzy entries of
# locale/el/LC_MESSAGES/messages.po (services/tenant-admin/tests/test_admin_i18n.py fails on any
# left). The catalogs are compiled when the service starts: there is no .mo file.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT/services/tenant-admin"

LOCALE=src/tenant_admin/app/locale
"$VENV/bin/pybabel" extract -F "$LOCALE/babel.cfg" -k N_ --no-location --sort-output \
    --omit-header -o "$LOCALE/messages.pot" . ../../libs/webkit
if [ -f "$LOCALE/el/LC_MESSAGES/messages.po" ]; then
    "$VENV/bin/pybabel" update -i "$LOCALE/messages.pot" -d "$LOCALE" -l el \
        --ignore-obsolete
else
    "$VENV/bin/pybabel" init -i "$LOCALE/messages.pot" -d "$LOCALE" -l el
fi
