"""``python -m aade_sim``: serve the simulator with uvicorn."""

from __future__ import annotations

from aade_sim.main import SERVICE, create_app
from aade_sim.settings import AadeSimSettings
from kit.app import serve
from kit.logs import configure_logging


def main() -> None:
    settings = AadeSimSettings()
    configure_logging(SERVICE, settings.log_level)
    app = create_app(settings)
    serve(app, host=settings.bind_host, port=settings.port)


if __name__ == "__main__":
    main()
