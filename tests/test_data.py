"""The shipped graph holds the whole article, faithfully, and nothing it does not say."""

from __future__ import annotations

import hashlib
import re

import pytest
from rdfcompare import assert_isomorphic
from rdflib import RDF, Dataset, Graph, Literal, Namespace, URIRef

from nkgraph.model.anchors import anchor_layer
from nkgraph.model.loading import load_dataset
from nkgraph.model.resources import shipped
from nkgraph.model.text import LineKind, layout, text_layer
from nkgraph.vocab import ART, GRAPHS, ID, NK, PREFIXES

ARTICLE_SHA256 = "c90a3aa93a80af0970b50d0a291e432d9b4217fe326b344a444261ca1ae49dbc"
NIF = Namespace(PREFIXES["nif"])
OA = Namespace(PREFIXES["oa"])
SEM = Namespace(PREFIXES["sem"])
SCHEMA = Namespace(PREFIXES["schema"])


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="module")
def article_text() -> str:
    return shipped().article_text.read_text(encoding="utf-8")


def ask(dataset: Dataset, query: str) -> list[tuple[str, ...]]:
    return [
        tuple("" if value is None else str(value) for value in row)  # type: ignore[union-attr]
        for row in dataset.query(query, initNs=PREFIXES)
    ]


def test_article_is_the_clients_copy() -> None:
    digest = hashlib.sha256(shipped().article_text.read_bytes()).hexdigest()
    assert digest == ARTICLE_SHA256


def test_graph_holds_the_article_text(dataset: Dataset, article_text: str) -> None:
    assert list(dataset.objects(ART.article, NIF.isString)) == [Literal(article_text)]


def test_article_has_eleven_lines_and_thirteen_sentences(article_text: str) -> None:
    found = layout(article_text)
    assert [line.kind for line in found.lines] == (
        [LineKind.PARAGRAPH, LineKind.CAPTION] + [LineKind.PARAGRAPH] * 7 + [LineKind.LINK] * 2
    )
    assert [sentence.line for sentence in found.sentences] == [
        1,
        3,
        4,
        5,
        6,
        7,
        7,
        7,
        8,
        9,
        9,
        10,
        11,
    ]
    for unit in (*found.lines, *found.sentences):
        assert article_text[unit.begin : unit.end] == unit.text


def test_shipped_text_layer_is_generated_from_the_article(article_text: str) -> None:
    shipped_layer = Dataset()
    shipped_layer.parse(shipped().data_dir / "karabakh-exodus-2023-text.trig", format="trig")
    expected = text_layer(article_text, article=ART.article, base=ART)
    actual = shipped_layer.graph(GRAPHS.ARTICLE)
    assert_isomorphic(expected, actual)


def test_shipped_anchors_are_generated_from_the_text(dataset: Dataset) -> None:
    """data/...-anchors.trig is what `nkgraph anchors` makes of the data today."""
    shipped_layer = Dataset()
    shipped_layer.parse(shipped().anchors, format="trig")
    actual = shipped_layer.graph(GRAPHS.ARTICLE)
    expected = anchor_layer(dataset)
    assert_isomorphic(expected, actual, hint="run `nkgraph anchors --write`: ")


@pytest.mark.parametrize(
    ("entity", "unit", "words", "count"),
    [
        (ID["azerbaijani-offensive-2023"], "s9", "the attack", 2),
        (ID["nagorno-karabakh"], "s9", "the region", 2),
        (ID["nagorno-karabakh"], "s11", "the region", 2),
        (ID.armenia, "s2", "Armenia", 2),
        (ID.azerbaijan, "s1", "Azerbaijan", 2),
    ],
    ids=["attack-s9", "region-s9", "region-s11", "armenia-s2", "azerbaijan-s1"],
)
def test_repeated_words_are_distinct_mentions(
    dataset: Dataset, article_text: str, entity: URIRef, unit: str, words: str, count: int
) -> None:
    rows = ask(
        dataset,
        f"""SELECT ?begin ?end {{ <{entity}> nk:mention ?m .
               ?m nk:inUnit art:{unit} ; nk:surfaceForm "{words}" ;
                  nif:beginIndex ?begin ; nif:endIndex ?end }}""",
    )
    assert len(rows) == count
    for begin, end in rows:
        assert article_text[int(begin) : int(end)] == words


def test_every_quotation_in_the_article_is_in_the_graph(
    dataset: Dataset, article_text: str
) -> None:
    quoted = re.findall(r"“([^”]*)”", article_text)
    in_graph = [str(o) for o in dataset.objects(None, OA.exact)]
    assert sorted(quoted) == sorted(in_graph)
    assert len(quoted) == 14


