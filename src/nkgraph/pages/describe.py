"""One resource of the graph, described for people: :func:`describe` -> ``ResourceDescription``.

A description gathers what a page shows: labels and types, what the resource is said to
be (the ``nk:Statement`` nodes about it, pointing to it, said by it or resting on it,
each with its evidence sentence, the words it quotes highlighted), figures with their
hedge and bounds, the Wikidata link, the text of a text unit and what it mentions, and
for a term of the ontology where it is used. Every value is fetched by SPARQL through
:class:`~nkgraph.pages.lookup.Lookup`, and the result is frozen: templates only read it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import pyoxigraph as ox

from nkgraph.errors import ResourceNotFound
from nkgraph.pages.lookup import (
    Lookup,
    Term,
    first_literal,
    iri_term,
    named,
    string_term,
    values_clause,
)
from nkgraph.pages.naming import (
    LABEL_PREDICATES,
    OA_EXACT,
    Labels,
    Link,
    LiteralValue,
    Value,
    fetch_labels,
    format_value,
    literal_value,
)
from nkgraph.pages.phrasing import Sentence, StatementParts, statement_sentence
from nkgraph.pages.statement_parts import (
    Attribution,
    Bound,
    Figure,
    attribution_from,
    bound_from,
)
from nkgraph.vocab import NK, PREFIXES

__all__ = [
    "Attribution",
    "Bound",
    "Evidence",
    "EvidenceGroup",
    "Figure",
    "Labels",
    "Link",
    "LiteralValue",
    "Mention",
    "PropertyValues",
    "ResourceDescription",
    "Segment",
    "StatementGroup",
    "StatementView",
    "Usage",
    "Value",
    "WikidataRecord",
    "WikidataSource",
    "describe",
    "document_triples",
    "fetch_labels",
    "format_value",
    "merge_evidence",
    "namespace_triples",
]

_P: Final = PREFIXES
RDF_TYPE: Final = _P["rdf"] + "type"
RDFS_COMMENT: Final = _P["rdfs"] + "comment"
SKOS_DEFINITION: Final = _P["skos"] + "definition"
SKOS_EXACT: Final = _P["skos"] + "exactMatch"
SKOS_CLOSE: Final = _P["skos"] + "closeMatch"
OWL_SAME: Final = _P["owl"] + "sameAs"
DCT_DESCRIPTION: Final = _P["dcterms"] + "description"
NIF_ANCHOR: Final = _P["nif"] + "anchorOf"
NIF_STRING: Final = _P["nif"] + "isString"
NIF_BEGIN: Final = _P["nif"] + "beginIndex"
UNIT_TEXT: Final = _P["schema"] + "unitText"
WIKIDATA: Final = "http://www.wikidata.org/entity/"
_XSD: Final = _P["xsd"]

_DESCRIPTIONS: Final = (SKOS_DEFINITION, RDFS_COMMENT, DCT_DESCRIPTION)
#: Incoming predicates that the statement groups (and the reviews section) already show.
_STATEMENT_LINKS: Final = (
    *(
        str(NK[name])
        for name in (
            "subject",
            "object",
            "evidence",
            "figure",
            "quotation",
            "attribution",
            "predicate",
            "contrastsWith",
        )
    ),
    _P["schema"] + "itemReviewed",
)


@dataclass(frozen=True)
class PropertyValues:
    """One predicate and its values (or, for incoming links, its subjects)."""

    predicate: Link
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Segment:
    """A stretch of evidence text; ``kind`` says why it is highlighted (or ``None``)."""

    text: str
    kind: str | None = None


@dataclass(frozen=True)
class Evidence:
    """The text unit a statement comes from, cut into segments for highlighting.

    ``needles`` are the words highlighted, with why; evidence for several statements from
    one unit is merged into one (:func:`merge_evidence`), every span highlighted.
    """

    unit: Link
    segments: tuple[Segment, ...]
    begin: int
    text: str = ""
    needles: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class StatementView:
    """One ``nk:Statement``, readable: subject, predicate, value, evidence, voice, source."""

    iri: str
    subject: Link
    predicate: Link
    value: Link | Figure | str | None
    evidence: Evidence | None
    voice: Link | None
    modality: Link | None
    attribution: Attribution | None
    quotations: tuple[str, ...]
    contrasts: tuple[Link, ...]
    comment: str | None
    sentence: Sentence
    #: When the state of affairs held, where the text places it in a time of its own.
    held_at: Link | None = None


@dataclass(frozen=True)
class EvidenceGroup:
    """Statements that come from one text unit, with that unit's text shown once."""

    evidence: Evidence | None
    statements: tuple[StatementView, ...]


