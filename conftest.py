"""Workspace-wide pytest plugins: the test kit's fixtures for real PostgreSQL and RabbitMQ."""

pytest_plugins = [
    "testkit.pg_fixtures",
    "testkit.amqp_fixtures",
    "testkit.pg_instance_fixtures",
]
