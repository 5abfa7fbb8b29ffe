"""``python -m tenant_admin``: serve the API."""

from __future__ import annotations

import uvicorn

from tenant_admin.main import create_app
from tenant_admin.settings import get_settings


def serve() -> None:
    settings = get_settings()
    uvicorn.run(
        create_app(settings),
        host=settings.bind_host,
        port=settings.tenant_admin_port,
        log_level=settings.log_level.lower(),
    )


if __name__ == "__main__":
    serve()