@dataclass(frozen=True)
class StatementGroup:
    """Statements that stand in one relation to the described resource."""

    role: str
    title: str
    statements: tuple[StatementView, ...]

    @property
    def by_evidence(self) -> tuple[EvidenceGroup, ...]:
        """The statements by the unit they come from, in text order, each unit once."""
        units: dict[str | None, list[StatementView]] = {}
        ordered = sorted(self.statements, key=lambda v: v.evidence.begin if v.evidence else -1)
        for view in ordered:
            units.setdefault(view.evidence.unit.iri if view.evidence else None, []).append(view)
        return tuple(
            EvidenceGroup(merge_evidence([v.evidence for v in views if v.evidence]), tuple(views))
            for views in units.values()
        )


@dataclass(frozen=True)
class Mention:
    """Words of a text unit that name a resource."""

    resource: Link
    unit: Link
    words: str
    #: Where in the article: "begin-end" in characters (an en dash between), if anchored.
    span: str = ""


@dataclass(frozen=True)
class Usage:
    """How often an ontology term is used in one way, with some examples."""

    title: str
    count: int
    examples: tuple[Link, ...]


@dataclass(frozen=True)
class WikidataSource:
    """A public source that pairs a Wikidata identifier with an entity."""

    source: Link | None
    identifier: str | None
    excerpt: str | None


@dataclass(frozen=True)
class WikidataRecord:
    """A link to a Wikidata item with how it was established: the item's label and
    description as checked, the method, the date and the sources. Without a record (data
    from elsewhere) only ``item`` is known."""

    item: Link
    qid: str
    description: str | None = None
    method: Link | None = None
    checked: str | None = None
    sources: tuple[WikidataSource, ...] = ()
    record: str | None = None


@dataclass(frozen=True)
class ResourceDescription:
    """Everything a page says about one resource."""

    iri: str
    label: str
    labels: tuple[LiteralValue, ...]
    types: tuple[Link, ...]
    descriptions: tuple[str, ...]
    wikidata: tuple[WikidataRecord, ...]
    matches: tuple[Link, ...]
    text: str | None
    text_segments: tuple[Segment, ...]
    figure: Figure | None
    properties: tuple[PropertyValues, ...]
    incoming: tuple[PropertyValues, ...]
    mentions: tuple[Mention, ...]
    mentioned: tuple[Mention, ...]
    statement_groups: tuple[StatementGroup, ...]
    not_stated: tuple[Link, ...]
    usage: tuple[Usage, ...]


