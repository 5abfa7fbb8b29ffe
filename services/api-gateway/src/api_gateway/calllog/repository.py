"""The one statement of the call log: a batch of calls into the catalog (COPY: one round trip
for the whole batch)."""

from __future__ import annotations

from typing import Any, Protocol

COLUMNS = (
    "customer_id", "at", "method", "path", "query", "status", "latency_ms", "request_id",
    "request_body", "response_body",
)  # fmt: skip


class CopySink(Protocol):
    """An ``asyncpg.Pool`` (or connection)."""

    async def copy_records_to_table(
        self, table_name: str, *, records: Any, columns: Any = None
    ) -> str: ...


async def insert_calls(db: CopySink, rows: list[tuple[object, ...]]) -> None:
    await db.copy_records_to_table("api_calls", records=rows, columns=list(COLUMNS))
