"""Generate news-like synthetic data in the shipped graph's vocabulary, for scale tests.

Every synthetic article has what the real one has: a ``nif:Context`` with its whole text,
lines and sentences with exact offsets, entities (people, posts, places, countries,
organisations, a social-media platform, events) with their mentions, figures with hedges
and the bounds the hedges give, stated times and their resolutions (in a graph of their
own), and statements in the article's voice or attributed to a source, with roles,
reporting verbs, communication acts, quotations and contrasting claims. Entities are
drawn from a shared pool, so they are mentioned by many articles, and carry
Wikidata-style links (``skos:exactMatch wd:Q…``: well-formed, made up, not real items).
The same SHACL shapes pass.

The output is deterministic: the same ``articles`` and ``seed`` give the same quads,
blank-node labels included. About 530 quads an article (some 1.07 million at 2,000).

>>> quads = list(synthetic_quads(1))
>>> len(quads) > 300, all(q.graph_name.value.startswith(GRAPH_BASE) for q in quads)
(True, True)
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pyoxigraph as ox

from nkgraph.formats import N_QUADS, TRIG, from_extension

__all__ = [
    "GRAPH_BASE",
    "SYNTHETIC_BASE",
    "SYNTHETIC_FORMATS",
    "synthetic_extensions",
    "synthetic_quads",
    "write_synthetic",
]

#: What synthetic data is written in: formats that keep its named graphs.
SYNTHETIC_FORMATS: Final = (N_QUADS, TRIG)

#: IRIs of synthetic resources.
SYNTHETIC_BASE: Final = "https://w3id.org/nkgraph/id/synthetic/"
#: Names of the synthetic named graphs.
GRAPH_BASE: Final = "https://w3id.org/nkgraph/graph/synthetic/"

_NK = "https://w3id.org/nkgraph/ontology#"
_NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
_SCHEMA = "http://schema.org/"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
_ORG = "http://www.w3.org/ns/org#"
_PROV = "http://www.w3.org/ns/prov#"
_FOAF = "http://xmlns.com/foaf/0.1/"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_OA = "http://www.w3.org/ns/oa#"
_WD = "http://www.wikidata.org/entity/Q"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_DCTERMS = "http://purl.org/dc/terms/"


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


A: Final = _n(_RDF + "type")
LABEL: Final = _n(_RDFS + "label")
NAME: Final = _n(_SCHEMA + "name")
EXACT_MATCH: Final = _n(_SKOS + "exactMatch")
PREF_LABEL: Final = _n(_SKOS + "prefLabel")
NK_MENTION: Final = _n(_NK + "mention")
NK_MENTION_CLASS: Final = _n(_NK + "Mention")
IN_UNIT: Final = _n(_NK + "inUnit")
SURFACE: Final = _n(_NK + "surfaceForm")
TEXT_UNIT: Final = _n(_NK + "TextUnit")
ANCHOR_OF: Final = _n(_NIF + "anchorOf")
BEGIN: Final = _n(_NIF + "beginIndex")
END: Final = _n(_NIF + "endIndex")
CONTEXT: Final = _n(_NIF + "referenceContext")
XSD_INT: Final = _n(_XSD + "integer")
XSD_DURATION: Final = _n(_XSD + "duration")
XSD_DATE: Final = _n(_XSD + "date")
XSD_BOOL: Final = _n(_XSD + "boolean")
TRUE: Final = ox.Literal("true", datatype=XSD_BOOL)
FALSE: Final = ox.Literal("false", datatype=XSD_BOOL)

Term = ox.NamedNode | ox.BlankNode | ox.Literal


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_FIRST = _words(
    "Anahit Aram Davit Elena Farid Gohar Hasan Irina Jamal Karen Lilit Mher Nare Oleg "
    "Parvin Rustam Sona Tigran Ulviyya Vahan Yelena Zaur Ani Arman Leyla Samvel Nigar "
    "Ruben Aysel Hayk"
)
_LAST = _words(
    "Avetisyan Babayev Chobanyan Demirci Eminov Gasparyan Hovsepyan Ismayilova "
    "Karimov Levonyan Mammadov Nersisyan Orujov Petrosyan Quliyev Rahimov Sargsyan "
    "Tahirov Vardanyan Yusifov Zakaryan Aliyeva Harutyunyan Huseynov Manukyan Najafov "
    "Simonyan Valiyev Grigoryan Safarov"
)
_SYLLABLES = _words("ar ka vel do sen mi ra tor lu zan be gor ni sha ve lan ko tal res mon")
_COUNTRIES = _words(
    "Arvenia Belostan Corvala Dravia Estmark Folvenia Gorland Halvia Istrava Jorvania "
    "Kestria Lumeria"
)
_ORG_KINDS = (
    ("Relief Agency", _SCHEMA + "NGO"),
    ("Red Crescent Society", _SCHEMA + "NGO"),
    ("Interior Ministry", _SCHEMA + "GovernmentOrganization"),
    ("Press Agency", _SCHEMA + "NewsMediaOrganization"),
    ("Human Rights Centre", _SCHEMA + "NGO"),
)
_POSTS = ("Foreign Minister", "Interior Minister", "Governor", "Ombudsman", "Spokesperson")
_EVENTS = (
    ("offensive", "military offensive"),
    ("flooding", "flooding"),
    ("blockade", "blockade"),
    ("evacuation", "evacuation"),
)
_QUOTES = (
    "a humanitarian catastrophe",
    "an unacceptable provocation",
    "a necessary security measure",
    "a deliberate attempt to empty the region",
    "a matter of international law",
)
_WEEKDAYS = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")


@dataclass(frozen=True)
class _Entity:
    iri: ox.NamedNode
    name: str


@dataclass(frozen=True)
class _Pool:
    people: tuple[_Entity, ...]
    places: tuple[_Entity, ...]
    countries: tuple[_Entity, ...]
    organisations: tuple[_Entity, ...]
    posts: tuple[_Entity, ...]
    platform: _Entity


def synthetic_quads(articles: int, *, seed: int = 2023) -> Iterator[ox.Quad]:
    """The quads of ``articles`` synthetic articles and of the entities they mention."""
    # Deterministic pseudo-random data, not secrets.
    pool_rng = random.Random(seed)  # noqa: S311
    pool, pool_quads = _pool(articles, pool_rng)
    yield from pool_quads
    for number in range(1, articles + 1):
        yield from _Article(number, pool, random.Random(seed * 1_000_003 + number)).quads()  # noqa: S311


def write_synthetic(path: Path, articles: int, *, seed: int = 2023) -> None:
    """Write ``articles`` synthetic articles to ``path``, as N-Quads or TriG by extension.

    Raises:
        ValueError: the extension is not ``.nq`` or ``.trig``.
    """
    fmt = from_extension(path.suffix, SYNTHETIC_FORMATS)
    if fmt is None:
        raise ValueError(
            f"write synthetic data to a {synthetic_extensions()} file, not {path.name}"
        )
    ox.serialize(synthetic_quads(articles, seed=seed), path, format=fmt.ox_rdf_format)


def synthetic_extensions() -> str:
    """The extensions of the files synthetic data is written to: ``.nq or .trig``."""
    return " or ".join(f".{extension}" for fmt in SYNTHETIC_FORMATS for extension in fmt.extensions)


def _wikidata_link(
    iri: ox.NamedNode, name: str, item: ox.NamedNode, kind: str, index: int
) -> Iterator[ox.Quad]:
    """The link and its record (``nk:WikidataLink``), as the shipped links have them."""
    graph = _n(GRAPH_BASE + "wikidata-links")
    record = _n(f"{SYNTHETIC_BASE}link/{kind}-{index}")
    evidence = ox.BlankNode(f"{kind}{index}evidence")
    yield ox.Quad(iri, EXACT_MATCH, item, graph)
    for s, p, o in (
        (record, A, _n(_NK + "WikidataLink")),
        (record, _n(_RDF + "subject"), iri),
        (record, _n(_RDF + "predicate"), EXACT_MATCH),
        (record, _n(_RDF + "object"), item),
        (record, _n(_NK + "wikidataLabel"), _en(name)),
        (record, _n(_NK + "linkMethod"), _n(_NK + "PublicSourcePairing")),
        (record, _n(_DCTERMS + "date"), ox.Literal("2026-11-25", datatype=XSD_DATE)),
        (record, _n(_PROV + "wasDerivedFrom"), evidence),
        (evidence, A, _n(_NK + "LinkEvidence")),
        (evidence, _n(_DCTERMS + "identifier"), ox.Literal(f"synthetic:{kind}/{index}")),
        (evidence, _n(_NK + "evidenceExcerpt"), ox.Literal(f"{name}: {item.value}")),
    ):
        yield ox.Quad(s, p, o, graph)


def _en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def _pool(articles: int, rng: random.Random) -> tuple[_Pool, list[ox.Quad]]:
    """Shared entities, sized with the number of articles, in the entities graph."""
    graph = _n(GRAPH_BASE + "entities")
    quads: list[ox.Quad] = []
    wikidata = iter(range(90_000_001, 10**12))

    def entity(kind: str, index: int, name: str, types: tuple[str, ...], link: bool) -> _Entity:
        iri = _n(f"{SYNTHETIC_BASE}{kind}/{index}")
        quads.extend(ox.Quad(iri, A, _n(t), graph) for t in types)
        quads.append(ox.Quad(iri, LABEL, _en(name), graph))
        if kind == "post":
            quads.append(ox.Quad(iri, PREF_LABEL, _en(name), graph))
        else:
            quads.append(ox.Quad(iri, NAME, ox.Literal(name), graph))
        if link:
            quads.extend(_wikidata_link(iri, name, _n(f"{_WD}{next(wikidata)}"), kind, index))
        return _Entity(iri, name)

    agent = _PROV + "Agent"
    countries = tuple(
        entity("country", i, name, (_SCHEMA + "Country", agent), True)
        for i, name in enumerate(_COUNTRIES)
    )
    names = [f"{first} {last}" for first in _FIRST for last in _LAST]
    rng.shuffle(names)
    people = tuple(
        entity("person", i, name, (_FOAF + "Person", _SCHEMA + "Person", agent), i % 3 == 0)
        for i, name in enumerate(names[: min(len(names), 40 + articles // 2)])
    )
    place_names = sorted(
        {(a + b + c).capitalize() for a in _SYLLABLES for b in _SYLLABLES for c in _SYLLABLES}
    )
    rng.shuffle(place_names)
    places = tuple(
        entity("place", i, name, (_SCHEMA + "Place",), i % 2 == 0)
        for i, name in enumerate(place_names[: 20 + articles // 4])
    )
    organisations = tuple(
        entity(
            "organisation",
            i,
            f"{countries[i % len(countries)].name} {kind}",
            (org_type, _ORG + "Organization", agent),
            True,
        )
        for i, (kind, org_type) in enumerate(
            _ORG_KINDS[j % len(_ORG_KINDS)] for j in range(10 + articles // 8)
        )
    )
    posts = tuple(
        entity("post", i, f"{title} of {countries[i // len(_POSTS)].name}", (_ORG + "Post",), False)
        for i, title in enumerate(_POSTS[k % len(_POSTS)] for k in range(5 * len(countries)))
    )
    platform = entity("platform", 0, "X", (_NK + "SocialMediaPlatform",), True)
    return _Pool(people, places, countries, organisations, posts, platform), quads


class _Article:
    """One article: text, entities' mentions, figures, times, statements, attributions."""

    def __init__(self, number: int, pool: _Pool, rng: random.Random) -> None:
        self.number = number
        self.pool = pool
        self.rng = rng
        self.base = f"{SYNTHETIC_BASE}a{number}/"
        # One graph for all articles, one for all resolutions: per-article graphs would
        # make pySHACL's GRAPH ?g constraints cross every graph for every focus node.
        self.graph = _n(GRAPH_BASE + "articles")
        self.resolved = _n(GRAPH_BASE + "resolved")
        self.article = self.node("article")
        self.out: list[ox.Quad] = []
        self.counter = 0
        place = rng.choice(pool.places)
        short, long = rng.choice(_EVENTS)
        self.place = place
        self.event_word = short
        self.event = self.node("event")
        self.day = 1 + number % 28
        self.add(self.event, A, _n(_SEM + "Event"))
        self.add(self.event, A, _n(_SCHEMA + "Event"))
        self.add(self.event, LABEL, _en(f"The {long} in {place.name}, article {number}"))

    def node(self, local: str) -> ox.NamedNode:
        return _n(self.base + local)

    def fresh(self, kind: str) -> ox.NamedNode:
        self.counter += 1
        return self.node(f"{kind}-{self.counter}")

    def add(self, s: ox.NamedNode | ox.BlankNode, p: ox.NamedNode, o: Term) -> None:
        self.out.append(ox.Quad(s, p, o, self.graph))

    def quads(self) -> list[ox.Quad]:
        templates: list[Callable[[ox.NamedNode], str]] = [
            self._fled, self._damaged, self._post_on_x, self._began, self._disputed,
            self._holds, self._share_left,
        ]  # fmt: skip
        lines: list[list[Callable[[ox.NamedNode], str]]] = []
        order = templates * 2
        self.rng.shuffle(order)
        for index in range(0, 10, 2):  # five lines of two sentences
            lines.append(order[index : index + 2])
        self._text(lines)
        return self.out

    # --- text -----------------------------------------------------------------------

    def _text(self, lines: list[list[Callable[[ox.NamedNode], str]]]) -> None:
        line_texts: list[str] = []
        sentence_number = 0
        sentences: list[ox.NamedNode] = []
        offset = 0
        for line_number, writers in enumerate(lines, start=1):
            line = self.node(f"line-{line_number}")
            parts: list[str] = []
            for writer in writers:
                sentence_number += 1
                sentence = self.node(f"s{sentence_number}")
                text = writer(sentence)
                begin = offset + sum(len(p) + 1 for p in parts)
                self._unit(sentence, text, begin, _NIF + "Sentence")
                self.add(sentence, _n(_NK + "inLine"), line)
                self.add(sentence, _n(_NK + "sentenceNumber"), _int(sentence_number, XSD_INT))
                sentences.append(sentence)
                parts.append(text)
            text = " ".join(parts)
            self._unit(line, text, offset, _NIF + "Paragraph")
            self.add(line, A, _n(_NK + "Line"))
            self.add(line, _n(_NK + "lineKind"), _n(_NK + "ParagraphLine"))
            self.add(line, _n(_NK + "lineNumber"), _int(line_number, XSD_INT))
            line_texts.append(text)
            offset += len(text) + 1
        for before, after in itertools.pairwise(sentences):
            self.add(before, _n(_NIF + "nextSentence"), after)
            self.add(after, _n(_NIF + "previousSentence"), before)
        self._context("\n".join(line_texts))

    def _unit(self, unit: ox.NamedNode, text: str, begin: int, kind: str) -> None:
        self.add(unit, A, _n(kind))
        self.add(unit, A, TEXT_UNIT)
        self.add(unit, ANCHOR_OF, ox.Literal(text))
        self.add(unit, BEGIN, _int(begin, XSD_INT))
        self.add(unit, END, _int(begin + len(text), XSD_INT))
        self.add(unit, CONTEXT, self.article)

    def _context(self, text: str) -> None:
        article = self.article
        for kind in (_NIF + "Context", _SCHEMA + "NewsArticle", _PROV + "Entity"):
            self.add(article, A, _n(kind))
        headline = f"{self.event_word.capitalize()} in {self.place.name}"
        self.add(article, LABEL, _en(f"Synthetic article {self.number}: {headline}"))
        self.add(article, _n(_SCHEMA + "headline"), ox.Literal(headline))
        self.add(article, _n(_SCHEMA + "datePublished"), self.date())
        publisher = self.pool.organisations[self.number % len(self.pool.organisations)]
        self.add(article, _n(_SCHEMA + "publisher"), publisher.iri)
        self.add(article, _n(_NK + "notStated"), _n(_SCHEMA + "author"))
        self.add(article, _n(_NIF + "isString"), ox.Literal(text))
        self.add(article, BEGIN, _int(0, XSD_INT))
        self.add(article, END, _int(len(text), XSD_INT))

    def date(self) -> ox.Literal:
        return ox.Literal(f"2023-{1 + self.number % 12:02d}-{self.day:02d}", datatype=XSD_DATE)

    # --- building blocks ------------------------------------------------------------

    def mention(self, entity: ox.NamedNode, unit: ox.NamedNode, form: str) -> None:
        self.counter += 1
        blank = ox.BlankNode(f"a{self.number}m{self.counter}")
        self.add(entity, NK_MENTION, blank)
        self.add(blank, A, NK_MENTION_CLASS)
        self.add(blank, IN_UNIT, unit)
        self.add(blank, SURFACE, ox.Literal(form))

    def statement(
        self,
        unit: ox.NamedNode,
        subject: ox.NamedNode,
        predicate: str,
        *,
        obj: ox.NamedNode | None = None,
        figure: ox.NamedNode | None = None,
        value: str | None = None,
        attribution: ox.NamedNode | None = None,
        modality: str = "Assertion",
    ) -> ox.NamedNode:
        st = self.fresh("st")
        self.add(st, A, _n(_NK + "Statement"))
        self.add(st, _n(_NK + "subject"), subject)
        self.add(st, _n(_NK + "predicate"), _n(predicate))
        if obj is not None:
            self.add(st, _n(_NK + "object"), obj)
        if figure is not None:
            self.add(st, _n(_NK + "figure"), figure)
        if value is not None:
            self.add(st, _n(_NK + "value"), ox.Literal(value))
        self.add(st, _n(_NK + "evidence"), unit)
        voice = "AttributedVoice" if attribution is not None else "ArticleVoice"
        self.add(st, _n(_NK + "voice"), _n(_NK + voice))
        self.add(st, _n(_NK + "modality"), _n(_NK + modality))
        if attribution is not None:
            self.add(st, _n(_NK + "attribution"), attribution)
        return st

    def attribution(
        self,
        source: ox.NamedNode,
        verb: str,
        *,
        role: ox.NamedNode | None = None,
        act: ox.NamedNode | None = None,
        stated_at: ox.NamedNode | None = None,
    ) -> ox.NamedNode:
        attr = self.fresh("attr")
        self.add(attr, A, _n(_NK + "Attribution"))
        self.add(attr, _n(_NK + "source"), source)
        self.add(attr, _n(_NK + "reportingVerb"), ox.Literal(verb))
        if role is not None:
            self.add(attr, _n(_NK + "sourceRole"), role)
        if act is not None:
            self.add(attr, _n(_NK + "communicationAct"), act)
        if stated_at is not None:
            self.add(attr, _n(_NK + "statedAt"), stated_at)
        self.add(attr, _n(_NK + "attributionScope"), _n(_NK + "ClearScope"))
        return attr

    def figure(
        self,
        unit: ox.NamedNode,
        kind: str,
        form: str,
        value: ox.Literal,
        hedge: str,
        *,
        unit_text: str,
        counts: str,
    ) -> ox.NamedNode:
        fig = self.fresh("fig")
        self.add(fig, A, _n(_NK + kind))
        self.add(fig, SURFACE, ox.Literal(form))
        self.add(fig, IN_UNIT, unit)
        self.add(fig, _n(_NK + "statedValue"), value)
        self.add(fig, _n(_NK + "hedge"), _n(_NK + hedge))
        lower, upper = _BOUND_RULES[hedge]
        for side, rule in (("lower", lower), ("upper", upper)):
            if rule != "none":
                self.add(fig, _n(f"{_NK}{side}Bound"), value)
                self.add(fig, _n(f"{_NK}{side}BoundIncluded"), TRUE if rule == "in" else FALSE)
        self.add(fig, _n(_SCHEMA + "unitText"), ox.Literal(unit_text))
        self.add(fig, _n(_NK + "counts"), ox.Literal(counts))
        return fig

    def time(self, unit: ox.NamedNode, form: str, relation: str) -> ox.NamedNode:
        spec = self.fresh("time")
        self.add(spec, A, _n(_NK + "TimeSpec"))
        self.add(spec, SURFACE, ox.Literal(form))
        self.add(spec, IN_UNIT, unit)
        self.add(spec, _n(_NK + "anchor"), self.article)
        self.add(spec, _n(_NK + "relation"), _n(_NK + relation))
        resolution = self.fresh("res")
        for s, p, o in (
            (resolution, A, _n(_NK + "TimeResolution")),
            (resolution, _n(_NK + "resolves"), spec),
            (resolution, _n(_SEM + "hasLatestBeginTimeStamp"), self.date()),
            (resolution, _n(_NK + "rule"), ox.Literal(f"'{form}': no later than publication.")),
            (resolution, _n(_NK + "basis"), _n(_NK + "TextBasis")),
            (resolution, _n(_PROV + "wasDerivedFrom"), self.article),
        ):
            self.out.append(ox.Quad(s, p, o, self.resolved))
        return spec

    def pick(self, entities: tuple[_Entity, ...]) -> _Entity:
        return self.rng.choice(entities)

    def post_of(self, country: _Entity) -> _Entity:
        index = self.pool.countries.index(country)
        return self.pool.posts[index * len(_POSTS) + self.rng.randrange(len(_POSTS))]

    # --- sentence templates: each writes one sentence and what it states -------------

    def _fled(self, s: ox.NamedNode) -> str:
        person, country = self.pick(self.pool.people), self.pick(self.pool.countries)
        post = self.post_of(country)
        count = self.rng.randrange(1_000, 200_000)
        weekday = self.rng.choice(_WEEKDAYS)
        form = f"more than {count:,}"
        text = (
            f"{person.name}, the {post.name}, said on {weekday} that {form} people had fled "
            f"{self.place.name} since the {self.event_word} began."
        )
        for entity, surface in ((person, person.name), (post, post.name)):
            self.mention(entity.iri, s, surface)
        self.mention(self.place.iri, s, self.place.name)
        self.mention(self.event, s, f"the {self.event_word}")
        when = self.time(s, f"on {weekday}", "Before")
        fig = self.figure(
            s, "Count", form, _int(count, XSD_INT), "MoreThan",
            unit_text="people", counts=f"people who fled {self.place.name}",
        )  # fmt: skip
        self.add(fig, _n(_NK + "asOf"), when)
        attr = self.attribution(person.iri, "said", role=post.iri, stated_at=when)
        self.statement(s, self.event, _NK + "numberFled", figure=fig, attribution=attr)
        self.statement(s, person.iri, _ORG + "holds", obj=post.iri)
        return text

    def _damaged(self, s: ox.NamedNode) -> str:
        org = self.pick(self.pool.organisations)
        count = self.rng.randrange(100, 20_000)
        form = f"roughly {count:,}"
        text = f"{org.name} reported that {form} homes were damaged in {self.place.name}."
        self.mention(org.iri, s, org.name)
        self.mention(self.place.iri, s, self.place.name)
        fig = self.figure(
            s, "Count", form, _int(count, XSD_INT), "Roughly",
            unit_text="homes", counts=f"homes damaged in {self.place.name}",
        )  # fmt: skip
        attr = self.attribution(org.iri, "reported")
        self.statement(s, self.event, _NK + "numberAffected", figure=fig, attribution=attr)
        self.statement(s, self.event, _SEM + "hasPlace", obj=self.place.iri)
        return text

    def _post_on_x(self, s: ox.NamedNode) -> str:
        person = self.pick(self.pool.people)
        quote = self.rng.choice(_QUOTES)
        text = f"{person.name} called the {self.event_word} “{quote}” in a post on X."
        post = self.fresh("post")
        self.add(post, A, _n(_NK + "CommunicationAct"))
        self.add(post, A, _n(_SCHEMA + "SocialMediaPosting"))
        self.add(post, LABEL, _en(f"{person.name}'s post on X"))
        self.mention(post, s, "a post on X")
        self.mention(person.iri, s, person.name)
        self.mention(self.pool.platform.iri, s, "X")
        quotation = self.fresh("q")
        self.add(quotation, A, _n(_NK + "Quotation"))
        self.add(quotation, _n(_OA + "exact"), ox.Literal(quote))
        self.add(quotation, IN_UNIT, s)
        attr = self.attribution(person.iri, "called", act=post)
        st = self.statement(
            s, self.event, _NK + "describedAs", value=quote, attribution=attr,
            modality="Evaluation",
        )  # fmt: skip
        self.add(st, _n(_NK + "quotation"), quotation)
        self.statement(s, post, _SEM + "hasActor", obj=person.iri)
        self.statement(s, post, _NK + "channel", obj=self.pool.platform.iri)
        return text

    def _began(self, s: ox.NamedNode) -> str:
        country = self.pick(self.pool.countries)
        days = self.rng.randrange(2, 60)
        form = f"{days} days"
        text = (
            f"{self.place.name} lies in {country.name}, where the {self.event_word} began "
            f"{form} before this report."
        )
        self.mention(self.place.iri, s, self.place.name)
        self.mention(country.iri, s, country.name)
        duration = ox.Literal(f"P{days}D", datatype=XSD_DURATION)
        # A round number printed bare is unhedged, not exact (ontology/README.md, hedges).
        hedge = "Unhedged" if days % 10 == 0 else "Exact"
        fig = self.figure(
            s, "Duration", form, duration, hedge,
            unit_text="days", counts=f"time since the {self.event_word} began",
        )  # fmt: skip
        when = self.time(s, f"{form} before this report", "Before")
        self.add(when, _n(_NK + "offset"), fig)
        self.statement(s, self.place.iri, _SCHEMA + "containedInPlace", obj=country.iri)
        self.statement(s, self.event, _SEM + "hasTime", obj=when)
        self.statement(s, self.event, _NK + "duration", figure=fig)
        return text

    def _disputed(self, s: ox.NamedNode) -> str:
        first, second = self.rng.sample(self.pool.organisations, 2)
        low = self.rng.randrange(10, 5_000)
        high = low + self.rng.randrange(1, 500)
        low_form, high_form = f"at least {low:,}", f"fewer than {high:,}"
        text = (
            f"According to {first.name}, {low_form} people were injured, while "
            f"{second.name} put the number at {high_form}."
        )
        self.mention(first.iri, s, first.name)
        self.mention(second.iri, s, second.name)
        claims = []
        for org, form, value, hedge, verb in (
            (first, low_form, low, "AtLeast", "according to"),
            (second, high_form, high, "LessThan", "put the number at"),
        ):
            fig = self.figure(
                s, "Count", form, _int(value, XSD_INT), hedge,
                unit_text="people", counts=f"people injured in the {self.event_word}",
            )  # fmt: skip
            attr = self.attribution(org.iri, verb)
            claims.append(
                self.statement(s, self.event, _NK + "numberInjured", figure=fig, attribution=attr)
            )
        self.add(claims[1], _n(_NK + "contrastsWith"), claims[0])
        return text

    def _holds(self, s: ox.NamedNode) -> str:
        person, country = self.pick(self.pool.people), self.pick(self.pool.countries)
        post = self.post_of(country)
        text = f"{person.name}, who serves as {post.name}, visited {self.place.name}."
        self.mention(person.iri, s, person.name)
        self.mention(post.iri, s, post.name)
        self.mention(self.place.iri, s, self.place.name)
        self.statement(s, person.iri, _ORG + "holds", obj=post.iri)
        return text

    def _share_left(self, s: ox.NamedNode) -> str:
        org = self.pick(self.pool.organisations)
        text = f"Nearly the entire population of {self.place.name} has left, {org.name} said."
        self.mention(org.iri, s, org.name)
        self.mention(self.place.iri, s, self.place.name)
        fig = self.figure(
            s, "Proportion", "Nearly the entire", ox.Literal("100", datatype=XSD_INT), "Nearly",
            unit_text="percent", counts=f"share of {self.place.name} that has left",
        )  # fmt: skip
        attr = self.attribution(org.iri, "said")
        self.statement(s, self.event, _NK + "shareLeft", figure=fig, attribution=attr)
        return text


#: hedge -> (lower bound rule, upper bound rule), as the ontology states them.
_BOUND_RULES: Final = {
    "Exact": ("in", "in"),
    "Unhedged": ("none", "none"),
    "MoreThan": ("ex", "none"),
    "AtLeast": ("in", "none"),
    "LessThan": ("none", "ex"),
    "Nearly": ("none", "ex"),
    "Roughly": ("none", "none"),
}


def _int(value: int, datatype: ox.NamedNode) -> ox.Literal:
    return ox.Literal(str(value), datatype=datatype)