def describe(lookup: Lookup, iri: str, *, ontology: str = str(NK)) -> ResourceDescription:
    """Describe the resource ``iri``; ``ontology`` is the namespace of the ontology's terms.

    Raises:
        ResourceNotFound: the graph holds no triple with ``iri`` as subject or object.
        QueryTimeout: a query ran out of time.
    """
    term = iri_term(iri)
    own = lookup.properties([iri])[iri]
    incoming = lookup.select(
        f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {term} FILTER(isIRI(?s)) }} ORDER BY ?p ?s"
        f" LIMIT {lookup.max_rows}"
    )
    if not own and not incoming:
        raise ResourceNotFound(iri)
    raw = _RawStatements.fetch(lookup, iri)
    placed = _mentions(lookup, {iri, *raw.entities()})
    mentions = list(dict.fromkeys((e, u, w) for e, u, w, _ in placed))
    mentioned = _mentioned(lookup, iri)
    usage_raw = _usage(lookup, iri) if iri.startswith(ontology) else []
    records = _wikidata_rows(lookup, iri)
    labels = fetch_labels(
        lookup,
        [iri]
        + [r["method"].value for r in records if "method" in r]
        + _iris_in(own)
        + [r[k].value for r in incoming for k in ("s", "p")]
        + raw.iris()
        + [m[0] for m in mentions]
        + [m[1] for m in mentions]
        + [m[0] for m in mentioned]
        + [m[1] for m in mentioned]
        + [e for _, _, examples in usage_raw for e in examples],
    )
    views = raw.views(labels, mentions, _patterns(lookup, raw.predicates()))
    text = first_literal(own, NIF_ANCHOR)
    record_iris = {r["record"].value for r in records}
    return ResourceDescription(
        iri=iri,
        label=_own_label(own, labels, iri),
        labels=tuple(
            dict.fromkeys(
                literal_value(v)
                for p in LABEL_PREDICATES[:5]
                for v in own.get(p, ())
                if isinstance(v, ox.Literal)
            )
        ),
        types=_distinct_labels(labels.link(t) for t in named(own.get(RDF_TYPE, ()))),
        descriptions=tuple(
            v.value for p in _DESCRIPTIONS for v in own.get(p, ()) if isinstance(v, ox.Literal)
        ),
        wikidata=_wikidata(named(own.get(SKOS_EXACT, ())), records, lookup, labels),
        matches=tuple(
            labels.link(i)
            for p in (SKOS_EXACT, SKOS_CLOSE, OWL_SAME)
            for i in named(own.get(p, ()))
            if not i.startswith(WIKIDATA)
        ),
        text=text,
        text_segments=_unit_text(iri, text, views.values()),
        figure=raw.figure_of(iri, own, labels),
        properties=_properties(own, labels),
        incoming=_incoming([r for r in incoming if r["s"].value not in record_iris], labels),
        mentions=tuple(
            Mention(labels.link(e), labels.link(u), w, span) for e, u, w, span in placed if e == iri
        ),
        mentioned=tuple(Mention(labels.link(e), labels.link(iri), w) for e, w in mentioned),
        statement_groups=_groups(raw.roles, views, _own_label(own, labels, iri)),
        not_stated=tuple(labels.link(i) for i in named(own.get(str(NK.notStated), ()))),
        usage=tuple(
            Usage(title, count, tuple(labels.link(e) for e in examples))
            for title, count, examples in usage_raw
        ),
    )


def _own_label(own: Mapping[str, list[Term]], labels: Labels, iri: str) -> str:
    number = first_literal(own, str(NK.sentenceNumber))
    if number is not None:
        return f"Sentence {number}"
    line = first_literal(own, str(NK.lineNumber))
    if line is not None:
        return f"Line {line}"
    return labels(iri)


def _iris_in(values: Mapping[str, list[Term]]) -> list[str]:
    return list(values) + [i for objects in values.values() for i in named(objects)]


def _distinct_labels(links: Iterable[Link]) -> tuple[Link, ...]:
    """``links`` without those whose label an earlier one has (schema:Person, foaf:Person)."""
    first: dict[str, Link] = {}
    for link in links:
        first.setdefault(link.label, link)
    return tuple(first.values())


def _unit_text(iri: str, text: str | None, views: Iterable[StatementView]) -> tuple[Segment, ...]:
    """A text unit's text, with every span its statements rest on highlighted."""
    if text is None:
        return ()
    own = [v.evidence for v in views if v.evidence is not None and v.evidence.unit.iri == iri]
    merged = merge_evidence(own)
    return merged.segments if merged is not None else (Segment(text),)


def _properties(own: Mapping[str, list[Term]], labels: Labels) -> tuple[PropertyValues, ...]:
    """Every property of the resource (the technical view), each value once."""
    found = []
    for predicate, objects in own.items():
        values = tuple(dict.fromkeys(v for v in (labels.value(o) for o in objects) if v))
        if values:
            found.append(PropertyValues(labels.link(predicate), values))
    return tuple(sorted(found, key=lambda p: p.predicate.label.lower()))


def _incoming(rows: list[dict[str, Term]], labels: Labels) -> tuple[PropertyValues, ...]:
    by_predicate: dict[str, list[Value]] = {}
    for row in rows:
        if row["p"].value in _STATEMENT_LINKS:
            continue
        by_predicate.setdefault(row["p"].value, []).append(labels.link(row["s"].value))
    return tuple(
        PropertyValues(
            labels.link(p),
            tuple(sorted(v, key=lambda x: x.text if isinstance(x, LiteralValue) else x.label)),
        )
        for p, v in sorted(by_predicate.items(), key=lambda item: labels(item[0]).lower())
    )


