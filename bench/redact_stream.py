"""A long document redacted as ``gardien redact FILE`` streams it: what the
document's memory of names costs, and what it catches.

    OPENBLAS_NUM_THREADS=1 taskset -c 0 .venv/bin/python -m bench.redact_stream [--paragraphs 20000]

The document is generated (Faker fr_FR, fixed seed): support messages, each
naming its writer in full in a signature, and, one paragraph in four, a
later reply naming the writer of an earlier message by surname alone in
free position, where nothing but the document's memory points at it. It is
cut into 64 KiB blocks and regrouped into paragraphs exactly as the CLI
does, then redacted two ways, alternating, twice each:

- ``baseline``: ``Analyzer.analyze`` on each piece on its own, no memory
  across pieces (how the CLI worked before the memory existed);
- ``document``: one ``Redactor`` fed piece after piece, as the CLI does now.

Reported: seconds (best of two), megabytes per second, the ratio of the two,
and how many replies still show the surname they name: the values the
memory is there to catch.
"""

from __future__ import annotations

import argparse
import io
import platform
import random
import resource
import time
from collections.abc import Callable
from datetime import UTC, datetime

from faker import Faker

from gardien.redact import Analyzer
from gardien.redact.chunks import iter_paragraphs
from gardien.redact.engine import Redactor, apply_spans, make_operator
from gardien.redact.streams import iter_text

SEED = 20261202
MESSAGES = (
    "Bonjour, ma commande n'est toujours pas arrivée. Cordialement, {first} {last}",
    "Le colis est arrivé abîmé, je demande un remboursement. Bien à vous, {first} {last}",
    "Je souhaite résilier mon abonnement à la fin du mois. Cordialement, {first} {last}",
)
REPLIES = (
    "Suite au message de {last}, le dossier a été transmis au service livraison.",
    "Le remboursement demandé par {last} sera effectué sous huit jours.",
)


def build_document(paragraphs: int) -> tuple[str, dict[int, str]]:
    """The document, and the surname each reply (by paragraph number) names."""
    fake = Faker("fr_FR")
    fake.seed_instance(SEED)
    rng = random.Random(SEED)
    parts: list[str] = []
    surnames: list[str] = []
    replies: dict[int, str] = {}
    for number in range(paragraphs):
        if number % 4 == 3 and surnames:
            # A writer of a message far back, so the reply is in a later block.
            last = surnames[rng.randrange(max(1, len(surnames) - 500))]
            replies[number] = last
            parts.append(rng.choice(REPLIES).format(last=last))
        else:
            last = fake.last_name()
            surnames.append(last)
            parts.append(rng.choice(MESSAGES).format(first=fake.first_name(), last=last))
    return "\n\n".join(parts) + "\n", replies


def pieces_of(document: str) -> list[str]:
    return list(iter_paragraphs(iter_text(io.BytesIO(document.encode("utf-8")), "bench")))


def baseline(analyzer: Analyzer, pieces: list[str]) -> str:
    out = []
    operator = make_operator("placeholder", None)
    for piece in pieces:
        out.append(apply_spans(piece, analyzer.analyze(piece, "fr"), operator))
    return "".join(out)


def document(analyzer: Analyzer, pieces: list[str]) -> str:
    redactor = Redactor("placeholder", lang="fr", analyzer=analyzer)
    return "".join(redactor.feed(piece)[0] for piece in pieces)


def left(output: str, replies: dict[int, str]) -> int:
    """Replies whose surname is still written in the output."""
    paragraphs = output.split("\n\n")
    return sum(
        1
        for number, name in replies.items()
        if name in paragraphs[number].replace(",", " ").replace(".", " ").split()
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--paragraphs", type=int, default=20_000)
    args = parser.parse_args()
    text, replies = build_document(args.paragraphs)
    pieces = pieces_of(text)
    analyzer = Analyzer()
    analyzer.analyze(pieces[0][:2000], "fr")  # load the pipeline before timing
    ways: dict[str, Callable[[Analyzer, list[str]], str]] = {
        "baseline": baseline,
        "document": document,
    }
    best = {name: float("inf") for name in ways}
    outputs: dict[str, str] = {}
    for _ in range(2):
        for name, way in ways.items():
            start = time.perf_counter()
            outputs[name] = way(analyzer, pieces)
            best[name] = min(best[name], time.perf_counter() - start)
    megabytes = len(text.encode("utf-8")) / 1e6
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"# long-document redaction — {stamp}")
    print(
        f"paragraphs={args.paragraphs} pieces={len(pieces)} size={megabytes:.2f} MB "
        f"replies={len(replies)} seed={SEED} python={platform.python_version()}"
    )
    print()
    print("| way | seconds | MB/s | replies whose surname is left |")
    print("|---|---|---|---|")
    for name in ways:
        print(
            f"| {name} | {best[name]:.1f} | {megabytes / best[name]:.3f} "
            f"| {left(outputs[name], replies)} |"
        )
    print()
    print(f"document / baseline time: {best['document'] / best['baseline']:.2f}x")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
