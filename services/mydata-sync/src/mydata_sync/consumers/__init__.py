"""AMQP consumers of mydata-sync."""
