"""Queue consumers of the notifier."""
