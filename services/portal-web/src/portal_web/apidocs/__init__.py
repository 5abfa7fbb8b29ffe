"""``/api/openapi.json`` and ``/api/postman-collection.json`` (SPEC API-11): the ERP API's live
documentation, as the gateway describes itself, and the same as a Postman collection."""
