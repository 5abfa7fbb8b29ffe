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


# PORTAL-9's rules, each with a key (the portal shows its own text per key, in the user's
# language) and the English text tenant-admin answers with.
PASSWORD_RULES: tuple[tuple[str, str], ...] = (
    ("min_length", "at least 8 characters"),
    ("upper", "an upper-case letter"),
    ("lower", "a lower-case letter"),
    ("digit", "a digit"),
    ("symbol", "a symbol"),
)
MIN_LENGTH = 8


def _holds(rule: str, password: str) -> bool:
    if rule == "min_length":
        return len(password) >= MIN_LENGTH
    if rule == "upper":
        return any(c.isupper() for c in password)
    if rule == "lower":
        return any(c.islower() for c in password)
    if rule == "digit":
        return any(c.isdigit() for c in password)
    return any(not c.isalnum() and not c.isspace() for c in password)


def broken_rules(password: str) -> list[str]:
    """The keys of the PORTAL-9 rules ``password`` breaks, in the rules' order."""
    return [rule for rule, _ in PASSWORD_RULES if not _holds(rule, password)]


def generate_portal_password() -> str:
    """ADMIN-4's "Generate": a first password that keeps every PORTAL-9 rule (sent by SMS,
    changed at first login)."""
    while True:
        candidate = secrets.token_urlsafe(12) + "!"
        if not broken_rules(candidate):
            return candidate
