"""The quick-start check owns the default ports (8000…8090): never beside a parallel run.

``scripts/test.sh`` ignores this folder in its parallel phase and runs it last, alone; this
guard also keeps it out of any other ``pytest -n`` run that happens to collect it.
"""

from __future__ import annotations

import os

if os.environ.get("PYTEST_XDIST_WORKER"):
    collect_ignore_glob = ["test_*.py"]
