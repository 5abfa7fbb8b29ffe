"""How a delivery is signed, and how a receiver checks it (README's "Webhooks").

``Webhook-Signature: v1=<hex> [v1=<hex>]``: HMAC-SHA256 with the endpoint's secret (its UTF-8
bytes) over ``<Webhook-Timestamp>.<body>``, one ``v1=`` per valid secret, newest first and
space-separated (a verifier also accepts commas). The timestamp is in the signed text, so a
captured delivery cannot be replayed with a new timestamp; receivers refuse old timestamps.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping, Sequence

SCHEME = "v1"
SECRET_PREFIX = "whsec_"
# Receivers refuse a timestamp further than this from their clock (a replay, or a bad clock).
DEFAULT_TOLERANCE_S = 300
ID_HEADER = "Webhook-Id"
TIMESTAMP_HEADER = "Webhook-Timestamp"
SIGNATURE_HEADER = "Webhook-Signature"


def new_secret() -> str:
    """A fresh signing secret: 32 random bytes, URL-safe text with a recognisable prefix."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"{SCHEME}={digest}"


def signed_headers(
    event_id: str, body: bytes, valid_secrets: Sequence[str], timestamp: int | None = None
) -> dict[str, str]:
    """Every header of one attempt: a new timestamp each time, one signature per secret."""
    stamp = int(time.time()) if timestamp is None else timestamp
    return {
        "Content-Type": "application/json",
        ID_HEADER: event_id,
        TIMESTAMP_HEADER: str(stamp),
        SIGNATURE_HEADER: " ".join(signature(s, stamp, body) for s in valid_secrets),
    }


def verify(
    secret: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    tolerance_s: int = DEFAULT_TOLERANCE_S,
    now: float | None = None,
) -> bool:
    """True when one of the delivery's signatures was made with ``secret`` over this body and
    timestamp, and the timestamp is within ``tolerance_s`` of ``now``. ``headers`` must look
    names up without regard to case, as every HTTP framework's do."""
    stamp = headers.get(TIMESTAMP_HEADER, "")
    if not stamp.isdigit():
        return False
    if abs((time.time() if now is None else now) - int(stamp)) > tolerance_s:
        return False
    expected = signature(secret, int(stamp), body)
    given = headers.get(SIGNATURE_HEADER, "").replace(",", " ").split()
    return any(hmac.compare_digest(expected, candidate) for candidate in given)
