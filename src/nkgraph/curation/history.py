"""The history of committed writes as PROV-O: who changed what, when, from which version.

Each journal entry (``curation/journal.py``) becomes, under ``{base}history/``::

    <history/3> a prov:Activity ;                  the transaction
        rdfs:label "transaction 3" ;
        prov:wasAssociatedWith <history/agent/curator> ;   the token's name, never the token
        prov:startedAtTime "…"^^xsd:dateTime ; prov:endedAtTime "…"^^xsd:dateTime ;
        dcterms:description "INSERT DATA { … }" ;  the request, as summarised
        prov:used <history/version/B+2> ;          the data version it changed
        prov:generated <history/version/B+3>, <history/3/added> ;
        prov:invalidated <history/3/removed> .
    <history/3/added> a prov:Entity, void:Dataset ; void:triples 2 .   (quads added)
    <history/3/removed> a prov:Entity, void:Dataset ; void:triples 1 . (quads removed)
    <history/version/B+3> a prov:Entity ; prov:wasRevisionOf <history/version/B+2> .

The exact change is the entry's RDF Patch, which ``GET /history/3`` and ``nkgraph history
3`` give; the quads keep their graphs there, which a set of triples could not.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, VOID, XSD

from nkgraph.curation.journal import Entry

__all__ = ["activity_iri", "history_dataset", "history_iri"]


def history_iri(base_iri: str) -> str:
    """The IRI the history's resources are named under."""
    return f"{base_iri}history/"


def activity_iri(base_iri: str, number: int) -> URIRef:
    """The IRI of transaction ``number``."""
    return URIRef(f"{history_iri(base_iri)}{number}")


def history_dataset(entries: Iterable[Entry], *, base_iri: str) -> Dataset:
    """The PROV-O description of ``entries``, in the default graph of a new dataset."""
    dataset = Dataset()
    for prefix, namespace in (("prov", PROV), ("void", VOID), ("dcterms", DCTERMS)):
        dataset.bind(prefix, namespace)
    for entry in entries:
        _describe(dataset, entry, base_iri)
    return dataset


def _describe(dataset: Dataset, entry: Entry, base_iri: str) -> None:
    activity = activity_iri(base_iri, entry.number)
    when = Literal(entry.created.isoformat(), datatype=XSD.dateTime)
    before, after = (_version(base_iri, v) for v in (entry.version_before, entry.version_after))
    added, removed = URIRef(f"{activity}/added"), URIRef(f"{activity}/removed")
    agent = _agent(dataset, base_iri, entry.agent)
    for triple in (
        (activity, RDF.type, PROV.Activity),
        (activity, RDFS.label, Literal(f"transaction {entry.number}")),
        (activity, PROV.wasAssociatedWith, agent),
        (activity, PROV.startedAtTime, when),
        (activity, PROV.endedAtTime, when),
        (activity, DCTERMS.description, Literal(entry.request)),
        (activity, PROV.used, before),
        (activity, PROV.generated, after),
        (activity, PROV.generated, added),
        (activity, PROV.invalidated, removed),
        (after, PROV.wasRevisionOf, before),
    ):
        dataset.add(triple)
    _version_entity(dataset, before, entry.version_before)
    _version_entity(dataset, after, entry.version_after)
    _quad_set(dataset, added, "added", len(entry.patch.added))
    _quad_set(dataset, removed, "removed", len(entry.patch.removed))


def _agent(dataset: Dataset, base_iri: str, name: str) -> URIRef:
    agent = URIRef(f"{history_iri(base_iri)}agent/{quote(name, safe='')}")
    dataset.add((agent, RDF.type, PROV.Agent))
    dataset.add((agent, RDFS.label, Literal(name)))
    return agent


def _version(base_iri: str, version: str) -> URIRef:
    return URIRef(f"{history_iri(base_iri)}version/{quote(version, safe='+')}")


def _version_entity(dataset: Dataset, iri: URIRef, version: str) -> None:
    dataset.add((iri, RDF.type, PROV.Entity))
    dataset.add((iri, RDFS.label, Literal(f"data version {version}")))


def _quad_set(dataset: Dataset, iri: URIRef, what: str, count: int) -> None:
    dataset.add((iri, RDF.type, PROV.Entity))
    dataset.add((iri, RDF.type, VOID.Dataset))
    dataset.add((iri, RDFS.label, Literal(f"the quads {what}")))
    dataset.add((iri, VOID.triples, Literal(count)))
