"""A user's packages (ADMIN-7, ADMIN-10): sell one, move its end, change its limit, with the
history of every change."""
