"""describe.py: one resource of the shipped graph, described through SPARQL only."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from nkgraph.errors import ResourceNotFound
from nkgraph.model.loading import load_dataset
from nkgraph.pages.describe import (
    Figure,
    Link,
    ResourceDescription,
    StatementView,
    describe,
    document_triples,
    fetch_labels,
    format_value,
    highlight,
)
from nkgraph.pages.lookup import Lookup
from nkgraph.sparql.engine import Engine, QueryResult
from nkgraph.sparql.prepare import PreparedQuery
from nkgraph.vocab import ART, ID, NK


class CountingEngine:
    """The engine, counting the queries run through ``Engine.run``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.queries = 0

    def run(self, query: PreparedQuery, *, timeout: float, max_rows: int) -> QueryResult:
        self.queries += 1
        return self.engine.run(query, timeout=timeout, max_rows=max_rows)


@pytest.fixture(scope="module")
def engine() -> CountingEngine:
    return CountingEngine(Engine.from_dataset(load_dataset(), union_default_graph=True))


@pytest.fixture
def lookup(engine: CountingEngine) -> Lookup:
    return Lookup(engine, timeout=10.0, max_rows=10_000)


def statements(description: ResourceDescription, role: str) -> list[StatementView]:
    return [st for g in description.statement_groups if g.role == role for st in g.statements]


def by_iri(views: list[StatementView], iri: str) -> StatementView:
    return next(st for st in views if st.iri == iri)


def test_everything_is_fetched_through_the_engine(engine: CountingEngine, lookup: Lookup) -> None:
    before = engine.queries
    describe(lookup, str(ID.armenia))
    assert engine.queries > before


def test_entity_labels_types_and_mentions(lookup: Lookup) -> None:
    armenia = describe(lookup, str(ID.armenia))
    assert armenia.label == "Armenia"
    assert Link("http://schema.org/Country", "country") in armenia.types
    assert {m.unit.label for m in armenia.mentions} >= {"Sentence 2", "Sentence 5"}


def test_statements_pointing_to_an_entity(lookup: Lookup) -> None:
    armenia = describe(lookup, str(ID.armenia))
    to_armenia = by_iri(statements(armenia, "object"), str(ART["st-exodus-to-armenia"]))
    assert to_armenia.subject.iri == str(ID["karabakh-armenian-exodus-2023"])
    assert to_armenia.attribution is not None
    assert to_armenia.attribution.source == Link(
        str(ART["armenian-officials"]), "Armenian officials"
    )
    assert [r.label for r in to_armenia.attribution.reported_by] == ["Armenpress"]


def test_figure_with_hedge_and_bounds(lookup: Lookup) -> None:
    exodus = describe(lookup, str(ID["karabakh-armenian-exodus-2023"]))
    forced = by_iri(statements(exodus, "subject"), str(ART["st-forced-to-flee"]))
    assert isinstance(forced.value, Figure)
    assert forced.value.text == "more than 100,000 (lower bound 100,000, excluded)"
    assert forced.value.hedge is not None and forced.value.hedge.iri == str(NK.MoreThan)
    assert forced.evidence is not None
    assert ("more than 100,000", "figure") in [(s.text, s.kind) for s in forced.evidence.segments]


@pytest.mark.parametrize(
    ("figure", "text"),
    [
        (
            "fig-fled-to-armenia",
            "100,437 (lower bound 100,437, included; upper bound 100,437, included)",
        ),
        ("fig-war-dead", "roughly 30,000 (no bounds given)"),
        ("fig-just-under-two-weeks", "just under two weeks (upper bound 14 days, excluded)"),
        ("fig-share-left", "Nearly the entire (upper bound 100, excluded)"),
    ],
    ids=["exact", "roughly", "duration", "proportion"],
)
def test_figure_pages(lookup: Lookup, figure: str, text: str) -> None:
    description = describe(lookup, str(ART[figure]))
    assert description.figure is not None
    assert description.figure.text == text
    assert statements(description, "figure") or description.incoming  # a time's offset


