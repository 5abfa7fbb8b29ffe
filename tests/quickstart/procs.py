"""Who listens on a port and which processes are still alive, read from /proc (Linux).

A port's owner is found through /proc/net/tcp{,6} (listening socket → inode) and /proc/*/fd
(inode → pid), with `ss -ltnp` as a fallback when another user's descriptors are unreadable.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

PROC = Path("/proc")
_LISTEN = "0A"  # TCP state of a listening socket in /proc/net/tcp
_CMDLINE_MAX = 300  # enough to recognise a process; a JVM or BEAM line runs to kilobytes


@dataclass(frozen=True, slots=True)
class Proc:
    """One process, equal to itself at any later look: the start time tells a recycled pid."""

    pid: int
    ppid: int = field(compare=False)
    pgid: int = field(compare=False)
    state: str = field(compare=False)
    start: int

    @property
    def running(self) -> bool:
        # A zombie has released its ports and memory; only its exit status is left.
        return self.state not in ("Z", "X")


def read_proc(pid: int) -> Proc | None:
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: split after the last ")".
    fields = stat[stat.rindex(")") + 2 :].split()
    return Proc(pid, int(fields[1]), int(fields[2]), fields[0], int(fields[19]))


def all_procs() -> list[Proc]:
    found = (read_proc(int(p.name)) for p in PROC.iterdir() if p.name.isdigit())
    return [p for p in found if p is not None]


def command_line(pid: int) -> str:
    with contextlib.suppress(OSError):
        raw = (PROC / str(pid) / "cmdline").read_bytes()[:_CMDLINE_MAX]
        return raw.replace(b"\0", b" ").decode(errors="replace").strip()
    return "?"


def family(root: int) -> set[Proc]:
    """``root``'s process group and every descendant (honcho puts each service in its own)."""
    procs = all_procs()
    children: dict[int, list[Proc]] = {}
    for proc in procs:
        children.setdefault(proc.ppid, []).append(proc)
    found = {p for p in procs if p.pgid == root or p.pid == root}
    todo = list(found)
    while todo:
        for child in children.get(todo.pop().pid, []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def still_running(procs: set[Proc], pgid: int) -> list[Proc]:
    """Those of ``procs`` (same pid and start time) and of group ``pgid`` still running."""
    now = {p.pid: p for p in all_procs()}
    left = {p for p in now.values() if p.pgid == pgid and p.running}
    left |= {now[p.pid] for p in procs if now.get(p.pid) == p and now[p.pid].running}
    return sorted(left, key=lambda p: p.pid)


def describe(procs: list[Proc]) -> str:
    return "; ".join(f"pid {p.pid} ({p.state}): {command_line(p.pid)}" for p in procs)


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
