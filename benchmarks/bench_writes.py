"""Benchmark the write gate (``nkgraph.curation.gate``) on the shipped graph and synthetic data.

For each store (the shipped graph; 1 and 100 synthetic articles, in memory with their
truthy graph) and each change size (1, 10, 100 triples), it makes a conforming change:
that many free-text values (``nk:counts``, ``rdfs:comment``, ``rdfs:label``...) replaced
by other words, spread over the store (outside the ontology and truthy graphs). It times
staging the change sent as ``DELETE DATA`` / ``INSERT DATA``
(``curation.staging.patch_for_update``), the truthy upkeep (``derived``), the
incremental check (``check``: finding the affected focus nodes, gathering their
neighbourhood, pySHACL on it), and, for comparison, one full validation of the store.
Each timing is the median of ``--repeat`` runs after one warm-up. Not a test: it
asserts nothing.

    python benchmarks/bench_writes.py                      # shipped, 1 and 100 articles
    python benchmarks/bench_writes.py --articles 1 --sizes 1 10 --repeat 3 --no-full
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

from nkgraph.curation.gate import ShapesGate
from nkgraph.curation.neighbourhood import PatchedView, affected_focus_nodes, neighbourhood
from nkgraph.curation.patch import Patch
from nkgraph.curation.staging import patch_for_update
from nkgraph.model.loading import load_into_store
from nkgraph.model.synthetic import synthetic_quads
from nkgraph.model.truthy import add_truthy_graph_to_store
from nkgraph.validation.shacl import validate

#: Predicates whose values are free text no shape compares with the article's words.
FREE_TEXT = (
    "https://w3id.org/nkgraph/ontology#counts",
    "http://www.w3.org/2000/01/rdf-schema#comment",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
)
#: Graphs a curator's change does not touch: derived, or the ontology (a change there is
#: validated in full).
UNTOUCHED = (
    ox.NamedNode("https://w3id.org/nkgraph/graph/truthy"),
    ox.NamedNode("https://w3id.org/nkgraph/graph/ontology"),
)


@dataclass(frozen=True)
class Row:
    store: str
    quads: int
    change: int
    focus: int
    near: int
    staging_s: float
    derived_s: float
    check_s: float
    conforms: bool


def shipped_store() -> ox.Store:
    store = ox.Store()
    load_into_store(store)
    return store


def synthetic_store(articles: int) -> ox.Store:
    store = ox.Store()
    store.bulk_extend(synthetic_quads(articles))
    add_truthy_graph_to_store(store)
    return store


def change(store: ox.Store, size: int) -> Patch:
    """``size`` free-text values replaced, spread evenly over the store."""
    candidates = sorted(
        (
            q
            for p in FREE_TEXT
            for q in store.quads_for_pattern(None, ox.NamedNode(p), None, None)
            if isinstance(q.object, ox.Literal) and q.graph_name not in UNTOUCHED
        ),
        key=str,
    )
    chosen = candidates[:: max(1, len(candidates) // size)][:size]
    if len(chosen) < size:
        raise SystemExit(f"the store has only {len(chosen)} free-text values, not {size}")
    added = [
        ox.Quad(q.subject, q.predicate, _edited(q.object), q.graph_name)  # type: ignore[arg-type]
        for q in chosen
    ]
    return Patch.between(chosen, added)


def _edited(value: ox.Literal) -> ox.Literal:
    if value.language:
        return ox.Literal(value.value + " (edited)", language=value.language)
    return ox.Literal(value.value + " (edited)", datatype=value.datatype)


def update_text(patch: Patch) -> str:
    """The change as SPARQL Update: ``DELETE DATA`` then ``INSERT DATA``."""

    def block(quads: tuple[ox.Quad, ...]) -> str:
        return "\n".join(
            f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in quads
        )

    return f"DELETE DATA {{ {block(patch.removed)} }} ;\nINSERT DATA {{ {block(patch.added)} }}"


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    run()  # warm-up: caches, first queries
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(name: str, store: ox.Store, gate: ShapesGate, size: int, repeat: int) -> Row:
    patch = change(store, size)
    focus = affected_focus_nodes(store, patch, gate.reach)
    near = neighbourhood(PatchedView(store, patch), focus, gate.reach.walks)
    text = update_text(patch)
    staged = patch_for_update(store, text)
    if (set(staged.removed), set(staged.added)) != (set(patch.removed), set(patch.added)):
        raise SystemExit("staging the update gave another patch than the change")
    staging = median_seconds(lambda: patch_for_update(store, text), repeat)
    derived = median_seconds(lambda: gate.derived(store, patch), repeat)
    checked = median_seconds(lambda: gate.check(store, patch), repeat)
    return Row(
        name,
        len(store),
        size,
        len(focus),
        len(near),
        staging,
        derived,
        checked,
        gate.check(store, patch).conforms,
    )


def full_seconds(store: ox.Store, gate: ShapesGate) -> float:
    dataset = gate.dataset(store)
    started = time.perf_counter()
    validate(dataset, shapes=gate.shapes)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, nargs="*", default=[1, 100])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1, 10, 100])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-full", action="store_true", help="skip the full validations")
    options = parser.parse_args()
    print(
        f"# {platform.machine()}, Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}"
    )
    gate = ShapesGate()
    stores = [("shipped", shipped_store)] + [
        (f"{n} synthetic", lambda n=n: synthetic_store(n)) for n in options.articles
    ]
    print(
        "| store | quads | change (triples) | focus nodes | quads read "
        "| staging ms | truthy upkeep ms | check ms | conforms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    fulls = []
    for name, build in stores:
        store = build()
        for size in options.sizes:
            row = measure(name, store, gate, size, options.repeat)
            print(
                f"| {row.store} | {row.quads:,} | {row.change} | {row.focus} | {row.near:,} "
                f"| {row.staging_s * 1000:.1f} | {row.derived_s * 1000:.1f} "
                f"| {row.check_s * 1000:.0f} | {row.conforms} |",
                flush=True,
            )
        if not options.no_full:
            fulls.append((name, len(store), full_seconds(store, gate)))
    for name, quads, seconds in fulls:
        print(f"full validation, {name} ({quads:,} quads): {seconds:.1f} s")


if __name__ == "__main__":
    main()
