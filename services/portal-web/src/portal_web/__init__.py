"""portal-web: the customers' portal (seed 001, SPEC PORTAL-1…11), server-rendered in Greek and
English. It owns no data: tenant-admin, invoice-service and mydata-sync answer its internal calls
(``contracts.portal``)."""
