"""Refuse to start when a port the platform needs is taken, naming the port and its owner.

    .venv/bin/python scripts/check_ports.py api-gateway=8000 portal-web=8001 ...

Exit 0 when every port is free; otherwise one line per taken port on stderr and exit 1 (``make
run`` stops there instead of starting services that cannot bind).
"""

from __future__ import annotations

import sys

from testkit.ports import busy_ports


def main(pairs: list[str]) -> int:
    ports: dict[str, int] = {}
    for pair in pairs:
        name, _, port = pair.rpartition("=")
        if not name or not port.isdigit():
            print(f"check_ports: expected NAME=PORT, got {pair!r}", file=sys.stderr)
            return 2
        ports[name] = int(port)
    busy = busy_ports(ports)
    for line in busy:
        print(f"ports:       {line}", file=sys.stderr)
    if busy:
        print(
            "ports:       free them, or choose others with EINV_*_PORT (README.md)", file=sys.stderr
        )
    return 1 if busy else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
