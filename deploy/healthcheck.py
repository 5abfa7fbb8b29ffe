"""Container health probe: exit 0 when the service's /healthz answers 200.

The URL comes from the first argument or ``EINV_HEALTHCHECK_URL`` (set by the Dockerfile). Only the
standard library, so the probe works in the slim image without extra packages.
"""

from __future__ import annotations

import os
import sys
import urllib.request


def main() -> int:
    url = sys.argv[1] if len(sys.argv) > 1 else os.environ["EINV_HEALTHCHECK_URL"]
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return 0 if response.status == 200 else 1
    except OSError as exc:
        print(f"healthcheck {url}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
