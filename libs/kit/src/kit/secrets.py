"""Sealing secrets that must be kept but never readable at rest: a first password on its way to
an SMS, a customer's GSIS special codes, SMTP/SMS credentials.

AES-256-GCM with a keyring: ``EINV_SEAL_KEYS`` = ``kid:base64key[,kid:base64key…]``; the first
key seals, every listed key opens, so a key is rotated by putting a new one first, re-sealing
what is stored (``Keyring.reseal``), then dropping the old one. A sealed value is text:
``<kid>.<base64url(nonce + ciphertext + tag)>``; the associated data binds it to its purpose
(a value sealed as a GSIS code does not open as a password).

Exceptions: ``SealError`` (a value that cannot be opened: unknown key, tampered, wrong purpose).
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12
# A development keyring (refused outside dev/test by kit.settings): never protects real data.
DEV_SEAL_KEYS = "dev1:" + base64.b64encode(b"dev-only-seal-key-change-me-0000").decode()


class SealError(Exception):
    """The value cannot be opened: unknown key id, tampered, or sealed for another purpose."""


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True, slots=True)
class Keyring:
    keys: dict[str, bytes]
    current: str

    @classmethod
    def parse(cls, spec: str) -> Keyring:
        keys: dict[str, bytes] = {}
        for entry in (e.strip() for e in spec.split(",") if e.strip()):
            kid, sep, encoded = entry.partition(":")
            try:
                key = base64.b64decode(encoded, validate=True) if sep else b""
            except ValueError:
                key = b""
            if not kid.isalnum() or len(key) != 32:
                raise ValueError("EINV_SEAL_KEYS: each entry is kid:base64 of 32 bytes")
            keys[kid] = key
        if not keys:
            raise ValueError("EINV_SEAL_KEYS: at least one key")
        return cls(keys, next(iter(keys)))

    def seal(self, plaintext: str, purpose: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.keys[self.current]).encrypt(
            nonce, plaintext.encode(), purpose.encode()
        )
        return f"{self.current}.{base64.urlsafe_b64encode(nonce + sealed).decode().rstrip('=')}"

    def open(self, token: str, purpose: str) -> str:
        kid, _, body = token.partition(".")
        key = self.keys.get(kid)
        if key is None or not body:
            raise SealError(f"no key {kid!r} in the keyring")
        try:
            raw = _b64decode(body)
            plain = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], purpose.encode())
        except (InvalidTag, ValueError) as exc:
            raise SealError("tampered, or sealed for another purpose") from exc
        return plain.decode()

    def reseal(self, token: str, purpose: str) -> str:
        """The same secret under the current key (key rotation)."""
        return self.seal(self.open(token, purpose), purpose)
