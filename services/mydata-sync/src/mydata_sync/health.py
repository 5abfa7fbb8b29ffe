"""Readiness checks: the sync database and the broker.

The broker probe opens and closes a connection per call: probes are rare, and the process-wide
robust connection arrives with ``kit.messaging``.
"""

from __future__ import annotations

import aio_pika


async def check_broker(amqp_url: str, timeout_s: float = 2.0) -> None:
    """Raise unless RabbitMQ accepts a login at ``amqp_url``."""
    connection = await aio_pika.connect(amqp_url, timeout=timeout_s)
    await connection.close()
