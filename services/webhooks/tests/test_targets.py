"""Where deliveries may go: the URL rules at registration, and at delivery time only public
addresses in prod (a name resolving to loopback, a private or link-local literal are refused
before any byte is sent)."""

from __future__ import annotations

import base64
import ipaddress
import secrets
from typing import Any

import pytest

from testkit.receiver import WebhookReceiver
from webhooks.client import WebhookClient
from webhooks.settings import WebhooksSettings
from webhooks.targets import GuardedResolver, TargetRefused, UrlRules, is_public

PROD = UrlRules(allow_http=False, allow_private=False)
DEV = UrlRules(allow_http=True, allow_private=True)


@pytest.mark.parametrize(
    ("url", "problems"),
    [
        ("https://erp.example.gr/hooks", []),
        ("https://erp.example.gr:8443/hooks?x=1", []),
        ("http://erp.example.gr/hooks", ["url_scheme"]),
        ("ftp://erp.example.gr/hooks", ["url_scheme"]),
        ("https://user:pw@erp.example.gr/hooks", ["url_userinfo"]),
        ("https:///hooks", ["url_invalid"]),
        ("https://erp.example.gr:99999/", ["url_invalid"]),
        ("https://127.0.0.1/hooks", ["url_private"]),
        ("https://localhost/hooks", ["url_private"]),
        ("https://10.1.2.3/hooks", ["url_private"]),
        ("https://169.254.169.254/latest", ["url_private"]),
        ("https://[::1]/hooks", ["url_private"]),
        ("https://[::ffff:192.168.1.1]/hooks", ["url_private"]),
        ("https://" + "a" * 2000 + ".gr/", ["url_too_long"]),
    ],
)
def test_prod_url_rules(url: str, problems: list[str]) -> None:
    assert PROD.problems(url) == problems


def test_dev_allows_http_on_loopback() -> None:
    assert DEV.problems("http://127.0.0.1:9000/hooks") == []
    assert DEV.problems("http://u:p@127.0.0.1/") == ["url_userinfo"]


def test_public_addresses() -> None:
    assert is_public(ipaddress.ip_address("93.184.216.34"))
    for private in ("127.0.0.1", "10.0.0.1", "172.16.0.1", "192.168.0.1", "169.254.1.1",
                    "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fc00::1", "224.0.0.1"):  # fmt: skip
        assert not is_public(ipaddress.ip_address(private)), private


async def test_the_resolver_refuses_names_of_loopback() -> None:
    resolver = GuardedResolver()
    try:
        with pytest.raises(TargetRefused):
            await resolver.resolve("localhost", 443)
    finally:
        await resolver.close()


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
async def test_prod_deliveries_never_reach_loopback(receiver: WebhookReceiver, host: str) -> None:
    # Prod refuses http too, so the rule under test is set alone (the check is at delivery).
    settings = WebhooksSettings(environment="test", allow_private_targets=False)
    client = WebhookClient(settings)
    try:
        reply = await client.post(f"http://{host}:{receiver.port}/hooks", b"{}", {})
    finally:
        await client.close()
    assert reply.status is None and reply.error and "refused target" in reply.error
    assert receiver.received == []


async def test_redirects_are_not_followed(receiver: WebhookReceiver) -> None:
    receiver.answer_with(302)
    client = WebhookClient(WebhooksSettings(environment="test"))
    try:
        reply = await client.post(receiver.url, b"{}", {})
    finally:
        await client.close()
    assert reply.status == 302 and not reply.delivered
    assert len(receiver.received) == 1


def test_prod_refuses_http_and_private_targets() -> None:
    names = ("api_token_secret", "internal_token_secret", "operator_token_secret")
    prod: dict[str, Any] = {name: secrets.token_urlsafe(32) for name in names}
    prod |= {
        "environment": "prod",
        "seal_keys": "k1:" + base64.b64encode(bytes(range(32))).decode(),
    }
    settings = WebhooksSettings(**prod)
    assert not settings.http_allowed and not settings.private_targets_allowed
    for switch in ("allow_http", "allow_private_targets"):
        with pytest.raises(ValueError, match="refused in prod"):
            WebhooksSettings(**(prod | {switch: True}))
