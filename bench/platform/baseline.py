"""The bare baselines B1 and B2: what one uvicorn process does with the same invoice when none
of the platform's layers are in the way.

    python -m bench.platform.baseline b0|b1|b2 PORT POSTGRES_DSN [AMQP_URL]

B1 validates the body with ``mydata.erp.parse_erp_invoice`` (the platform's own seed-002
validation) and writes the invoice and its lines in one asyncpg transaction. B2 adds one
persistent publish on a channel with publisher confirms after the commit, as the outbox relay
does for every invoice. B0 answers without doing anything: it measures the load generators.
The tables are created by ``prepare`` (once, before the servers start, by the benchmark
driver); B2 declares its exchange and bounded queue itself.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aio_pika
import asyncpg
import orjson
import uvicorn
from fastapi import FastAPI, Request
from starlette.responses import Response

from contracts.events import InvoiceSubmitted
from mydata.erp import parse_erp_invoice
from mydata.errors import InvoiceInputError

EXCHANGE = "bench.baseline"
QUEUE = "bench.baseline"
POOL_SIZE = 10
SCHEMA = """
CREATE TABLE IF NOT EXISTS bench_invoices (
    id bigserial PRIMARY KEY,
    series text NOT NULL,
    aa text NOT NULL,
    body jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (series, aa)
);
CREATE TABLE IF NOT EXISTS bench_invoice_lines (
    id bigserial PRIMARY KEY,
    invoice_id bigint NOT NULL REFERENCES bench_invoices (id),
    position int NOT NULL,
    body jsonb NOT NULL
);
"""
INSERT_INVOICE = "INSERT INTO bench_invoices (series, aa, body) VALUES ($1, $2, $3) RETURNING id"
INSERT_LINE = "INSERT INTO bench_invoice_lines (invoice_id, position, body) VALUES ($1, $2, $3)"


async def prepare(dsn: str) -> None:
    """The baseline's tables (in a throwaway database of the same server as the platform's)."""
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(SCHEMA)
    finally:
        await conn.close()


async def _exchange(channel: aio_pika.abc.AbstractChannel) -> aio_pika.abc.AbstractExchange:
    """The exchange B2 publishes to, with a bound queue so that every message is routed."""
    exchange = await channel.declare_exchange(EXCHANGE, aio_pika.ExchangeType.FANOUT, durable=True)
    # Capped so that a long run cannot fill the shared broker's disk (the vhost is dropped after).
    args: dict[str, Any] = {"x-max-length": 10_000, "x-overflow": "drop-head"}
    queue = await channel.declare_queue(QUEUE, durable=True, arguments=args)
    await queue.bind(exchange)
    return exchange


def _rejected(exc: Exception) -> Response:
    body = orjson.dumps({"ok": 0, "code": "invalid", "error": {"message": str(exc)}})
    return Response(body, status_code=422, media_type="application/json")


def create_app(mode: str, dsn: str, amqp_url: str | None) -> FastAPI:
    state: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if mode != "b0":
            # Idle connections close after a few seconds: between its own measurements a
            # baseline must not hold server connections the platform's scenarios need (T9).
            state["pool"] = await asyncpg.create_pool(
                dsn, min_size=0, max_size=POOL_SIZE, max_inactive_connection_lifetime=5.0
            )
        if mode == "b2" and amqp_url:
            state["amqp"] = await aio_pika.connect_robust(amqp_url)
            channel = await state["amqp"].channel(publisher_confirms=True)
            state["exchange"] = await _exchange(channel)
        yield
        if "amqp" in state:
            await state["amqp"].close()
        if "pool" in state:
            await state["pool"].close()

    app = FastAPI(lifespan=lifespan)

    @app.post("/invoice-data")
    async def issue(request: Request) -> Response:
        if mode == "b0":  # the load generators' own ceiling: no work at all
            await request.body()
            return Response(b'{"ok":1}', media_type="application/json")
        try:
            body = orjson.loads(await request.body())
            erp = parse_erp_invoice(body)
        except (orjson.JSONDecodeError, InvoiceInputError) as exc:
            return _rejected(exc)
        invoice_id = await _store(state["pool"], erp.series, erp.aa, body)
        if "exchange" in state:
            await _publish(state["exchange"], invoice_id, body)
        answer = {"ok": 1, "code": 200, "data": {"id": invoice_id}}
        return Response(orjson.dumps(answer), media_type="application/json")

    return app


async def _store(pool: asyncpg.Pool, series: str, aa: str, body: dict[str, Any]) -> int:
    lines = body.get("einv02") or []
    async with pool.acquire() as conn, conn.transaction():
        invoice_id: int = await conn.fetchval(
            INSERT_INVOICE, series, aa, orjson.dumps(body).decode()
        )
        rows = [(invoice_id, i, orjson.dumps(line).decode()) for i, line in enumerate(lines)]
        await conn.executemany(INSERT_LINE, rows)
    return invoice_id


async def _publish(exchange: aio_pika.abc.AbstractExchange, invoice_id: int, body: Any) -> None:
    message = aio_pika.Message(
        orjson.dumps({"invoice_id": invoice_id, "invoice": body}),
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        content_type="application/json",
    )
    # With publisher confirms on the channel, this returns once the broker has the message.
    await exchange.publish(message, routing_key=InvoiceSubmitted.TYPE)


def main() -> None:
    mode, port, dsn = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    amqp_url = sys.argv[4] if len(sys.argv) > 4 else None
    app = create_app(mode, dsn, amqp_url)
    # uvicorn's defaults pick uvloop and httptools, as the services' ``python -m`` entry points.
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
