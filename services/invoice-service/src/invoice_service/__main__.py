"""``python -m invoice_service``: serve the API with uvicorn."""

from __future__ import annotations

from invoice_service.main import SERVICE, create_app
from invoice_service.settings import InvoiceServiceSettings
from kit.app import serve
from kit.logs import configure_logging


def main() -> None:
    settings = InvoiceServiceSettings()
    configure_logging(SERVICE, settings.log_level)
    app = create_app(settings)
    serve(app, host=settings.bind_host, port=settings.port)


if __name__ == "__main__":
    main()
