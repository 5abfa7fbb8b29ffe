"""The SMS provider stand-in, speaking Infobip's HTTP dialect (send, logs, delivery reports)."""
