"""An inference fast path for the ``tok2vec`` of the NER pipelines, for the
per-call latency of the redaction API.

This module owns one thing: the forward function of the ``tok2vec`` sub-model
of a loaded ``ner`` component (``nlp.get_pipe("ner").model.get_ref("tok2vec")``).
The redaction API analyses one short text per call, 13 tokens on average. At
that size the tok2vec's ~40 thinc layer calls (each one slices, pads, wraps
and builds a backprop closure) cost about as much Python as its six matrix
products cost arithmetic, some 0.5 ms each per call. The fast forward makes
the same matrix products, through the same BLAS calls on the same arrays, and
replaces the layer calls by a few numpy operations per layer on the model's
own parameters: bench/redact_ner_speed.py measures the gain.

It is installed only on the architecture it reproduces (spaCy's
``Tok2Vec.v2`` made of ``MultiHashEmbed.v2`` and ``MaxoutWindowEncoder.v2``,
inside ``TransitionBasedParser.v2``), matched node by node, and only after it
gave the original's output on probe sentences; otherwise the pipeline is left
as it was and a warning is logged. It mirrors each layer's operations in the
same order, through the same ``ops`` kernels, so the output is the original's
to the bit, not an approximation of it. Parameters and attributes are read
from the thinc nodes at each call, so weights loaded later (``from_disk``,
``use_params``) are honoured. It is for inference only: asking it for
gradients raises.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from spacy.attrs import IDS, ORTH  # type: ignore[import-not-found]  # compiled, no stub
from spacy.ml.featureextractor import forward as _extract_features
from spacy.ml.staticvectors import forward as _static_vectors
from spacy.tokens import Doc
from spacy.vectors import Mode, Vectors  # type: ignore[import-not-found]  # compiled, no stub
from thinc.backends import NumpyOps
from thinc.layers.array_getitem import forward as _getitem
from thinc.layers.chain import forward as _chain
from thinc.layers.concatenate import forward as _concatenate
from thinc.layers.dropout import forward as _dropout
from thinc.layers.expand_window import forward as _expand_window
from thinc.layers.hashembed import forward as _hashembed
from thinc.layers.layernorm import forward as _layernorm
from thinc.layers.linear import forward as _linear
from thinc.layers.list2array import forward as _list2array
from thinc.layers.list2ragged import forward as _list2ragged
from thinc.layers.maxout import forward as _maxout
from thinc.layers.ragged2list import forward as _ragged2list
from thinc.layers.residual import forward as _residual
from thinc.layers.with_array import forward as _with_array

if TYPE_CHECKING:
    from spacy.language import Language

logger = logging.getLogger(__name__)

#: The pipe whose model's tok2vec is replaced.
COMPONENT = "ner"
#: Largest difference to the original output the load-time check accepts. The
#: fast path makes the original's BLAS and ufunc calls, so it sees 0; the
#: margin keeps an ulp of drift (a numpy whose ndarray.var no longer makes the
#: ufunc calls mirrored in _block) from disabling it, while a real mistake in
#: the mirror is orders of magnitude above it.
TOLERANCE = 1e-4
# thinc's LayerNorm adds this to the variance (thinc/layers/layernorm.py).
_LAYERNORM_EPSILON = 1e-08

#: Sentences the fast path must reproduce before it is kept, per language:
#: one token, punctuation only, digits, casing, words the vectors table lacks.
PROBES: dict[str, tuple[str, ...]] = {
    "fr": (
        "Jean Dupont habite au 12 rue de la Paix à Paris et travaille chez Renault.",
        "Bonjour",
        "?!...",
        "Écrivez à marie.curie@example.fr avant le 3 mars 2024, SVP !!",
        "ZXQWV kthxbye Ñandú 😀 l'hôpital Saint-Étienne-du-Rouvray",
    ),
    "en": (
        "John Smith lives at 221B Baker Street, London, and works for Acme Corp.",
        "Hello",
        "?!...",
        "Email JANE.DOE@EXAMPLE.COM before March 3rd, 2024 or call +1 555 0100.",
        "ZXQWV kthxbye Ñandú 😀 McDonald's o'clock well-known",
    ),
}

_TRAINING = (
    "gardien's fast tok2vec (gardien.redact.fast_tok2vec) computes inference only "
    "and has no gradients: call gardien.redact.fast_tok2vec.uninstall_fast_tok2vec(nlp) "
    "before training or updating this pipeline"
)


class _MismatchError(Exception):
    """The model is not the architecture the fast path reproduces."""


@dataclass(frozen=True, slots=True)
class _HashEmbed:
    node: Any  # thinc hashembed
    column: int  # of the features, as its ints-getitem reads it


@dataclass(frozen=True, slots=True)
class _Block:
    """Maxout >> LayerNorm >> Dropout; the dropout is the identity at inference."""

    maxout: Any
    norm: Any


@dataclass(frozen=True, slots=True)
class _Conv:
    """One residual(expand_window >> block) layer of the encoder."""

    window: Any  # thinc expand_window
    block: _Block


@dataclass(frozen=True, slots=True)
class _Plan:
    """The nodes of one tok2vec, in the order the fast path uses them."""

    columns: tuple[int, ...]  # attribute IDs the feature extractor reads
    tables: tuple[_HashEmbed, ...]
    static: Any | None  # spaCy static_vectors, absent in the English model
    mix: _Block  # reduces the concatenated embeddings to the width
    encoder: Any  # the with_array of the encoder, whose `pad` attr is read per call
    convs: tuple[_Conv, ...]
    linear: Any  # the parser's projection of each token vector


class FastTok2Vec:
    """The forward function installed on a tok2vec node in place of
    ``original``, thinc's ``chain`` forward it replaced."""

    __slots__ = ("node", "original", "plan")

    def __init__(self, node: Any, original: Callable[..., Any], plan: _Plan) -> None:
        self.node = node
        self.original = original
        self.plan = plan

    def __call__(self, model: Any, docs: Sequence[Any], is_train: bool) -> tuple[Any, Any]:
        if is_train:
            raise NotImplementedError(_TRAINING)
        # Model.copy() carries the forward function over to the copy, whose
        # parameters are its own: only the node the plan was made of is fast.
        output = self.compute(docs) if model is self.node else None
        if output is None:
            result: tuple[Any, Any] = self.original(model, docs, is_train)
            return result
        return output, _no_backprop

    def compute(self, docs: Sequence[Any]) -> Any | None:
        """The tok2vec's output for ``docs``, or None for the inputs the fast
        path leaves to the original: spans rather than docs, batches without a
        token (the original raises on some of them: it must keep doing so), a
        vectors table of another mode than the default."""
        if not docs or not all(type(doc) is Doc for doc in docs):
            return None
        docs = [doc for doc in docs if len(doc)]
        if not docs:
            return None
        plan = self.plan
        columns: Sequence[int] = plan.columns
        vectors = None
        if plan.static is not None:
            vectors = docs[0].vocab.vectors
            if not isinstance(vectors, Vectors) or vectors.mode != Mode.default:
                return None
            columns = (*columns, getattr(vectors, "attr", ORTH))
        features = (
            docs[0].to_array(columns)
            if len(docs) == 1
            else np.concatenate([doc.to_array(columns) for doc in docs])
        )
        parts = [_embed(table, features) for table in plan.tables]
        if plan.static is not None:
            parts.append(_static(plan.static, vectors, features[:, -1]))
        tokens = _block(plan.mix, np.concatenate(parts, axis=1))
        return _encode(plan, docs, tokens)


