"""The resend list (ADMIN-8): every customer's invoices still without an authentication string
from myDATA; resend one, resend all with progress."""
