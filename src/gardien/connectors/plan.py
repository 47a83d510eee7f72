"""The traversal plan: how a person's rows are reached, built once from the declaration.

It depends on nothing but the declaration's ``datastores``, so it is built
once per declaration (cached) and reused by every request. Each collection's
plan says which columns to read (the declared fields only), which column is
its key, and which edges leave it:

- a reference ``orders.customer_id → customers.id`` followed ``down`` (the
  default) is an edge from ``customers`` (the values of ``id``) to ``orders``
  (the rows whose ``customer_id`` holds one);
- followed ``up``, an edge from ``orders`` (the values of ``customer_id``) to
  ``customers`` (the rows whose ``id`` holds one).

The seeds are the identity columns: a request for ``{"email": …}`` starts at
every column declared ``identity: email``. ``erasure_order`` puts each
datastore's collections children first, so that deleting rows never breaks a
foreign key; references that close a cycle are named, for the caller to
break (by nulling one side) before deleting.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from gardien.declaration.models import Declaration

Place = tuple[str, str]  # (datastore, collection)


@dataclass(frozen=True)
class Edge:
    """From the rows of ``source`` (their ``source_field`` values) to the rows of
    ``target`` whose ``target_field`` holds one."""

    datastore: str
    source: str
    source_field: str
    target: str
    target_field: str


@dataclass(frozen=True)
class CollectionPlan:
    datastore: str
    name: str
    #: The declared primary key, when there is one (rows are told apart by it).
    key: str | None
    #: Every declared field: what a request reads, and nothing else.
    columns: tuple[str, ...]
    #: The edges that leave this collection.
    edges: tuple[Edge, ...]
    #: What finding the person's rows needs, when their content is not wanted (an
    #: erasure): the key, the fields edges leave from, the identities rows carry.
    lookup_columns: tuple[str, ...] = ()

    @property
    def place(self) -> Place:
        return (self.datastore, self.name)


@dataclass(frozen=True)
class Seed:
    datastore: str
    collection: str
    field: str


@dataclass(frozen=True)
class TraversalPlan:
    collections: Mapping[Place, CollectionPlan]
    #: Identity kind → the columns holding it.
    seeds: Mapping[str, tuple[Seed, ...]]
    #: How many edges from a collection holding an identity each collection is (those
    #: holding one are at 0; one no edge reaches is absent).
    depth: Mapping[Place, int] = dataclass_field(default_factory=dict)
    #: The collections each collection's rows lead to, along one edge or more.
    reaches: Mapping[Place, frozenset[Place]] = dataclass_field(default_factory=dict)

    @property
    def identity_kinds(self) -> frozenset[str]:
        return frozenset(self.seeds)


#: Plans of the declarations seen last, by object: a declaration is immutable, and a
#: server holds one for its whole life.
_PLANS: dict[int, tuple[Declaration, TraversalPlan]] = {}
_PLANS_KEPT = 8


def plan_for(declaration: Declaration) -> TraversalPlan:
    """The plan of ``declaration``, built once."""
    cached = _PLANS.get(id(declaration))
    if cached is not None and cached[0] is declaration:
        return cached[1]
    plan = _plan(declaration)
    if len(_PLANS) >= _PLANS_KEPT:
        _PLANS.pop(next(iter(_PLANS)))
    _PLANS[id(declaration)] = (declaration, plan)
    return plan


def _plan(declaration: Declaration) -> TraversalPlan:
    edges: dict[Place, list[Edge]] = {}
    seeds: dict[str, list[Seed]] = {}
    for sid, store in declaration.datastores.items():
        for cname, collection in store.collections.items():
            for fname, field in collection.fields.items():
                if field.identity is not None:
                    seeds.setdefault(field.identity, []).append(Seed(sid, cname, fname))
                ref = field.references
                if ref is None or ref.collection not in store.collections:
                    continue
                if ref.follow.down:
                    edges.setdefault((sid, ref.collection), []).append(
                        Edge(sid, ref.collection, ref.field, cname, fname)
                    )
                if ref.follow.up:
                    edges.setdefault((sid, cname), []).append(
                        Edge(sid, cname, fname, ref.collection, ref.field)
                    )
    collections = {}
    for sid, store in declaration.datastores.items():
        for cname, collection in store.collections.items():
            key = next((f for f, d in collection.fields.items() if d.primary_key), None)
            leaving = tuple(edges.get((sid, cname), ()))
            identities = [f for f, d in collection.fields.items() if d.identity is not None]
            lookup = (
                tuple(dict.fromkeys([key, *(e.source_field for e in leaving), *identities]))
                if key is not None
                else tuple(collection.fields)  # rows are told apart by all they hold
            )
            collections[(sid, cname)] = CollectionPlan(
                datastore=sid,
                name=cname,
                key=key,
                columns=tuple(collection.fields),
                edges=leaving,
                lookup_columns=lookup,
            )
    return TraversalPlan(
        collections=collections,
        seeds={kind: tuple(places) for kind, places in seeds.items()},
        depth=_depths(collections, seeds),
        reaches=_reaches(collections),
    )


def _reaches(collections: Mapping[Place, CollectionPlan]) -> dict[Place, frozenset[Place]]:
    reached: dict[Place, frozenset[Place]] = {}
    for place in collections:
        seen: set[Place] = set()
        frontier = [place]
        while frontier:
            current = frontier.pop()
            for edge in collections[current].edges:
                target = (edge.datastore, edge.target)
                if target not in seen:
                    seen.add(target)
                    frontier.append(target)
        reached[place] = frozenset(seen)
    return reached


def _depths(
    collections: Mapping[Place, CollectionPlan], seeds: Mapping[str, list[Seed]]
) -> dict[Place, int]:
    """Breadth first from the collections that hold an identity, along the edges."""
    depth = {(s.datastore, s.collection): 0 for held in seeds.values() for s in held}
    frontier = list(depth)
    while frontier:
        following = []
        for place in frontier:
            for edge in collections[place].edges:
                target = (edge.datastore, edge.target)
                if target not in depth:
                    depth[target] = depth[place] + 1
                    following.append(target)
        frontier = following
    return depth


@dataclass(frozen=True)
class ErasureOrder:
    """A datastore's collections, children before parents, and the references closing a cycle."""

    collections: tuple[str, ...]
    #: (collection, field) references that had to be set aside to order the rest: null
    #: them (or delete their rows) before the collections they point at.
    cycle_references: tuple[tuple[str, str], ...]


