"""Private implementation of ``kit.messaging``; import from ``kit.messaging`` instead."""