def _mentions(lookup: Lookup, entities: Iterable[str]) -> list[tuple[str, str, str, str]]:
    """``(entity, unit, words, span)`` of every mention of ``entities``, in text order; the
    same words twice in one unit are two mentions, told apart by their span."""
    rows = lookup.select(
        f"SELECT DISTINCT ?e ?unit ?words ?begin ?end WHERE {{ {values_clause('e', entities)} "
        "?e nk:mention ?m . ?m nk:inUnit ?unit ; nk:surfaceForm ?words . "
        "OPTIONAL { ?m nif:beginIndex ?begin ; nif:endIndex ?end } "
        "OPTIONAL { ?unit nif:beginIndex ?unitBegin } } ORDER BY ?unitBegin ?begin ?words"
    )
    return [
        (
            r["e"].value,
            r["unit"].value,
            r["words"].value,
            f"{r['begin'].value}\u2013{r['end'].value}" if r.get("begin") and r.get("end") else "",
        )
        for r in rows
    ]


def _mentioned(lookup: Lookup, iri: str) -> list[tuple[str, str]]:
    """``(entity, words)`` of every mention made in the text unit ``iri``."""
    rows = lookup.select(
        "SELECT DISTINCT ?e ?words WHERE { ?e nk:mention ?m . "
        f"?m nk:inUnit {iri_term(iri)} ; nk:surfaceForm ?words }} ORDER BY ?words ?e"
    )
    return [(r["e"].value, r["words"].value) for r in rows]


_EXAMPLES: Final = 12


def _usage(lookup: Lookup, iri: str) -> list[tuple[str, int, list[str]]]:
    """Where the ontology term ``iri`` is used: as a type, a predicate, a value."""
    term = iri_term(iri)
    ways = (
        ("Things of this type", f"?x a {term}"),
        ("Things with this property", f"?x {term} ?any"),
        ("Statements with this predicate", f"?x nk:predicate {term}"),
        (
            "Things that have this as a value",
            f"?x ?p {term} FILTER(?p NOT IN (rdf:type, nk:predicate)) "
            f"FILTER(!STRSTARTS(STR(?x), {string_term(iri.rsplit('#', 1)[0])}))",
        ),
    )
    found = []
    for title, where in ways:
        count = lookup.count(where)
        if count:
            rows = lookup.select(
                f"SELECT DISTINCT ?x WHERE {{ {where} FILTER(isIRI(?x)) }} ORDER BY ?x "
                f"LIMIT {_EXAMPLES}"
            )
            found.append((title, count, [r["x"].value for r in rows]))
    return found


# Roles a statement can play towards the described resource, in page order, with the
# SPARQL pattern that finds them and the heading of their group ({} is the label).
_ROLES: Final = (
    ("self", "BIND(<{iri}> AS ?st)", "The statement"),
    ("subject", "?st nk:subject <{iri}>", "Statements about {}"),
    ("object", "?st nk:object <{iri}>", "Statements pointing to {}"),
    ("source", "?st nk:attribution/nk:source <{iri}>", "What {} said"),
    (
        "reporter",
        "?st nk:attribution/(nk:reportedBy|nk:translatedBy) <{iri}>",
        "What {} reported or translated",
    ),
    ("evidence", "?st nk:evidence <{iri}>", "Statements taken from {}"),
    ("figure", "?st nk:figure <{iri}>", "Statements giving this figure"),
    ("quotation", "?st nk:quotation <{iri}>", "Statements resting on this quotation"),
    ("attribution", "?st nk:attribution <{iri}>", "Statements with this attribution"),
    ("predicate", "?st nk:predicate <{iri}>", "Statements with this predicate"),
    ("contrast", "?st nk:contrastsWith <{iri}>", "Statements set against this one"),
)


