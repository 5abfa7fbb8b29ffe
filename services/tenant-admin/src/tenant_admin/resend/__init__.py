"""The operators' resend list (ADMIN-8) as the admin app runs it: resend one, and "resend all"
as a background job that goes on past failures and keeps a progress record the page polls."""
