"""Event payloads, one pydantic model per routing key."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TokenRevoked(_Payload):
    """An API token stopped being valid; gateways drop it from their cache at once."""

    jti: str
    customer_id: str


class TenantProvisioned(_Payload):
    tenant_id: str
    database: str
    server_id: int


EVENT_TYPES: dict[str, type[_Payload]] = {
    "token.revoked": TokenRevoked,
    "tenant.provisioned": TenantProvisioned,
}


def payload_model(event_type: str) -> type[_Payload]:
    return EVENT_TYPES[event_type]
