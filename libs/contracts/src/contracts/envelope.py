"""The envelope around every message on RabbitMQ (DESIGN.md §4)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


def _now() -> datetime:
    return datetime.now(UTC)


class Envelope(BaseModel):
    """``type`` is also the routing key: ``<aggregate>.<past-tense verb>``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    message_id: str = Field(default_factory=lambda: uuid.uuid4().hex, min_length=1, max_length=64)
    type: str = Field(min_length=3, max_length=100, pattern=r"^[a-z_]+\.[a-z_]+$")
    tenant_id: str | None = None
    occurred_at: datetime = Field(default_factory=_now)
    schema_version: int = 1
    request_id: str | None = None
    payload: dict[str, Any] = Field(default_factory=dict)
