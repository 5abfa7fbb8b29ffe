"""``python -m portal_web``: serve the portal with uvicorn (uvloop, httptools, no access log)."""

from __future__ import annotations

import uvicorn

from kit.app import proxy_options
from kit.logs import configure_logging
from portal_web.settings import PortalSettings


def main() -> None:
    settings = PortalSettings()
    configure_logging("portal-web", settings.log_level)
    uvicorn.run(
        "portal_web.main:create_app",
        factory=True,
        host=settings.bind_host,
        port=settings.port,
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_config=None,  # keep our JSON logging
        lifespan="on",
        **proxy_options(settings.forwarded_allow_ips),
    )


if __name__ == "__main__":
    main()
