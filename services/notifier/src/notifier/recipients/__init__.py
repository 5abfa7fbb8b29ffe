"""Each transmitted invoice e-mailed to its recipient, once (SPEC API-10, seed 002 ``einv00``;
docs/adr/0008-notifier.md, "Invoices e-mailed to their recipients")."""
