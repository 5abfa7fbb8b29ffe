"""The public VAT registry route (SPEC VAT-1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from api_gateway.deps import RegistryCustomer, RuntimeDep
from api_gateway.forwarding.client import UpstreamReply
from api_gateway.forwarding.services import passed_language
from api_gateway.registry import service
from api_gateway.registry.schemas import LOOK_UP_RESPONSES

router = APIRouter(tags=["VAT registry"])
Vat = Annotated[str, Path(max_length=20, pattern=r"^[0-9A-Za-z ]+$")]
Lang = Annotated[str | None, Query(max_length=10, description="en for English messages")]


@router.get(
    "/vat-registry/{vat}",
    summary="Look up a VAT number in AADE's registry",
    description=(
        "Name, trade name, address, tax office, activities and whether the VAT number is"
        " active, from GSIS RgWsPublic2 with the GSIS special access codes the customer stored"
        " in the portal. Free of calls; rate limited on its own, slower limit. Each look-up"
        " notifies the looked-up taxpayer, so answers are cached (``cached``: no new call)."
        " A wrong check digit is refused before any call."
    ),
    responses=LOOK_UP_RESPONSES,
    response_class=Response,
)
async def look_up(
    request: Request, vat: Vat, customer: RegistryCustomer, runtime: RuntimeDep, lang: Lang = None
) -> Response:
    language = passed_language(request.headers, lang)
    reply = await service.look_up(runtime.mydata_sync, customer, vat, language)
    return passed_through(reply)


def passed_through(reply: UpstreamReply) -> Response:
    headers = {"Content-Type": reply.content_type} if reply.content_type else {}
    return Response(reply.body, status_code=reply.status, headers=headers)
