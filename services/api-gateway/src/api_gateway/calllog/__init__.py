"""The API call log (ADMIN-9): while an operator has it on for a customer, that customer's calls
(time, method, path, status, latency, request id, request and response bodies) go to the
catalog's ``api_calls``, written off the request path in batches. The flag comes with the token
status the gateway already caches, so a customer with the log off costs one boolean test."""
