"""README's quick start, run as written: `make run`, the demo POST and GET, then Ctrl-C.

The commands come from README.md's "Quick start" code blocks (``readme.quick_start``), the ports
from its service table, so the check follows the README when it changes. `make run` starts from
the checkout in its own process group with the names honcho and container platforms set (PORT,
HOST, DATABASE_URL, ...) set to wrong values: the services read only their EINV_* names. The
curl blocks run with bash in the repository root; SIGINT to the group (what Ctrl-C does) must
leave no process behind and every default port free.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pytest

from testkit.ports import busy_ports

from . import procs, readme
from .readme import REPO_ROOT

# A fresh checkout also creates the virtualenv and installs every package inside `make run`.
READY_WITHIN_S = 300.0
# honcho gives the services 5 s after SIGTERM before SIGKILL; the rest is slack.
STOP_WITHIN_S = 30.0
CURL_TIMEOUT_S = 60.0
READY_LINE = "ready:"
MARK = re.compile(r"\d{15}")
STATUS = re.compile(r"HTTP (\d{3})")
# What process managers and platforms set for their own purposes; if a service read one of them
# it would listen elsewhere, connect elsewhere or refuse to start (prod without secrets).
BARE_NAMES = {
    "PORT": "5000",
    "HOST": "0.0.0.0",
    "BIND_HOST": "127.0.0.9",
    "DATABASE_URL": "postgresql://wrong@127.0.0.9/nope",
    "CATALOG_DSN": "postgresql+asyncpg://wrong@127.0.0.9/nope",
    "SYNC_DSN": "postgresql+asyncpg://wrong@127.0.0.9/nope",
    "AMQP_URL": "amqp://wrong:wrong@127.0.0.9:1/",
    "ENVIRONMENT": "prod",
    "LOG_LEVEL": "NOPE",
    "CREDENTIALS": "wrong:wrong",
    "PUBLIC_URL": "http://wrong.invalid",
    "DB_PATH": "/nonexistent/aade-sim.db",
    "MYDATA_BASE_URL": "http://127.0.0.9:1/myDataProvider",
    "INVOICE_SERVICE_URL": "http://127.0.0.9:1",
    "GATEWAY_PORT": "5001",
}
# A reader's terminal is not inside make: a parent make's flags must not reach `make run`.
MAKE_VARIABLES = {"MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES"}

pytestmark = pytest.mark.timeout(READY_WITHIN_S + 2 * STOP_WITHIN_S + 4 * CURL_TIMEOUT_S)


def say(message: str) -> None:
    print(f"quickstart: {message}", flush=True)


def quick_start_env() -> dict[str, str]:
    """This environment as a fresh shell has it (no EINV_ overrides but the shared-docs path,
    which the Makefile defaults to ../shared), plus the wrong bare names."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in MAKE_VARIABLES
        and (not name.startswith("EINV_") or name == "EINV_SHARED_DIR")
    }
    return env | BARE_NAMES


class MakeRun:
    """`make run` in its own process group; a thread collects its output."""

    def __init__(self, command: str, env: dict[str, str], log: IO[str]) -> None:
        self.log = log
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.proc = subprocess.Popen(
            ["bash", "-c", command], cwd=REPO_ROOT, env=env, text=True, start_new_session=True,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.pgid = self.proc.pid  # start_new_session: the shell leads a new group
        self.family: set[procs.Proc] = set()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            self.log.write(line)
            if line.startswith(READY_LINE):
                self.ready.set()

    def tail(self, count: int = 40) -> str:
        return "\n".join(self.lines[-count:])

    def wait_ready(self, within_s: float) -> None:
        deadline = time.monotonic() + within_s
        while not self.ready.wait(0.5):
            if self.proc.poll() is not None:
                pytest.fail(
                    f"make run exited ({self.proc.returncode}) before ready:\n{self.tail()}"
                )
            if time.monotonic() > deadline:
                pytest.fail(f"no '{READY_LINE}' line within {within_s:.0f} s:\n{self.tail()}")
        # Remembered now: honcho starts each service in a session of its own.
        self.family = procs.family(self.pgid)

    def interrupt(self, within_s: float) -> list[procs.Proc]:
        """Ctrl-C: SIGINT to the process group; what still runs after ``within_s``."""
        self.family |= procs.family(self.pgid)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pgid, signal.SIGINT)
        deadline = time.monotonic() + within_s
        while True:
            self.proc.poll()  # reap the shell, or it would count as left over
            left = procs.still_running(self.family, self.pgid)
            if not left or time.monotonic() > deadline:
                return left
            time.sleep(0.2)

    def kill_everything(self) -> None:
        """After a failure: nothing of this run may outlive the test."""
        left = self.interrupt(10.0)
        for proc in left:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(10)
        self.reader.join(10)  # the rest of the output, before the log file closes


