"""The operators' audit trail: every action in the admin app, who did it, on whose account, when
and from where (ADMIN-6's recreation included)."""
