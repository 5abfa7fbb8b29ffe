"""argon2id password hashes; hashing is CPU-heavy on purpose, so it runs in a thread."""

from __future__ import annotations

import asyncio
import functools
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def verify_password(password_hash: str, password: str) -> bool:
    return await asyncio.to_thread(_verify, password_hash, password)


@functools.cache
def _decoy_hash() -> str:
    return _hasher.hash(secrets.token_hex(16))


async def verify_known_or_decoy(password_hash: str | None, password: str) -> bool:
    """Verify, spending the same argon2 work when the user is unknown (no timing oracle)."""
    if password_hash is None:
        await asyncio.to_thread(_verify, await asyncio.to_thread(_decoy_hash), password)
        return False
    return await verify_password(password_hash, password)


def generate_password() -> str:
    """ADMIN-4's "Generate": 16 URL-safe characters, shown once to the operator."""
    return secrets.token_urlsafe(12)
