"""Prometheus metrics of the webhooks service (served by kit's ``/metrics``)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

ATTEMPTS = Counter(
    "webhooks_delivery_attempts_total",
    "Delivery attempts by outcome (delivered, retry, failed)",
    ["outcome"],
)
LATENCY = Histogram(
    "webhooks_delivery_seconds",
    "How long receivers took to answer (or to fail)",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15),
)
RECORDED = Counter(
    "webhooks_events_total",
    "Events consumed by what they did (recorded: deliveries made; ignored_or_duplicate: no "
    "endpoint chose them, or they were recorded before)",
    ["result"],
)
DELIVERIES = Gauge(
    "webhooks_deliveries",
    "Deliveries by state (a growing pending count: docs/runbooks/webhooks.md)",
    ["state"],
)