class _RawStatements:
    """The statements around one resource, as fetched: properties of statements and of
    the figures, attributions, evidence units and quotations they use."""

    def __init__(
        self,
        roles: list[tuple[str, str]],
        statements: dict[str, dict[str, list[Term]]],
        parts: dict[str, dict[str, list[Term]]],
    ) -> None:
        self.roles = roles
        self.statements = statements
        self.parts = parts

    @classmethod
    def fetch(cls, lookup: Lookup, iri: str) -> _RawStatements:
        iri_term(iri)
        unions = " UNION ".join(
            "{ " + pattern.replace("{iri}", iri) + f' BIND("{role}" AS ?role) }}'
            for role, pattern, _ in _ROLES
        )
        rows = lookup.select(f"SELECT DISTINCT ?st ?role WHERE {{ {unions} ?st a nk:Statement }}")
        roles = [(r["role"].value, r["st"].value) for r in rows]
        statements = lookup.properties(sorted({st for _, st in roles}))
        parts_wanted = {
            i
            for values in statements.values()
            for p in ("figure", "attribution", "evidence", "quotation")
            for i in named(values.get(str(NK[p]), ()))
        }
        if iri not in statements:
            parts_wanted.add(iri)  # the resource may itself be a figure
        return cls(roles, statements, lookup.properties(sorted(parts_wanted)))

    def entities(self) -> set[str]:
        """Subjects and objects of the statements (their mentions are highlighted)."""
        return {
            i
            for values in self.statements.values()
            for p in ("subject", "object")
            for i in named(values.get(str(NK[p]), ()))
        }

    def iris(self) -> list[str]:
        found: list[str] = []
        for table in (self.statements, self.parts):
            for values in table.values():
                found += _iris_in(values)
        return found

    def figure_of(self, iri: str, own: Mapping[str, list[Term]], labels: Labels) -> Figure | None:
        if str(NK.hedge) not in own and str(NK.statedValue) not in own:
            return None
        return _figure(iri, own, labels)

    def predicates(self) -> set[str]:
        """The predicates of the statements."""
        return {
            i
            for values in self.statements.values()
            for i in named(values.get(str(NK.predicate), ()))
        }

    def views(
        self,
        labels: Labels,
        mentions: list[tuple[str, str, str]],
        patterns: Mapping[str, str],
    ) -> dict[str, StatementView]:
        return {
            st: self._view(st, values, labels, mentions, patterns)
            for st, values in self.statements.items()
        }

    def _view(
        self,
        st: str,
        values: Mapping[str, list[Term]],
        labels: Labels,
        mentions: list[tuple[str, str, str]],
        patterns: Mapping[str, str],
    ) -> StatementView:
        def one(name: str) -> str | None:
            found = named(values.get(str(NK[name]), ()))
            return found[0] if found else None

        subject, obj, fig = one("subject"), one("object"), one("figure")
        figure = _figure(fig, self.parts.get(fig, {}), labels) if fig else None
        words = first_literal(values, str(NK.value))
        quotations = tuple(
            q
            for i in named(values.get(str(NK.quotation), ()))
            if (q := first_literal(self.parts.get(i, {}), OA_EXACT)) is not None
        )
        unit = one("evidence")
        needles = [(q, "quote") for q in quotations]
        if figure is not None:
            needles.append((figure.surface, "figure"))
        if words:
            needles.append((words, "value"))
        needles += [(w, "mention") for e, u, w in mentions if u == unit and e in (subject, obj)]
        attribution = one("attribution")
        evidence = _evidence(unit, self.parts.get(unit, {}), labels, needles) if unit else None
        parts = StatementParts(
            subject=labels.link(subject or ""),
            predicate=labels.link(one("predicate") or ""),
            value=labels.link(obj) if obj else figure or words,
            pattern=patterns.get(one("predicate") or ""),
            voice=labels.link(v) if (v := one("voice")) else None,
            modality=labels.link(m) if (m := one("modality")) else None,
            attribution=(
                attribution_from(attribution, self.parts.get(attribution, {}), labels)
                if attribution
                else None
            ),
            unit=evidence.unit if evidence else None,
        )
        return StatementView(
            iri=st,
            subject=parts.subject,
            predicate=parts.predicate,
            value=parts.value,
            evidence=evidence,
            voice=parts.voice,
            modality=parts.modality,
            attribution=parts.attribution,
            quotations=quotations,
            contrasts=tuple(labels.link(i) for i in named(values.get(str(NK.contrastsWith), ()))),
            comment=first_literal(values, RDFS_COMMENT),
            sentence=statement_sentence(parts),
            held_at=labels.link(held) if (held := one("heldAt")) else None,
        )


