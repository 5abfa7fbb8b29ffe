"""The outside systems a message goes through: SMTP (``email``) and an SMS provider behind a
provider-agnostic interface (``sms``; the one dialect spoken: ``infobip``). Each ``send``
reports one ``SendOutcome``; none of them touches the database."""
