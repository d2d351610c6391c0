"""The shipped Wikidata layer names its sources: every link's evidence and every snapshot fact.

A snapshot fact (``wd:Q… wdt:P… wd:Q…`` or an item's English label) must have a record, an
``rdf:Statement`` with the same triple, derived from a public file cited at a commit, whose
quoted words carry the object (the item's number or the label); a record must describe a fact
that is in the graph; and the facts hang off linked items, directly or through their classes.
"""

from __future__ import annotations

import re

import pytest
from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from nkgraph.graph import load_dataset
from nkgraph.vocab import GRAPHS, NK

WD = "http://www.wikidata.org/entity/"
WDT = "http://www.wikidata.org/prop/direct/"
#: A GitHub file pinned to a commit: the only kind of source URL the Wikidata layer cites.
PINNED = re.compile(r"^https://github\.com/[^/]+/[^/]+/blob/[0-9a-f]{40}/.+")

Triple = tuple[URIRef, URIRef, URIRef | Literal]


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="module")
def snapshot(dataset: Dataset) -> Graph:
    return dataset.graph(GRAPHS.WIKIDATA_SNAPSHOT)


def facts(snapshot: Graph) -> list[Triple]:
    """The Wikidata statements in the snapshot graph (not the records about them)."""
    found: list[Triple] = []
    for s, p, o in snapshot:
        if not (isinstance(s, URIRef) and str(s).startswith(WD)):
            continue
        if str(p).startswith(WDT) or p == RDFS.label:
            assert isinstance(o, URIRef | Literal)
            found.append((s, URIRef(p), o))
    return found


def records_of(snapshot: Graph, fact: Triple) -> list[URIRef]:
    s, p, o = fact
    return [
        record
        for record in snapshot.subjects(RDF.subject, s)
        if isinstance(record, URIRef)
        and (record, RDF.type, RDF.Statement) in snapshot
        and (record, RDF.predicate, p) in snapshot
        and (record, RDF.object, o) in snapshot
    ]


def words_for(o: URIRef | Literal) -> str:
    """What a source's excerpt must contain for ``o``: an item's number, or the label itself."""
    return str(o).removeprefix(WD + "Q") if isinstance(o, URIRef) else str(o)


def test_the_snapshot_has_class_facts(snapshot: Graph) -> None:
    predicates = {p for _, p, _ in facts(snapshot)}
    assert {URIRef(WDT + "P31"), URIRef(WDT + "P279")} <= predicates


def test_every_fact_has_a_record_with_a_pinned_source(snapshot: Graph) -> None:
    for fact in facts(snapshot):
        records = records_of(snapshot, fact)
        assert records, f"no record for {fact}"
        for record in records:
            assert snapshot.value(record, DCTERMS.date) is not None, record
            sources = list(snapshot.objects(record, PROV.wasDerivedFrom))
            assert sources, f"{record} names no source"
            for source in sources:
                assert (source, RDF.type, NK.LinkEvidence) in snapshot, source
                assert PINNED.match(str(snapshot.value(source, DCTERMS.source))), source
                excerpt = str(snapshot.value(source, NK.evidenceExcerpt))
                assert words_for(fact[2]) in excerpt, f"{source} does not quote {fact[2]}"
                assert words_for(fact[0]) in excerpt, f"{source} does not name {fact[0]}"


def test_every_record_describes_a_fact_in_the_graph(snapshot: Graph) -> None:
    for record in snapshot.subjects(RDF.type, RDF.Statement):
        triple = tuple(
            snapshot.value(record, term) for term in (RDF.subject, RDF.predicate, RDF.object)
        )
        assert triple in snapshot, f"{record} describes {triple}, which is not in the snapshot"


def test_facts_hang_off_linked_items(dataset: Dataset, snapshot: Graph) -> None:
    linked = set(dataset.graph(GRAPHS.WIKIDATA_LINKS).objects(None, SKOS.exactMatch))
    reached = linked | {o for _, p, o in facts(snapshot) if p != RDFS.label}
    strays = {s for s, _, _ in facts(snapshot)} - reached
    assert not strays, f"facts about items neither linked nor a class of one: {sorted(strays)}"


def test_every_cited_file_is_pinned_to_a_commit(dataset: Dataset) -> None:
    for graph in (GRAPHS.WIKIDATA_LINKS, GRAPHS.WIKIDATA_SNAPSHOT):
        for url in dataset.graph(graph).objects(None, DCTERMS.source):
            assert PINNED.match(str(url)), f"{url} is not a file at a commit"
