"""The SPARQL 1.1 Service Description of the endpoint, with VoID counts of its dataset.

See https://www.w3.org/TR/sparql11-service-description/ and https://www.w3.org/TR/void/.
"""

from __future__ import annotations

from typing import Final

import pyoxigraph as ox

from nkgraph.formats import ALL_FORMATS
from nkgraph.sparql.statistics import DatasetStatistics

__all__ = ["SD", "VOID", "service_description"]

SD: Final = "http://www.w3.org/ns/sparql-service-description#"
VOID: Final = "http://rdfs.org/ns/void#"
_RDF_TYPE: Final = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_XSD_INTEGER: Final = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def _void(name: str) -> ox.NamedNode:
    return ox.NamedNode(VOID + name)


def _count(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_XSD_INTEGER)


def service_description(
    endpoint: str,
    statistics: DatasetStatistics,
    *,
    federated: bool = False,
    update_endpoint: str | None = None,
) -> list[ox.Triple]:
    """The triples describing the service at ``endpoint``.

    The default dataset's default graph is described as the union of all graphs
    (``sd:UnionDefaultGraph``), and each named graph with its size. With writes on,
    ``update_endpoint`` is described too: a service of SPARQL 1.1 Update on the same
    dataset.
    """
    service = ox.NamedNode(endpoint)
    dataset = ox.BlankNode("dataset")
    default_graph = ox.BlankNode("defaultGraph")
    triples = [
        ox.Triple(service, _RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), service),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        ox.Triple(
            service,
            _sd("defaultEntailmentRegime"),
            ox.NamedNode("http://www.w3.org/ns/entailment/Simple"),
        ),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, _RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _RDF_TYPE, _void("Dataset")),
        ox.Triple(dataset, _void("sparqlEndpoint"), service),
        ox.Triple(dataset, _sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, _RDF_TYPE, _sd("Graph")),
        ox.Triple(default_graph, _void("triples"), _count(statistics.triples)),
        ox.Triple(default_graph, _void("entities"), _count(statistics.entities)),
        ox.Triple(default_graph, _void("classes"), _count(statistics.classes)),
        ox.Triple(default_graph, _void("properties"), _count(statistics.properties)),
    ]
    if federated:
        triples.append(ox.Triple(service, _sd("feature"), _sd("BasicFederatedQuery")))
    if update_endpoint is not None:
        update = ox.NamedNode(update_endpoint)
        triples += [
            ox.Triple(update, _RDF_TYPE, _sd("Service")),
            ox.Triple(update, _sd("endpoint"), update),
            ox.Triple(update, _sd("supportedLanguage"), _sd("SPARQL11Update")),
            ox.Triple(update, _sd("defaultDataset"), dataset),
        ]
    triples.extend(
        ox.Triple(service, _sd("resultFormat"), ox.NamedNode(f.iri)) for f in ALL_FORMATS
    )
    for index, graph in enumerate(statistics.graphs):
        named, description = ox.BlankNode(f"namedGraph{index}"), ox.BlankNode(f"graph{index}")
        triples += [
            ox.Triple(dataset, _sd("namedGraph"), named),
            ox.Triple(named, _RDF_TYPE, _sd("NamedGraph")),
            ox.Triple(named, _sd("name"), ox.NamedNode(graph.name)),
            ox.Triple(named, _sd("graph"), description),
            ox.Triple(description, _RDF_TYPE, _sd("Graph")),
            ox.Triple(description, _void("triples"), _count(graph.triples)),
        ]
    return triples
