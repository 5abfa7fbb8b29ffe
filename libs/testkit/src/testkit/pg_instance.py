"""A private PostgreSQL server for tests that need more than one (e.g. tenant placement).

``PgInstance`` runs ``initdb`` into a temporary directory and starts the server on a free port
with trust authentication, a small memory footprint and its unix socket inside that directory;
``stop()`` shuts it down and deletes everything. The binaries are found at run time
(``EINV_PG_BINDIR``, else ``pg_config --bindir``, else the newest Debian-style install).
When the process runs as root the server runs as the ``postgres`` OS user, since PostgreSQL
refuses to run as root.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

SERVER_USER = "postgres"
# Small and unsafe on purpose: test data never needs to survive a crash. max_connections as a
# default PostgreSQL: invoice-service refuses to start when its pools could pass 80% of it.
_SERVER_OPTIONS = (
    "-c shared_buffers=16MB -c max_connections=100 -c fsync=off -c synchronous_commit=off"
    " -c full_page_writes=off -c listen_addresses=127.0.0.1"
)


class PgInstanceError(RuntimeError):
    pass


def find_bindir() -> Path:
    """Where ``initdb`` and ``pg_ctl`` live on this machine."""
    explicit = os.environ.get("EINV_PG_BINDIR")
    if explicit:
        return Path(explicit)
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        candidate = Path(out.stdout.strip())
        if out.returncode == 0 and (candidate / "initdb").exists():
            return candidate
    installs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)
    for candidate_dir in installs:
        if Path(candidate_dir, "initdb").exists():
            return Path(candidate_dir)
    raise PgInstanceError("initdb not found: set EINV_PG_BINDIR")


def _version_key(path: str) -> int:
    version = Path(path).parent.name
    return int(version) if version.isdigit() else 0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class PgInstance:
    """One throwaway server; ``start()`` returns its admin DSN (libpq form)."""

    def __init__(self, bindir: Path | None = None) -> None:
        self.bindir = bindir or find_bindir()
        self.root = Path(tempfile.mkdtemp(prefix="einv-pg-"))
        self.data = self.root / "data"
        self.port = 0
        self._as_server_user = os.geteuid() == 0

    @property
    def dsn(self) -> str:
        return f"postgresql://{SERVER_USER}@127.0.0.1:{self.port}/postgres"

    def start(self, attempts: int = 3) -> str:
        self._own_root()
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            SERVER_USER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
            "--no-instructions",
        )
        for _ in range(attempts):
            # The port may be taken between free_port() and the server's bind: try another.
            self.port = free_port()
            if self._pg_ctl_start():
                return self.dsn
        raise PgInstanceError(f"could not start PostgreSQL; see {self.root / 'server.log'}")

    def stop(self) -> None:
        if self.data.exists() and (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def _pg_ctl_start(self) -> bool:
        options = f"-p {self.port} -k {self.root} {_SERVER_OPTIONS}"
        log = str(self.root / "server.log")
        result = self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            log,
            "-w",
            "-t",
            "30",
            "start",
            check=False,
        )
        return result.returncode == 0

    def _own_root(self) -> None:
        if self._as_server_user:
            entry = pwd.getpwnam(SERVER_USER)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / tool), *args]
        if self._as_server_user:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if check and result.returncode != 0:
            raise PgInstanceError(f"{tool} failed: {result.stderr.strip() or result.stdout}")
        return result