def test_every_number_in_the_article_is_in_the_graph(dataset: Dataset, article_text: str) -> None:
    """Each figure, date and count of the text shows up in a figure, time or headline."""
    surface_forms = " | ".join(
        str(o) for p in (NK.surfaceForm, SCHEMA.headline) for o in dataset.objects(None, p)
    )
    numbers = set(re.findall(r"\d[\d,]*\d|\d", article_text))
    number_words = {
        "one day",
        "two weeks",
        "two months",
        "three decades",
        "nine-plus",
        "thousands",
        "decades-long",
    }
    missing = sorted(n for n in numbers | number_words if n not in surface_forms)
    assert not missing


def test_every_figure_keeps_its_hedge(dataset: Dataset) -> None:
    hedges = {
        str(row[0]).rsplit("#", 1)[1]
        for row in ask(dataset, "SELECT DISTINCT ?h { ?f nk:hedge ?h }")
    }
    assert {
        "Exact",
        "Unhedged",
        "MoreThan",
        "AtLeast",
        "Roughly",
        "Nearly",
        "JustUnder",
        "Plus",
        "LessThan",
    } <= hedges


def test_roughly_has_no_bounds(dataset: Dataset) -> None:
    rows = ask(
        dataset,
        """SELECT ?f { ?f nk:hedge nk:Roughly .
                       { ?f nk:lowerBound ?b } UNION { ?f nk:upperBound ?b } }""",
    )
    assert rows == []
    assert (ART["fig-war-dead"], NK.hedge, NK.Roughly) in dataset


def test_only_numbers_printed_to_the_unit_are_exact(dataset: Dataset) -> None:
    rows = ask(dataset, "SELECT ?form { ?f nk:hedge nk:Exact ; nk:surfaceForm ?form }")
    assert sorted(rows) == [("100,437",), ("one day",)]


def test_a_round_number_printed_bare_has_no_bounds(dataset: Dataset) -> None:
    figure = ART["fig-bbc-refugees"]
    assert (figure, NK.hedge, NK.Unhedged) in dataset
    for bound in (NK.lowerBound, NK.upperBound, NK.lowerBoundIncluded, NK.upperBoundIncluded):
        assert not list(dataset.objects(figure, bound))


def test_every_text_unit_is_evidence(dataset: Dataset) -> None:
    rows = ask(
        dataset,
        """SELECT ?unit {
               { ?unit a nif:Sentence } UNION { ?unit nk:lineKind nk:CaptionLine }
               FILTER NOT EXISTS { ?statement nk:evidence ?unit } }""",
    )
    assert rows == []


ENTITIES = {
    ID.armenia: SCHEMA.Country,
    ID.azerbaijan: SCHEMA.Country,
    ID["nagorno-karabakh"]: SCHEMA.Place,
    ID["republic-of-artsakh"]: NK.SelfDeclaredState,
    ID.turkey: SCHEMA.Country,
    ID["united-states"]: SCHEMA.Country,
    ID["soviet-union"]: SCHEMA.Country,
    ID.caucasus: SCHEMA.Place,
    ID["antony-blinken"]: SCHEMA.Person,
    ID["nikol-pashinyan"]: SCHEMA.Person,
    ID["nazeli-baghdasaryan"]: SCHEMA.Person,
    ART["state-department-spokesperson"]: SCHEMA.Person,
    ID.armenpress: SCHEMA.NewsMediaOrganization,
    ID.politico: SCHEMA.Organization,
    ID.reuters: SCHEMA.Organization,
    ID["human-rights-watch"]: SCHEMA.NGO,
    ID["us-state-department"]: SCHEMA.GovernmentOrganization,
    ID["turkey-foreign-ministry"]: SCHEMA.GovernmentOrganization,
    ID["azerbaijan-military"]: NK.ArmedForces,
    ID.bbc: SCHEMA.NewsMediaOrganization,
    ID["new-york-times"]: SCHEMA.NewsMediaOrganization,
    ID.x: NK.SocialMediaPlatform,
    ART["armenian-officials"]: NK.UnnamedGroup,
    ART["azerbaijani-officials"]: NK.UnnamedGroup,
    ART["international-community"]: NK.UnnamedGroup,
    ART["karabakh-armenians"]: NK.PopulationGroup,
    ID["azerbaijani-offensive-2023"]: SEM.Event,
    ID["karabakh-armenian-exodus-2023"]: SEM.Event,
    ART["ceasefire-call"]: NK.CommunicationAct,
    ART["gas-station-explosion"]: SEM.Event,
    ART["blinken-pashinyan-call"]: NK.CommunicationAct,
    ID["nagorno-karabakh-blockade"]: SEM.Event,
    ART["hrw-report-release"]: NK.CommunicationAct,
    ART["baghdasaryan-post-on-x"]: NK.CommunicationAct,
    ID["first-nagorno-karabakh-war"]: SEM.Event,
    ID["nagorno-karabakh-war-2020"]: SEM.Event,
    ART["failed-negotiations"]: SEM.Event,
    ART["independence-of-armenia-and-azerbaijan"]: SEM.Event,
    ID["dissolution-of-the-soviet-union"]: SEM.Event,
    ART["related-bbc"]: SCHEMA.NewsArticle,
    ART["related-nyt"]: SCHEMA.NewsArticle,
}