def erasure_order(
    declaration: Declaration,
    datastore: str,
    nullable: Callable[[str, str], bool] | None = None,
) -> ErasureOrder:
    """Children first (a collection before every collection it references).

    ``nullable(collection, field)`` says which references may be set to NULL
    (the live schema knows): a cycle is broken on one of those when it can be.
    """
    return order_children_first(
        {
            cname: [
                (fname, f.references.collection)
                for fname, f in collection.fields.items()
                if f.references is not None
            ]
            for cname, collection in declaration.datastores[datastore].collections.items()
        },
        nullable,
    )


def order_children_first(
    references: dict[str, list[tuple[str, str]]],
    nullable: Callable[[str, str], bool] | None = None,
) -> ErasureOrder:
    """``references``: each collection's (field, referenced collection) pairs."""
    parents: dict[str, set[str]] = {name: set() for name in references}
    refs: dict[str, list[tuple[str, str]]] = {name: [] for name in references}
    for cname, pairs in references.items():
        for fname, parent in pairs:
            if parent in references and parent != cname:
                parents[cname].add(parent)
                refs[cname].append((fname, parent))
    # Kahn's algorithm on "child before parent": a collection is ready when no
    # remaining collection references it.
    children: dict[str, set[str]] = {name: set() for name in references}
    for child, ps in parents.items():
        for parent in ps:
            children[parent].add(child)
    remaining = {name: set(kids) for name, kids in children.items()}
    order: list[str] = []
    set_aside: list[tuple[str, str]] = []
    while remaining:
        ready = sorted(name for name, kids in remaining.items() if not kids)
        if not ready:
            # Every remaining collection still has a child: the rest form cycles. Set
            # aside one reference from a child to a parent both still waiting (the first
            # in name order, so the result is deterministic) and try again: each time
            # one edge fewer, so this ends.
            candidates = [
                (name, parent)
                for name in sorted(remaining)
                for _fname, parent in refs[name]
                if parent in remaining and name in remaining[parent]
            ]
            child, parent = next(
                (
                    (c, p)
                    for c, p in candidates
                    if nullable is not None and all(nullable(c, f) for f, q in refs[c] if q == p)
                ),
                candidates[0],
            )
            remaining[parent].discard(child)
            set_aside.extend((child, f) for f, p in refs[child] if p == parent)
            continue
        for name in ready:
            order.append(name)
            del remaining[name]
            for parent in parents[name]:
                if parent in remaining:
                    remaining[parent].discard(name)
    return ErasureOrder(tuple(order), tuple(set_aside))
