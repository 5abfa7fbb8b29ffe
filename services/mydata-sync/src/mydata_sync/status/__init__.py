"""What the platform sees of myDATA: the circuit, the last answers, the backlog (``/status``)."""
