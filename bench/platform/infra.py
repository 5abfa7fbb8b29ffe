"""Processes, ports and throwaway databases for the benchmark driver (127.0.0.1 only)."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path

import asyncpg

HERE = Path(__file__).resolve().parent
SERVER_DSN = os.environ.get("EINV_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
AMQP_URL = os.environ.get("EINV_BENCH_AMQP", "amqp://guest:guest@127.0.0.1:5672/")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_listening(port: int, proc: subprocess.Popen[bytes], limit_s: float = 30) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process on port {port} exited with {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


@contextlib.contextmanager
def process(args: Sequence[str], port: int) -> Iterator[subprocess.Popen[bytes]]:
    """A Python child process (arguments after the interpreter), stopped (SIGTERM, then SIGKILL)."""
    proc = subprocess.Popen([sys.executable, *args], cwd=HERE.parent.parent)
    try:
        wait_listening(port, proc)
        yield proc
    finally:
        stop(proc)


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def with_db(dsn: str, name: str) -> str:
    return dsn.rsplit("/", 1)[0] + "/" + name


@contextlib.asynccontextmanager
async def throwaway_database(prefix: str = "bench") -> AsyncIterator[str]:
    """A new database on the shared server, dropped afterwards; yields its DSN."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(SERVER_DSN)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield with_db(SERVER_DSN, name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def load_average() -> float:
    return os.getloadavg()[0]


CONNECTIONS_SQL = """
SELECT count(*) FILTER (WHERE datname = ANY($1::text[])) AS ours,
       count(*) FILTER (WHERE backend_type = 'client backend') AS total
FROM pg_stat_activity
"""
