"""The operators' resend list (SPEC ADMIN-8): deferred transmissions of every customer."""
