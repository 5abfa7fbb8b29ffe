"""Who listens on a port, read from /proc (Linux): for ``make run`` (``scripts/check_ports.py``)
and the quick-start check, so that a taken port is named with its owner instead of surfacing as
a service that cannot bind.

A port's owner is found through /proc/net/tcp{,6} (listening socket → inode) and /proc/*/fd
(inode → pid), with `ss -ltnp` as a fallback when another user's descriptors are unreadable.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from pathlib import Path

PROC = Path("/proc")
_LISTEN = "0A"  # TCP state of a listening socket in /proc/net/tcp
_CMDLINE_MAX = 300  # enough to recognise a process; a JVM or BEAM line runs to kilobytes


def command_line(pid: int) -> str:
    with contextlib.suppress(OSError):
        raw = (PROC / str(pid) / "cmdline").read_bytes()[:_CMDLINE_MAX]
        return raw.replace(b"\0", b" ").decode(errors="replace").strip()
    return "?"


def listening_inodes(port: int) -> set[str]:
    inodes: set[str] = set()
    for table in ("tcp", "tcp6"):
        with contextlib.suppress(OSError):
            for line in (PROC / "net" / table).read_text().splitlines()[1:]:
                fields = line.split()
                local_port = int(fields[1].rsplit(":", 1)[1], 16)
                if local_port == port and fields[3] == _LISTEN:
                    inodes.add(fields[9])
    return inodes


def socket_owners(inodes: set[str]) -> list[int]:
    wanted = {f"socket:[{inode}]" for inode in inodes}
    owners: list[int] = []
    for proc in PROC.iterdir():
        if proc.name.isdigit() and _holds_any(proc, wanted):
            owners.append(int(proc.name))
    return owners


def _holds_any(proc: Path, targets: set[str]) -> bool:
    with contextlib.suppress(OSError):
        for fd in (proc / "fd").iterdir():
            with contextlib.suppress(OSError):
                if str(fd.readlink()) in targets:
                    return True
    return False


def port_owner(port: int) -> str | None:
    """None when nothing listens on ``port``, else who does (pid and command line)."""
    inodes = listening_inodes(port)
    if not inodes:
        return None
    owners = socket_owners(inodes)
    if owners:
        return "; ".join(f"pid {pid}: {command_line(pid)}" for pid in owners)
    return _ss_owner(port) or "a process whose descriptors this user cannot read"


def _ss_owner(port: int) -> str | None:
    if shutil.which("ss") is None:
        return None
    out = subprocess.run(
        ["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True, check=False
    )
    return out.stdout.strip() or None


def busy_ports(ports: dict[str, int]) -> list[str]:
    """One line per port someone listens on: the port, its service and its owner."""
    busy = []
    for name, port in ports.items():
        owner = port_owner(port)
        if owner:
            busy.append(f"port {port} ({name}) is taken by {owner}")
    return busy