def _no_backprop(d_output: Any) -> Any:
    raise NotImplementedError(_TRAINING)


def _embed(table: _HashEmbed, features: Any) -> Any:
    # thinc HashEmbed: four murmur hashes of the key, modulo the rows, summed.
    node = table.node
    vectors = node.get_param("E")
    ids = np.ascontiguousarray(features[:, table.column])
    keys = node.ops.hash(ids, node.attrs["seed"]) % vectors.shape[0]
    return node.ops.gather_add(vectors, keys)


def _static(node: Any, vectors: Any, keys: Any) -> Any:
    # spaCy StaticVectors in the default mode: keys missing from the table
    # give row -1, projected like any row and then zeroed. Its dropout is
    # applied in training only.
    rows = vectors.find(keys=np.ascontiguousarray(keys))
    ops = node.ops
    weights = ops.as_contig(node.get_param("W"))
    table = ops.as_contig(ops.asarray(vectors.data)[rows])
    output = ops.gemm(table, weights, trans2=True)
    output[rows < 0] = 0
    return output


def _block(block: _Block, inputs: Any) -> Any:
    node = block.maxout
    weights = node.get_param("W")
    n_out, n_pieces, n_in = weights.shape
    hidden = node.ops.gemm(inputs, weights.reshape(n_out * n_pieces, n_in), trans2=True)
    hidden += node.get_param("b").reshape(n_out * n_pieces)
    best, _ = node.ops.maxout(hidden.reshape(hidden.shape[0], n_out, n_pieces))
    # thinc's LayerNorm is `(X - X.mean()) * (X.var() + eps) ** -0.5 * G + b`
    # by row. ndarray.mean and .var cost 10 us of Python each on a sentence;
    # these are the ufunc calls they make (numpy/_core/_methods.py: a float32
    # sum, divided by the count as an intp), so the rounding is theirs.
    count = np.intp(n_out)
    mu = np.add.reduce(best, axis=1, keepdims=True)
    np.true_divide(mu, count, out=mu, casting="unsafe")
    centred = best - mu
    var = np.add.reduce(np.square(centred), axis=1, keepdims=True)
    np.true_divide(var, count, out=var, casting="unsafe")
    var += _LAYERNORM_EPSILON
    output = centred * var ** (-1.0 / 2.0)
    output *= block.norm.get_param("G")
    output += block.norm.get_param("b")
    return output


