"""mydata-sync's own view of a finished transmission (the transmit RPC's request and answer are
cross-service contracts: ``contracts.InvoiceSubmitted`` in, an outcome ``Envelope`` out)."""

from __future__ import annotations

from contracts.resend import VisibleState

__all__ = ["VisibleState", "visible_state"]


def visible_state(state: str) -> VisibleState:
    """What outsiders see: in flight or pending reads as deferred (no MARK yet)."""
    if state == "transmitted":
        return "transmitted"
    if state == "rejected":
        return "rejected"
    return "deferred"
