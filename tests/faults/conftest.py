"""Fault scenarios: each test gets its own platform of real processes (``testkit.procs``)."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator

import pytest

from testkit.procs import Platform

from .scenario import FaultConfig, Scenario, platform_options


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
