"""Shared building blocks of every service. Public API: import from the submodules

- ``kit.settings``: ``CommonSettings`` (``EINV_`` environment, refuses default secrets in prod)
- ``kit.errors``: ``AppError`` and subclasses, the one JSON error shape
- ``kit.logs``: JSON logging with a request id context variable
- ``kit.app``: ``create_service_app`` with ``/healthz``, ``/readyz``, ``/metrics``
- ``kit.db``: engine factory, ``TenantEngines`` LRU, ``session_scope``/``transaction``
- ``kit.auth``: ``TokenCodec`` (PyJWT, pinned algorithm), ``bearer_token``
- ``kit.messaging``: robust connection, confirmed publishing, quorum queues, retry tiers, inbox
- ``kit.outbox``: transactional outbox writer and relay
"""
