"""A lint report for people: items ✓/✗ with evidence, defects by kind at line:col."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.markup import escape

from gardien.policylint.report import ITEM_KEYS, LintReport

QUOTE_CHARS = 160


def _short(quote: str) -> str:
    flat = " ".join(quote.split())
    return flat if len(flat) <= QUOTE_CHARS else flat[: QUOTE_CHARS - 1] + "…"


def print_report(report: LintReport, console: Console, source: str) -> None:
    """Print ``report`` for a person: what is there, what is missing, what is broken."""
    present = len(ITEM_KEYS) - len(report.missing)
    console.print(
        f"[bold]{escape(source)}[/bold] ({report.language}): "
        f"{present}/{len(ITEM_KEYS)} items present, {len(report.defects)} defect(s)"
    )
    console.print("\n[bold]Items (GDPR Art. 13/14)[/bold]")
    for key in ITEM_KEYS:
        result = report.items[key]
        if not result.present:
            console.print(f"  [red]✗[/red] {key}: missing")
            continue
        console.print(f"  [green]✓[/green] {key}")
        for evidence in result.evidence:
            line, col = report.line_col(evidence.start)
            console.print(f"      {line}:{col}  “{escape(_short(evidence.quote))}”")
    if report.defects:
        console.print("\n[bold]Defects[/bold]")
    # One heading per kind with its count, then each defect once (repeats are counted
    # in its message): a reader sees what kinds of trouble the text has at a glance.
    kinds = Counter(defect.kind for defect in report.defects)
    for kind in sorted(kinds, key=lambda k: min(d.start for d in report.defects if d.kind == k)):
        console.print(f"  [yellow]{kind}[/yellow] ({kinds[kind]})")
        for defect in (d for d in report.defects if d.kind == kind):
            line, col = report.line_col(defect.start)
            quote = _short(report.text[defect.start : defect.end])
            console.print(
                f"  [yellow]![/yellow] {source}:{line}:{col}: {defect.kind}: "
                f"{escape(defect.message)}"
            )
            console.print(f"      “{escape(quote)}”")
