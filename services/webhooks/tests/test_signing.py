"""Signing and checking a delivery: HMAC-SHA256 over ``<timestamp>.<body>``, one ``v1=`` per
valid secret; a tampered body, signature or timestamp and an old timestamp all fail. README's
own example is executed as written and agrees with the service's signer."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

from multidict import CIMultiDict

from webhooks.signing import new_secret, signature, signed_headers, verify

README = Path(__file__).resolve().parents[3] / "README.md"
BODY = b'{"id":"e1","type":"invoice.transmitted","created_at":"2026-12-07T10:00:00Z","data":{}}'


def readme_verifier() -> Callable[..., bool]:
    """The Python block of README's "Webhooks" section, run as written: its ``verify``."""
    section = README.read_text(encoding="utf-8").split("\n## Webhooks\n", 1)[1].split("\n## ")[0]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert code, "README's Webhooks section has no python block"
    namespace: dict[str, object] = {}
    exec(compile(code.group(1), "README.md", "exec"), namespace)  # our own README's code
    verifier = namespace["verify"]
    assert callable(verifier)
    return verifier  # type: ignore[no-any-return]


def test_a_secret_is_32_random_bytes_with_a_prefix() -> None:
    secrets = {new_secret() for _ in range(50)}
    assert len(secrets) == 50
    assert all(s.startswith("whsec_") and len(s) >= 6 + 43 for s in secrets)


def test_the_signature_covers_timestamp_and_body() -> None:
    secret = new_secret()
    headers = CIMultiDict(signed_headers("e1", BODY, [secret]))
    assert headers["Webhook-Id"] == "e1" and headers["content-type"] == "application/json"
    assert verify(secret, headers, BODY)
    assert not verify(secret, headers, BODY.replace(b"e1", b"e2"))  # tampered body
    assert not verify(new_secret(), headers, BODY)  # another secret
    tampered = headers.copy()
    last = headers["Webhook-Signature"][-1]
    tampered["Webhook-Signature"] = headers["Webhook-Signature"][:-1] + (
        "1" if last == "0" else "0"
    )
    assert not verify(secret, tampered, BODY)  # tampered signature
    replayed = headers.copy()
    replayed["Webhook-Timestamp"] = str(int(headers["Webhook-Timestamp"]) + 1)
    assert not verify(secret, replayed, BODY)  # the timestamp is signed


def test_an_old_timestamp_is_refused() -> None:
    secret = new_secret()
    old = int(time.time()) - 3600
    headers = signed_headers("e1", BODY, [secret], timestamp=old)
    assert not verify(secret, headers, BODY)
    assert verify(secret, headers, BODY, now=old + 10)


def test_during_a_rotation_either_secret_verifies() -> None:
    new, old = new_secret(), new_secret()
    headers = signed_headers("e1", BODY, [new, old])
    assert headers["Webhook-Signature"].count("v1=") == 2
    assert verify(new, headers, BODY) and verify(old, headers, BODY)
    commas = dict(headers, **{"Webhook-Signature": headers["Webhook-Signature"].replace(" ", ",")})
    assert verify(old, commas, BODY)


def test_readme_example_agrees_with_the_signer() -> None:
    readme_verify = readme_verifier()
    secret, other = new_secret(), new_secret()
    headers = CIMultiDict(signed_headers("e1", BODY, [other, secret]))
    assert readme_verify(secret, headers, BODY)
    assert not readme_verify(secret, headers, BODY + b" ")
    assert not readme_verify(new_secret(), headers, BODY)
    stamp = int(headers["Webhook-Timestamp"])
    assert headers["Webhook-Signature"].split()[1] == signature(secret, stamp, BODY)
    old = CIMultiDict(signed_headers("e1", BODY, [secret], timestamp=stamp - 3600))
    assert not readme_verify(secret, old, BODY)
