"""The project's namespaces, named graphs and prefix map."""

from __future__ import annotations

from typing import Final

from rdflib import Namespace, URIRef

__all__ = ["ART", "GRAPHS", "ID", "NK", "PREFIXES", "Graphs"]

#: The ontology's own terms.
NK: Final = Namespace("https://w3id.org/nkgraph/ontology#")
#: Entities that outlive one article: states, people, organisations, events.
ID: Final = Namespace("https://w3id.org/nkgraph/id/")
#: Resources that belong to the one article: its text units, statements, figures, quotations.
ART: Final = Namespace("https://w3id.org/nkgraph/id/karabakh-exodus-2023/")
_GRAPH: Final = "https://w3id.org/nkgraph/graph/"


class Graphs:
    """Names of the dataset's named graphs."""

    ONTOLOGY: Final = URIRef(_GRAPH + "ontology")
    ARTICLE: Final = URIRef(_GRAPH + "karabakh-exodus-2023")
    RESOLVED: Final = URIRef(_GRAPH + "karabakh-exodus-2023/resolved")
    METADATA: Final = URIRef(_GRAPH + "karabakh-exodus-2023/metadata")
    TRUTHY: Final = URIRef(_GRAPH + "truthy")
    #: Links to Wikidata items, each with the record of how it was established.
    WIKIDATA_LINKS: Final = URIRef(_GRAPH + "wikidata-links")
    #: Facts fetched from Wikidata by ``nkgraph wikidata snapshot`` (not shipped).
    WIKIDATA_SNAPSHOT: Final = URIRef(_GRAPH + "wikidata-snapshot")
    #: Fact-check reviews (schema:ClaimReview) of statements and quotations, written
    #: through the service by curators (not shipped).
    REVIEWS: Final = URIRef(_GRAPH + "reviews")


GRAPHS: Final = Graphs

#: Prefixes bound in every graph the project writes or queries.
PREFIXES: Final[dict[str, str]] = {
    "nk": str(NK),
    "id": str(ID),
    "art": str(ART),
    "graph": _GRAPH,
    "schema": "http://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "oa": "http://www.w3.org/ns/oa#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "time": "http://www.w3.org/2006/time#",
    "dcterms": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "wd": "http://www.wikidata.org/entity/",
}
