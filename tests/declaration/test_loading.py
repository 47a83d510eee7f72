"""Loading privacy.yaml: shape errors, all at once, each at FILE:LINE:COL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from gardien.declaration import Declaration, declaration_version, declared_content, load, validate
from gardien.declaration.values import Duration, DurationUnit
from gardien.errors import DeclarationError, DeclarationFileError

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def problems_of(path: Path) -> list[str]:
    with pytest.raises(DeclarationError) as caught:
        load(path)
    return [str(p) for p in caught.value.problems]


def line_of(path: Path, text: str) -> int:
    """1-based number of the first line of ``path`` containing ``text``."""
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def test_starter_loads_into_an_immutable_declaration(
    write_declaration: Callable[..., Path],
) -> None:
    declaration = load(write_declaration())
    assert declaration.controller.name == "Example SAS"
    assert declaration.purposes["newsletter"].legal_basis == "consent"
    assert declaration.retention["prospects"].duration == Duration(3, DurationUnit.YEARS)
    with pytest.raises(ValueError, match="frozen"):
        declaration.controller.name = "Other"  # type: ignore[misc]


def test_missing_file_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(DeclarationFileError) as caught:
        load(tmp_path / "absent.yaml")
    assert (
        str(caught.value)
        == f"{tmp_path / 'absent.yaml'}:1:1: no such file: check the path, or create one with `gardien init`"
    )


def test_directory_instead_of_file(tmp_path: Path) -> None:
    assert problems_of(tmp_path) == [
        f"{tmp_path}:1:1: this is a directory: give the path of its privacy.yaml"
    ]


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("controller:\n  name: Société\n".encode("latin-1"))
    [message] = problems_of(path)
    assert "not UTF-8 text" in message and "save the file as UTF-8" in message


def test_yaml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("controller:\n  name: X\n  address: [unclosed\npurposes: {}\n", "utf-8")
    [message] = problems_of(path)
    # Where the list opened (line 3), not where the parser gave up (line 4).
    assert message.startswith(f"{path}:3:12:")
    assert "YAML syntax error" in message
    assert "not closed on its line" in message and "close it with ]" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "the file is empty: start from `gardien init`"),
        ("# only a comment\n", "the file is empty: start from `gardien init`"),
        ("- a\n- b\n", "the top level must be a mapping of sections"),
        ("a: 1\na: 2\n", "duplicate key 'a'"),
    ],
)
def test_unusable_documents(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "privacy.yaml"
    path.write_text(content, "utf-8")
    [message] = problems_of(path)
    assert expected in message


def test_every_shape_error_is_reported_at_once(write_declaration: Callable[..., Path]) -> None:
    def break_three_things(data: dict) -> None:  # type: ignore[type-arg]
        data["controller"]["adress"] = data["controller"].pop("address")
        data["purposes"]["newsletter"]["legal_basis"] = "consnt"
        data["retention"]["logs"]["duration"] = "one year"

    path = write_declaration(break_three_things)
    messages = problems_of(path)
    assert len(messages) == 4
    assert (
        f'{path}:{line_of(path, "adress:")}:3: controller.adress: unknown key (did you mean "address"?)'
        in messages
    )
    assert any(
        m.startswith(f"{path}:{line_of(path, 'controller:')}:")
        and "controller.address: this key is required" in m
        for m in messages
    )
    assert any(
        f":{line_of(path, 'consnt')}:" in m
        and "purposes.newsletter.legal_basis: 'consnt' is not allowed (did you mean \"consent\"?)"
        in m
        for m in messages
    )
    assert any(
        f":{line_of(path, 'one year')}:" in m and '"30 days", "13 months" or "3 years"' in m
        for m in messages
    )


def test_unknown_key_without_close_match_lists_allowed_keys(
    write_declaration: Callable[..., Path],
) -> None:
    path = write_declaration(lambda d: d["rights"].update({"zzz": 1}))
    [message] = problems_of(path)
    assert (
        "rights.zzz: unknown key; allowed here: channels, contact_email, contact_url, extension"
        in message
    )


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda d: d["purposes"]["service"].update({"subjects": "customer"}),
            "purposes.service.subjects: expected a list, got str 'customer'",
        ),
        (
            lambda d: d["purposes"].update({"service": "text"}),
            "purposes.service: expected a mapping of keys, got str 'text'",
        ),
        (
            lambda d: d["purposes"]["service"].update({"direct_marketing": "maybe"}),
            "purposes.service.direct_marketing: expected true or false, got 'maybe'",
        ),
        (
            lambda d: d["notice"].update({"effective_date": "soon"}),
            "notice.effective_date: 'soon' is not a date; write YYYY-MM-DD",
        ),
        (
            lambda d: d["recipients"]["payments"].update({"country": "USA"}),
            "is not a country code: write its ISO 3166 two-letter code",
        ),
        (
            lambda d: d["purposes"]["service"].update({"legal_basis": ["contract", "consent"]}),
            "purposes.service.legal_basis: takes one value, not a list: a purpose has exactly one legal basis (Art. 6(1))",
        ),
        (
            lambda d: d["purposes"]["service"].update({"categories": []}),
            "purposes.service.categories: must list at least one entry",
        ),
        (
            lambda d: d["controller"].update({"email": "not-an-address"}),
            "controller.email: 'not-an-address' is not an e-mail address",
        ),
        (lambda d: d["retention"]["logs"].pop("duration"), "a retention rule needs a limit"),
        (
            lambda d: d["purposes"]["service"].update({"name": {}}),
            "purposes.service.name: a text needs at least one language: write {en: …}",
        ),
    ],
    ids=[
        "list",
        "mapping",
        "bool",
        "date",
        "country",
        "two-bases",
        "empty-list",
        "email",
        "no-limit",
        "text-needs-a-language",
    ],
)
def test_wrong_types_are_named(
    write_declaration: Callable[..., Path], mutate: Callable[[dict], None], expected: str
) -> None:  # type: ignore[type-arg]
    path = write_declaration(mutate)
    messages = problems_of(path)
    assert any(expected in m for m in messages), messages
    assert all(m.startswith(f"{path}:") for m in messages)


def test_inline_password_in_datastore_url_is_refused(
    write_declaration: Callable[..., Path],
) -> None:
    path = write_declaration(
        lambda d: d.update(
            datastores={"crm": {"url": "postgresql://app:s3cret@db/crm", "collections": {}}}
        )
    )
    [message] = problems_of(path)
    assert "this URL carries a password" in message and "{$env: VARIABLE_NAME}" in message
    assert "s3cret" not in message


def test_datastore_url_by_environment_reference(write_declaration: Callable[..., Path]) -> None:
    path = write_declaration(
        lambda d: d.update(
            datastores={"crm": {"url": {"$env": "CRM_DATABASE_URL"}, "collections": {}}}
        )
    )
    declaration = load(path)
    assert repr(declaration.datastores["crm"].url) == "EnvRef($CRM_DATABASE_URL)"


def test_yaml_11_booleans_stay_text(tmp_path: Path, write_declaration: Callable[..., Path]) -> None:
    # Norway's country code must not become `false`.
    path = write_declaration()
    text = path.read_text("utf-8").replace("country: DE", "country: NO")
    path.write_text(text, "utf-8")
    assert load(path).recipients["emailing"].country == "NO"


def test_validate_never_raises_on_bad_input(tmp_path: Path) -> None:
    report = validate(tmp_path / "absent.yaml")
    assert report.declaration is None and not report.ok and len(report.errors) == 1


def test_redaction_keep_terms_load_and_personal_ones_are_refused_at_their_line(
    write_declaration: Callable[..., Path],
) -> None:
    def keep(terms: list[str]) -> Callable[[dict], None]:  # type: ignore[type-arg]
        return lambda data: data.update(redaction={"keep": terms})

    assert load(write_declaration(keep(["Colissimo", "Gift Card"]))).redaction.keep == (
        "Colissimo",
        "Gift Card",
    )
    assert load(write_declaration()).redaction.keep == ()
    path = write_declaration(keep(["Colissimo", "contact@example.fr", "06 12 34 56 78"]))
    messages = problems_of(path)
    assert len(messages) == 2
    assert messages[0].startswith(f"{path}:{line_of(path, 'contact@example.fr')}:")
    assert "redaction.keep[1]: 'contact@example.fr' looks like an e-mail address" in messages[0]
    assert "redaction.keep[2]: '06 12 34 56 78' looks like" in messages[1]


def _declared_keys_within(content: object, written: object, path: str = "") -> list[str]:
    """Paths of ``content`` (mappings, recursively) that the YAML ``written`` does not have."""
    if not isinstance(content, dict) or not isinstance(written, dict):
        return []
    extra = []
    for key, value in content.items():
        if key not in written:
            extra.append(f"{path}{key}")
        else:
            extra += _declared_keys_within(value, written[key], f"{path}{key}.")
    return extra


@pytest.mark.parametrize(
    "name", sorted(p.name for p in EXAMPLES.glob("*.yaml") if "as-published" not in p.name)
)
def test_the_version_hashes_only_what_was_declared(name: str) -> None:
    """A gardien upgrade that adds a field with a default must not change any version."""
    path = EXAMPLES / name
    written = yaml.safe_load(path.read_text("utf-8"))
    declaration = load(path)
    assert _declared_keys_within(declared_content(declaration), written) == []
    reloaded = Declaration.model_validate(declared_content(declaration))
    assert declaration_version(reloaded) == declaration_version(declaration)


def test_reordering_purposes_changes_neither_version(
    write_declaration: Callable[..., Path],
) -> None:
    from gardien.notice import notice_version

    def reorder(data: dict[str, Any]) -> None:
        data["purposes"] = dict(reversed(list(data["purposes"].items())))
        data["notice"] = {}

    def bare(data: dict[str, Any]) -> None:
        data["notice"] = {}

    first, second = load(write_declaration(bare)), load(write_declaration(reorder, name="b.yaml"))
    assert list(first.purposes) != list(second.purposes)
    assert declaration_version(first) == declaration_version(second)
    assert notice_version(first) == notice_version(second) == declaration_version(first)[:12]
