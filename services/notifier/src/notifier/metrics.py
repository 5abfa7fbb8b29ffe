"""Prometheus metrics of the notifier (served by kit's ``/metrics``)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge

SENDS = Counter(
    "notifier_send_attempts_total",
    "Send attempts by channel and outcome (accepted, retry, failed, unknown)",
    ["channel", "outcome"],
)
REPORTS = Counter(
    "notifier_delivery_reports_total",
    "SMS delivery reports by what they did (applied, ignored, duplicate, unmatched)",
    ["result"],
)
STATUS_CHECKS = Counter(
    "notifier_sms_status_checks_total",
    "Look-ups of unknown SMS at the SMS provider by answer (found, not_found, no_answer)",
    ["answer"],
)
MESSAGES = Gauge(
    "notifier_messages",
    "Messages by state (unknown and failed ones wait for on-call: docs/runbooks/notifications.md)",
    ["state"],
)
INVOICE_EMAILS = Gauge(
    "notifier_invoice_emails",
    "Transmitted invoices by how far their e-mail got (resolving, queued, skipped, failed)",
    ["state"],
)
RESOLUTIONS = Counter(
    "notifier_invoice_email_resolutions_total",
    "Attempts to turn a transmitted invoice into its e-mail, by outcome (queued, skipped, "
    "retry, failed)",
    ["outcome"],
)
