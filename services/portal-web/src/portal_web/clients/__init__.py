"""HTTP clients of the services that own the portal's data (``contracts.portal``).

Failures, documented in one place (``clients.http``): ``UpstreamUnavailable`` (no answer, or an
answer that breaks the contract: the page says "try again later"), and per-call refusals that a
page explains (``LoginRefused``, ``LoginThrottled``, ``SessionGone``, ``PasswordRefused``,
``NotAllowed``).
"""
