"""The SMS gateway stand-in, speaking Infobip's HTTP dialect (send, logs, delivery reports)."""
