"""``/_admin``: fault switches, what was received (JSON) and reset; dev and tests only."""
