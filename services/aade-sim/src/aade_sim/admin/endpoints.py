"""``/_admin``: fault switches, registration counters and reset, for tests and dev only.

Mounted only when ``EINV_AADE_SIM_ADMIN`` is on (default: on in dev/test, off in prod).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from aade_sim.deps import FaultSwitch, Provider, Registry
from aade_sim.faults.state import FaultConfig, FaultStatus
from aade_sim.registry.service import RegistryCalls, RegistrySwitch
from kit.errors import NotFound

router = APIRouter(prefix="/_admin", tags=["admin (tests/dev only)"])


class Registrations(BaseModel):
    """Accepted registrations per uid (a correct client never gets past 1) and refused repeats."""

    total: int
    by_uid: dict[str, int]
    duplicate_attempts: dict[str, int]


@router.get("/faults", summary="The fault switch now")
async def get_faults(faults: FaultSwitch) -> FaultStatus:
    return faults.status()


@router.post("/faults", summary="Set the fault switch")
async def set_faults(config: FaultConfig, faults: FaultSwitch) -> FaultStatus:
    faults.set(config)
    return faults.status()


@router.get("/registrations", summary="How often each uid was registered")
async def registrations(provider: Provider) -> Registrations:
    store = provider.store
    return Registrations(
        total=store.accepted.total(),
        by_uid=dict(store.accepted),
        duplicate_attempts=dict(store.duplicates),
    )


@router.get("/invoices/{uid}", summary="One registered invoice, with its XML")
async def invoice(uid: str, provider: Provider) -> dict[str, Any]:
    reg = provider.store.by_uid(uid.upper())
    if reg is None:
        raise NotFound(f"no invoice registered with uid {uid}")
    return reg.as_dict()


@router.get("/registry", summary="RgWsPublic2 calls counted, and the switch now")
async def registry_calls(registry: Registry) -> RegistryCalls:
    return registry.calls()


@router.post("/registry", summary="Force an error code or a failure on RgWsPublic2 calls")
async def set_registry(switch: RegistrySwitch, registry: Registry) -> RegistryCalls:
    registry.set(switch)
    return registry.calls()


@router.post("/reset", summary="Forget all invoices and calls; switch faults off")
async def reset(provider: Provider, faults: FaultSwitch, registry: Registry) -> dict[str, str]:
    provider.store.reset()
    faults.reset()
    registry.reset()
    return {"status": "reset"}
