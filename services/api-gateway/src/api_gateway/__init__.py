"""api-gateway: the one public door for ERP calls (DESIGN.md §2).

Public surface: ``api_gateway.main.create_app(settings=None)`` and
``api_gateway.settings.GatewaySettings``; ``python -m api_gateway`` serves it with uvicorn.
Per request: bearer token verified locally and checked against a short revocation cache
(``auth``), per-customer rate limit and body cap (``limits``), one package call reserved in the
catalog and refunded when nothing was issued (``invoices``, ``catalog.quota``), forwarded to
invoice-service with aiohttp (``forwarding``, ADR 0002); ``consumers`` hears ``token.revoked``.
"""
