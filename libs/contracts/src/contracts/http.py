"""Internal HTTP contracts: header names and paths that more than one service uses.

The header a service reads and the header another writes are the same constant, so a rename
cannot leave one side behind.
"""

from __future__ import annotations

# Request id: read from or added to every request and response, and every message (kit.logs).
REQUEST_ID_HEADER = "X-Request-Id"
# The gateway → invoice-service hop: the tenant it resolved from the verified token, and who.
TENANT_HEADER = "X-Tenant-Id"
CUSTOMER_USERNAME_HEADER = "X-Customer-Username"
# invoice-service → gateway: this answer issued nothing new (a replay, or nothing was stored),
# so the reserved call goes back to the package (SPEC API-9).
NOT_CHARGED_HEADER = "X-Einv-Not-Charged"
# ERP → gateway → invoice-service: retrying with the same key replays the stored answer.
IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"

# The transmit RPC (invoice-service → mydata-sync): body ``InvoiceSubmitted``, answer an
# ``Envelope`` holding the outcome event (``contracts.events.OUTCOME_TYPES``).
TRANSMISSIONS_PATH = "/internal/transmissions"
# Tenant placement (invoice-service → tenant-admin): ``contracts.tenants``.
TENANTS_PATH = "/internal/tenants"


def placement_path(tenant_id: str) -> str:
    return f"{TENANTS_PATH}/{tenant_id}/placement"