def test_quotation_is_highlighted_in_its_sentence(lookup: Lookup) -> None:
    offensive = describe(lookup, str(ID["azerbaijani-offensive-2023"]))
    cleansing = by_iri(statements(offensive, "subject"), str(ART["st-ethnic-cleansing"]))
    assert cleansing.quotations == ("complete its policy of ethnic cleansing,",)
    assert cleansing.evidence is not None and cleansing.evidence.unit.label == "Sentence 10"
    quoted = [s.text for s in cleansing.evidence.segments if s.kind == "quote"]
    assert quoted == ["complete its policy of ethnic cleansing,"]
    assert "".join(s.text for s in cleansing.evidence.segments).startswith("Armenian Prime")
    assert cleansing.attribution is not None and cleansing.attribution.verb == "claimed"


def test_text_unit_has_its_text_and_what_comes_from_it(lookup: Lookup) -> None:
    s2 = describe(lookup, str(ART.s2))
    assert s2.label == "Sentence 2"
    assert s2.text is not None and s2.text.startswith("Armenian officials said Saturday morning")
    assert {m.resource.label for m in s2.mentioned} >= {"Armenpress", "Armenia"}
    assert str(ART["st-fled-to-armenia"]) in {st.iri for st in statements(s2, "evidence")}


def test_ontology_term_and_where_it_is_used(lookup: Lookup) -> None:
    term = describe(lookup, str(NK.numberFled))
    assert term.label == "number of people who fled"
    assert term.descriptions
    uses = {u.title: u.count for u in term.usage}
    assert uses["Statements with this predicate"] == 4
    assert len(statements(term, "predicate")) == 4


@pytest.mark.parametrize(
    "iri",
    ["https://w3id.org/nkgraph/id/no-such-thing", "not an iri", "https://x.example/a>b"],
    ids=["unknown", "relative", "breaks-out"],
)
def test_unknown_or_invalid_iri(lookup: Lookup, iri: str) -> None:
    with pytest.raises(ResourceNotFound):
        describe(lookup, iri)
    with pytest.raises(ResourceNotFound):
        document_triples(lookup, iri)


def test_document_triples_have_own_and_incoming_triples(lookup: Lookup) -> None:
    triples = document_triples(lookup, str(ID.armenia))
    subjects = {t.subject for t in triples}
    assert ox.NamedNode(str(ID.armenia)) in subjects
    assert ox.NamedNode(str(ART["st-exodus-to-armenia"])) in subjects
    assert any(isinstance(t.subject, ox.BlankNode) for t in triples)  # the mentions
    assert len(triples) == len(set(triples))


@pytest.mark.parametrize(
    ("literal", "text"),
    [
        (
            ox.Literal("100000", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
            "100,000",
        ),
        (
            ox.Literal("P14D", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#duration")),
            "14 days",
        ),
        (
            ox.Literal("P1D", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#duration")),
            "1 day",
        ),
        (ox.Literal("1.0", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")), "1"),
        (
            ox.Literal("0.5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
            "0.5",
        ),
        (ox.Literal("words"), "words"),
    ],
    ids=["integer", "days", "one-day", "decimal-whole", "decimal", "string"],
)
def test_format_value(literal: ox.Literal, text: str) -> None:
    assert format_value(literal) == text


def test_highlight_prefers_whole_words_and_earlier_needles() -> None:
    segments = highlight(
        "Armenian officials left Armenia", [("Armenia", "mention"), ("officials", "quote")]
    )
    assert [(s.text, s.kind) for s in segments] == [
        ("Armenian ", None),
        ("officials", "quote"),
        (" left ", None),
        ("Armenia", "mention"),
    ]
    overlapping = highlight("more than 100", [("more than 100", "figure"), ("100", "quote")])
    assert [(s.text, s.kind) for s in overlapping] == [("more than 100", "figure")]


def test_statements_are_named_by_who_says_what(lookup: Lookup) -> None:
    labels = fetch_labels(lookup, [str(ART["st-aggression"]), str(ART["st-nk-war-torn"])])
    assert labels(str(ART["st-aggression"])) == (
        "Nazeli Baghdasaryan: Azerbaijani military offensive on Nagorno-Karabakh, "
        "September 2023: aggression"
    )
    assert labels(str(ART["st-nk-war-torn"])) == "Nagorno-Karabakh: war-torn region"
