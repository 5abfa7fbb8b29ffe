"""The messages domain: recording requested messages, sending them, on-call's views and resend."""
