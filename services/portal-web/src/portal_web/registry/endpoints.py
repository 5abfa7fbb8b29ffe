"""``/vat-registry`` (SPEC VAT-1, seed 003): look a VAT number up in AADE's registry.

GET looks up (it changes nothing); the codes form POSTs to ``/vat-registry/codes`` and
``/vat-registry/codes/forget`` removes them. Customers only: the codes are the customer's.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query
from starlette.responses import RedirectResponse, Response

from contracts.registry import RegistryCodes
from portal_web.deps import Customer, CustomerPost, RuntimeDep
from portal_web.registry import service
from portal_web.registry.service import RegistryView

router = APIRouter(tags=["registry"], include_in_schema=False)
Code = Annotated[str, Form(max_length=100)]


@router.get("/vat-registry")
async def registry_page(
    visitor: Customer, runtime: RuntimeDep, vat: Annotated[str, Query(max_length=30)] = ""
) -> Response:
    tenant = visitor.user.customer_id
    view = RegistryView()
    if vat.strip():
        view = await service.look_up(runtime.registry, tenant, vat, visitor.locale)
    return await _render(visitor, runtime, view)


@router.post("/vat-registry/codes")
async def enter_codes(
    visitor: CustomerPost,
    runtime: RuntimeDep,
    vat: Annotated[str, Form(max_length=30)] = "",
    username: Code = "",
    password: Code = "",
) -> Response:
    tenant = visitor.user.customer_id
    if not (username.strip() and password):
        view = RegistryView(vat, ask_codes=True)
    else:
        entered = RegistryCodes(username=username.strip(), password=password)
        view = await service.try_codes(runtime.registry, tenant, vat, entered, visitor.locale)
    return await _render(visitor, runtime, view)


@router.post("/vat-registry/codes/forget")
async def forget_codes(visitor: CustomerPost, runtime: RuntimeDep) -> Response:
    await service.forget_codes(runtime.registry, visitor.user.customer_id)
    return RedirectResponse("/vat-registry", status_code=303)


async def _render(visitor: Customer, runtime: RuntimeDep, view: RegistryView) -> Response:
    codes = await service.codes_status(runtime.registry, visitor.user.customer_id)
    status = 400 if view.invalid else 200
    return runtime.pages.render(
        visitor.page, "vat_registry.html", status=status, view=view, codes=codes
    )
