#!/usr/bin/env bash
# Re-extract portal-web's messages (templates and Python, keyword N_ besides gettext's own) into
# locale/messages.pot and merge them into the Greek catalog; then translate the new or fuzzy
# entries of locale/el/LC_MESSAGES/messages.po (services/portal-web/tests/test_i18n.py fails on
# any left). The catalogs are compiled when the service starts: there is no .mo file.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT/services/portal-web"

LOCALE=src/portal_web/locale
"$VENV/bin/pybabel" extract -F "$LOCALE/babel.cfg" -k N_ --no-location --sort-output \
    --omit-header -o "$LOCALE/messages.pot" .
if [ -f "$LOCALE/el/LC_MESSAGES/messages.po" ]; then
    "$VENV/bin/pybabel" update -i "$LOCALE/messages.pot" -d "$LOCALE" -l el \
        --ignore-obsolete
else
    "$VENV/bin/pybabel" init -i "$LOCALE/messages.pot" -d "$LOCALE" -l el
fi
