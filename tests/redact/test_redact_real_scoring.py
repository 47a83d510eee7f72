"""The real-text scoring of ``bench/redact_real.py``: leaks, label-blind
character precision and recall, labels scored only where annotated. The
lines are made up here; the dev data never enters the repository."""

from __future__ import annotations

import json
from pathlib import Path

from bench import redact_real


def _item(text: str, spans: list[tuple[str, str]], labels: tuple[str, ...]) -> dict[str, object]:
    found = []
    for value, label in spans:
        start = text.index(value)
        found.append((start, start + len(value), label))
    return {
        "id": "t-1",
        "text": text,
        "spans": found,
        "lang": "fr",
        "source": "LioChanDaYo/RGPDpseudonymizer/tests/test_corpus/business_documents/x.txt",
        "annotated_labels": list(labels),
        "group": "rgpd-business",
    }


def test_leaked_missed_and_characters() -> None:
    text = "Vu avec Jean-Paul Arnal et Lise Roy à Brest le 3 mai."
    item = _item(
        text,
        [("Jean-Paul Arnal", "PERSON"), ("Lise Roy", "PERSON"), ("Brest", "LOCATION")],
        ("PERSON", "LOCATION", "ORGANIZATION"),
    )
    start = text.index("Paul")
    pred = [
        (start, start + len("Paul Arnal"), "PERSON"),  # "Jean" left readable: leaked
        (text.index("Brest"), text.index("Brest") + 5, "ORGANIZATION"),  # wrong label, covered
        (text.index("3 mai"), text.index("3 mai") + 5, "DATE"),  # not annotated: not counted
    ]
    leaks = redact_real.line_leaks(item, pred)
    assert (leaks.entities, leaks.leaked, leaks.missed) == (3, 2, 1)  # Jean-Paul partly, Lise Roy
    assert leaks.gold_chars == len("JeanPaulArnalLiseRoyBrest")
    assert leaks.gold_chars_covered == len("PaulArnalBrest")
    assert leaks.pred_chars == len("PaulArnalBrest") == leaks.pred_chars_in_gold
    report = redact_real.leak_report(item, pred)
    assert report is not None
    assert report["leaked"] == [
        ("PERSON", "Jean-Paul Arnal", "partly"),
        ("PERSON", "Lise Roy", "missed"),
    ]


def test_labels_are_scored_only_where_the_source_annotates_them() -> None:
    text = "Écrire à lise@example.fr ou à Lise Roy."
    item = _item(text, [("Lise Roy", "PERSON")], ("PERSON",))
    email = (text.index("lise@"), text.index(" ou"), "EMAIL")
    person = (text.index("Lise Roy"), text.index("Lise Roy") + 8, "PERSON")
    counts = redact_real.score_labels([item], [[email, person]], overlap=False)
    assert dict(counts) == {("rgpd-business", "PERSON"): [1, 0, 0]}
    assert redact_real.line_leaks(item, [email, person]).pred_chars == len("LiseRoy")


def test_sources_get_short_names_and_documents(tmp_path: Path) -> None:
    path = tmp_path / "dev.jsonl"
    rows = [
        {"id": "a", "text": "Lise", "spans": [{"start": 0, "end": 4, "label": "PERSON"}],
         "lang": "en", "source": "emerging.dev.conll", "annotated_labels": ["PERSON"]},
        {"id": "b", "text": "Lise", "spans": [], "lang": "fr",
         "source": "LioChanDaYo/RGPDpseudonymizer/tests/test_corpus/interview_transcripts/i.txt",
         "annotated_labels": ["PERSON"]},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    items = redact_real.load([path])
    assert [i["group"] for i in items] == ["wnut17", "rgpd-interviews"]
    assert items[0]["spans"] == [(0, 4, "PERSON")]
    assert redact_real.document_of(items[0]) is None
    assert redact_real.document_of(items[1]) == rows[1]["source"]
    leaks = redact_real.leaks_by_source(items, [[], []])
    assert leaks["wnut17"].missed_share == 1.0
    assert leaks["rgpd (all)"].entities == 0
    assert "| wnut17 | 1 | 1 | gardien | 100.0% | 100.0% |" in redact_real.table(
        items, {"gardien": [[], []]}
    )


def test_false_positive_rows_name_each_wrong_span_and_its_characters() -> None:
    text = "Réunion Budget avec Mme Lise Roy (Deloitte) à Brest le 3 mai."
    item = _item(text, [("Lise Roy", "PERSON"), ("Brest", "LOCATION")], ("PERSON", "LOCATION"))

    def at(value: str, label: str) -> tuple[int, int, str, str]:
        start = text.index(value)
        return (start, start + len(value), label, f"rule/{label}")

    spans = [
        at("Mme Lise Roy", "PERSON"),  # three letters too many: a partial false positive
        at("Budget", "LOCATION"),  # not in any gold entity: whole
        at("Brest", "LOCATION"),  # right: no row
        at("3 mai", "DATE"),  # a label the source does not annotate: no row
    ]
    rows = redact_real.false_positive_rows(item, spans, context=8)
    assert [(r["span"], r["fp_chars"], r["whole"], r["gold_overlap"]) for r in rows] == [
        ("Mme Lise Roy", 3, False, [("PERSON", "Lise Roy")]),
        ("Budget", 6, True, []),
    ]
    assert rows[1]["context"] == "Réunion [[Budget]] avec Mm"
    assert rows[1]["recognizer"] == "rule/LOCATION"
