"""kit.auth (pinned algorithm, required claims, audiences) and kit.settings (no default secrets
outside dev/test)."""

from __future__ import annotations

import base64
import secrets
import time

import jwt
import pytest
from pydantic import ValidationError

from kit.auth import (
    API_AUDIENCE,
    INTERNAL_AUDIENCE,
    ServiceTokens,
    TokenCodec,
    bearer_token,
    internal_audience,
    token_fingerprint,
)
from kit.errors import Unauthorized
from kit.settings import CommonSettings

SECRET = "a-test-secret-long-enough-for-every-hmac-variant-0123456789abcdef"
API = TokenCodec(SECRET, "einvoicing", API_AUDIENCE)


def test_issued_token_verifies_with_its_claims() -> None:
    token, claims = API.issue("customer-1", 60, tid="customer-1")
    verified = API.verify(token)
    assert verified["sub"] == "customer-1" and verified["tid"] == "customer-1"
    assert verified["jti"] == claims["jti"]


@pytest.mark.parametrize("algorithm", ["HS512", "HS384"])
def test_other_algorithms_are_refused_even_with_the_right_key(algorithm: str) -> None:
    now = int(time.time())
    claims = {"iss": "einvoicing", "aud": API_AUDIENCE, "sub": "c", "iat": now,
              "exp": now + 60, "jti": "j"}  # fmt: skip
    with pytest.raises(Unauthorized):
        API.verify(jwt.encode(claims, SECRET, algorithm=algorithm))


def test_unsigned_token_is_refused() -> None:
    now = int(time.time())
    claims = {"iss": "einvoicing", "aud": API_AUDIENCE, "sub": "c", "iat": now,
              "exp": now + 60, "jti": "j"}  # fmt: skip
    with pytest.raises(Unauthorized):
        API.verify(jwt.encode(claims, None, algorithm="none"))


@pytest.mark.parametrize("missing", ["exp", "iss", "aud", "jti", "sub"])
def test_each_required_claim_is_required(missing: str) -> None:
    now = int(time.time())
    claims = {"iss": "einvoicing", "aud": API_AUDIENCE, "sub": "c", "iat": now,
              "exp": now + 60, "jti": "j"}  # fmt: skip
    del claims[missing]
    with pytest.raises(Unauthorized):
        API.verify(jwt.encode(claims, SECRET, algorithm="HS256"))


def test_expired_wrong_audience_and_wrong_issuer_are_refused() -> None:
    expired, _ = API.issue("c", -30)  # past the 5 s leeway
    internal, _ = TokenCodec(SECRET, "einvoicing", internal_audience("x")).issue("c", 60)
    foreign, _ = TokenCodec(SECRET, "someone-else", API_AUDIENCE).issue("c", 60)
    for token in (expired, internal, foreign):
        with pytest.raises(Unauthorized):
            API.verify(token)


@pytest.mark.parametrize("header", [None, "", "Basic abc", "Bearer", "Bearer   "])
def test_bearer_header_must_carry_a_token(header: str | None) -> None:
    with pytest.raises(Unauthorized):
        bearer_token(header)


def test_fingerprint_is_sha256_hex() -> None:
    assert len(token_fingerprint("x")) == 64 and token_fingerprint("x") != token_fingerprint("y")


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_service_tokens_are_reused_then_renewed_per_binding() -> None:
    clock = Clock()
    codec = TokenCodec(SECRET, "einvoicing", internal_audience("svc-b"))
    tokens = ServiceTokens(codec, "svc", ttl_seconds=60, clock=clock)
    first = tokens.get("t1", ("094420307",))
    assert tokens.get("t1", ("094420307",)) == first
    assert tokens.get("t2", ("094420307",)) != first
    assert tokens.get("t1", ("094420307", "800000000")) != first  # another binding
    claims = codec.verify(first)
    assert claims["tid"] == "t1" and claims["vats"] == ["094420307"] and claims["sub"] == "svc"
    assert "tid" not in codec.verify(tokens.get())  # unbound: service to service
    clock.now += 41  # past two thirds of its life: a fresh one
    assert tokens.get("t1", ("094420307",)) != first