@contextlib.contextmanager
def make_run(command: str, env: dict[str, str], log_path: Path) -> Iterator[MakeRun]:
    with log_path.open("w", encoding="utf-8") as log:
        run = MakeRun(command, env, log)
        try:
            yield run
        finally:
            run.kill_everything()


@dataclass(frozen=True, slots=True)
class Answer:
    block: str
    status: int
    body: dict[str, Any]

    @property
    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = self.body.get("data") or {}
        return data


def run_block(block: str, env: dict[str, str]) -> Answer:
    """One README code block, with bash in the repository root: status and JSON answer."""
    done = subprocess.run(
        ["bash", "-c", block], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
        timeout=CURL_TIMEOUT_S, check=False,
    )  # fmt: skip
    shown = f"{block}\nexit {done.returncode}\nstdout: {done.stdout}\nstderr: {done.stderr}"
    assert done.returncode == 0, shown
    status = STATUS.search(done.stderr)
    assert status, "README's curl commands print 'HTTP <status>' (-w '%{stderr}...'):\n" + shown
    try:
        body = json.loads(done.stdout)
    except ValueError:
        pytest.fail("not a JSON answer:\n" + shown)
    return Answer(block, int(status.group(1)), body)


def only(answers: list[Answer], marker: str) -> Answer:
    chosen = [a for a in answers if marker in a.block]
    assert len(chosen) == 1, f"the quick start should show one curl command with {marker!r}"
    return chosen[0]


def check_demo(answers: list[Answer]) -> None:
    issued = only(answers, "-X POST")
    assert issued.status == 200, issued.body
    mark = str(issued.data.get("mark"))
    assert MARK.fullmatch(mark), f"no 15-digit data.mark: {issued.body}"
    found = only(answers, "auth_code=")
    assert found.status == 200, found.body
    keys = ("mark", "uid", "authcode")
    assert [found.data.get(k) for k in keys] == [issued.data.get(k) for k in keys], found.body
    say(f"POST → 200, MARK {mark}; GET ?auth_code=… → 200, the same invoice")


def test_readme_quick_start_runs_as_written(tmp_path: Path) -> None:
    quick, ports = readme.quick_start(), readme.default_ports()
    busy = busy_ports(ports)
    assert not busy, "the quick start needs the default ports:\n" + "\n".join(busy)
    env = quick_start_env()
    say(f"`{quick.start_command}` with {', '.join(f'{k}={v}' for k, v in BARE_NAMES.items())}")
    started = time.monotonic()
    with make_run(quick.start_command, env, tmp_path / "make-run.log") as run:
        run.wait_ready(READY_WITHIN_S)
        say(f"'{READY_LINE}' after {time.monotonic() - started:.1f} s; ports {ports}")
        check_demo([run_block(block, env) for block in quick.demo_blocks])
        stopping = time.monotonic()
        left = run.interrupt(STOP_WITHIN_S)
        assert not left, f"still running {STOP_WITHIN_S:.0f} s after SIGINT: " + procs.describe(
            left
        )
        say(f"SIGINT: {len(run.family)} processes gone in {time.monotonic() - stopping:.1f} s")
    busy = busy_ports(ports)
    assert not busy, "after Ctrl-C:\n" + "\n".join(busy)
    say(f"ports {sorted(ports.values())} free; {time.monotonic() - started:.1f} s in all")
