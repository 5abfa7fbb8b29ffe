"""Fault scenarios: each test gets its own platform of real processes (``testkit.procs``).

They run only in the fault phase (``scripts/faults.sh`` sets ``EINV_FAULT_TESTS=1``): F1 stops the
local broker, which must never happen beside a parallel suite or another engineer's run.
"""

from __future__ import annotations

import os
import random
from collections.abc import AsyncIterator

import pytest

from testkit.procs import Platform

from .scenario import FaultConfig, Scenario, platform_options

if os.environ.get("EINV_FAULT_TESTS") != "1":
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture(scope="session")
def fault_config() -> FaultConfig:
    config = FaultConfig.from_env()
    scale = "full" if config.full else "short"
    print(f"\nfault tests: scale={scale} iterations={config.iterations} seed={config.seed}")
    return config


@pytest.fixture
async def platform() -> AsyncIterator[Platform]:
    async with Platform(platform_options()) as running:
        yield running


@pytest.fixture
def scenario(
    request: pytest.FixtureRequest, platform: Platform, fault_config: FaultConfig
) -> Scenario:
    # One random stream per test, derived from the printed seed: a failure replays exactly.
    rng = random.Random(f"{fault_config.seed}:{request.node.name}")
    return Scenario(request.node.name, platform, fault_config, rng)
