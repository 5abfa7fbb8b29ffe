"""``python -m tenant_admin``: serve the API (JSON logs like every service, no access log:
the request middleware's metrics and request ids already cover each call)."""

from __future__ import annotations

from kit.app import serve as run_server  # this module's own serve() is the entry point
from kit.logs import configure_logging
from tenant_admin.main import SERVICE, create_app
from tenant_admin.settings import get_settings


def serve() -> None:
    settings = get_settings()
    configure_logging(SERVICE, settings.log_level)
    # The admin app records the operator's address (audit trail, throttling): believe
    # X-Forwarded-For only from the configured proxies, none by default.
    run_server(
        create_app(settings),
        host=settings.bind_host,
        port=settings.tenant_admin_port,
        trusted_proxies=settings.admin_forwarded_allow_ips,
        access_log=False,
    )


if __name__ == "__main__":
    serve()
