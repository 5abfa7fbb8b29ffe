"""The delivery reports domain: the SMS gateway's callbacks, stored and applied once."""
