"""A Postman collection (v2.1) made from an OpenAPI document (SPEC API-11), so that the two can
never disagree: the portal offers the gateway's live OpenAPI as a collection to download.

Every operation becomes one request in a folder named after its first tag, with the bearer token
and the base URL as collection variables (``{{baseUrl}}``, ``{{token}}``), path parameters as
Postman's ``:name`` variables, documented query parameters listed (disabled unless required),
and a JSON body from the operation's example when it has one.
"""

from __future__ import annotations

import json
import re
from typing import Any

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
METHODS = ("get", "post", "put", "patch", "delete")
_PATH_PARAM = re.compile(r"\{([^}/]+)\}")


def postman_collection(openapi: dict[str, Any], base_url: str) -> dict[str, Any]:
    info = openapi.get("info", {})
    folders: dict[str, list[dict[str, Any]]] = {}
    for path, operations in openapi.get("paths", {}).items():
        for method in METHODS:
            operation = operations.get(method)
            if operation is not None:
                tag = (operation.get("tags") or ["api"])[0]
                folders.setdefault(tag, []).append(_request(path, method, operation))
    return {
        "info": {
            "name": info.get("title", "API"),
            "description": info.get("description", ""),
            "version": info.get("version", ""),
            "schema": SCHEMA,
        },
        "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "{{token}}"}]},
        "variable": [
            {"key": "baseUrl", "value": base_url.rstrip("/")},
            {"key": "token", "value": ""},
        ],
        "item": [{"name": tag, "item": items} for tag, items in folders.items()],
    }


def _request(path: str, method: str, operation: dict[str, Any]) -> dict[str, Any]:
    postman_path = _PATH_PARAM.sub(r":\1", path)
    parameters = operation.get("parameters", [])
    url: dict[str, Any] = {
        "raw": "{{baseUrl}}" + postman_path,
        "host": ["{{baseUrl}}"],
        "path": [p for p in postman_path.split("/") if p],
    }
    query = [_query(p) for p in parameters if p.get("in") == "query"]
    if query:
        url["query"] = query
    variables = [{"key": p["name"], "value": ""} for p in parameters if p.get("in") == "path"]
    if variables:
        url["variable"] = variables
    request: dict[str, Any] = {
        "method": method.upper(),
        "url": url,
        "description": operation.get("description", ""),
        "header": [],
    }
    body = _body(operation)
    if body is not None:
        request["header"].append({"key": "Content-Type", "value": "application/json"})
        request["body"] = {"mode": "raw", "raw": body, "options": {"raw": {"language": "json"}}}
    return {"name": operation.get("summary") or f"{method.upper()} {path}", "request": request}


def _query(parameter: dict[str, Any]) -> dict[str, Any]:
    return {
        "key": parameter["name"],
        "value": "",
        "description": parameter.get("description", ""),
        "disabled": not parameter.get("required", False),
    }


def _body(operation: dict[str, Any]) -> str | None:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return None
    example = content.get("example")
    if example is None:
        examples = content.get("examples") or {}
        first = next(iter(examples.values()), None)
        example = first.get("value") if isinstance(first, dict) else None
    return json.dumps(example if example is not None else {}, ensure_ascii=False, indent=2)
