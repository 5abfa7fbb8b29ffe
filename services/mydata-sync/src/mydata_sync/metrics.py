"""Prometheus metrics of mydata-sync (served by kit's ``/metrics``)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

from mydata_sync.breaker import BreakerState

TRANSMISSIONS = Counter(
    "mydata_transmissions_total",
    "Transmission attempts by outcome",
    ["outcome"],
)
MYDATA_LATENCY = Histogram(
    "mydata_request_duration_seconds",
    "myDATA provider API call latency",
    ["method"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20),
)
DEFERRED_BACKLOG = Gauge(
    "mydata_deferred_backlog",
    "Transmissions waiting for a retry (state deferred)",
)
BREAKER_STATE = Gauge(
    "mydata_circuit_state",
    "myDATA circuit breaker: 0 closed, 1 half-open, 2 open",
)
AUTH_FAILURES = Counter(
    "mydata_auth_failures_total",
    "myDATA refused our provider credentials (HTTP 401): fix EINV_MYDATA_USER_ID/KEY",
)


def breaker_changed(state: BreakerState) -> None:
    BREAKER_STATE.set(int(state))
