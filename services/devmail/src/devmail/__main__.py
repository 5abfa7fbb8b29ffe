"""``python -m devmail``: the HTTP side (page, SMS API, /_admin) and the SMTP server."""

from __future__ import annotations

from devmail.main import SERVICE, create_app
from devmail.settings import DevmailSettings
from kit.app import serve
from kit.logs import configure_logging


def main() -> None:
    settings = DevmailSettings()
    configure_logging(SERVICE, settings.log_level)
    # log_config=None keeps our JSON logging; the SMTP server starts in the app's lifespan.
    app = create_app(settings)
    serve(app, host=settings.bind_host, port=settings.port)


if __name__ == "__main__":
    main()
