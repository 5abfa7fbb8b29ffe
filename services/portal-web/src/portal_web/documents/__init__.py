"""One invoice as a printed document (PORTAL-4, -6, -10): what it shows, its QR code, its PDF.
Used by the public search, the customer's and the auditor's views alike."""
