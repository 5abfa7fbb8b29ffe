"""``/admin-app/connection-loss-notices``: notices whose invoice has not arrived in time."""
