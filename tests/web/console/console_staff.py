"""Signed-in browsers for the console's tests (the accounts: ``conftest.py``)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from httpx2 import Response

from gardien.auth import Role

PASSWORD = "correct horse battery staple"
STAFF = {role: f"{role.value}@staff.example" for role in (Role.ADMIN, Role.DPO, Role.AGENT)}
_CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


def csrf_of(response: Response) -> str:
    found = _CSRF.search(response.text)
    assert found is not None, "the page has no CSRF field"
    return found.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> Response:
    """Sign ``client`` in through the login page's form; the answer (303 on success)."""
    page = client.get("/console/login?lang=en")
    return client.post(
        "/console/login?lang=en",
        data={"csrf": csrf_of(page), "email": email, "password": password},
        follow_redirects=False,
    )


def signed_in(client: TestClient, role: Role) -> str:
    """Sign in as the account of ``role``; the CSRF field of the browser's console pages."""
    answer = sign_in(client, STAFF[role])
    assert answer.status_code == 303, answer.text
    return csrf_of(client.get("/console/login?lang=en"))
