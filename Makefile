# Developer entry points. Every target works from a fresh clone on Debian/Ubuntu: tools a target
# needs are installed when running as root, else the command to run is printed
# (scripts/ensure-services.sh for PostgreSQL/RabbitMQ, scripts/ensure-tools.sh for the rest).
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV ?= .venv
BIN := $(VENV)/bin
# Shared documents (SPEC, DESIGN, AADE's XSDs) live beside the repository unless told otherwise.
export EINV_SHARED_DIR ?= $(abspath $(CURDIR)/../shared)

.PHONY: help services install run test faults fuzz audit lint typecheck pytest fmt deploy-check clean bench

help: ## Show this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

services: ## Check (and start or install) local PostgreSQL and RabbitMQ
	@scripts/ensure-services.sh

install: ## Create .venv and install every package editable (skipped when unchanged)
	@scripts/setup.sh

run: ## Start everything locally with a demo customer (Ctrl-C stops all)
	@scripts/run.sh

test: services install lint typecheck ## Lint, type-check, deploy/, audit, suite, faults, quick start
	@scripts/deploy-check.sh --optional
	@scripts/audit-deps.sh --optional
	@scripts/test.sh

faults: services install ## Fault scenarios, full outages, several seeded runs each (alone!)
	@EINV_FAULT_SCALE=full EINV_FAULT_ITERATIONS=$${EINV_FAULT_ITERATIONS:-3} scripts/faults.sh $(ARGS)

fuzz: services install ## Every API fuzzed longer (EINV_FUZZ_EXAMPLES, default 100 per operation)
	@EINV_FUZZ_EXAMPLES=$${EINV_FUZZ_EXAMPLES:-100} $(BIN)/python -m pytest tests/security/test_fuzz.py \
		-p no:xdist -q -s --timeout=3600

audit: install ## Pinned packages against known vulnerabilities (pip-audit; needs its service)
	@scripts/audit-deps.sh

lint: install ## ruff check + ruff format --check + lint-imports (architecture contracts)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: install ## mypy --strict over every package under libs/ and services/
	@scripts/typecheck.sh

pytest: services install ## Only the test suite (make pytest ARGS="-k readyz")
	@scripts/test.sh $(ARGS)

fmt: install ## Format and auto-fix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

deploy-check: ## Validate deploy/compose.yaml (docker compose config)
	@scripts/deploy-check.sh

bench: services install ## Benchmarks vs bare baselines (~10 min; make bench ARGS="--only T1")
	@scripts/ensure-tools.sh wrk
	$(BIN)/pip install -q -r bench/requirements.txt -c constraints.txt
	$(BIN)/python -m bench.platform.run $(ARGS)

clean: ## Remove caches and local run state (.run/); keeps .venv
	rm -rf .mypy_cache .ruff_cache .pytest_cache .run
	rm -f $(VENV)/.einv-install-stamp
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
