"""Forged JSON Web Tokens (RFC 8725's attacks), built by hand so that nothing a library refuses
to produce is out of reach: each is derived from a valid token of the audience under attack."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
RSA_PUBLIC_PEM = RSA_KEY.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def parts(token: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    head, body, signature = token.split(".")
    return json.loads(unb64(head)), json.loads(unb64(body)), signature


def _segment(value: dict[str, Any]) -> str:
    return b64(json.dumps(value, separators=(",", ":")).encode())


def hs256(header: dict[str, Any], claims: dict[str, Any], key: bytes) -> str:
    signing = f"{_segment(header)}.{_segment(claims)}"
    return f"{signing}.{b64(hmac.new(key, signing.encode(), hashlib.sha256).digest())}"


def rs256(header: dict[str, Any], claims: dict[str, Any]) -> str:
    signing = f"{_segment(header)}.{_segment(claims)}"
    signature = RSA_KEY.sign(signing.encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing}.{b64(signature)}"


def unsigned(header: dict[str, Any], claims: dict[str, Any]) -> str:
    return f"{_segment(header)}.{_segment(claims)}."


Forge = Callable[[str, bytes], str]  # (valid token, its real secret) → forged token


def _claims(token: str, **changes: Any) -> dict[str, Any]:
    claims = parts(token)[1] | changes
    return {k: v for k, v in claims.items() if v is not None}


def _with(token: str, secret: bytes, **changes: Any) -> str:
    """A genuinely signed token with changed claims (our own secret): the claim checks alone
    must refuse it."""
    return hs256({"alg": "HS256", "typ": "JWT"}, _claims(token, **changes), secret)


def _flip(signature: str) -> str:
    raw = bytearray(unb64(signature))
    raw[0] ^= 1
    return b64(bytes(raw))


def attacks(other_audiences: tuple[str, ...]) -> dict[str, Forge]:
    """Every forgery, by name. ``other_audiences``: the audiences this target must refuse."""
    now = int(time.time())
    forged: dict[str, Forge] = {
        "alg_none": lambda t, s: unsigned({"alg": "none", "typ": "JWT"}, _claims(t)),
        "alg_None": lambda t, s: unsigned({"alg": "None", "typ": "JWT"}, _claims(t)),
        "alg_none_with_signature": lambda t, s: (
            unsigned({"alg": "none"}, _claims(t)) + t.split(".")[2]
        ),
        "rs256_own_key": lambda t, s: rs256({"alg": "RS256", "typ": "JWT"}, _claims(t)),
        "hs256_keyed_with_rsa_public_key": lambda t, s: hs256(
            {"alg": "HS256"}, _claims(t), RSA_PUBLIC_PEM
        ),
        "hs512_own_secret": lambda t, s: _hs512(_claims(t), s),
        "jku_header_attacker_key": lambda t, s: rs256(
            {"alg": "RS256", "jku": "http://192.0.2.1/jwks.json", "kid": "x"}, _claims(t)
        ),
        "kid_path_traversal": lambda t, s: hs256(
            {"alg": "HS256", "kid": "../../../../dev/null"}, _claims(t), b""
        ),
        "stripped_signature": lambda t, s: t.rsplit(".", 1)[0] + ".",
        "no_signature_segment": lambda t, s: t.rsplit(".", 1)[0],
        "altered_signature": lambda t, s: t.rsplit(".", 1)[0] + "." + _flip(t.split(".")[2]),
        "altered_payload": lambda t, s: (
            t.split(".")[0] + "." + _segment(_claims(t, sub="someone-else")) + "." + t.split(".")[2]
        ),
        "another_secret": lambda t, s: hs256(
            {"alg": "HS256"}, _claims(t), b"attackers-guess-0123456789abcdef"
        ),
        "empty_secret": lambda t, s: hs256({"alg": "HS256"}, _claims(t), b""),
        "expired": lambda t, s: _with(t, s, exp=now - 120, iat=now - 600),
        "nbf_in_future": lambda t, s: _with(t, s, nbf=now + 3600),
        "iat_in_future": lambda t, s: _with(t, s, iat=now + 3600, exp=now + 7200),
        "wrong_issuer": lambda t, s: _with(t, s, iss="someone-else"),
        "no_exp": lambda t, s: _with(t, s, exp=None),
        "no_jti": lambda t, s: _with(t, s, jti=None),
        "no_aud": lambda t, s: _with(t, s, aud=None),
        "aud_list_without_ours": lambda t, s: _with(t, s, aud=["x", "y"]),
    }
    for audience in other_audiences:
        forged[f"audience_{audience}"] = lambda t, s, a=audience: _with(t, s, aud=a)
    return forged


def _hs512(claims: dict[str, Any], secret: bytes) -> str:
    signing = f"{_segment({'alg': 'HS512'})}.{_segment(claims)}"
    return f"{signing}.{b64(hmac.new(secret, signing.encode(), hashlib.sha512).digest())}"
