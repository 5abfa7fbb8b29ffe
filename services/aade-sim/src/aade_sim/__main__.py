"""``python -m aade_sim``: serve the simulator with uvicorn."""

from __future__ import annotations

import uvicorn

from aade_sim.main import SERVICE, create_app
from aade_sim.settings import AadeSimSettings
from kit.logs import configure_logging


def main() -> None:
    settings = AadeSimSettings()
    configure_logging(SERVICE, settings.log_level)
    app = create_app(settings)
    # log_config=None keeps our JSON logging instead of uvicorn's own handlers.
    # No proxy in front: X-Forwarded-* is never believed (kit.app.proxy_options).
    uvicorn.run(
        app, host=settings.bind_host, port=settings.port, log_config=None, proxy_headers=False
    )


if __name__ == "__main__":
    main()
