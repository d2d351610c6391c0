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

from nkgraph.model.loading import load_dataset
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


def test_every_link_quotes_its_item(dataset: Dataset) -> None:
    """Each source of a link quotes the item's number: the pairing can be checked in its words."""
    links = dataset.graph(GRAPHS.WIKIDATA_LINKS)
    records = list(links.subjects(RDF.type, NK.WikidataLink))
    assert records
    for record in records:
        item = links.value(record, RDF.object)
        assert isinstance(item, URIRef) and str(item).startswith(WD + "Q"), record
        number = words_for(item)
        sources = list(links.objects(record, PROV.wasDerivedFrom))
        assert sources, f"{record} names no source"
        for source in sources:
            excerpt = str(links.value(source, NK.evidenceExcerpt))
            assert re.search(rf"(?<!\d){number}(?!\d)", excerpt), f"{source} of {record}: no {item}"


@pytest.mark.parametrize(
    ("entity", "item", "label"),
    [
        ("nagorno-karabakh-war-2020", "Q99659280", "Second Nagorno-Karabakh War"),
        ("first-nagorno-karabakh-war", "Q381375", "First Nagorno-Karabakh War"),
    ],
)
def test_the_two_wars_are_linked_with_two_sources(
    dataset: Dataset, entity: str, item: str, label: str
) -> None:
    links = dataset.graph(GRAPHS.WIKIDATA_LINKS)
    subject = URIRef("https://w3id.org/nkgraph/id/" + entity)
    assert list(links.objects(subject, SKOS.exactMatch)) == [URIRef(WD + item)]
    record = URIRef("https://w3id.org/nkgraph/id/wikidata-link/" + entity)
    assert links.value(record, NK.wikidataLabel) == Literal(label, lang="en")
    sources = list(links.objects(record, PROV.wasDerivedFrom))
    assert len(sources) == 2
    assert any(PINNED.match(str(links.value(s, DCTERMS.source))) for s in sources)
