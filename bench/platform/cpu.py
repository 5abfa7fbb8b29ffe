"""CPU time and memory of the processes under test, read from /proc (Linux).

A *group* is a named set of processes: one platform service (its process group, so a
multi-worker gateway counts its children), one baseline process, or a server found by its
command name (every ``postgres`` process, RabbitMQ's Erlang VM). ``CpuMeter.around`` returns the
CPU seconds each group used during an awaited measurement; divided by the requests served that
is the CPU per request, comparable between the platform and a baseline in the same run.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
_TICKS = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")
# Command names (/proc/<pid>/comm) of the shared servers.
SERVERS = {"postgres": ("postgres",), "rabbitmq": ("beam.smp", "erl_child_setup")}


@dataclass(frozen=True)
class Group:
    name: str
    pgid: int | None = None  # a process group, or
    pid: int | None = None  # one process, or
    comms: tuple[str, ...] = ()  # processes by command name


def _stat(pid: str) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # gone meanwhile
        return None
    # The command is in parentheses and may contain spaces: split after its closing one.
    return [raw[: raw.index("(")].strip(), *raw[raw.rindex(")") + 2 :].split()]


def _comm(pid: str) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _members(group: Group, pids: Iterable[str]) -> list[list[str]]:
    found = []
    for pid in pids:
        fields = _stat(pid)
        if fields is None:
            continue
        # fields[0] pid, [1] state, [2] ppid, [3] pgrp, … [12] utime, [13] stime, [22] rss
        if _belongs(group, fields, pid):
            found.append(fields)
    return found


def _belongs(group: Group, fields: list[str], pid: str) -> bool:
    if group.pgid is not None:
        return int(fields[3]) == group.pgid
    if group.pid is not None:
        return int(fields[0]) == group.pid
    return _comm(pid) in group.comms


def _pids() -> list[str]:
    return [p for p in os.listdir("/proc") if p.isdigit()]


def cpu_seconds(groups: list[Group]) -> dict[str, float]:
    """CPU (user + system) used so far by the live processes of each group."""
    pids = _pids()
    return {
        g.name: sum(int(f[12]) + int(f[13]) for f in _members(g, pids)) / _TICKS for g in groups
    }


def rss_mb(groups: list[Group]) -> dict[str, float]:
    pids = _pids()
    return {
        g.name: round(sum(int(f[22]) for f in _members(g, pids)) * _PAGE / 2**20, 1) for g in groups
    }


class CpuMeter:
    def __init__(self, groups: list[Group]) -> None:
        self.groups = groups

    async def around(self, measure: Callable[[], Awaitable[T]]) -> tuple[T, dict[str, float]]:
        """The measurement's result and each group's CPU seconds while it ran. A process that
        exits during the measurement loses its share: none of ours should."""
        before = cpu_seconds(self.groups)
        result = await measure()
        after = cpu_seconds(self.groups)
        return result, {name: after[name] - before[name] for name in before}
