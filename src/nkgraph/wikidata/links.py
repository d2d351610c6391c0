"""Wikidata links as data: read them, check them against Wikidata, write confirmed ones.

A link is one triple, ``id:x skos:exactMatch wd:Q…``, in the graph
``graph:wikidata-links`` (``data/karabakh-exodus-2023-wikidata.trig``), with a record
(``nk:WikidataLink``) that says how it was established: the item's label and description
that matched, the evidence (a public source and its words), the date and the method. This
module turns those records into :class:`LinkRecord` values, compares them with what
Wikidata says now (:func:`check_links`), ranks candidates for unlinked entities
(:func:`suggest_links`), and appends a confirmed link to the links file
(:func:`append_link`), so the file stays hand-readable.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Final

from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS
from rdflib.term import Node

from nkgraph.vocab import GRAPHS, ID, NK
from nkgraph.wikidata.client import Entity, EntityLookup, SearchCandidate, WikidataClient, qid_of

__all__ = [
    "LINKABLE_CLASSES",
    "CheckResult",
    "Evidence",
    "LinkProblem",
    "LinkRecord",
    "Suggestion",
    "append_link",
    "check_links",
    "linkable_entities",
    "read_links",
    "record_iri",
    "render_link",
    "suggest_links",
]

#: Where link records live: ``…/id/wikidata-link/<entity>``.
LINK_BASE: Final = str(ID) + "wikidata-link/"
_SCHEMA = "http://schema.org/"
#: Classes whose instances have an identity outside the article and may be linked.
LINKABLE_CLASSES: Final = tuple(
    URIRef(iri)
    for iri in (
        _SCHEMA + "Country",
        _SCHEMA + "Place",
        _SCHEMA + "Organization",
        _SCHEMA + "NewsMediaOrganization",
        _SCHEMA + "GovernmentOrganization",
        _SCHEMA + "NGO",
        _SCHEMA + "Person",
        _SCHEMA + "Event",
        "http://www.w3.org/ns/org#Post",
        str(NK.SelfDeclaredState),
        str(NK.SocialMediaPlatform),
        str(NK.ArmedForces),
        str(NK.Characterisation),
    )
)


class LinkMethod(Enum):
    """How a link was established (the concepts of ``nk:LinkMethods``)."""

    PUBLIC_SOURCE_PAIRING = str(NK.PublicSourcePairing)
    CONFIRMED_SEARCH_CANDIDATE = str(NK.ConfirmedSearchCandidate)


@dataclass(frozen=True)
class Evidence:
    """A source that pairs the identifier with the entity: where it is and its words."""

    excerpt: str
    source: str | None = None
    identifier: str | None = None


@dataclass(frozen=True)
class LinkRecord:
    """One link and the record of how it was established."""

    resource: str
    item: str
    label: str
    checked: datetime.date
    method: LinkMethod
    label_language: str = "en"
    description: str | None = None
    evidence: tuple[Evidence, ...] = ()

    @property
    def item_iri(self) -> str:
        return "http://www.wikidata.org/entity/" + self.item


class LinkProblem(Enum):
    """What can be wrong with a link now."""

    MISSING = "missing or deleted"
    REDIRECTED = "redirects to another item (merged)"
    LABEL_CHANGED = "label differs"
    DESCRIPTION_CHANGED = "description differs"
    WRONG_TYPE = "type does not fit"


@dataclass(frozen=True)
class CheckResult:
    """One link checked against Wikidata: the problems found (none means it holds)."""

    record: LinkRecord
    problems: tuple[tuple[LinkProblem, str], ...] = ()
    entity: Entity | None = None

    @property
    def holds(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Suggestion:
    """Ranked Wikidata candidates for one unlinked entity."""

    resource: str
    label: str
    candidates: tuple[SearchCandidate, ...] = field(default=())


def record_iri(resource: str) -> URIRef:
    """The IRI of the record of ``resource``'s link."""
    local = resource.rsplit("#", 1)[-1] if "#" in resource else resource.rstrip("/").rsplit("/")[-1]
    name = re.sub(r"(?<!^)(?=[A-Z])", "-", local).lower() if "#" in resource else local
    return URIRef(LINK_BASE + name)


# -- reading ---------------------------------------------------------------------------------


def read_links(dataset: Dataset) -> tuple[LinkRecord, ...]:
    """The link records of ``dataset``'s links graph, in the order of their resources."""
    graph = dataset.graph(GRAPHS.WIKIDATA_LINKS)
    records = [_record(graph, node) for node in graph.subjects(RDF.type, NK.WikidataLink)]
    return tuple(sorted(records, key=lambda r: r.resource))


