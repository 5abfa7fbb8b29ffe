"""The API call log (ADMIN-9): the per-user switch, the calls the gateway recorded while it was
on (read by operators only), and their purge after ``EINV_API_CALL_LOG_DAYS``."""
