"""Fleet operations over every tenant database."""