@pytest.mark.parametrize("entity", ENTITIES, ids=lambda e: str(e).rsplit("/", 1)[1])
def test_entity_is_in_the_graph_with_its_mentions(dataset: Dataset, entity: URIRef) -> None:
    graph = dataset.graph(GRAPHS.ARTICLE)
    assert (entity, RDF.type, ENTITIES[entity]) in graph
    assert list(graph.objects(entity, NK.mention))


@pytest.mark.parametrize(
    ("resource", "gap"),
    [
        (ID["nagorno-karabakh-blockade"], SEM.hasActor),
        (ART["blinken-pashinyan-call"], SEM.hasTime),
        (ART["state-department-spokesperson"], SCHEMA.name),
        (ART.article, SCHEMA.publisher),
        (ART.article, SCHEMA.author),
        (ART.article, SCHEMA.url),
        (ART["attr-baghdasaryan-claimed"], NK.communicationAct),
    ],
    ids=[
        "blockade-imposer",
        "call-date",
        "spokesperson-name",
        "publisher",
        "author",
        "url",
        "claim-medium",
    ],
)
def test_what_the_article_does_not_say_stays_unsaid(
    dataset: Dataset, resource: URIRef, gap: URIRef
) -> None:
    article = dataset.graph(GRAPHS.ARTICLE)
    assert (resource, NK.notStated, gap) in article
    assert not list(dataset.objects(resource, gap))
    statements = set(dataset.subjects(NK.subject, resource))
    assert not statements & set(dataset.subjects(NK.predicate, gap))


def test_publication_date_is_the_clients_inference(dataset: Dataset) -> None:
    metadata = dataset.graph(GRAPHS.METADATA)
    assert list(metadata.objects(ART.article, SCHEMA.datePublished)) == [
        Literal("2023-09-30", datatype=URIRef(PREFIXES["xsd"] + "date"))
    ]
    assert not list(dataset.graph(GRAPHS.ARTICLE).objects(ART.article, SCHEMA.datePublished))


def test_truthy_graph_holds_no_past_state_of_affairs(dataset: Dataset) -> None:
    truthy: Graph = dataset.graph(GRAPHS.TRUTHY)
    assert not list(truthy.triples((ID["nagorno-karabakh"], NK.governedAs, None)))
    assert not list(truthy.triples((ID["republic-of-artsakh"], NK.describedAs, None)))
    # A state that lasts until the time of writing ('ever since') is still current.
    assert (ID["nagorno-karabakh"], NK.describedAs, Literal("disputed region")) in truthy
    rows = ask(
        dataset,
        """SELECT ?st { ?st nk:heldAt ?time ; nk:subject ?s ; nk:predicate ?p .
               { ?st nk:object ?o } UNION { ?st nk:value ?o } UNION { ?st nk:figure ?o }
               FILTER NOT EXISTS { ?time nk:relation nk:Since }
               GRAPH graph:truthy { ?s ?p ?o } }""",
    )
    assert rows == []


def test_truthy_graph_holds_no_attributed_claim(dataset: Dataset) -> None:
    truthy: Graph = dataset.graph(GRAPHS.TRUTHY)
    assert (ID["azerbaijani-offensive-2023"], NK.characterisedAs, NK.MilitaryOffensive) in truthy
    for framing in (NK.EthnicCleansing, NK.Aggression, NK.AntiTerrorismMeasures, NK.Evacuation):
        assert (ID["azerbaijani-offensive-2023"], NK.characterisedAs, framing) not in truthy
    rows = ask(
        dataset,
        """SELECT ?s ?p ?o {
               ?st nk:voice nk:AttributedVoice ; nk:subject ?s ; nk:predicate ?p .
               { ?st nk:object ?o } UNION { ?st nk:figure ?o } UNION { ?st nk:value ?o }
               GRAPH graph:truthy { ?s ?p ?o }
               FILTER NOT EXISTS {
                   ?other nk:voice nk:ArticleVoice ; nk:subject ?s ; nk:predicate ?p .
                   { ?other nk:object ?o } UNION { ?other nk:value ?o } } }""",
    )
    assert rows == []
