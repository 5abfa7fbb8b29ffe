"""``POST /wsaade/RgWsPublic2/RgWsPublic2`` (SOAP 1.2), the path of the live service."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from aade_sim.deps import Registry, Settings
from aade_sim.registry.answers import CONTENT_TYPE
from kit.http import read_capped_body

REGISTRY_PATH = "/wsaade/RgWsPublic2/RgWsPublic2"
router = APIRouter(tags=["GSIS RgWsPublic2"])


@router.post(REGISTRY_PATH, summary="rgWsPublic2AfmMethod (SOAP 1.2)")
async def afm_method(request: Request, registry: Registry, settings: Settings) -> Response:
    body = await read_capped_body(request, settings.max_body_bytes)
    answer = await registry.answer(body)
    return Response(answer.body, status_code=answer.status, media_type=CONTENT_TYPE)
