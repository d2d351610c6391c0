"""The ontology defines every term the data and shapes use, each with a label and a definition."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import SKOS

from nkgraph.model.loading import load_dataset, load_shapes
from nkgraph.model.resources import shipped
from nkgraph.vocab import GRAPHS, NK


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(shipped().ontology)


def nk_terms(graph: Graph) -> set[URIRef]:
    return {
        term
        for triple in graph
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(str(NK))
    }


def test_ontology_is_an_owl_ontology(ontology: Graph) -> None:
    assert (URIRef("https://w3id.org/nkgraph/ontology"), RDF.type, OWL.Ontology) in ontology


def test_every_term_used_is_defined() -> None:
    dataset = load_dataset()
    defined = set(dataset.graph(GRAPHS.ONTOLOGY).subjects())
    used = nk_terms(dataset) | nk_terms(load_shapes())
    assert sorted(used - defined) == []


def test_every_term_has_a_label_and_a_definition(ontology: Graph) -> None:
    undocumented = []
    for term in nk_terms(ontology):
        if (term, None, None) not in ontology:
            continue
        labelled = (term, RDFS.label, None) in ontology or (term, SKOS.prefLabel, None) in ontology
        defined = (term, RDFS.comment, None) in ontology or (
            term,
            SKOS.definition,
            None,
        ) in ontology
        if not (labelled and defined):
            undocumented.append(str(term))
    assert sorted(undocumented) == []


def test_classes_and_properties_are_declared(ontology: Graph) -> None:
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
    kinds |= {SKOS.Concept, SKOS.ConceptScheme, OWL.NamedIndividual, NK.Characterisation}
    untyped = [
        str(term)
        for term in nk_terms(ontology)
        if (term, None, None) in ontology and not set(ontology.objects(term, RDF.type)) & kinds
    ]
    assert sorted(untyped) == []
