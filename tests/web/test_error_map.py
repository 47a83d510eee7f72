"""Every error class says which problem it is; the API answers exactly that, and a fault reveals nothing.

The walk below imports every module of gardien and collects every subclass
of ``GardienError``: a class added anywhere without its own ``problem``, or
outside ``gardien.errors``, or missing from the tree its docstring draws,
fails here. Each is then raised through a real FastAPI app with gardien's
handlers, so the status, the media type and the shape are those a client sees.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

import gardien
import gardien.errors as errors_module
from gardien.auth import Role
from gardien.errors import PROBLEM_TYPES, GardienError, Problem
from gardien.web.faults import ContainFaults
from gardien.web.problems import PROBLEM_MEDIA_TYPE, install_problem_handlers

SECRET = "alice@example.com at /srv/gardien/keys/gardien.key"
DOCS_API = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def _all_error_classes() -> list[type[GardienError]]:
    for module in pkgutil.walk_packages(gardien.__path__, "gardien."):
        if ".migrations." in module.name or module.name.endswith("__main__"):
            continue  # Alembic scripts run inside Alembic; __main__ runs the command
        importlib.import_module(module.name)
    found: list[type[GardienError]] = []
    pending: list[type[GardienError]] = [GardienError]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return sorted(found, key=lambda c: c.__name__)


CLASSES = _all_error_classes()


def _instance(cls: type[GardienError]) -> GardienError:
    """An instance of ``cls`` whose message is ``SECRET``, whatever its constructor."""
    if issubclass(cls, errors_module.DeclarationFileError):
        return cls(SECRET, SECRET)  # type: ignore[call-arg]
    if issubclass(cls, errors_module.DeclarationError):
        return cls([Problem(SECRET, 1, 1, SECRET)])  # type: ignore[call-arg]
    if issubclass(cls, errors_module.UnknownPurpose):
        error = cls("newsletter", ("service",))  # type: ignore[call-arg]
        error.message = SECRET
        return error
    return cls(SECRET)


def test_the_tree_drawn_in_errors_py_is_the_tree_that_exists() -> None:
    drawn = set(
        re.findall(
            r"(\w+Error|\w+NotFound|UnknownPurpose)\s+\(\d{3}\)", errors_module.__doc__ or ""
        )
    )
    assert {"GardienError", "StoreError", "SubjectNotFound", "UnknownEventError"} <= drawn
    assert drawn == {cls.__name__ for cls in CLASSES}


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_error_class_names_its_own_problem(cls: type[GardienError]) -> None:
    assert cls.__module__ == "gardien.errors", (
        f"{cls.__name__} is defined in {cls.__module__}: define it in gardien/errors.py, "
        "in its place in the tree"
    )
    assert "problem" in cls.__dict__, (
        f"{cls.__name__} inherits its problem type: set `problem = …` in its body, "
        "so that its HTTP status is a decision, not an accident"
    )
    assert PROBLEM_TYPES[cls.problem.slug] is cls.problem
    drawn = re.search(rf"\b{cls.__name__}\s+\((\d{{3}})\)", errors_module.__doc__ or "")
    assert drawn is not None, f"{cls.__name__} is missing from the tree in errors.py"
    assert int(drawn.group(1)) == cls.problem.status


@pytest.fixture(scope="module")
def raising_client() -> TestClient:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/raise/{name}")
    def raise_it(name: str) -> None:
        raise _instance(next(cls for cls in CLASSES if cls.__name__ == name))

    @app.get("/crash")
    def crash() -> None:
        raise ValueError(SECRET)

    app.add_middleware(ContainFaults)
    return TestClient(app)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_the_api_answers_each_error_with_its_problem(
    raising_client: TestClient, cls: type[GardienError]
) -> None:
    response = raising_client.get(f"/raise/{cls.__name__}")
    kind = cls.problem
    assert response.status_code == kind.status
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    body = response.json()
    assert body["type"] == kind.uri and body["title"] == kind.title
    assert body["status"] == kind.status and body["instance"] == f"/raise/{cls.__name__}"
    if kind.status >= 500:
        assert SECRET not in response.text and "alice" not in response.text
        if kind.status == 503:
            assert int(response.headers["retry-after"]) > 0
    else:
        assert body["detail"] == SECRET


def test_an_unknown_exception_is_a_500_that_reveals_nothing(
    raising_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        response = raising_client.get("/crash")  # the client re-raises what reaches the server
    assert response.status_code == 500
    assert response.json()["type"] == "/problems/internal-error"
    assert "alice" not in response.text and "ValueError" not in response.text
    assert "alice" not in caplog.text and "ValueError at /crash" in caplog.text


def test_the_real_app_contains_a_fault_and_logs_no_personal_text(
    client: TestClient,
    auth: Callable[[Role], dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise KeyError(SECRET)  # e.g. a lookup keyed by what the request carried

    monkeypatch.setattr("gardien.web.api.audit_log.read_page", broken)
    with caplog.at_level(logging.DEBUG):
        response = client.get("/api/v1/audit", headers=auth(Role.DPO))
    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    assert "alice" not in response.text and "alice" not in caplog.text


def test_docs_list_every_problem_type_with_its_status() -> None:
    rows = re.findall(
        r"^\| (\d{3}) \| `([a-z-]+)` \| (.*) \|$", DOCS_API.read_text("utf-8"), re.MULTILINE
    )
    # A row may end with a link to where the docs say more: "… ([roles.md](roles.md#x))".
    documented = {
        slug: (int(status), re.sub(r" \(\[[^]]+\]\([^)]+\)\)$", "", when))
        for status, slug, when in rows
    }
    assert documented == {slug: (kind.status, kind.when) for slug, kind in PROBLEM_TYPES.items()}


@pytest.mark.parametrize("status", [400, 401, 403, 404, 405, 408, 413, 415])
def test_a_framework_http_error_keeps_its_status(status: int) -> None:
    """Starlette and FastAPI raise HTTPException (a body they cannot parse is their 400):
    the problem answered has that status, not the 422 of a body that does not fit."""
    from starlette.exceptions import HTTPException

    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/fail")
    def fail() -> None:
        raise HTTPException(status, "There was an error parsing the body")

    response = TestClient(app).get("/fail")
    assert response.status_code == status
    assert PROBLEM_TYPES[response.json()["type"].removeprefix("/problems/")].status == status
