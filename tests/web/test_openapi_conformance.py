"""The published OpenAPI document is the truth: schemathesis fuzzes every operation with it.

Each operation gets a bounded number of generated requests, valid ones and
invalid ones (schemathesis's positive and negative modes), with an admin
key, through the in-process app. Any 5xx, any status the document does not
list for the operation, a wrong media type or a body that does not match the
documented schema fails the build. Operations are taken from the app's own
routes, so a new endpoint is fuzzed without anyone adding it here.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from gardien.auth import Role
from gardien.web.app import api_endpoints

Auth = Callable[[Role], dict[str, str]]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
#: Generated requests per operation: enough to meet each documented error, bounded for CI.
EXAMPLES = 30


@pytest.mark.parametrize("mode", list(GenerationMode), ids=str)
@pytest.mark.parametrize("endpoint", api_endpoints(), ids=lambda e: f"{e.method} {e.path}")
def test_every_operation_answers_as_documented(
    client: TestClient, auth: Auth, endpoint: object, mode: GenerationMode
) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", client.app)
    method, path = str(endpoint.method), str(endpoint.path)  # type: ignore[attr-defined]
    operation = schema.find_operation_by_path(method, path)
    assert operation is not None, f"{method} {path} is missing from the OpenAPI document"
    headers = auth(Role.ADMIN)

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def fuzz(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    fuzz()


def test_the_document_lists_problems_and_the_declarations_values(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    purposes = sorted(runtime.declaration.purposes)
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            statuses = set(operation["responses"])
            assert {"401", "403", "422", "429", "500", "503"} <= statuses, (method, path)
            if method == "post":
                assert {"400", "408", "413", "415"} <= statuses, (method, path)
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    media = response["content"]["application/problem+json"]["schema"]
                    assert media == {"$ref": "#/components/schemas/Problem"}
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    check = schemas["CheckIn"]["properties"]
    assert check["purpose"]["enum"] == purposes
    assert "email" in check["identity"]["description"]
    assert schemas["ConsentIn"]["properties"]["channel"]["$ref"].endswith("/Channel")
