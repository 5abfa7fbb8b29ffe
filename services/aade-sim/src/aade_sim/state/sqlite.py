"""Optional SQLite mirror of the registrations (setting ``EINV_AADE_SIM_DB_PATH``).

Writes happen on the event loop on purpose: they must be ordered with the in-memory check that
makes a uid unique. With WAL and ``synchronous=NORMAL`` one insert of one row costs well under a
millisecond, which a simulator can afford.
"""

from __future__ import annotations

import sqlite3
from dataclasses import fields

from aade_sim.state.store import Registration

_COLUMNS = [f.name for f in fields(Registration)]
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS registrations ("
    + ", ".join(f"{c} {'INTEGER PRIMARY KEY' if c == 'mark' else 'TEXT'}" for c in _COLUMNS)
    + ")"
)


class SqlitePersistence:
    def __init__(self, path: str) -> None:
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)

    def load(self) -> list[Registration]:
        rows = self._db.execute(f"SELECT {', '.join(_COLUMNS)} FROM registrations ORDER BY mark")
        return [Registration(**dict(zip(_COLUMNS, row, strict=True))) for row in rows]

    def save(self, reg: Registration) -> None:
        marks = ", ".join("?" for _ in _COLUMNS)
        values = [getattr(reg, c) for c in _COLUMNS]
        self._db.execute(
            f"INSERT INTO registrations ({', '.join(_COLUMNS)}) VALUES ({marks})", values
        )

    def clear(self) -> None:
        self._db.execute("DELETE FROM registrations")

    def close(self) -> None:
        self._db.close()
