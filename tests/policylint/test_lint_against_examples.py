"""Each example declaration against the policy it transcribes: only the contradictions a
reader of the two would not dispute (a deadline the example CORRECTED, bases it INVENTED)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lint_helpers import SEEDS

from gardien.declaration import load_valid
from gardien.policylint import lint_policy
from gardien.policylint.report import CONTRADICTION_KINDS

EXAMPLES = Path(__file__).parents[2] / "examples"

EXPECTED: dict[str, tuple[str, list[str]]] = {
    # CORRECTED: the policy's two-month deadline is not allowed (Art. 12(3)).
    "viky": ("000", ["the text gives 2 months as the time to answer a request"]),
    "ai-feedback": ("001", []),
    "amikeo": ("002", []),
    "activeviam": ("003", []),
    # INVENTED: the policy gives no legal basis; these two bases appear nowhere in it.
    "komin": (
        "004",
        [
            "declared purposes rely on legal_obligation, which the text never gives",
            "declared purposes rely on legitimate_interest, which the text never gives",
        ],
    ),
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_only_undisputed_contradictions(pipelines: None, name: str) -> None:
    seed, expected = EXPECTED[name]
    text = next(SEEDS.glob(f"{seed}_*.txt")).read_text("utf-8")
    report = lint_policy(text, declaration=load_valid(EXAMPLES / f"{name}.yaml"))
    found = sorted(d.message for d in report.defects if d.kind in CONTRADICTION_KINDS)
    assert len(found) == len(expected), found
    for message, start in zip(found, sorted(expected), strict=True):
        assert message.startswith(start), found


def test_a_name_written_with_a_dot_is_the_declared_recipient(pipelines: None) -> None:
    """Policy 001 writes "Open.AI": the declared OpenAI is named, and not reported twice."""
    text = next(SEEDS.glob("001_*.txt")).read_text("utf-8")
    report = lint_policy(text, declaration=load_valid(EXAMPLES / "ai-feedback.yaml"))
    messages = [d.message for d in report.defects]
    assert not [m for m in messages if "OpenAI" in m or "'Open'" in m]


def test_an_undeclared_recipient_is_still_reported(pipelines: None) -> None:
    """The negative control: a processor the text names and the declaration lacks."""
    text = (
        next(SEEDS.glob("003_*.txt"))
        .read_text("utf-8")
        .replace("IT service providers", "Salesforce and other IT service providers", 1)
    )
    report = lint_policy(text, declaration=load_valid(EXAMPLES / "activeviam.yaml"))
    assert any(
        d.kind == "recipient_not_declared" and "'Salesforce'" in d.message for d in report.defects
    )
