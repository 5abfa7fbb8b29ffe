"""``python -m api_gateway``: serve the gateway with uvicorn (uvloop, httptools, no access log)."""

from __future__ import annotations

from api_gateway.settings import GatewaySettings
from kit.app import serve
from kit.logs import configure_logging


def main() -> None:
    settings = GatewaySettings()
    configure_logging("api-gateway", settings.log_level)
    serve(
        "api_gateway.main:create_app",
        factory=True,
        host=settings.bind_host,
        port=settings.gateway_port,
        workers=settings.gateway_workers,
        loop="uvloop",
        http="httptools",
        access_log=False,
        lifespan="on",
    )


if __name__ == "__main__":
    main()