def _figure(iri: str, values: Mapping[str, list[Term]], labels: Labels) -> Figure:
    def literal(name: str) -> Term | None:
        found = values.get(str(NK[name]), [])
        return found[0] if found else None

    hedges = named(values.get(str(NK.hedge), ()))
    stated = literal("statedValue")
    return Figure(
        iri=iri,
        surface=first_literal(values, str(NK.surfaceForm)) or labels(iri),
        hedge=labels.link(hedges[0]) if hedges else None,
        stated=format_value(stated) if stated is not None else None,
        lower=bound_from(values, "lower"),
        upper=bound_from(values, "upper"),
        unit=first_literal(values, UNIT_TEXT),
        counts=first_literal(values, str(NK.counts)),
    )


def _evidence(
    unit: str,
    values: Mapping[str, list[Term]],
    labels: Labels,
    needles: Sequence[tuple[str, str]],
) -> Evidence:
    text = first_literal(values, NIF_ANCHOR) or ""
    number = first_literal(values, str(NK.sentenceNumber))
    line = first_literal(values, str(NK.lineNumber))
    label = f"Sentence {number}" if number else f"Line {line}" if line else labels(unit)
    begin = first_literal(values, NIF_BEGIN)
    return Evidence(
        Link(unit, label), highlight(text, needles), int(begin or 0), text, tuple(needles)
    )


#: Which highlight wins where two overlap: quotations, then figures, words, names.
_KIND_ORDER: Final = ("quote", "figure", "value", "mention")


def merge_evidence(evidences: Sequence[Evidence]) -> Evidence | None:
    """One unit's evidence for several statements: its text once, every span highlighted."""
    if not evidences:
        return None
    needles = list(dict.fromkeys(n for e in evidences for n in e.needles))
    needles.sort(key=lambda n: _KIND_ORDER.index(n[1]) if n[1] in _KIND_ORDER else 99)
    first = evidences[0]
    return Evidence(
        first.unit, highlight(first.text, needles), first.begin, first.text, tuple(needles)
    )


def _patterns(lookup: Lookup, predicates: Iterable[str]) -> dict[str, str]:
    """The ``nk:readsAs`` pattern of each of ``predicates`` that has one."""
    wanted = sorted(predicates)
    if not wanted:
        return {}
    rows = lookup.select(
        f"SELECT ?p ?pattern WHERE {{ {values_clause('p', wanted)} ?p nk:readsAs ?pattern }}"
    )
    return {r["p"].value: r["pattern"].value for r in rows}


def _wikidata_rows(lookup: Lookup, iri: str) -> list[dict[str, Term]]:
    """The records (``nk:WikidataLink``) of the resource's links to Wikidata."""
    return lookup.select(
        "SELECT ?record ?item ?label ?description ?method ?date WHERE { "
        f"?record a nk:WikidataLink ; rdf:subject {iri_term(iri)} ; rdf:object ?item . "
        "OPTIONAL { ?record nk:wikidataLabel ?label } "
        "OPTIONAL { ?record nk:wikidataDescription ?description } "
        "OPTIONAL { ?record nk:linkMethod ?method } OPTIONAL { ?record dcterms:date ?date } }"
    )


def _wikidata(
    items: Sequence[str], rows: Sequence[dict[str, Term]], lookup: Lookup, labels: Labels
) -> tuple[WikidataRecord, ...]:
    """Each Wikidata item the resource matches, with the record of how, where there is one."""
    by_item = {r["item"].value: r for r in rows}
    records = []
    for item in (i for i in items if i.startswith(WIKIDATA)):
        qid = item[len(WIKIDATA) :]
        row = by_item.get(item)
        if row is None:
            records.append(WikidataRecord(Link(item, qid), qid))
            continue
        label = row["label"].value if "label" in row else qid
        records.append(
            WikidataRecord(
                item=Link(item, label),
                qid=qid,
                description=row["description"].value if "description" in row else None,
                method=labels.link(row["method"].value) if "method" in row else None,
                checked=row["date"].value if "date" in row else None,
                sources=_wikidata_sources(lookup, row["record"].value),
                record=row["record"].value,
            )
        )
    return tuple(records)


