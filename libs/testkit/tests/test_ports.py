"""``make run`` refuses a taken port and names it with its owner (scripts/check_ports.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from testkit.ports import busy_ports, port_owner

CHECK = Path(__file__).resolve().parents[3] / "scripts" / "check_ports.py"


def _listening() -> socket.socket:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    return taken


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_a_taken_port_is_named_with_its_owner() -> None:
    with _listening() as taken:
        port = taken.getsockname()[1]
        owner = port_owner(port)
        assert owner is not None and owner.startswith(f"pid {os.getpid()}: "), owner
        assert busy_ports({"portal-web": port}) == [f"port {port} (portal-web) is taken by {owner}"]


def test_check_ports_stops_make_run_on_a_taken_port_only() -> None:
    free = _free_port()
    with _listening() as taken:
        port = taken.getsockname()[1]
        run = [sys.executable, str(CHECK), f"portal-web={port}", f"api-gateway={free}"]
        refused = subprocess.run(run, capture_output=True, text=True, check=False)
    assert refused.returncode == 1
    assert f"port {port} (portal-web) is taken by pid {os.getpid()}" in refused.stderr
    assert f"port {free}" not in refused.stderr
    fine = subprocess.run(run, capture_output=True, text=True, check=False)
    assert (fine.returncode, fine.stderr) == (0, "")
