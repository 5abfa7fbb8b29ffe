"""``python -m portal_web``: serve the portal with uvicorn (uvloop, httptools, no access log)."""

from __future__ import annotations

from kit.app import serve
from kit.logs import configure_logging
from portal_web.settings import PortalSettings


def main() -> None:
    settings = PortalSettings()
    configure_logging("portal-web", settings.log_level)
    serve(
        "portal_web.main:create_app",
        factory=True,
        host=settings.bind_host,
        port=settings.port,
        trusted_proxies=settings.forwarded_allow_ips,
        loop="uvloop",
        http="httptools",
        access_log=False,
        lifespan="on",
    )


if __name__ == "__main__":
    main()
