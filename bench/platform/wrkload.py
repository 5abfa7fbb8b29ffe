"""Closed-model throughput with ``wrk``: N connections, each sends its next request as soon as
the previous answer arrived. A generated Lua script gives every request its own ``aa`` (a
duplicate would be refused) and cycles through the callers' headers (one customer or many).
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

LUA = """
local parts = {%(parts)s}
local callers = {%(callers)s}
local counter = %(start)d
wrk.method = "POST"
request = function()
  counter = counter + 1
  local headers = {["Content-Type"] = "application/json"}
  for name, value in pairs(callers[(counter %% #callers) + 1]) do headers[name] = value end
  return wrk.format("POST", "%(path)s", headers, table.concat(parts, tostring(counter)))
end
"""


@dataclass(frozen=True)
class WrkResult:
    rps: float
    requests: int
    failed: int  # non-2xx answers plus socket errors
    p50_ms: float
    p99_ms: float


def _lua_string(raw: bytes) -> str:
    # A long bracket string takes the UTF-8 bytes verbatim (the body holds no "]==]").
    return "[==[" + raw.decode() + "]==]"


def lua_script(
    parts: Sequence[bytes], callers: Sequence[Mapping[str, str]], start: int, path: str
) -> str:
    caller_tables = [
        "{" + ", ".join(f'["{k}"] = {_lua_string(v.encode())}' for k, v in c.items()) + "}"
        for c in callers
    ]
    return LUA % {
        "parts": ", ".join(_lua_string(p) for p in parts),
        "callers": ", ".join(caller_tables),
        "start": start,
        "path": path,
    }


def run(
    url: str,
    parts: Sequence[bytes],
    callers: Sequence[Mapping[str, str]],
    *,
    start: int,
    connections: int,
    duration_s: int,
) -> WrkResult:
    """One bounded wrk run (``duration_s``) against ``url`` (scheme://host:port/path)."""
    base, path = re.match(r"(https?://[^/]+)(/.*)", url).groups()  # type: ignore[union-attr]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(lua_script(parts, callers, start, path))
        lua.flush()
        # wrk's default 2 s timeout counts a slow answer as a socket error; with 30 s, "failed"
        # means what the server answered or dropped, not what the client gave up on.
        cmd = ["wrk", "-t1", f"-c{connections}", f"-d{duration_s}s", "--timeout", "30s"]
        cmd += ["--latency", "-s", lua.name]
        timeout = duration_s + 60
        out = subprocess.run(
            [*cmd, base], capture_output=True, text=True, check=True, timeout=timeout
        ).stdout
    return parse(out)


def _number(pattern: str, out: str, default: float = 0.0) -> float:
    match = re.search(pattern, out)
    return float(match.group(1)) if match else default


def _ms(pattern: str, out: str) -> float:
    match = re.search(pattern + r"\s+([\d.]+)(us|ms|s)\b", out)
    if not match:
        return float("nan")
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]
    return float(match.group(1)) * scale


def parse(out: str) -> WrkResult:
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    socket_errors = sum(int(g) for g in errors.groups()) if errors else 0
    return WrkResult(
        rps=_number(r"Requests/sec:\s+([\d.]+)", out),
        requests=int(_number(r"(\d+) requests in", out)),
        failed=int(_number(r"Non-2xx or 3xx responses: (\d+)", out)) + socket_errors,
        p50_ms=_ms(r"\n\s+50%", out),
        p99_ms=_ms(r"\n\s+99%", out),
    )
