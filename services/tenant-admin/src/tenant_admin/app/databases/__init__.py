"""The customer's own database (ADMIN-6): «Δημιουργία» in the background with its progress,
«Επαναδημιουργία» only after the operator typed the username, both in the audit trail."""
