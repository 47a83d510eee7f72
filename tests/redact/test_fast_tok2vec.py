"""The fast tok2vec of the NER pipelines (gardien.redact.fast_tok2vec) gives
the original's output and the same entities, is refused on any other
architecture, and refuses training.

The comparisons run on the pipelines ``load_pipeline`` caches for the whole
session (the fast path is installed there); the refusals run on tiny blank
pipelines built per test, so that no test changes a shared model."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from typing import Any, cast

import numpy as np
import pytest
import spacy
from faker import Faker
from spacy.language import Language
from thinc.api import noop

import gardien.redact.fast_tok2vec as fast_tok2vec
from gardien.redact.fast_tok2vec import (
    FastTok2Vec,
    install_fast_tok2vec,
    uninstall_fast_tok2vec,
)
from gardien.redact.nlp import load_pipeline

LANGS = ("fr", "en")
LONG = {
    "fr": " ".join(["Le 3 mars, Jean-Pierre Martin (SNCF) a écrit à Mme Durand, à Lyon."] * 22),
    "en": " ".join(["On March 3, John O'Neil (IBM) wrote to Ms. Durand in New York."] * 22),
}
HANDWRITTEN = {
    "fr": [
        "",
        "Bonjour",
        "Paris",
        "?!... ;;; --- !!!",
        "😀🎉 Merci Marie 👍",
        "JEAN DUPONT habite À PARIS, jean dupont aussi.",
        "MaRiE cUrIe travaillait à l'InStItUt PaStEuR.",
        "Écrivez à marie.curie@example.fr avant le 3 mars 2024.",
        "  espaces   multiples\tet\nretours à la ligne  ",
        LONG["fr"],
    ],
    "en": [
        "",
        "Hello",
        "London",
        "?!... ;;; --- !!!",
        "😀🎉 Thanks Mary 👍",
        "JOHN SMITH lives IN LONDON, john smith too.",
        "MaRy SmItH works at MiCrOsOfT in SeAtTlE.",
        "Email jane.doe@example.com before March 3rd, 2024.",
        "  multiple   spaces\tand\nnew lines  ",
        LONG["en"],
    ],
}
TEMPLATES = {
    "fr": [
        "{name} habite au {address}.",
        "Contactez {name} chez {company} au {phone}.",
        "Le dossier de {name}, né le {date}, est suivi à {city}.",
        "{name} a écrit à {email} depuis {city}.",
    ],
    "en": [
        "{name} lives at {address}.",
        "Call {name} at {company} on {phone}.",
        "The file of {name}, born on {date}, is handled in {city}.",
        "{name} wrote to {email} from {city}.",
    ],
}


def _sentences(lang: str, count: int = 300) -> list[str]:
    fake = Faker("fr_FR" if lang == "fr" else "en_US")
    fake.seed_instance(20261123)
    rng = random.Random(f"fast-tok2vec-{lang}")
    out = list(HANDWRITTEN[lang])
    while len(out) < count:
        kind = rng.randrange(4)
        if kind == 0:
            out.append(fake.sentence(nb_words=rng.randint(1, 25)))
        elif kind == 1:
            out.append(fake.text(max_nb_chars=rng.choice([40, 200, 600])))
        else:
            out.append(
                rng.choice(TEMPLATES[lang]).format(
                    name=fake.name(),
                    address=fake.address().replace("\n", ", "),
                    company=fake.company(),
                    phone=fake.phone_number(),
                    date=fake.date(),
                    city=fake.city(),
                    email=fake.email(),
                )
            )
    return out


SENTENCES = {lang: _sentences(lang) for lang in LANGS}


def _tok2vec(nlp: Language) -> Any:
    return cast(Any, nlp.get_pipe("ner")).model.get_ref("tok2vec")


def _installed(nlp: Language) -> FastTok2Vec:
    forward = _tok2vec(nlp)._func
    assert isinstance(forward, FastTok2Vec)
    return forward


def _entities(nlp: Language, texts: list[str]) -> list[list[tuple[str, int, int, str]]]:
    return [
        [(e.text, e.start_char, e.end_char, e.label_) for e in doc.ents]
        for doc in [nlp(text) for text in texts]
    ]


@pytest.fixture(params=LANGS)
def nlp(request: pytest.FixtureRequest) -> Language:
    return load_pipeline(request.param)


def test_long_sentence_is_long(nlp: Language) -> None:
    assert len(nlp.make_doc(LONG[str(nlp.lang)])) > 300


def test_load_pipeline_installs_the_fast_path(nlp: Language) -> None:
    _installed(nlp)


def test_output_equals_the_original_one_doc_per_call(nlp: Language) -> None:
    node = _tok2vec(nlp)
    fast = _installed(nlp)
    identical = 0
    for text in SENTENCES[str(nlp.lang)]:
        docs = [nlp.make_doc(text)]
        if not len(docs[0]):
            continue  # left to the original: see test_empty_batches_behave_as_the_original
        got, _ = node(docs, is_train=False)
        expected, _ = fast.original(node, docs, False)
        assert got.shape == expected.shape == (len(docs[0]), expected.shape[1]), text
        assert got.dtype == expected.dtype
        assert np.allclose(got, expected, rtol=0.0, atol=1e-4), text
        identical += np.array_equal(got, expected)
    # Stronger than the contract: the fast path makes thinc's BLAS and ufunc
    # calls, so it is the original to the bit. If only this fails after a
    # numpy or thinc upgrade, its mirror of their arithmetic has drifted.
    assert identical == len(SENTENCES[str(nlp.lang)]) - 1


def test_output_equals_the_original_in_batches_with_empty_docs(nlp: Language) -> None:
    node = _tok2vec(nlp)
    fast = _installed(nlp)
    docs = [nlp.make_doc(text) for text in SENTENCES[str(nlp.lang)]]
    for start in range(0, len(docs), 37):
        batch = [nlp.make_doc(""), *docs[start : start + 37], nlp.make_doc("")]
        got, _ = node(batch, is_train=False)
        expected, _ = fast.original(node, batch, False)
        assert got.shape == expected.shape
        assert np.allclose(got, expected, rtol=0.0, atol=1e-4)


@pytest.mark.parametrize("count", [0, 1, 2])
def test_empty_batches_behave_as_the_original(nlp: Language, count: int) -> None:
    # The original raises on some batches without a token (it never gets
    # them from the NER pipe); the fast path hands them over unchanged.
    node = _tok2vec(nlp)
    fast = _installed(nlp)
    docs = [nlp.make_doc("") for _ in range(count)]

    def outcome(forward: Callable[..., Any]) -> Any:
        try:
            output, _ = forward(node, docs, False)
        except Exception as exc:
            return type(exc), str(exc)
        return output.shape, output.dtype

    assert outcome(fast) == outcome(fast.original)


def test_entities_are_the_same_with_and_without(nlp: Language) -> None:
    texts = SENTENCES[str(nlp.lang)]
    fast = _entities(nlp, texts)
    batched = [
        [(e.text, e.start_char, e.end_char, e.label_) for e in doc.ents]
        for doc in nlp.pipe(texts, batch_size=64)
    ]
    assert uninstall_fast_tok2vec(nlp)
    try:
        original = _entities(nlp, texts)
    finally:
        assert install_fast_tok2vec(nlp)
    assert fast == original
    assert batched == original
    assert sum(map(len, original)) > len(texts) // 2  # the models did find names


def test_training_is_refused(nlp: Language) -> None:
    node = _tok2vec(nlp)
    docs = [nlp.make_doc("Jean Dupont")]
    with pytest.raises(NotImplementedError, match="inference only"):
        node(docs, is_train=True)
    with pytest.raises(NotImplementedError, match="inference only"):
        node.begin_update(docs)
    _, backprop = node(docs, is_train=False)
    with pytest.raises(NotImplementedError, match="inference only"):
        backprop(np.zeros((1, 64), dtype="f"))


def test_a_copy_of_the_model_runs_the_original(nlp: Language) -> None:
    # Model.copy() carries the forward function over; the copy has its own
    # parameters (and the current ops), which the fast path's plan does not.
    node = _tok2vec(nlp)
    fast = _installed(nlp)
    copy = node.copy()
    assert copy._func is fast
    docs = [nlp.make_doc("Jean Dupont habite à Paris.")]
    np.testing.assert_array_equal(copy(docs, False)[0], fast.original(copy, docs, False)[0])


def test_install_and_uninstall_are_idempotent(nlp: Language) -> None:
    assert install_fast_tok2vec(nlp)
    fast = _installed(nlp)
    assert install_fast_tok2vec(nlp)
    assert _installed(nlp) is fast
    assert uninstall_fast_tok2vec(nlp)
    try:
        assert _tok2vec(nlp)._func is fast.original
        assert not uninstall_fast_tok2vec(nlp)
    finally:
        assert install_fast_tok2vec(nlp)


# Tiny pipelines, for the refusals.

MAXOUT_ENCODER = {
    "@architectures": "spacy.MaxoutWindowEncoder.v2",
    "width": 16,
    "depth": 2,
    "window_size": 1,
    "maxout_pieces": 3,
}


def _tiny(encode: dict[str, Any] = MAXOUT_ENCODER) -> Language:
    tok2vec = {
        "@architectures": "spacy.Tok2Vec.v2",
        "embed": {
            "@architectures": "spacy.MultiHashEmbed.v2",
            "width": 16,
            "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"],
            "rows": [50, 20, 20, 20],
            "include_static_vectors": False,
        },
        "encode": encode,
    }
    model = {
        "@architectures": "spacy.TransitionBasedParser.v2",
        "state_type": "ner",
        "extra_state_tokens": False,
        "hidden_width": 8,
        "maxout_pieces": 2,
        "use_upper": True,
        "tok2vec": tok2vec,
    }
    nlp = spacy.blank("en")
    cast(Any, nlp.add_pipe("ner", config={"model": model})).add_label("PERSON")
    nlp.initialize()
    return nlp


def _refused(nlp: Language, caplog: pytest.LogCaptureFixture, reason: str) -> None:
    node = _tok2vec(nlp)
    forward = node._func
    docs = [nlp.make_doc("Hello John Smith, how are you?")]
    before, _ = node(docs, is_train=False)
    with caplog.at_level(logging.WARNING, logger=fast_tok2vec.__name__):
        assert not install_fast_tok2vec(nlp)
    assert node._func is forward
    np.testing.assert_array_equal(node(docs, is_train=False)[0], before)
    assert reason in caplog.text


def test_the_same_architecture_at_other_sizes_is_accepted() -> None:
    nlp = _tiny()
    assert install_fast_tok2vec(nlp)
    fast = _installed(nlp)
    node = _tok2vec(nlp)
    docs = [nlp.make_doc(text) for text in ("Hello John Smith, how are you?", "Hi", "")]
    np.testing.assert_array_equal(node(docs, False)[0], fast.original(node, docs, False)[0])


def test_another_encoder_is_refused(caplog: pytest.LogCaptureFixture) -> None:
    mish = {"@architectures": "spacy.MishWindowEncoder.v2", "width": 16, "depth": 2}
    _refused(_tiny({**mish, "window_size": 1}), caplog, "found 'mish'")


def test_an_altered_dim_is_refused(caplog: pytest.LogCaptureFixture) -> None:
    nlp = _tiny()
    hashembed = next(n for n in _tok2vec(nlp).walk() if n.name == "hashembed")
    hashembed._dims["nV"] = 51  # the table has 50 rows
    _refused(nlp, caplog, "'hashembed'.E is float32(50, 16), not float32(51, 16)")


def test_an_altered_parameter_is_refused(caplog: pytest.LogCaptureFixture) -> None:
    nlp = _tiny()
    norm = next(n for n in _tok2vec(nlp).walk() if n.name == "layernorm")
    norm.set_param("G", np.ones((1,), dtype="f"))  # which the original broadcasts
    _refused(nlp, caplog, "'layernorm'.G is float32(1,), not float32(16,)")


def test_an_extra_layer_is_refused(caplog: pytest.LogCaptureFixture) -> None:
    nlp = _tiny()
    _tok2vec(nlp).layers.append(noop())
    _refused(nlp, caplog, "has 4 layers, not 3")


def test_a_pipeline_without_ner_is_refused(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger=fast_tok2vec.__name__):
        assert not install_fast_tok2vec(spacy.blank("en"))
    assert "no ner tok2vec" in caplog.text


def test_a_failed_self_check_leaves_the_original(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(fast_tok2vec, "_LAYERNORM_EPSILON", 1.0)
    _refused(_tiny(), caplog, "output differs from the original's by up to")
