"""``GET /internal/public-strings/{code}``: the owner of a printed string (portal-web)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from contracts.portal import PUBLIC_STRINGS_PATH, PublicString
from tenant_admin.deps import CatalogConn, require_internal
from tenant_admin.directory import service

router = APIRouter(tags=["directory (internal)"], dependencies=[Depends(require_internal)])
Code = Annotated[str, Path(min_length=8, max_length=100, pattern=r"^[A-Za-z0-9]+$")]


@router.get(PUBLIC_STRINGS_PATH + "/{code}", summary="Which tenant's invoice a string names")
async def look_up(code: Code, conn: CatalogConn) -> PublicString:
    return await service.look_up(conn, code)
