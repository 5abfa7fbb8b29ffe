"""``python -m tenant_admin``: serve the API (JSON logs like every service, no access log:
the request middleware's metrics and request ids already cover each call)."""

from __future__ import annotations

import uvicorn

from kit.app import proxy_options
from kit.logs import configure_logging
from tenant_admin.main import SERVICE, create_app
from tenant_admin.settings import get_settings


def serve() -> None:
    settings = get_settings()
    configure_logging(SERVICE, settings.log_level)
    uvicorn.run(
        create_app(settings),
        host=settings.bind_host,
        port=settings.tenant_admin_port,
        access_log=False,
        log_config=None,
        # The admin app records the operator's address (audit trail, throttling): believe
        # X-Forwarded-For only from the configured proxies, none by default.
        **proxy_options(settings.admin_forwarded_allow_ips),
    )


if __name__ == "__main__":
    serve()
