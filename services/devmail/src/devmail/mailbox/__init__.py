"""The SMTP server that keeps every e-mail it accepts (aiosmtpd, in the app's event loop)."""
