"""Forwarder benchmark: how much of the upstream's throughput each proxy client keeps.

    python bench/forwarder/run.py [--connections 64] [--duration 10] [--repeats 3]

Starts a trivial upstream and three gateway-style proxies (httpx.AsyncClient, httpx with the
httpx-aiohttp transport, aiohttp.ClientSession), each a uvicorn process (uvloop, httptools), and
loads each target with the same generator: ``wrk`` when installed, else an asyncio aiohttp
client. Targets alternate within each repetition so that background noise spreads evenly; the
table shows the median requests/s and its ratio to calling the upstream directly.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROXIES = ("httpx", "httpx-aiohttp", "aiohttp")
BODY = '{"is_vat":"094420307","series":"A","aa":"26","einv02":[{"linenumber":1}]}'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_listening(port: int, limit_s: float = 20) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


@contextlib.contextmanager
def started(*args: str) -> Iterator[int]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(HERE / "apps.py"), args[0], str(port), *args[1:]])
    try:
        wait_listening(port)
        yield port
    finally:
        proc.terminate()
        proc.wait(10)


def run_wrk(url: str, connections: int, duration: int) -> float:
    script = f"wrk.method = \"POST\"\nwrk.body = '{BODY}'\n"
    script += 'wrk.headers["Content-Type"] = "application/json"\n'
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(script)
        lua.flush()
        cmd = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "-s", lua.name, url]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} failed responses")
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert match, out
    return float(match.group(1))


async def _aiohttp_load(url: str, connections: int, duration: int) -> float:
    import aiohttp

    done = 0
    stop_at = time.monotonic() + duration

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal done
        while time.monotonic() < stop_at:
            async with session.post(
                url, data=BODY, headers={"Content-Type": "application/json"}
            ) as r:
                await r.read()
                assert r.status == 200
            done += 1

    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(connector=connector) as session:
        started_at = time.monotonic()
        await asyncio.gather(*(worker(session) for _ in range(connections)))
        return done / (time.monotonic() - started_at)


def load(url: str, connections: int, duration: int) -> float:
    if shutil.which("wrk"):
        return run_wrk(url, connections, duration)
    return asyncio.run(_aiohttp_load(url, connections, duration))


def measure(args: argparse.Namespace) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {"direct": [], **{p: [] for p in PROXIES}}
    with started("upstream") as up, contextlib.ExitStack() as stack:
        upstream_url = f"http://127.0.0.1:{up}"
        ports = {p: stack.enter_context(started("proxy", upstream_url, p)) for p in PROXIES}
        urls = {"direct": upstream_url, **{p: f"http://127.0.0.1:{ports[p]}" for p in PROXIES}}
        for url in urls.values():  # warm-up: connections, imports, lazy caches
            load(url + "/invoice-data", args.connections, 2)
        for rep in range(args.repeats):
            order = list(urls) if rep % 2 == 0 else list(reversed(urls))  # alternate the order
            for name in order:
                rps = load(urls[name] + "/invoice-data", args.connections, args.duration)
                results[name].append(rps)
                print(f"  run {rep + 1} {name:14s} {rps:9.0f} req/s", file=sys.stderr)
    return results


def table(results: dict[str, list[float]], args: argparse.Namespace) -> str:
    direct = statistics.median(results["direct"])
    tool = "wrk" if shutil.which("wrk") else "aiohttp load generator"
    load_1m = os.getloadavg()[0]
    lines = [
        f"{tool}, {args.connections} connections, {args.duration} s x {args.repeats} (median);"
        f" {os.cpu_count()} CPUs, load average at the end {load_1m:.1f}",
        "",
        "| target | req/s (median) | runs | vs direct |",
        "|---|---:|---|---:|",
    ]
    for name, runs in results.items():
        median = statistics.median(runs)
        shown = ", ".join(f"{r:.0f}" for r in runs)
        lines.append(f"| {name} | {median:.0f} | {shown} | {median / direct:.2f}x |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(table(measure(args), args))


if __name__ == "__main__":
    main()