def _encode(plan: _Plan, docs: Sequence[Any], tokens: Any) -> Any:
    # The encoder's with_array flattens the docs with `pad` zero rows before,
    # between and after them, and its layers run over those rows too: after
    # the first layer they are no longer zeros, and the window of each doc's
    # first and last tokens reads them. They are reproduced, not skipped.
    pad = plan.encoder.attrs["pad"]
    placed: list[tuple[int, int]] = []
    padded = np.zeros((len(tokens) + pad * (len(docs) + 1), tokens.shape[1]), tokens.dtype)
    start = pad
    for doc in docs:
        placed.append((start, len(doc)))
        start += len(doc) + pad
    source = 0
    for start, length in placed:
        padded[start : start + length] = tokens[source : source + length]
        source += length
    for conv in plan.convs:
        window = conv.window
        padded = padded + _block(
            conv.block, window.ops.seq2col(padded, window.attrs["window_size"])
        )
    if len(placed) == 1:
        start, length = placed[0]
        vectors = padded[start : start + length]
    else:
        vectors = np.concatenate([padded[start : start + length] for start, length in placed])
    linear = plan.linear
    output = linear.ops.gemm(vectors, linear.get_param("W"), trans2=True)
    output += linear.get_param("b")
    return output


# Matching the architecture. Each node is identified by its forward function
# (what it computes) and its name; combinators by their number of layers.


def _layers(node: Any, forward: Callable[..., Any], count: int | None, what: str) -> list[Any]:
    if node._func is not forward:
        raise _MismatchError(f"{what}: found {node.name!r}")
    if count is not None and len(node.layers) != count:
        raise _MismatchError(f"{what}: {node.name!r} has {len(node.layers)} layers, not {count}")
    return list(node.layers)


def _leaf(node: Any, forward: Callable[..., Any], name: str) -> Any:
    if node.name != name or node._func is not forward or node.layers:
        raise _MismatchError(f"expected a {name!r} layer, found {node.name!r}")
    return node


def _param(node: Any, name: str, shape: tuple[int, ...]) -> None:
    if not node.has_param(name):
        raise _MismatchError(f"{node.name!r} has no parameter {name!r}")
    value = node.get_param(name)
    if tuple(value.shape) != shape or value.dtype != np.float32:
        raise _MismatchError(
            f"{node.name!r}.{name} is {value.dtype}{value.shape}, not float32{shape}"
        )


def _dims(node: Any, **expected: int) -> None:
    for name, value in expected.items():
        if node.maybe_get_dim(name) != value:
            raise _MismatchError(
                f"{node.name!r} has {name}={node.maybe_get_dim(name)}, not {value}"
            )


def _match_block(node: Any, n_in: int) -> tuple[_Block, int]:
    """A Maxout(normalize=True, dropout=...) taking ``n_in`` columns, and its width."""
    inner, dropout = _layers(node, _chain, 2, "maxout >> layernorm >> dropout")
    _leaf(dropout, _dropout, "dropout")
    maxout, norm = _layers(inner, _chain, 2, "maxout >> layernorm")
    _leaf(maxout, _maxout, "maxout")
    _leaf(norm, _layernorm, "layernorm")
    n_out, n_pieces = maxout.maybe_get_dim("nO"), maxout.maybe_get_dim("nP")
    if not isinstance(n_out, int) or not isinstance(n_pieces, int) or n_out < 1 or n_pieces < 1:
        raise _MismatchError(f"maxout has nO={n_out}, nP={n_pieces}")
    _dims(maxout, nI=n_in)
    _param(maxout, "W", (n_out, n_pieces, n_in))
    _param(maxout, "b", (n_out, n_pieces))
    _dims(norm, nI=n_out, nO=n_out)
    _param(norm, "G", (n_out,))
    _param(norm, "b", (n_out,))
    return _Block(maxout, norm), n_out