def _wikidata_sources(lookup: Lookup, record: str) -> tuple[WikidataSource, ...]:
    rows = lookup.select(
        "SELECT ?source ?identifier ?excerpt WHERE { "
        f"{iri_term(record)} prov:wasDerivedFrom ?evidence . "
        "OPTIONAL { ?evidence dcterms:source ?source } "
        "OPTIONAL { ?evidence dcterms:identifier ?identifier } "
        "OPTIONAL { ?evidence nk:evidenceExcerpt ?excerpt } } ORDER BY ?source ?identifier"
    )
    return tuple(
        WikidataSource(
            source=Link(r["source"].value, _source_name(r["source"].value))
            if "source" in r
            else None,
            identifier=r["identifier"].value if "identifier" in r else None,
            excerpt=r["excerpt"].value if "excerpt" in r else None,
        )
        for r in rows
    )


_GITHUB_FILE: Final = re.compile(
    r"https://github\.com/([^/]+/[^/]+)/blob/[0-9a-f]+/(?:.*/)?([^/]+)$"
)


def _source_name(url: str) -> str:
    """ "usc-isi-i2/t2wml, country_entities.py" for a GitHub file at a commit; else the URL."""
    match = _GITHUB_FILE.match(url)
    return f"{match.group(1)}, {match.group(2)}" if match else url


def highlight(text: str, needles: Sequence[tuple[str, str]]) -> tuple[Segment, ...]:
    """``text`` cut at the first occurrence of each needle, earlier needles winning overlaps.

    >>> [(s.text, s.kind) for s in highlight("more than 100 people", [("100", "figure")])]
    [('more than ', None), ('100', 'figure'), (' people', None)]
    """
    spans: list[tuple[int, int, str]] = []
    for needle, kind in needles:
        start = _find_words(text, needle)
        end = start + len(needle)
        if start < 0 or any(start < e and s < end for s, e, _ in spans):
            continue
        spans.append((start, end, kind))
    segments: list[Segment] = []
    position = 0
    for start, end, kind in sorted(spans):
        if start > position:
            segments.append(Segment(text[position:start]))
        segments.append(Segment(text[start:end], kind))
        position = end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return tuple(segments)


def _find_words(text: str, needle: str) -> int:
    """Where ``needle`` first stands as whole words in ``text`` (else anywhere, else -1)."""
    if not needle:
        return -1
    match = re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", text)
    return match.start() if match else text.find(needle)


def _groups(
    roles: list[tuple[str, str]], views: Mapping[str, StatementView], label: str
) -> tuple[StatementGroup, ...]:
    groups = []
    for role, _, title in _ROLES:
        members = [views[st] for r, st in roles if r == role and st in views]
        if not members:
            continue
        members.sort(
            key=lambda v: (
                v.predicate.label.lower() if role == "subject" else "",
                v.evidence.begin if v.evidence else -1,
                v.iri,
            )
        )
        groups.append(StatementGroup(role, title.format(label), tuple(members)))
    return tuple(groups)


def document_triples(lookup: Lookup, iri: str) -> tuple[ox.Triple, ...]:
    """The triples of the RDF document about ``iri``: its own (with the blank nodes they
    lead to, such as its mentions) and those that point to it, each once.

    Raises:
        ResourceNotFound: the graph holds no triple with ``iri`` as subject or object.
    """
    term = iri_term(iri)
    triples = lookup.construct(
        f"CONSTRUCT {{ {term} ?p ?o . ?o ?bp ?bo . ?s ?ip {term} }} WHERE {{ "
        f"{{ {term} ?p ?o OPTIONAL {{ ?o ?bp ?bo FILTER(isBlank(?o)) }} }} "
        f"UNION {{ ?s ?ip {term} }} }}"
    )
    if not triples:
        raise ResourceNotFound(iri)
    return tuple(dict.fromkeys(triples))


def namespace_triples(lookup: Lookup, iri: str, namespace: str) -> tuple[ox.Triple, ...]:
    """The triples about ``iri`` and every term in ``namespace`` (an ontology document)."""
    triples = lookup.construct(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER(?s = {iri_term(iri)} || "
        f"STRSTARTS(STR(?s), {string_term(namespace)})) }}"
    )
    return tuple(dict.fromkeys(triples))
