"""In-memory login throttling, per process on purpose: it slows guessing down without a shared
store.

``LoginThrottle`` counts failures per key in a sliding window. ``AccountThrottle`` (portal users
and operators) counts each failure three times, with limits far apart: per (user, address), per
address and per user across addresses, so that a guesser is slowed at once while the real user,
from another address, is not locked out by someone else's five wrong passwords.
"""

from __future__ import annotations

from dataclasses import dataclass

from kit.window import SlidingWindow


class LoginThrottle:
    """Failed logins per key (kit.window), refused with Retry-After over ``max_failures``."""

    def __init__(self, max_failures: int, window_seconds: int, max_keys: int = 10_000) -> None:
        self._window = SlidingWindow(max_failures, window_seconds, max_keys=max_keys)

    def check(self, *keys: str) -> None:
        """Raise ``TooManyRequests`` (with Retry-After) if any key is over its budget."""
        for key in keys:
            self._window.check(key, "too many failed logins; try again later")

    def failed(self, *keys: str) -> None:
        for key in keys:
            self._window.add(key)

    def succeeded(self, username_key: str) -> None:
        self._window.forget(username_key)


# How far apart the three limits of an AccountThrottle are, as multiples of the pair's limit.
ADDRESS_FACTOR = 4
USER_FACTOR = 10


@dataclass(frozen=True, slots=True)
class AccountThrottle:
    pair: LoginThrottle  # one user from one address: a guesser
    address: LoginThrottle  # one address, any users: a sprayer
    user: LoginThrottle  # one user, any address: a distributed guesser

    @classmethod
    def of(cls, max_failures: int, window_s: int) -> AccountThrottle:
        return cls(
            LoginThrottle(max_failures, window_s),
            LoginThrottle(max_failures * ADDRESS_FACTOR, window_s),
            LoginThrottle(max_failures * USER_FACTOR, window_s),
        )

    def check(self, username: str, ip: str) -> None:
        self.pair.check(f"{username.lower()}@{ip}")
        self.address.check(ip)
        self.user.check(username.lower())

    def failed(self, username: str, ip: str) -> None:
        self.pair.failed(f"{username.lower()}@{ip}")
        self.address.failed(ip)
        self.user.failed(username.lower())

    def succeeded(self, username: str, ip: str) -> None:
        self.pair.succeeded(f"{username.lower()}@{ip}")