def _match_table(node: Any, n_columns: int) -> tuple[_HashEmbed, int]:
    getitem, hashembed = _layers(node, _chain, 2, "ints-getitem >> hashembed")
    _leaf(getitem, _getitem, "ints-getitem")
    _leaf(hashembed, _hashembed, "hashembed")
    index = getitem.attrs.get("index")
    column = hashembed.attrs.get("column")
    if (
        type(column) is not int
        or not 0 <= column < n_columns
        or index != (slice(0, None, None), column)
    ):
        raise _MismatchError(f"hashembed reads column {column!r} through index {index!r}")
    if type(hashembed.attrs.get("seed")) is not int:
        raise _MismatchError(f"hashembed has seed {hashembed.attrs.get('seed')!r}")
    rows, width = hashembed.maybe_get_dim("nV"), hashembed.maybe_get_dim("nO")
    if not isinstance(rows, int) or not isinstance(width, int) or rows < 1:
        raise _MismatchError(f"hashembed has nV={rows}, nO={width}")
    _param(hashembed, "E", (rows, width))
    return _HashEmbed(hashembed, column), width


def _match(tok2vec: Any) -> _Plan:
    """The plan of ``tok2vec``, or _MismatchError if it is not
    extract_features >> list2ragged >> with_array(concatenate(hashembeds))
    [| static_vectors] >> with_array(maxout block) >> ragged2list
    >> with_array(residual(expand_window >> maxout block) ...) >> list2array >> linear."""
    for node in tok2vec.walk():
        if not isinstance(node.ops, NumpyOps) or node.shims:
            raise _MismatchError(f"{node.name!r} does not run on numpy")
    body, to_array, linear = _layers(tok2vec, _chain, 3, "tok2vec >> list2array >> linear")
    _leaf(to_array, _list2array, "list2array")
    _leaf(linear, _linear, "linear")
    embed, encoder = _layers(body, _chain, 2, "embed >> encode")
    stages = _layers(embed, _chain, None, "embed")
    static = None
    if len(stages) == 3:  # with static vectors
        both, mix, to_list = stages
        features, static = _layers(both, _concatenate, 2, "features | static_vectors")
        _leaf(static, _static_vectors, "static_vectors")
        extract, to_ragged, tables = _layers(features, _chain, 3, "features")
    elif len(stages) == 5:
        extract, to_ragged, tables, mix, to_list = stages
    else:
        raise _MismatchError(f"embed: {embed.name!r}")
    _leaf(extract, _extract_features, "extract_features")
    _leaf(to_ragged, _list2ragged, "list2ragged")
    _leaf(to_list, _ragged2list, "ragged2list")
    try:
        columns = tuple(
            IDS[column.upper()] if isinstance(column, str) else int(column)
            for column in extract.attrs["columns"]
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise _MismatchError(f"extract_features columns {extract.attrs.get('columns')!r}") from exc
    (concatenated,) = _layers(tables, _with_array, 1, "with_array(hashembeds)")
    matched = [
        _match_table(table, len(columns))
        for table in _layers(concatenated, _concatenate, None, "hashembeds")
    ]
    if len(matched) < 2:  # concatenate() of one layer is that layer
        raise _MismatchError("fewer than two hash embeddings")
    n_in = sum(width for _, width in matched)
    if static is not None:
        static_width, static_rows = static.maybe_get_dim("nO"), static.maybe_get_dim("nM")
        if not isinstance(static_width, int) or not isinstance(static_rows, int):
            raise _MismatchError(f"static_vectors has nO={static_width}, nM={static_rows}")
        _param(static, "W", (static_width, static_rows))
        n_in += static_width
    (mix_node,) = _layers(mix, _with_array, 1, "with_array(maxout)")
    mix_block, width = _match_block(mix_node, n_in)
    (stack,) = _layers(encoder, _with_array, 1, "with_array(encoder)")
    pad = encoder.attrs.get("pad")
    if type(pad) is not int or pad < 0:
        raise _MismatchError(f"encoder pad {pad!r}")
    convs = []
    for layer in _layers(stack, _chain, None, "encoder layers"):
        (conv,) = _layers(layer, _residual, 1, "residual")
        window, block = _layers(conv, _chain, 2, "expand_window >> maxout")
        _leaf(window, _expand_window, "expand_window")
        size = window.attrs.get("window_size")
        if type(size) is not int or size < 1:
            raise _MismatchError(f"expand_window of size {size!r}")
        conv_block, conv_width = _match_block(block, width * (2 * size + 1))
        if conv_width != width:
            raise _MismatchError(f"residual layer of width {conv_width}, not {width}")
        convs.append(_Conv(window, conv_block))
    if not convs:
        raise _MismatchError("an encoder without layers")
    n_out = linear.maybe_get_dim("nO")
    if not isinstance(n_out, int):
        raise _MismatchError(f"linear has nO={n_out}")
    _dims(linear, nI=width)
    _param(linear, "W", (n_out, width))
    _param(linear, "b", (n_out,))
    return _Plan(
        columns=columns,
        tables=tuple(table for table, _ in matched),
        static=static,
        mix=mix_block,
        encoder=encoder,
        convs=tuple(convs),
        linear=linear,
    )


def _tok2vec(nlp: Language, component: str) -> Any | None:
    if component not in nlp.pipe_names:
        return None
    model = cast(Any, nlp.get_pipe(component)).model
    return model.get_ref("tok2vec") if model.has_ref("tok2vec") else None


def _self_check(nlp: Language, fast: FastTok2Vec) -> str | None:
    """Why the fast path must not be kept on ``nlp``, or None."""
    texts = PROBES.get(nlp.lang or "", PROBES["en"] + PROBES["fr"])
    docs = [nlp.make_doc(text) for text in texts]
    # One doc per call, as the API runs it, then all of them in one batch with
    # an empty doc among them: the windows of the encoder read the padding
    # rows between docs, and an empty doc gets none.
    batches = [[doc] for doc in docs] + [[docs[0], nlp.make_doc(""), *docs[1:]]]
    for batch in batches:
        got = fast.compute(batch)
        if got is None:
            return "it leaves these inputs to the original (vectors table not in default mode?)"
        expected, _ = fast.original(fast.node, batch, False)
        if got.shape != expected.shape or got.dtype != expected.dtype:
            return f"output {got.dtype}{got.shape} instead of {expected.dtype}{expected.shape}"
        if not np.allclose(got, expected, rtol=0.0, atol=TOLERANCE):
            difference = float(np.abs(got - expected).max())
            return f"output differs from the original's by up to {difference:.3g}"
    return None


def install_fast_tok2vec(nlp: Language, component: str = COMPONENT) -> bool:
    """Replace the forward of ``component``'s tok2vec by the fast one, if the
    model is the architecture it reproduces and gives the same output on the
    probes; otherwise leave ``nlp`` as it was and log why. True when the fast
    path is in place (already or now)."""
    node = _tok2vec(nlp, component)
    if node is None:
        logger.warning("fast tok2vec not installed: %r has no %s tok2vec", nlp.lang, component)
        return False
    if isinstance(node._func, FastTok2Vec):
        return True
    try:
        plan = _match(node)
    except _MismatchError as exc:
        logger.warning("fast tok2vec not installed on the %r %s: %s", nlp.lang, component, exc)
        return False
    fast = FastTok2Vec(node, node._func, plan)
    try:
        problem = _self_check(nlp, fast)
    except Exception as exc:  # any failure of the fast path means: keep the original
        problem = f"{type(exc).__name__}: {exc}"
    if problem is not None:
        logger.warning("fast tok2vec not installed on the %r %s: %s", nlp.lang, component, problem)
        return False
    # The hook is the forward function of the tok2vec node itself, rather than
    # a new node in the parser model or a wrapper of the pipe: the model tree,
    # its parameters and its serialisation stay as they are, the parser calls
    # it as before, and uninstalling is putting the original function back.
    node._func = fast
    return True


def uninstall_fast_tok2vec(nlp: Language, component: str = COMPONENT) -> bool:
    """Put the original forward back; True if the fast one was installed."""
    node = _tok2vec(nlp, component)
    if node is None or not isinstance(node._func, FastTok2Vec):
        return False
    node._func = node._func.original
    return True
