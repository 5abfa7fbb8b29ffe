"""Bodies of the tokens endpoints."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    keep_previous: bool = False
    label: str | None = Field(default=None, max_length=100)


class IssuedToken(BaseModel):
    tenant_id: str
    username: str
    api_token: str = Field(description="Shown once; only its fingerprint is stored")
    jti: str
    expires_at: datetime
    revoked: list[str] = Field(description="Ids (jti) of the tokens this issue revoked")
