"""Which processes are still alive, read from /proc (Linux); who holds a port is
``testkit.ports`` (``make run`` asks it too)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from testkit.ports import command_line

PROC = Path("/proc")


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
