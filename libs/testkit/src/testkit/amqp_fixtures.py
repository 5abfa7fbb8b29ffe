"""Pytest fixtures for real RabbitMQ: a throwaway vhost per session and a started ``Broker``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from kit.messaging import Broker
from testkit.rabbit import create_test_vhost


@pytest.fixture(scope="session")
def amqp_url() -> Iterator[str]:
    """URL of a vhost that exists only for this test session (one per xdist worker)."""
    vhost = create_test_vhost()
    yield vhost.url
    vhost.drop()


@pytest.fixture
async def broker(amqp_url: str) -> AsyncIterator[Broker]:
    """A started ``kit.messaging.Broker`` on the session's vhost, closed after the test."""
    started = Broker(amqp_url, service="test", publish_timeout=5.0, reconnect_interval=0.5)
    await started.start()
    yield started
    await started.close()
