"""The graph as a whole, for the home page: kinds of things with counts, their members,
a label search, the timeline of events as the article dates them, and the ontology's
terms. Like ``describe.py``, everything is fetched by SPARQL through a ``Lookup``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from nkgraph.errors import ResourceNotFound
from nkgraph.pages.describe import Labels, Link, PropertyValues, Value, fetch_labels
from nkgraph.pages.lookup import Lookup, Term, first_literal, named, string_term

__all__ = [
    "KINDS",
    "SEARCH_LIMIT",
    "Kind",
    "KindCount",
    "OntologyTerm",
    "ResolvedTime",
    "TimelineEntry",
    "kind_by_key",
    "kind_counts",
    "kind_members",
    "kind_members_query",
    "ontology_terms",
    "search_labels",
    "search_query",
    "timeline",
]


@dataclass(frozen=True)
class Kind:
    """A kind of thing the home page lists, and the SPARQL pattern that finds them (``?x``)."""

    key: str
    label: str
    pattern: str


#: The kinds of things in the graph, in the order the home page lists them.
KINDS: Final = (
    Kind("countries", "Countries", "?x a schema:Country"),
    Kind("places", "Places and regions", "?x a schema:Place"),
    Kind("people", "People", "{ ?x a foaf:Person } UNION { ?x a schema:Person }"),
    Kind("organisations", "Organisations", "?x a org:Organization"),
    Kind(
        "groups",
        "Unnamed groups and populations",
        "{ ?x a nk:UnnamedGroup } UNION { ?x a nk:PopulationGroup }",
    ),
    Kind("posts", "Posts", "?x a org:Post"),
    Kind("events", "Events", "?x a sem:Event"),
    Kind("figures", "Figures", "?x a/rdfs:subClassOf* nk:Figure"),
    Kind("quotations", "Quotations", "?x a nk:Quotation"),
    Kind("claims", "Claims (statements)", "?x a nk:Statement"),
    Kind("text", "Text units (lines and sentences)", "?x a nk:TextUnit"),
)


@dataclass(frozen=True)
class KindCount:
    kind: Kind
    count: int


def kind_counts(lookup: Lookup) -> tuple[KindCount, ...]:
    """How many things of each kind the graph holds."""
    return tuple(KindCount(kind, lookup.count(kind.pattern)) for kind in KINDS)


def kind_by_key(key: str) -> Kind:
    """Raises: ResourceNotFound: no kind has that key."""
    for kind in KINDS:
        if kind.key == key:
            return kind
    raise ResourceNotFound(key)


def kind_members_query(kind: Kind) -> str:
    """The SELECT behind :func:`kind_members` (without prologue)."""
    return f"SELECT DISTINCT ?x WHERE {{ {kind.pattern} FILTER(isIRI(?x)) }} ORDER BY ?x"


def kind_members(lookup: Lookup, kind: Kind) -> tuple[Link, ...]:
    """The things of ``kind``, by label."""
    rows = lookup.select(kind_members_query(kind))
    iris = [r["x"].value for r in rows]
    labels = fetch_labels(lookup, iris)
    return tuple(sorted((labels.link(i) for i in iris), key=lambda link: link.label.lower()))


#: How many resources a search lists.
SEARCH_LIMIT: Final = 50


def search_query(text: str, *, limit: int = SEARCH_LIMIT) -> str:
    """The SELECT behind :func:`search_labels` (without prologue)."""
    return (
        "SELECT DISTINCT ?x WHERE { "
        "?x rdfs:label|skos:prefLabel|schema:name|nk:surfaceForm|oa:exact ?l "
        f"FILTER(isIRI(?x) && CONTAINS(LCASE(STR(?l)), LCASE({string_term(text.strip())}))) }}"
        f" ORDER BY ?x LIMIT {limit}"
    )


def search_labels(lookup: Lookup, text: str, *, limit: int = SEARCH_LIMIT) -> tuple[Link, ...]:
    """Resources whose label contains ``text`` (case-insensitive)."""
    if not text.strip():
        return ()
    rows = lookup.select(search_query(text, limit=limit))
    iris = [r["x"].value for r in rows]
    labels = fetch_labels(lookup, iris)
    return tuple(sorted((labels.link(i) for i in iris), key=lambda link: link.label.lower()))


@dataclass(frozen=True)
class ResolvedTime:
    """What a stated time resolves to, on what basis and by what rule."""

    iri: str
    text: str
    basis: Link | None
    rule: str | None
    earliest: str
    stamps: tuple[tuple[str, str], ...] = ()  # (SEM timestamp name, ISO date), as stated


@dataclass(frozen=True)
class TimelineEntry:
    """An event (or act) dated by the article: the words, where, and their resolutions."""

    event: Link
    stated: str
    time_spec: Link
    statement: Link
    evidence: Link | None
    resolutions: tuple[ResolvedTime, ...]

    @property
    def sort_key(self) -> str:
        dates = [r.earliest for r in self.resolutions if r.earliest]
        return min(dates) if dates else "9999"


_TIMESTAMPS: Final = (
    ("hasTimeStamp", "on {}"),
    ("hasBeginTimeStamp", "began on {}"),
    ("hasEarliestBeginTimeStamp", "began on {} or later"),
    ("hasLatestBeginTimeStamp", "began by {}"),
    ("hasEarliestEndTimeStamp", "ended on {} or later"),
    ("hasLatestEndTimeStamp", "ended by {}"),
)


def timeline(lookup: Lookup) -> tuple[TimelineEntry, ...]:
    """Every ``sem:hasTime`` statement, with the stated words and their resolutions,
    earliest first; those the graph does not resolve come last."""
    rows = lookup.select(
        "SELECT DISTINCT ?st ?event ?spec ?unit WHERE { ?st a nk:Statement ; "
        "nk:subject ?event ; nk:predicate sem:hasTime ; nk:object ?spec . "
        "OPTIONAL { ?st nk:evidence ?unit } }"
    )
    specs = sorted({r["spec"].value for r in rows})
    resolution_rows = lookup.select(
        "SELECT DISTINCT ?res ?spec WHERE { ?res nk:resolves ?spec . "
        f"VALUES ?spec {{ {' '.join(f'<{s}>' for s in specs)} }} }} ORDER BY ?res"
    )
    resolutions = sorted({r["res"].value for r in resolution_rows})
    props = lookup.properties(specs + resolutions)
    labels = fetch_labels(
        lookup,
        [r[k].value for r in rows for k in ("event", "st", "unit") if k in r]
        + [b for i in resolutions for b in named(props[i].get(_NK + "basis", ()))],
    )
    entries = []
    for row in rows:
        spec = row["spec"].value
        resolved = tuple(
            _resolved(r["res"].value, props[r["res"].value], labels)
            for r in resolution_rows
            if r["spec"].value == spec
        )
        unit = row.get("unit")
        entries.append(
            TimelineEntry(
                event=labels.link(row["event"].value),
                stated=first_literal(props[spec], _NK + "surfaceForm") or spec,
                time_spec=Link(spec, first_literal(props[spec], _NK + "surfaceForm") or spec),
                statement=labels.link(row["st"].value),
                evidence=labels.link(unit.value) if unit is not None else None,
                resolutions=resolved,
            )
        )
    return tuple(sorted(entries, key=lambda e: (e.sort_key, e.event.label, e.stated)))


_NK: Final = "https://w3id.org/nkgraph/ontology#"
_SEM: Final = "http://semanticweb.cs.vu.nl/2009/11/sem/"


def _resolved(iri: str, values: dict[str, list[Term]], labels: Labels) -> ResolvedTime:
    parts, dates, stamps = [], [], []
    for name, template in _TIMESTAMPS:
        for value in values.get(_SEM + name, ()):
            parts.append(template.format(value.value))
            dates.append(value.value)
            stamps.append((name, value.value))
    bases = named(values.get(_NK + "basis", ()))
    return ResolvedTime(
        iri=iri,
        text="; ".join(parts) or "not resolved to a date",
        basis=labels.link(bases[0]) if bases else None,
        rule=first_literal(values, _NK + "rule"),
        earliest=min(dates) if dates else "",
        stamps=tuple(stamps),
    )


@dataclass(frozen=True)
class OntologyTerm:
    """One term of the ontology document: name, label, kind, definition, alignments."""

    iri: str
    name: str
    label: str
    kinds: tuple[Link, ...]
    definition: str | None
    alignments: tuple[PropertyValues, ...]


_ALIGNMENTS: Final = tuple(
    ns + local
    for ns, local in (
        ("http://www.w3.org/2000/01/rdf-schema#", "subClassOf"),
        ("http://www.w3.org/2000/01/rdf-schema#", "subPropertyOf"),
        ("http://www.w3.org/2002/07/owl#", "equivalentClass"),
        ("http://www.w3.org/2002/07/owl#", "equivalentProperty"),
        ("http://www.w3.org/2004/02/skos/core#", "exactMatch"),
        ("http://www.w3.org/2004/02/skos/core#", "closeMatch"),
        ("http://www.w3.org/2004/02/skos/core#", "broadMatch"),
        ("http://www.w3.org/2004/02/skos/core#", "inScheme"),
        ("http://www.w3.org/2000/01/rdf-schema#", "domain"),
        ("http://www.w3.org/2000/01/rdf-schema#", "range"),
    )
)


def ontology_terms(lookup: Lookup, namespace: str) -> tuple[OntologyTerm, ...]:
    """Every term in ``namespace`` with its definition and alignments, by name."""
    rows = lookup.select(
        "SELECT DISTINCT ?s WHERE { ?s ?p ?o "
        f"FILTER(STRSTARTS(STR(?s), {string_term(namespace)})) }} ORDER BY ?s"
    )
    iris = [r["s"].value for r in rows if len(r["s"].value) > len(namespace)]
    props = lookup.properties(iris)
    labels = fetch_labels(
        lookup,
        iris
        + [i for v in props.values() for objects in v.values() for i in named(objects)]
        + list(_ALIGNMENTS),
    )
    return tuple(_term(iri, namespace, props[iri], labels) for iri in iris)


def _term(iri: str, namespace: str, values: dict[str, list[Term]], labels: Labels) -> OntologyTerm:
    link, value = labels.link, labels.value
    alignments = []
    for predicate in _ALIGNMENTS:
        found: Sequence[Value] = [v for v in (value(o) for o in values.get(predicate, ())) if v]
        if found:
            alignments.append(PropertyValues(link(predicate), tuple(found)))
    return OntologyTerm(
        iri=iri,
        name=iri[len(namespace) :],
        label=labels(iri),
        kinds=tuple(
            link(t)
            for t in named(values.get("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", ()))
        ),
        definition=first_literal(
            values,
            "http://www.w3.org/2004/02/skos/core#definition",
            "http://www.w3.org/2000/01/rdf-schema#comment",
        ),
        alignments=tuple(alignments),
    )