def _record(graph: Graph, node: Node) -> LinkRecord:
    label = graph.value(node, NK.wikidataLabel)
    description = graph.value(node, NK.wikidataDescription)
    checked = graph.value(node, DCTERMS.date)
    method = graph.value(node, NK.linkMethod)
    evidence = tuple(
        Evidence(
            excerpt=str(graph.value(e, NK.evidenceExcerpt) or ""),
            source=_str_or_none(graph.value(e, DCTERMS.source)),
            identifier=_str_or_none(graph.value(e, DCTERMS.identifier)),
        )
        for e in graph.objects(node, PROV.wasDerivedFrom)
    )
    return LinkRecord(
        resource=str(graph.value(node, RDF.subject)),
        item=qid_of(str(graph.value(node, RDF.object))) or str(graph.value(node, RDF.object)),
        label=str(label or ""),
        label_language=(label.language if isinstance(label, Literal) else None) or "en",
        description=_str_or_none(description),
        checked=checked.toPython() if isinstance(checked, Literal) else datetime.date.min,
        method=LinkMethod(str(method)),
        evidence=tuple(sorted(evidence, key=lambda e: (e.source or "", e.identifier or ""))),
    )


def _str_or_none(node: Node | None) -> str | None:
    return None if node is None else str(node)


def linkable_entities(dataset: Dataset) -> dict[str, str]:
    """Entities that may have a Wikidata item, with their labels: named, not statements,
    not unnamed groups or people (the shapes forbid linking those)."""
    found: dict[str, str] = {}
    for cls in LINKABLE_CLASSES:
        for entity in dataset.subjects(RDF.type, cls):
            if not isinstance(entity, URIRef) or (entity, NK.notStated, None) in dataset:
                continue
            if (entity, RDF.type, NK.UnnamedGroup) in dataset:
                continue
            label = dataset.value(entity, RDFS.label) or dataset.value(entity, SKOS.prefLabel)
            if label is not None:
                found[str(entity)] = str(label)
    return dict(sorted(found.items()))


# -- checking and suggesting -----------------------------------------------------------------

#: Item types (P31) that fit each kind of resource; a link whose item has none of them,
#: though it has some type, is reported. Kinds not listed are not type-checked.
EXPECTED_TYPES: Final[dict[str, frozenset[str]]] = {
    _SCHEMA + "Country": frozenset({"Q6256", "Q3624078", "Q7275", "Q1763527", "Q3024240"}),
    _SCHEMA + "Person": frozenset({"Q5"}),
}


def check_links(
    records: Sequence[LinkRecord],
    lookups: dict[str, EntityLookup],
    *,
    kinds: dict[str, frozenset[str]] | None = None,
) -> tuple[CheckResult, ...]:
    """Compare each record with Wikidata's item as looked up now.

    ``kinds`` maps a resource to its classes' IRIs, for the type check.
    """
    return tuple(
        _check(record, lookups.get(record.item), (kinds or {}).get(record.resource))
        for record in records
    )


def _check(
    record: LinkRecord, lookup: EntityLookup | None, kinds: frozenset[str] | None
) -> CheckResult:
    if lookup is None or not isinstance(lookup, Entity):
        return CheckResult(record, ((LinkProblem.MISSING, f"{record.item} is not an item"),))
    problems: list[tuple[LinkProblem, str]] = []
    if lookup.redirected:
        problems.append((LinkProblem.REDIRECTED, f"{record.item} now redirects to {lookup.id}"))
    if (lookup.label or "") != record.label:
        problems.append(
            (LinkProblem.LABEL_CHANGED, f"recorded {record.label!r}, Wikidata {lookup.label!r}")
        )
    if record.description is not None and lookup.description != record.description:
        problems.append(
            (
                LinkProblem.DESCRIPTION_CHANGED,
                f"recorded {record.description!r}, Wikidata {lookup.description!r}",
            )
        )
    expected = frozenset().union(*(EXPECTED_TYPES.get(k, frozenset()) for k in kinds or ()))
    if expected and lookup.instance_of and not expected & set(lookup.instance_of):
        problems.append(
            (
                LinkProblem.WRONG_TYPE,
                f"instance of {', '.join(lookup.instance_of)}; expected one of "
                f"{', '.join(sorted(expected))}",
            )
        )
    return CheckResult(record, tuple(problems), lookup)


def suggest_links(
    client: WikidataClient, entities: dict[str, str], *, limit: int = 5
) -> tuple[Suggestion, ...]:
    """Ranked ``wbsearchentities`` candidates for each entity (IRI -> label)."""
    return tuple(
        Suggestion(iri, label, client.search(_search_text(label), limit=limit))
        for iri, label in entities.items()
    )


