"""Sealed secrets: they open with their purpose only, survive a key rotation, refuse tampering."""

from __future__ import annotations

import base64

import pytest

from kit.secrets import DEV_SEAL_KEYS, Keyring, SealError


def key(kid: str, fill: bytes) -> str:
    return f"{kid}:{base64.b64encode(fill * 32).decode()}"


def test_sealed_opens_with_its_purpose_and_is_not_the_plaintext() -> None:
    ring = Keyring.parse(DEV_SEAL_KEYS)
    sealed = ring.seal("Κωδικός-2026!", "sms.password")
    assert "Κωδικός" not in sealed and sealed != ring.seal("Κωδικός-2026!", "sms.password")
    assert ring.open(sealed, "sms.password") == "Κωδικός-2026!"
    with pytest.raises(SealError):
        ring.open(sealed, "gsis.codes")


def test_rotation_keeps_old_values_readable_until_resealed() -> None:
    old = Keyring.parse(key("a", b"1"))
    sealed = old.seal("secret", "p")
    rotated = Keyring.parse(key("b", b"2") + "," + key("a", b"1"))
    assert rotated.open(sealed, "p") == "secret"
    resealed = rotated.reseal(sealed, "p")
    assert resealed.startswith("b.")
    assert Keyring.parse(key("b", b"2")).open(resealed, "p") == "secret"
    with pytest.raises(SealError, match="no key"):
        Keyring.parse(key("b", b"2")).open(sealed, "p")


def test_tampering_is_detected() -> None:
    ring = Keyring.parse(DEV_SEAL_KEYS)
    sealed = ring.seal("secret", "p")
    flipped = sealed[:-2] + ("A" if sealed[-2] != "A" else "B") + sealed[-1]
    with pytest.raises(SealError):
        ring.open(flipped, "p")


@pytest.mark.parametrize(
    "spec", ["", "a:short", "no-colon", "a b:" + base64.b64encode(b"x" * 32).decode()]
)
def test_a_bad_keyring_is_refused_at_start(spec: str) -> None:
    with pytest.raises(ValueError, match="EINV_SEAL_KEYS"):
        Keyring.parse(spec)
