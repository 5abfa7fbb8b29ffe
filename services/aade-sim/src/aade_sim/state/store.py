"""Registered invoices, kept in memory (optionally mirrored to SQLite, see ``sqlite.py``).

All methods are synchronous and never await: on one event loop a check-then-register sequence
is therefore atomic, which is what makes "one uid, one MARK" hold under concurrent requests.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class Registration:
    mark: int
    uid: str
    authentication_code: str
    qr_url: str
    provider_user: str
    issuer_vat: str
    counterpart_vat: str | None
    invoice_type: str
    series: str
    aa: str
    issue_date: str
    total_gross: str
    total_vat: str
    registered_at: str
    xml: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Persistence(Protocol):
    def load(self) -> list[Registration]: ...
    def save(self, reg: Registration) -> None: ...
    def clear(self) -> None: ...


class Store:
    def __init__(self, mark_base: int, persistence: Persistence | None = None) -> None:
        self._mark_base = mark_base
        self._persistence = persistence
        self._reset_memory()
        for reg in persistence.load() if persistence else []:
            self._index(reg)
        # MARKs are never reused, also across restarts when a file is kept.
        start = max([mark_base, *(m + 1 for m in self._marks)])
        self._next_mark = itertools.count(start)

    def _reset_memory(self) -> None:
        self._by_uid: dict[str, Registration] = {}
        self._by_mark: dict[int, Registration] = {}
        self._marks: list[int] = []  # sorted, for "MARK greater than" paging
        self.accepted: Counter[str] = Counter()
        self.duplicates: Counter[str] = Counter()

    def _index(self, reg: Registration) -> None:
        self._by_uid[reg.uid] = reg
        self._by_mark[reg.mark] = reg
        bisect.insort(self._marks, reg.mark)
        self.accepted[reg.uid] += 1

    def allocate_mark(self) -> int:
        return next(self._next_mark)

    def register(self, reg: Registration) -> None:
        self._index(reg)
        if self._persistence:
            self._persistence.save(reg)

    def by_uid(self, uid: str) -> Registration | None:
        return self._by_uid.get(uid)

    def by_mark(self, mark: int) -> Registration | None:
        return self._by_mark.get(mark)

    def note_duplicate(self, uid: str) -> None:
        self.duplicates[uid] += 1

    def after_mark(self, mark: int) -> Iterator[Registration]:
        """Registrations with a MARK greater than ``mark``, in MARK order."""
        start = bisect.bisect_right(self._marks, mark)
        for m in self._marks[start:]:
            yield self._by_mark[m]

    def reset(self) -> None:
        """Forget everything (tests). MARKs keep increasing: a MARK is never handed out twice."""
        self._reset_memory()
        if self._persistence:
            self._persistence.clear()