def _search_text(label: str) -> str:
    # Labels of events carry dates and glosses ("..., September 2023"); search the name.
    return label.split(",")[0].strip()


# -- writing ---------------------------------------------------------------------------------


#: Prefixes of the links file; :func:`render_link` writes names with them.
LINK_PREFIXES: Final[dict[str, str]] = {
    "nk": str(NK),
    "id": str(ID),
    "link": LINK_BASE,
    "graph": str(GRAPHS.WIKIDATA_LINKS).rsplit("/", 1)[0] + "/",
    "wd": "http://www.wikidata.org/entity/",
    "rdf": str(RDF),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
_LOCAL: Final = re.compile(r"[A-Za-z][A-Za-z0-9-]*")


def prefix_block() -> str:
    """The ``PREFIX`` lines a new links file starts with."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in LINK_PREFIXES.items())


def _short(iri: str) -> str:
    """``iri`` as a prefixed name where one fits, else in angle brackets."""
    best = max(
        (item for item in LINK_PREFIXES.items() if iri.startswith(item[1])),
        key=lambda item: len(item[1]),
        default=None,
    )
    if best is not None and _LOCAL.fullmatch(iri[len(best[1]) :]):
        return f"{best[0]}:{iri[len(best[1]) :]}"
    return URIRef(iri).n3()


def render_link(record: LinkRecord) -> str:
    """The link and its record as a TriG block of the links graph (prefixes of
    :data:`LINK_PREFIXES`)."""
    subject, item = _short(record.resource), _short(record.item_iri)
    label = Literal(record.label, lang=record.label_language).n3()
    lines = [
        f"{_short(str(GRAPHS.WIKIDATA_LINKS))} {{",
        f"    {subject} skos:exactMatch {item} .",
        f"    {_short(str(record_iri(record.resource)))} a nk:WikidataLink ;",
        f"        rdf:subject {subject} ; rdf:predicate skos:exactMatch ; rdf:object {item} ;",
        f"        nk:wikidataLabel {label} ;",
    ]
    if record.description is not None:
        description = Literal(record.description, lang=record.label_language).n3()
        lines.append(f"        nk:wikidataDescription {description} ;")
    lines += [
        f"        nk:linkMethod {_short(record.method.value)} ;",
        f'        dcterms:date "{record.checked.isoformat()}"^^xsd:date',
    ]
    for evidence in record.evidence:
        lines[-1] += " ;"
        lines.append(f"        prov:wasDerivedFrom {_evidence(evidence)}")
    lines[-1] += " ."
    lines.append("}")
    return "\n".join(lines) + "\n"


def _evidence(evidence: Evidence) -> str:
    parts = ["a nk:LinkEvidence"]
    if evidence.source:
        parts.append(f"dcterms:source {URIRef(evidence.source).n3()}")
    if evidence.identifier:
        parts.append(f"dcterms:identifier {Literal(evidence.identifier).n3()}")
    parts.append(f"nk:evidenceExcerpt {Literal(evidence.excerpt).n3()}")
    return "[\n            " + " ;\n            ".join(parts) + " ]"


def confirmed_record(
    resource: str, entity: Entity, *, today: datetime.date, api_url: str
) -> LinkRecord:
    """The record of a link a person confirmed from Wikidata's own answer."""
    words = f"{entity.id}: {entity.label!r}"
    if entity.description:
        words += f", {entity.description!r}"
    return LinkRecord(
        resource=resource,
        item=entity.id,
        label=entity.label or "",
        description=entity.description,
        checked=today,
        method=LinkMethod.CONFIRMED_SEARCH_CANDIDATE,
        evidence=(
            Evidence(excerpt=words, source=f"{api_url}?action=wbgetentities&ids={entity.id}"),
        ),
    )


def append_link(path: Path, record: LinkRecord) -> None:
    """Append ``record`` to the TriG file at ``path`` (TriG merges blocks of one graph)."""
    text = path.read_text(encoding="utf-8") if path.exists() else prefix_block()
    if text and not text.endswith("\n"):
        text += "\n"
    path.write_text(text + "\n" + render_link(record), encoding="utf-8")


def kinds_of(dataset: Dataset, resources: Iterable[str]) -> dict[str, frozenset[str]]:
    """The classes of each resource, for :func:`check_links`' type check."""
    return {r: frozenset(str(c) for c in dataset.objects(URIRef(r), RDF.type)) for r in resources}
