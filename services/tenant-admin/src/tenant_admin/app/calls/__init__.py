"""A user's API call log (ADMIN-9): the switch, the calls with filters, one call's bodies."""
