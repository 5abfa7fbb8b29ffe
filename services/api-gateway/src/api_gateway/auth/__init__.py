"""Who is calling: bearer verification, the token status cache, internal tokens."""