def test_default_secrets_are_refused_in_prod(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EINV_ENVIRONMENT", "prod")
    with pytest.raises(ValidationError, match="EINV_API_TOKEN_SECRET"):
        CommonSettings()
    for name in ("API_TOKEN", "INTERNAL_TOKEN", "OPERATOR_TOKEN"):
        monkeypatch.setenv(f"EINV_{name}_SECRET", f"{name.lower()}-a-real-secret-0123456789abcdef")
    with pytest.raises(ValidationError, match="EINV_SEAL_KEYS"):
        CommonSettings()
    monkeypatch.setenv("EINV_SEAL_KEYS", "k1:" + base64.b64encode(b"k" * 32).decode())
    with pytest.raises(ValidationError, match=r"EINV_SEAL_KEYS \(key 'k1' is not random"):
        CommonSettings()
    monkeypatch.setenv("EINV_SEAL_KEYS", "k1:" + base64.b64encode(bytes(range(32))).decode())
    assert CommonSettings().environment == "prod"


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("a" * 32, "fewer than 10 distinct characters"),
        ("0123456789abcdef" * 2, "a repeated pattern"),
        ("Tr0ub4dor&3xyz" * 3, "a repeated pattern"),
        ("dev-only-" + "x" * 30, "the development default"),
    ],
)
def test_weak_secrets_are_refused_in_prod(
    monkeypatch: pytest.MonkeyPatch, value: str, why: str
) -> None:
    monkeypatch.setenv("EINV_ENVIRONMENT", "prod")
    monkeypatch.setenv("EINV_SEAL_KEYS", "k1:" + base64.b64encode(bytes(range(32))).decode())
    for name in ("INTERNAL_TOKEN", "OPERATOR_TOKEN"):
        monkeypatch.setenv(f"EINV_{name}_SECRET", secrets.token_urlsafe(32))
    monkeypatch.setenv("EINV_API_TOKEN_SECRET", value)
    with pytest.raises(ValidationError, match=rf"EINV_API_TOKEN_SECRET \({why}\)"):
        CommonSettings()


def test_one_secret_for_two_purposes_is_refused_in_prod(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EINV_ENVIRONMENT", "prod")
    monkeypatch.setenv("EINV_SEAL_KEYS", "k1:" + base64.b64encode(bytes(range(32))).decode())
    shared = secrets.token_urlsafe(32)
    for name in ("API_TOKEN", "INTERNAL_TOKEN", "OPERATOR_TOKEN"):
        monkeypatch.setenv(f"EINV_{name}_SECRET", shared)
    with pytest.raises(ValidationError, match="the token secrets are not all different"):
        CommonSettings()


def test_default_secrets_are_fine_in_dev(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EINV_ENVIRONMENT", raising=False)
    assert CommonSettings().environment == "dev"


def test_service_tokens_are_addressed_to_one_service() -> None:
    """``to(service)`` signs for that service alone: another service's codec refuses it."""
    own = TokenCodec(SECRET, "einvoicing", internal_audience("gateway"))
    tokens = ServiceTokens(own, "gateway", ttl_seconds=60)
    to_sync = tokens.to("mydata-sync")
    assert tokens.to("mydata-sync") is to_sync  # kept, so its tokens are reused
    token = to_sync.get("t1", ())
    sync = TokenCodec(SECRET, "einvoicing", internal_audience("mydata-sync"))
    assert sync.verify(token)["aud"] == "einvoicing-internal:mydata-sync"
    for other in ("invoice-service", "tenant-admin"):
        with pytest.raises(Unauthorized):
            TokenCodec(SECRET, "einvoicing", internal_audience(other)).verify(token)
    with pytest.raises(Unauthorized):
        TokenCodec(SECRET, "einvoicing", INTERNAL_AUDIENCE).verify(token)  # the bare prefix
