"""The whole platform for end-to-end tests and benchmarks: every service's real app, wired by
URL on throwaway databases and a RabbitMQ vhost of its own (``harness.platform``), and its pytest
fixture (``harness.fixtures``).

It lives beside the tests, not in ``libs/``: it imports every service, and libraries never do.
"""
