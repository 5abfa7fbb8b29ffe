"""What README.md says: the quick start's code blocks and the services' default ports.

Parsed, not copied, so that the test runs whatever the README says today.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
_FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.DOTALL | re.MULTILINE)
_START = "make run"


@dataclass(frozen=True, slots=True)
class QuickStart:
    start_command: str  # the `make run` line, comment included, as a reader would paste it
    demo_blocks: list[str]  # every block with a curl command, in README order


def readme_text() -> str:
    return (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str, text: str | None = None) -> str:
    """The body of ``## <title>`` up to the next ``## `` heading."""
    text = readme_text() if text is None else text
    marker = f"\n## {title}\n"
    if marker not in text:
        raise AssertionError(f"README.md has no '## {title}' section")
    return text.split(marker, 1)[1].split("\n## ", 1)[0]


def quick_start() -> QuickStart:
    blocks = _FENCE.findall(section("Quick start"))
    starts = [
        line.strip()
        for block in blocks
        for line in block.splitlines()
        if line.strip().startswith(_START)
    ]
    demos = [block for block in blocks if "curl " in block]
    assert len(starts) == 1, f"the quick start should show one `{_START}` line: {starts}"
    assert demos, "the quick start shows no curl command to try"
    return QuickStart(starts[0], demos)


def procfile_names() -> list[str]:
    lines = (REPO_ROOT / "Procfile").read_text(encoding="utf-8").splitlines()
    return [line.split(":", 1)[0].strip() for line in lines if re.match(r"^[\w-]+:", line)]


# Another port in a row's variables cell: "`EINV_DEVMAIL_SMTP_PORT` 2525".
_OTHER_PORT = re.compile(r"`(EINV_\w+_PORT)` (\d+)")


def default_ports() -> dict[str, int]:
    """Port of every service `make run` starts (Procfile), from README's service table, and the
    other ports a row names (devmail's SMTP server: "`EINV_DEVMAIL_SMTP_PORT` 2525")."""
    table: dict[str, int] = {}
    extra: dict[str, int] = {}
    for line in section("Services").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) > 2 and cells[1].isdigit():
            table[cells[0]] = int(cells[1])
            for variable, port in _OTHER_PORT.findall(cells[2]):
                extra[variable] = int(port)
    started = procfile_names()
    unlisted = [name for name in started if name not in table]
    assert not unlisted, f"README's service table lacks the Procfile's {unlisted}"
    return {name: table[name] for name in started} | extra
