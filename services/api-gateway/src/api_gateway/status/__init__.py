"""``GET /status``: the platform's and myDATA's state as ERPs show it to their users."""
