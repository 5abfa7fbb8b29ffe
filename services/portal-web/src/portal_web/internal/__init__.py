"""What portal-web serves other services: one invoice as the portal prints it, for its e-mail."""
