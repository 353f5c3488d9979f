"""Every operation of the REST API, asked by the anonymous public: 401 unless explicitly public.

Operations are enumerated from the live OpenAPI document, so a new endpoint is covered the day it lands;
one that is public by accident (``auth=None``) fails here until it is added to ``PUBLIC_OPERATIONS``
with a reason.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

# (method, path template) → why anyone may call it. Keep this short: SPEC §1 gives the public the
# portal (published reports and disclosure-controlled aggregates) and nothing else.
PUBLIC_OPERATIONS: dict[tuple[str, str], str] = {}

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
PARAM = re.compile(r"\{(\w+)\}")


def _operations(client: Any) -> list[tuple[str, str, dict[str, Any]]]:
    document = client.get("/api/openapi.json").json()
    found = []
    for path, item in document["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                found.append((method, path, item[method]))
    return found


def _concrete(path: str, operation: dict[str, Any]) -> str:
    """The path with every parameter filled by a value of its declared type (1 for integers)."""
    types = {
        p["name"]: p.get("schema", {}).get("type", "string")
        for p in operation.get("parameters", [])
        if p.get("in") == "path"
    }
    return PARAM.sub(lambda m: "1" if types.get(m.group(1)) == "integer" else "x", path)


@pytest.mark.django_db
def test_the_openapi_document_lists_operations_of_the_domain_apps(client, kunshan_plan):
    paths = {path for _method, path, _op in _operations(client)}
    assert len(paths) > 20
    assert any(path.startswith("/api/enterprises") for path in paths)


@pytest.mark.django_db
def test_an_anonymous_request_gets_401_from_every_operation_but_the_public_ones(client, kunshan_plan):
    wrong = []
    for method, path, operation in _operations(client):
        url = _concrete(path, operation)
        response = (
            getattr(client, method)(url, content_type="application/json")
            if method != "get"
            else (client.get(url))
        )
        expected = 200 if (method, path) in PUBLIC_OPERATIONS else 401
        if response.status_code != expected:
            wrong.append(f"{method.upper()} {url}: {response.status_code}, expected {expected}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_the_schema_marks_exactly_the_declared_public_operations_as_needing_no_authentication(
    client, kunshan_plan
):
    operations = {(method, path): op for method, path, op in _operations(client)}
    stale = sorted(set(PUBLIC_OPERATIONS) - set(operations))
    assert not stale, f"declared public but no longer in the API: {stale}"
    unsecured = sorted(key for key, op in operations.items() if not op.get("security"))
    assert unsecured == sorted(PUBLIC_OPERATIONS), f"operations without authentication: {unsecured}"
