"""Public: API documentation is not a secret, and an ERP vendor reads it before any account."""

from __future__ import annotations

import orjson
from fastapi import APIRouter
from starlette.responses import Response

from portal_web.deps import Guest, RuntimeDep

router = APIRouter(tags=["api docs"], include_in_schema=False)


@router.get("/api/openapi.json")
async def openapi(_: Guest, runtime: RuntimeDep) -> Response:
    return _download(await runtime.api_docs.openapi(), "einvoicing-openapi.json")


@router.get("/api/postman-collection.json")
async def postman(_: Guest, runtime: RuntimeDep) -> Response:
    return _download(await runtime.api_docs.postman(), "einvoicing.postman_collection.json")


def _download(document: dict[str, object], filename: str) -> Response:
    return Response(
        orjson.dumps(document, option=orjson.OPT_INDENT_2),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
