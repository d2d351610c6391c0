"""A snapshot of the Wikidata facts the example queries need, as a named graph.

``nkgraph wikidata snapshot`` asks the Wikidata Query Service, for the linked items only,
for their English labels, "instance of", population, start, end and point in time, and
positions held (P39) with their start and end qualifiers and English labels. The answer
goes into the graph ``graph:wikidata-snapshot``, which says when it was retrieved and from
where, so that those queries also work offline. No Wikidata fact is ever written from
memory: without network this writes nothing. The shipped graph's snapshot holds facts read
offline from public copies of Wikidata data, each with a record (an ``rdf:Statement``) naming
the file, commit and words it was read from (``data/karabakh-exodus-2023-wikidata.trig``).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from nkgraph.errors import WikidataUnavailable
from nkgraph.vocab import GRAPHS, PREFIXES
from nkgraph.wikidata.client import WikidataClient, item_iri

__all__ = ["Snapshot", "snapshot_query", "take_snapshot"]

_QUERY = """PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX p: <http://www.wikidata.org/prop/>
PREFIX ps: <http://www.wikidata.org/prop/statement/>
PREFIX pq: <http://www.wikidata.org/prop/qualifier/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT {
  ?item rdfs:label ?label ; wdt:P31 ?class ; wdt:P1082 ?population ;
        wdt:P580 ?start ; wdt:P582 ?end ; wdt:P585 ?time ; p:P39 ?held .
  ?held ps:P39 ?position ; pq:P580 ?from ; pq:P582 ?until .
  ?position rdfs:label ?positionLabel .
} WHERE {
  VALUES ?item { %s }
  { ?item rdfs:label ?label FILTER (LANG(?label) = "en") }
  UNION { ?item wdt:P31 ?class }
  UNION { ?item wdt:P1082 ?population }
  UNION { ?item wdt:P580 ?start } UNION { ?item wdt:P582 ?end } UNION { ?item wdt:P585 ?time }
  UNION { ?item p:P39 ?held . ?held ps:P39 ?position .
          OPTIONAL { ?held pq:P580 ?from } OPTIONAL { ?held pq:P582 ?until }
          OPTIONAL { ?position rdfs:label ?positionLabel FILTER (LANG(?positionLabel) = "en") } }
}"""


@dataclass(frozen=True)
class Snapshot:
    """A snapshot graph, serialised as TriG, and its size."""

    trig: str
    triples: int


def snapshot_query(items: Sequence[str]) -> str:
    """The CONSTRUCT query that fetches the snapshot's facts for ``items`` (QIDs)."""
    return _QUERY % " ".join(f"<{item_iri(q)}>" for q in items)


def take_snapshot(
    client: WikidataClient, items: Sequence[str], *, retrieved: datetime.date
) -> Snapshot:
    """Fetch the facts for ``items`` into the snapshot graph, stamped with ``retrieved``.

    Raises:
        WikidataUnavailable: the Query Service cannot be reached or answers nonsense.
    """
    text = client.construct(snapshot_query(items))
    try:
        facts = Graph().parse(data=text, format="nt")
    except Exception as error:  # rdflib raises many kinds for bad input
        raise WikidataUnavailable(client.sparql_url, f"unreadable answer ({error})") from error
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    graph = dataset.graph(GRAPHS.WIKIDATA_SNAPSHOT)
    for triple in facts:
        graph.add(triple)
    name = URIRef(GRAPHS.WIKIDATA_SNAPSHOT)
    graph.add((name, DCTERMS.date, Literal(retrieved)))
    graph.add((name, PROV.wasDerivedFrom, URIRef(client.sparql_url)))
    return Snapshot(dataset.serialize(format="trig"), len(facts))
