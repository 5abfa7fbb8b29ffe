"""notifier: sends each requested SMS and e-mail once (SPEC NOTE-1) — recorded before any
attempt, retried on transient failures, never resent blindly after an ambiguous one
(docs/adr/0008-notifier.md, docs/runbooks/notifications.md)."""
