"""The messaging exception hierarchy (documented in ``kit.messaging``)."""

from __future__ import annotations


class MessagingError(Exception):
    """Base of every error ``kit.messaging`` raises itself."""


class PublishFailed(MessagingError):
    """The broker did not confirm a publish: nacked, returned as unroutable, timed out or the
    connection was lost. The message may or may not have reached a queue (a lost confirm is not
    a refusal), so callers retry and consumers dedupe."""


class HandlerError(Exception):
    """Base of the errors a message handler raises to choose what happens to the message."""


class RetryableError(HandlerError):
    """A temporary failure (a dependency is down): try again after the next retry tier's delay;
    once the tiers are used up the message goes to the dead-letter queue."""


class PermanentError(HandlerError):
    """The message can never succeed (invalid, refers to nothing): straight to the DLQ."""
