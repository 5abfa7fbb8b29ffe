"""A throwaway RabbitMQ virtual host per test session, plus helpers for asserting on queues.

Each pytest-xdist worker is its own session and gets its own vhost, so exchanges, queues and
leftovers never mix with other runs or other engineers' tests. When ``rabbitmqctl`` cannot be
used (no local broker, no rights) the tests fall back to the base URL's vhost and rely on the
unique queue names and routing keys that ``unique_queue``/``unique_event_type`` give them.
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import string
import subprocess
import time
import uuid
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

import aio_pika
from aio_pika.abc import AbstractIncomingMessage

DEFAULT_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"
VHOST_PREFIX = "einv_test_"
_CTL_TIMEOUT_S = 60


def base_url() -> str:
    """The broker tests run against (``EINV_TEST_AMQP_URL``, else the local default)."""
    return os.environ.get("EINV_TEST_AMQP_URL", DEFAULT_AMQP_URL)


def url_for_vhost(url: str, vhost: str) -> str:
    # The vhost is the URL path, percent-encoded ("/" itself is "%2F").
    return urlunsplit(urlsplit(url)._replace(path="/" + quote(vhost, safe="")))


def broker_address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 5672


def via_address(url: str, host: str, port: int) -> str:
    """The same URL (credentials, vhost) pointed at another address, e.g. a ``FaultProxy``."""
    parts = urlsplit(url)
    credentials = parts.netloc.rpartition("@")[0]
    netloc = f"{credentials}@{host}:{port}" if credentials else f"{host}:{port}"
    return urlunsplit(parts._replace(netloc=netloc))


def _rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", *args], check=True, capture_output=True, timeout=_CTL_TIMEOUT_S)


def rabbitmqctl_usable() -> bool:
    if shutil.which("rabbitmqctl") is None:
        return False
    try:
        _rabbitmqctl("list_vhosts")
    except (OSError, subprocess.SubprocessError):
        return False
    return True


@dataclass(frozen=True, slots=True)
class TestVhost:
    url: str
    vhost: str | None  # None: the fallback, sharing the base URL's vhost

    def drop(self) -> None:
        if self.vhost is not None:
            _rabbitmqctl("delete_vhost", self.vhost)


def create_test_vhost(url: str | None = None) -> TestVhost:
    """A new vhost the guest user may use fully, or the fallback (with a warning)."""
    url = url or base_url()
    if not rabbitmqctl_usable():
        warnings.warn(
            "rabbitmqctl is not usable: AMQP tests share the base vhost and rely on unique "
            "queue names and routing keys for isolation",
            stacklevel=2,
        )
        return TestVhost(url, None)
    vhost = f"{VHOST_PREFIX}{int(time.time())}_{uuid.uuid4().hex[:8]}"
    user = urlsplit(url).username or "guest"
    _rabbitmqctl("add_vhost", vhost)
    _rabbitmqctl("set_permissions", "-p", vhost, user, ".*", ".*", ".*")
    return TestVhost(url_for_vhost(url, vhost), vhost)


def unique_queue(purpose: str) -> str:
    return f"t.{purpose}.{uuid.uuid4().hex[:10]}"


def unique_event_type(verb: str = "happened") -> str:
    """A routing key no other test uses; envelope types allow only letters and ``_``."""
    aggregate = "".join(random.choices(string.ascii_lowercase, k=14))
    return f"t_{aggregate}.{verb}"


async def wait_until(
    predicate: Callable[[], bool], *, within: float = 10.0, interval: float = 0.05
) -> None:
    """Poll ``predicate`` until it holds; ``AssertionError`` when ``within`` seconds pass first."""
    deadline = asyncio.get_running_loop().time() + within
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {within}s")
        await asyncio.sleep(interval)


async def wait_until_async(
    predicate: Callable[[], Awaitable[bool]], *, within: float = 10.0, interval: float = 0.05
) -> None:
    """``wait_until`` for a predicate that must await (a database query, a broker call)."""
    deadline = asyncio.get_running_loop().time() + within
    while not await predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {within}s")
        await asyncio.sleep(interval)


async def take_messages(
    url: str, queue: str, count: int, *, within: float = 10.0, until_id: str | None = None
) -> list[AbstractIncomingMessage]:
    """Remove at least ``count`` messages from ``queue`` (polling with basic.get), or fail
    after ``within`` seconds; with ``until_id``, go on until that message id was taken (for
    queues that other tests also feed)."""
    got: list[AbstractIncomingMessage] = []

    def done() -> bool:
        if until_id is not None:
            return any(m.message_id == until_id for m in got)
        return len(got) >= count

    connection = await aio_pika.connect(url)
    try:
        channel = await connection.channel()
        amqp_queue = await channel.get_queue(queue, ensure=False)
        await _poll(lambda: _get_into(amqp_queue, got), done, within)
    finally:
        await connection.close()
    return got


async def _get_into(queue: aio_pika.abc.AbstractQueue, into: list[AbstractIncomingMessage]) -> None:
    message = await queue.get(no_ack=True, fail=False)
    if message is not None:
        into.append(message)


async def _poll(
    step: Callable[[], Awaitable[None]], done: Callable[[], bool], within: float
) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not done():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"expected messages did not arrive within {within}s")
        await step()
        await asyncio.sleep(0.02)
