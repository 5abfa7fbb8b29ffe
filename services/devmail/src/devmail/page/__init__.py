"""The one page listing every e-mail and SMS the stand-ins received."""
