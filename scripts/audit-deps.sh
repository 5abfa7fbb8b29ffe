#!/usr/bin/env bash
# Known vulnerabilities in every pinned third-party package (`make audit`; `make test` runs it
# with --optional). pip-audit, in a venv of its own under .run/ (it never mixes with the
# project's pins), asks its default advisory service about each version of `pip freeze`.
# Where that service cannot be reached, or knows none of the versions, the audit says so and
# prints the command to run where it can; with --optional that is not a failure. A known
# vulnerability is always a failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

optional=0
[ "${1:-}" = --optional ] && optional=1
AUDIT_VENV=.run/audit-venv
REPORT=.run/audit.json

unreachable() {
    say audit "$1"
    say audit "run 'make audit' where the advisory database is reachable"
    [ "$optional" = 1 ] && exit 0
    exit 1
}

mkdir -p .run
if [ ! -x "$AUDIT_VENV/bin/pip-audit" ]; then
    python3 -m venv "$AUDIT_VENV"
    "$AUDIT_VENV/bin/pip" install -q pip-audit >/dev/null 2>&1 ||
        unreachable "pip-audit could not be installed"
fi
"$VENV/bin/pip" freeze --exclude-editable 2>/dev/null | grep -v -e '^-e ' -e ' @ ' >.run/frozen.txt
set +e
timeout 300 "$AUDIT_VENV/bin/pip-audit" -r .run/frozen.txt --no-deps --disable-pip \
    --progress-spinner off --timeout 10 -f json -o "$REPORT" >/dev/null 2>.run/audit.err
set -e
[ -s "$REPORT" ] || unreachable "no answer from the advisory service: $(tail -1 .run/audit.err)"
summary=$("$VENV/bin/python" - "$REPORT" <<'PY'
import json, sys
deps = json.load(open(sys.argv[1]))["dependencies"]
audited = [d for d in deps if "skip_reason" not in d]
vulns = [f"{d['name']} {d['version']}: {v['id']}" for d in audited for v in d.get("vulns", [])]
print(len(deps), len(audited), len(vulns))
for line in vulns:
    print(line)
PY
)
read -r total audited found <<<"$(head -1 <<<"$summary")"
if [ "$found" -gt 0 ]; then
    say audit "$found known vulnerabilities in $audited audited packages:"
    tail -n +2 <<<"$summary"
    exit 1
fi
[ "$audited" -gt 0 ] ||
    unreachable "the advisory service knows none of the $total pinned versions (not audited)"
say audit "$audited of $total pinned packages audited, 0 known vulnerabilities"
