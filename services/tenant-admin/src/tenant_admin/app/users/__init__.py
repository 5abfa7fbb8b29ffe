"""Users (seed 000 «Χρήστες»): the list with search (ADMIN-2), a new user (ADMIN-3/4), editing
one (ADMIN-7), the password by SMS and the username by e-mail (ADMIN-5), the messages sent."""
