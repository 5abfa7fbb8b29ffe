"""devmail: the notifier's outside world in dev and tests — an SMTP server that keeps every
e-mail, an SMS provider speaking Infobip's HTTP dialect (docs/adr/0008-notifier.md) with fault
switches and delivery reports, and one page listing everything both received."""
