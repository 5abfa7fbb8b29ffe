"""FastAPI dependencies: the internal caller's token and the running service's parts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Header, Request

from kit.auth import bearer_token
from kit.errors import ServiceUnavailable
from mydata_sync.runtime import SyncRuntime
from mydata_sync.transmissions.service import TransmissionService


# ``async def`` on purpose: FastAPI runs a plain ``def`` dependency in a worker thread, a thread
# hand-off per dependency and request on the transmit RPC's hot path (docs/performance.md).
async def get_runtime(request: Request) -> SyncRuntime:
    runtime: SyncRuntime = request.app.state.runtime
    return runtime


async def get_service(runtime: Annotated[SyncRuntime, Depends(get_runtime)]) -> TransmissionService:
    # Until the schema is migrated nothing can be recorded, so nothing may be accepted.
    if not runtime.schema_ready.is_set():
        raise ServiceUnavailable("the sync database is not ready yet")
    return runtime.service


async def require_internal(
    runtime: Annotated[SyncRuntime, Depends(get_runtime)],
    authorization: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """Claims of a valid internal token (audience ``einvoicing-internal``), else 401."""
    return runtime.internal_tokens.verify(bearer_token(authorization))


InternalCaller = Annotated[dict[str, Any], Depends(require_internal)]
Transmitter = Annotated[TransmissionService, Depends(get_service)]
