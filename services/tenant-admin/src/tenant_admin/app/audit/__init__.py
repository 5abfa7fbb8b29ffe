"""The audit trail, viewable and filterable: operator, action, user, date range."""
