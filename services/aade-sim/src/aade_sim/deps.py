"""Request dependencies as ``Annotated`` aliases (DESIGN.md §7)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from aade_sim.faults.state import Faults
from aade_sim.provider.service import ProviderService
from aade_sim.registry.service import RegistryDesk
from aade_sim.settings import AadeSimSettings


def get_settings(request: Request) -> AadeSimSettings:
    settings: AadeSimSettings = request.app.state.settings
    return settings


def get_provider(request: Request) -> ProviderService:
    provider: ProviderService = request.app.state.provider
    return provider


def get_faults(request: Request) -> Faults:
    faults: Faults = request.app.state.faults
    return faults


def get_registry(request: Request) -> RegistryDesk:
    registry: RegistryDesk = request.app.state.registry
    return registry


def get_provider_user(aade_user_id: Annotated[str, Header(alias="aade-user-id")]) -> str:
    # The API front has already checked the pair; this only names the caller.
    return aade_user_id


Settings = Annotated[AadeSimSettings, Depends(get_settings)]
Provider = Annotated[ProviderService, Depends(get_provider)]
FaultSwitch = Annotated[Faults, Depends(get_faults)]
ProviderUser = Annotated[str, Depends(get_provider_user)]
Registry = Annotated[RegistryDesk, Depends(get_registry)]
