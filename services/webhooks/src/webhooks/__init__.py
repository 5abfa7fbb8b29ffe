"""Signed webhooks: invoice outcomes delivered to the customers' HTTPS endpoints (issue 10).

Public pieces: ``webhooks.signing`` (how a delivery is signed and checked), ``webhooks.main``
(``create_app``), ``webhooks.cli`` (``python -m webhooks``). docs/adr/0010-webhooks.md.
"""
