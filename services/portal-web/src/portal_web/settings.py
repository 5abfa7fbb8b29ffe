"""portal-web's settings (``EINV_`` environment, see ``kit.settings``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from kit.settings import CommonSettings, EnvName


class PortalSettings(CommonSettings):
    bind_host: str = "127.0.0.1"
    port: Annotated[int, EnvName("EINV_PORTAL_PORT")] = 8001
    # Set behind TLS: the session cookie then carries ``Secure`` (it always does on https).
    cookie_secure: Annotated[bool, EnvName("EINV_PORTAL_COOKIE_SECURE")] = False
    # The proxies whose X-Forwarded-For/-Proto are believed (the client's IP is recorded at
    # login and acceptance, and https decides the cookie's Secure flag).
    forwarded_allow_ips: Annotated[str, EnvName("EINV_PORTAL_FORWARDED_ALLOW_IPS")] = ""
    # Printed on every invoice (INTEGRATIONS.md §5): who issued it and where to verify it. The
    # URL is the one invoice-service prints in the QR code, so both read the same variable.
    portal_public_url: str = "http://127.0.0.1:8001"
    provider_name: Annotated[str, EnvName("EINV_PORTAL_PROVIDER_NAME")] = (
        "e-invoicing (ΥΠΑΗΕΣ) demo provider"
    )
    # Internal calls: the services answer from their own databases, in milliseconds.
    upstream_timeout_s: Annotated[float, EnvName("EINV_PORTAL_UPSTREAM_TIMEOUT_S")] = Field(
        default=10.0, gt=0
    )
    internal_token_ttl_s: int = Field(default=60, ge=10)
    # The webhooks service's internal API (the customer's endpoints and delivery log).
    webhooks_url: str = "http://127.0.0.1:8006"
    # The notifier: what became of an invoice's e-mail to its recipient (the invoice view).
    notifier_url: str = "http://127.0.0.1:8005"
    # The gateway: its OpenAPI document (internal address) and the address ERPs call, which
    # the downloadable Postman collection points at (SPEC API-11).
    api_gateway_url: str = "http://127.0.0.1:8000"
    api_public_url: str = "http://127.0.0.1:8000"
    # PDFs rendered at once (each holds a thread and tens of MB for a second or so).
    pdf_concurrency: Annotated[int, EnvName("EINV_PORTAL_PDF_CONCURRENCY")] = Field(default=2, ge=1)
    # Guessing authentication strings: this many searches that found nothing, per address and
    # window, then 429 until the window moves on (webkit.guesses).
    search_misses: Annotated[int, EnvName("EINV_PORTAL_SEARCH_MISSES")] = Field(default=30, ge=1)
    search_window_s: Annotated[float, EnvName("EINV_PORTAL_SEARCH_WINDOW_S")] = Field(
        default=600.0, gt=0
    )
