"""The delivery reports domain: the SMS provider's callbacks, stored and applied once."""
