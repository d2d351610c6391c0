"""Every SHACL shape rejects data broken its way, with its own message.

The fixture ``tests/data/shapes/minimal.trig`` holds one of each thing the shapes check and
conforms. Each case below breaks it one way, with a SPARQL Update, and expects a result
from the named shape with the message that shape gives. A last test checks that every
message in ``ontology/shapes.ttl`` is expected by some case, so no shape goes untested.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import RDF, Dataset, Literal, URIRef
from rdflib.namespace import SH

from nkgraph.model.loading import load_dataset, load_shapes
from nkgraph.validation.shacl import validate

FIXTURE = Path(__file__).parent / "data" / "shapes" / "minimal.trig"
NKS = "https://w3id.org/nkgraph/shapes#"
PREFIXES = """
PREFIX fx:     <http://example.org/fx/>
PREFIX nk:     <https://w3id.org/nkgraph/ontology#>
PREFIX nif:    <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX oa:     <http://www.w3.org/ns/oa#>
PREFIX org:    <http://www.w3.org/ns/org#>
PREFIX rdfs:   <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <http://schema.org/>
PREFIX sem:    <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX skos:   <http://www.w3.org/2004/02/skos/core#>
PREFIX prov:   <http://www.w3.org/ns/prov#>
PREFIX xsd:    <http://www.w3.org/2001/XMLSchema#>
PREFIX rdf:    <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
ARTICLE = "<http://example.org/graph/article>"
RESOLVED = "<http://example.org/graph/resolved>"
LINKS = "<http://example.org/graph/links>"
REVIEWS = "<http://example.org/graph/reviews>"


def drop(subject: str, predicate: str, graph: str = ARTICLE) -> str:
    return f"DELETE WHERE {{ GRAPH {graph} {{ {subject} {predicate} ?o }} }}"


def add(triples: str, graph: str = ARTICLE) -> str:
    return f"INSERT DATA {{ GRAPH {graph} {{ {triples} }} }}"


def put(subject: str, predicate: str, obj: str, graph: str = ARTICLE) -> str:
    return f"{drop(subject, predicate, graph)} ;\n{add(f'{subject} {predicate} {obj}', graph)}"


def drop_from_mention(entity: str, predicate: str, link: str = "nk:mention") -> str:
    return (
        f"DELETE {{ GRAPH {ARTICLE} {{ ?m {predicate} ?o }} }} "
        f"WHERE {{ GRAPH {ARTICLE} {{ {entity} {link} ?m . ?m {predicate} ?o }} }}"
    )


@dataclass(frozen=True)
class Case:
    """One way to break the fixture, the shape that must catch it and its message."""

    id: str
    shape: str
    message: str
    update: str


CASES = [
    # Text
    Case(
        "context-without-text",
        "ContextShape",
        "needs exactly one nif:isString",
        drop("fx:article", "nif:isString"),
    ),
    Case(
        "unit-without-anchor",
        "TextUnitShape",
        "needs exactly one nif:anchorOf",
        drop("fx:s1", "nif:anchorOf"),
    ),
    Case(
        "unit-begin-wrong-type",
        "TextUnitShape",
        "needs one nif:beginIndex",
        put("fx:s1", "nif:beginIndex", '"0"'),
    ),
    Case(
        "unit-without-end", "TextUnitShape", "needs one nif:endIndex", drop("fx:s1", "nif:endIndex")
    ),
    Case(
        "unit-without-context",
        "TextUnitShape",
        "needs one nif:referenceContext",
        drop("fx:s2", "nif:referenceContext"),
    ),
    Case(
        "unit-offsets-wrong",
        "TextUnitShape",
        "do not give its nif:anchorOf",
        put("fx:s2", "nif:beginIndex", "51"),
    ),
    Case(
        "line-without-number",
        "LineShape",
        "needs exactly one nk:lineNumber",
        drop("fx:line-1", "nk:lineNumber"),
    ),
    Case(
        "line-kind-unknown",
        "LineShape",
        "needs one nk:lineKind",
        put("fx:line-1", "nk:lineKind", "nk:Heading"),
    ),
    Case(
        "line-truncated-not-boolean",
        "LineShape",
        "nk:truncated is a single xsd:boolean",
        put("fx:line-2", "nk:truncated", '"yes"'),
    ),
    Case(
        "sentence-without-number",
        "SentenceShape",
        "needs exactly one nk:sentenceNumber",
        drop("fx:s1", "nk:sentenceNumber"),
    ),
    Case(
        "sentence-without-line", "SentenceShape", "needs one nk:inLine", drop("fx:s1", "nk:inLine")
    ),
    Case(
        "sentence-outside-line",
        "SentenceShape",
        "fall outside those of its line",
        put("fx:s1", "nk:inLine", "fx:line-2"),
    ),
    Case(
        "sentence-uncovered",
        "EvidenceCoverageShape",
        "no statement has it as nk:evidence",
        put("fx:st-crisis", "nk:evidence", "fx:s1"),
    ),
    Case(
        "sentence-listed-without-statement-has-one",
        "EvidenceCoverageShape",
        "is listed as having no statement (nk:noStatementBecause), yet",
        add('fx:s1 nk:noStatementBecause "it only repeats the headline"'),
    ),
    Case(
        "sentence-without-statement-reason-empty",
        "EvidenceCoverageShape",
        "nk:noStatementBecause is one non-empty xsd:string",
        add('fx:s1 nk:noStatementBecause ""'),
    ),
    Case(
        "caption-uncovered",
        "CaptionCoverageShape",
        "Nothing in the graph is taken from this caption",
        put("fx:st-caption", "nk:evidence", "fx:s1"),
    ),
    Case(
        "mention-without-unit",
        "MentionShape",
        "needs one nk:inUnit: the text unit that holds it",
        drop_from_mention("fx:officials", "nk:inUnit"),
    ),
    Case(
        "mention-without-words",
        "MentionShape",
        "needs one non-empty nk:surfaceForm",
        drop_from_mention("fx:officials", "nk:surfaceForm"),
    ),
    Case(
        "mention-pattern-without-unit",
        "MentionShape",
        "A mention or mention pattern needs one nk:inUnit",
        drop_from_mention("fx:minister", "nk:inUnit", "nk:mentionedAs"),
    ),
    Case(
        "non-mention-without-unit",
        "NonMentionShape",
        "needs one nk:inUnit: the text unit whose words were reviewed",
        drop_from_mention("fx:flight", "nk:inUnit", "nk:nonMention"),
    ),
    Case(
        "non-mention-without-words",
        "NonMentionShape",
        "the words that do not name the entity",
        drop_from_mention("fx:flight", "nk:surfaceForm", "nk:nonMention"),
    ),
    Case(
        "non-mention-without-reason",
        "NonMentionShape",
        "needs an rdfs:comment: why the words do not name the entity",
        drop_from_mention("fx:flight", "rdfs:comment", "nk:nonMention"),
    ),
    Case(
        "anchor-offsets-wrong",
        "AnchoredWordsShape",
        "do not give the words",
        put("fx:fig-fled", "nif:beginIndex", "16"),
    ),
    Case(
        "mention-offsets-wrong",
        "AnchoredWordsShape",
        "do not give the words",
        f"DELETE {{ GRAPH {ARTICLE} {{ ?m nif:endIndex ?end }} }} "
        f"INSERT {{ GRAPH {ARTICLE} {{ ?m nif:endIndex 10 }} }} "
        f"WHERE {{ GRAPH {ARTICLE} {{ fx:officials nk:mention ?m . ?m nif:endIndex ?end }} }}",
    ),
    Case(
        "anchor-of-differs",
        "AnchoredWordsShape",
        "do not give the words",
        put("fx:fig-fled", "nif:anchorOf", '"more than 6"'),
    ),
    Case(
        "anchor-begin-wrong-type",
        "AnchoredWordsShape",
        "at most one nif:beginIndex",
        put("fx:fig-fled", "nif:beginIndex", '"15"'),
    ),
    Case(
        "anchor-with-two-ends",
        "AnchoredWordsShape",
        "at most one nif:endIndex",
        add("fx:fig-fled nif:endIndex 27"),
    ),
    Case(
        "surface-form-not-in-text",
        "SurfaceFormShape",
        "is not in the text of its unit",
        put("fx:time-monday", "nk:surfaceForm", '"on Tuesday"'),
    ),
    # Statements and attribution
    Case(
        "statement-without-subject",
        "StatementShape",
        "needs exactly one nk:subject",
        drop("fx:st-fled", "nk:subject"),
    ),
    Case(
        "statement-without-predicate",
        "StatementShape",
        "needs exactly one nk:predicate",
        drop("fx:st-fled", "nk:predicate"),
    ),
    Case(
        "statement-object-literal",
        "StatementShape",
        "nk:object is a single IRI",
        add('fx:st-caption nk:object "town"'),
    ),
    Case(
        "statement-figure-not-figure",
        "StatementShape",
        "nk:figure is a single nk:Figure",
        put("fx:st-fled", "nk:figure", "fx:flight"),
    ),
    Case(
        "statement-value-not-string",
        "StatementShape",
        "nk:value is a single xsd:string",
        put("fx:st-caption", "nk:value", "5"),
    ),
    Case(
        "statement-two-values",
        "StatementShape",
        "needs exactly one value",
        add("fx:st-fled nk:object fx:officials"),
    ),
    Case(
        "statement-without-evidence",
        "StatementShape",
        "needs exactly one nk:evidence",
        drop("fx:st-fled", "nk:evidence"),
    ),
    Case(
        "statement-without-voice",
        "StatementShape",
        "needs one nk:voice",
        drop("fx:st-fled", "nk:voice"),
    ),
    Case(
        "statement-modality-unknown",
        "StatementShape",
        "needs one nk:modality",
        put("fx:st-fled", "nk:modality", "nk:Rumour"),
    ),
    Case(
        "statement-two-attributions",
        "StatementShape",
        "at most one nk:attribution",
        add("fx:st-fled nk:attribution fx:attr-minister"),
    ),
    Case(
        "statement-quotation-not-quotation",
        "StatementShape",
        "nk:quotation is an nk:Quotation",
        add("fx:st-fled nk:quotation fx:flight"),
    ),
    Case(
        "statement-contrast-not-statement",
        "StatementShape",
        "nk:contrastsWith links a statement",
        add("fx:st-fled nk:contrastsWith fx:flight"),
    ),
    Case(
        "statement-held-at-not-a-time",
        "StatementShape",
        "nk:heldAt is a single nk:TimeSpec",
        put("fx:st-fled", "nk:heldAt", "fx:flight"),
    ),
    Case(
        "attributed-without-attribution",
        "AttributedStatementShape",
        "An attributed statement needs an nk:attribution",
        drop("fx:st-fled", "nk:attribution"),
    ),
    Case(
        "article-voice-with-attribution",
        "AttributedStatementShape",
        "in the article's own voice has no nk:attribution",
        add("fx:st-caption nk:attribution fx:attr-officials"),
    ),
    Case(
        "quotation-from-another-sentence",
        "StatementEvidenceShape",
        "not from the statement's evidence",
        add("fx:st-fled nk:quotation fx:q-crisis"),
    ),
    Case(
        "attribution-without-source",
        "AttributionShape",
        "needs exactly one nk:source",
        drop("fx:attr-officials", "nk:source"),
    ),
    Case(
        "attribution-role-not-post",
        "AttributionShape",
        "nk:sourceRole is a single org:Post",
        add("fx:attr-officials nk:sourceRole fx:flight"),
    ),
    Case(
        "attribution-verb-empty",
        "AttributionShape",
        "nk:reportingVerb is a single non-empty",
        put("fx:attr-officials", "nk:reportingVerb", '""'),
    ),
    Case(
        "attribution-act-not-act",
        "AttributionShape",
        "nk:communicationAct is a single",
        add("fx:attr-officials nk:communicationAct fx:flight"),
    ),
    Case(
        "attribution-time-not-time",
        "AttributionShape",
        "nk:statedAt is a single nk:TimeSpec",
        add("fx:attr-officials nk:statedAt fx:flight"),
    ),
    Case(
        "attribution-reporter-literal",
        "AttributionShape",
        "nk:reportedBy is an IRI",
        add('fx:attr-officials nk:reportedBy "Armenpress"'),
    ),
    Case(
        "attribution-translator-literal",
        "AttributionShape",
        "nk:translatedBy is an IRI",
        add('fx:attr-officials nk:translatedBy "Reuters"'),
    ),
    Case(
        "attribution-without-scope",
        "AttributionShape",
        "needs one nk:attributionScope",
        drop("fx:attr-officials", "nk:attributionScope"),
    ),
    Case(
        "ambiguous-scope-unexplained",
        "AttributionShape",
        "must say the other reading",
        drop("fx:attr-minister", "rdfs:comment"),
    ),
    Case(
        "quotation-without-words",
        "QuotationShape",
        "needs exactly one non-empty oa:exact",
        drop("fx:q-crisis", "oa:exact"),
    ),
    Case(
        "quotation-without-unit",
        "QuotationShape",
        "needs one nk:inUnit: the text unit that holds it",
        drop("fx:q-crisis", "nk:inUnit"),
    ),
    Case(
        "quotation-not-quoted",
        "QuotationShape",
        "does not stand between quotation marks",
        put("fx:q-crisis", "oa:exact", '"a crisis"'),
    ),
    Case(
        "quotation-offsets-off-the-marks",
        "QuotationShape",
        "are not the words between a pair of curly quotation marks",
        put("fx:q-crisis", "nif:beginIndex", "71"),
    ),
    Case(
        "quotation-unattributed",
        "QuotationShape",
        "No statement rests on this quotation",
        drop("fx:st-crisis", "nk:quotation"),
    ),
    # Figures
    Case(
        "figure-without-value",
        "FigureShape",
        "needs exactly one nk:statedValue",
        drop("fx:fig-fled", "nk:statedValue"),
    ),
    Case(
        "figure-hedge-unknown",
        "FigureShape",
        "needs one nk:hedge from nk:Hedges",
        put("fx:fig-fled", "nk:hedge", "nk:Maybe"),
    ),
    Case(
        "figure-without-words",
        "FigureShape",
        "needs one nk:surfaceForm: the words that state it",
        drop("fx:fig-fled", "nk:surfaceForm"),
    ),
    Case(
        "figure-without-unit",
        "FigureShape",
        "needs one nk:inUnit: the text unit that states it",
        drop("fx:fig-fled", "nk:inUnit"),
    ),
    Case(
        "figure-counts-nothing",
        "FigureShape",
        "needs one nk:counts",
        drop("fx:fig-fled", "nk:counts"),
    ),
    Case(
        "figure-without-unit-text",
        "FigureShape",
        "needs one schema:unitText",
        drop("fx:fig-fled", "schema:unitText"),
    ),
    Case(
        "figure-two-lower-bounds",
        "FigureShape",
        "at most one nk:lowerBound",
        add("fx:fig-fled nk:lowerBound 6"),
    ),
    Case(
        "figure-two-upper-bounds",
        "FigureShape",
        "at most one nk:upperBound",
        add("fx:fig-fled nk:upperBound 9 , 10"),
    ),
    Case(
        "figure-lower-flag-not-boolean",
        "FigureShape",
        "nk:lowerBoundIncluded is a single",
        put("fx:fig-fled", "nk:lowerBoundIncluded", '"no"'),
    ),
    Case(
        "figure-upper-flag-not-boolean",
        "FigureShape",
        "nk:upperBoundIncluded is a single",
        add('fx:fig-fled nk:upperBoundIncluded "no"'),
    ),
    Case(
        "figure-part-of-non-figure",
        "FigureShape",
        "nk:partOf links a figure",
        add("fx:fig-fled nk:partOf fx:flight"),
    ),
    Case(
        "figure-as-of-not-time",
        "FigureShape",
        "nk:asOf is a single nk:TimeSpec",
        put("fx:fig-fled", "nk:asOf", "fx:flight"),
    ),
    Case(
        "count-not-integer",
        "CountShape",
        "A count's nk:statedValue is an xsd:integer",
        put("fx:fig-fled", "nk:statedValue", "5.0"),
    ),
    Case(
        "count-lower-above-upper",
        "CountShape",
        "no greater than its nk:upperBound",
        add("fx:fig-fled nk:upperBound 4"),
    ),
    Case(
        "count-upper-not-integer",
        "CountShape",
        "A count's nk:upperBound is an xsd:integer",
        add('fx:fig-fled nk:upperBound "9"'),
    ),
    Case(
        "duration-not-duration",
        "DurationShape",
        "A duration's nk:statedValue is an xsd:duration",
        add("fx:fig-fled a nk:Duration"),
    ),
    Case(
        "duration-lower-not-duration",
        "DurationShape",
        "A duration's nk:lowerBound is",
        add("fx:fig-fled a nk:Duration"),
    ),
    Case(
        "duration-upper-not-duration",
        "DurationShape",
        "A duration's nk:upperBound is",
        add("fx:fig-fled a nk:Duration ; nk:upperBound 9"),
    ),
    Case(
        "proportion-above-a-hundred",
        "ProportionShape",
        "an xsd:integer from 0 to 100",
        add("fx:fig-fled a nk:Proportion ; nk:statedValue 150"),
    ),
    Case(
        "bound-disagrees-with-hedge",
        "BoundsAgreeWithHedgeShape",
        "does not agree with its hedge",
        put("fx:fig-fled", "nk:lowerBoundIncluded", "true"),
    ),
    Case(
        "roughly-with-invented-bound",
        "BoundsAgreeWithHedgeShape",
        "it must be none",
        put("fx:fig-fled", "nk:hedge", "nk:Roughly"),
    ),
    Case(
        "unhedged-with-invented-bounds",
        "BoundsAgreeWithHedgeShape",
        "it must be none",
        put("fx:fig-fled", "nk:hedge", "nk:Unhedged"),
    ),
    Case(
        "unhedged-with-a-hedge-word",
        "HedgeAsPrintedShape",
        "is nk:Unhedged, but its words hold the hedge word",
        put("fx:fig-fled", "nk:hedge", "nk:Unhedged"),
    ),
    Case(
        "exact-round-number",
        "HedgeAsPrintedShape",
        "is nk:Exact, but its words neither say it is exact nor print it to its unit",
        put("fx:fig-fled", "nk:hedge", "nk:Exact")
        + " ;\n"
        + put("fx:fig-fled", "nk:statedValue", "50"),
    ),
    Case(
        "hedge-without-rules",
        "BoundsAgreeWithHedgeShape",
        "has no bound rules",
        put("fx:fig-fled", "nk:hedge", "fx:hedge-undefined"),
    ),
    Case(
        "part-above-whole",
        "PartOfShape",
        "A part cannot exceed its whole",
        add("fx:fig-fled nk:partOf fx:fig-whole . fx:fig-whole a nk:Figure ; nk:upperBound 3"),
    ),
    # Times, resolutions, gaps
    Case(
        "time-without-words",
        "TimeSpecShape",
        "needs one nk:surfaceForm: the words that state it",
        drop("fx:time-monday", "nk:surfaceForm"),
    ),
    Case(
        "time-without-unit",
        "TimeSpecShape",
        "A stated time needs one nk:inUnit",
        drop("fx:time-monday", "nk:inUnit"),
    ),
    Case(
        "time-anchor-literal",
        "TimeSpecShape",
        "at most one nk:anchor, an IRI",
        put("fx:time-monday", "nk:anchor", '"publication"'),
    ),
    Case(
        "time-relation-unknown",
        "TimeSpecShape",
        "at most one nk:relation",
        put("fx:time-monday", "nk:relation", "nk:Sometime"),
    ),
    Case(
        "time-offset-not-duration",
        "TimeSpecShape",
        "nk:offset is a single nk:Duration",
        add("fx:time-monday nk:offset fx:fig-fled"),
    ),
    Case(
        "time-date-not-date",
        "TimeSpecShape",
        "nk:statedDate is one xsd:date",
        add('fx:time-monday nk:statedDate "Monday"'),
    ),
    Case(
        "time-anchor-without-relation",
        "TimeSpecShape",
        "needs both an nk:anchor and an nk:relation",
        drop("fx:time-monday", "nk:relation"),
    ),
    Case(
        "resolution-resolves-nothing",
        "ResolutionShape",
        "needs nk:resolves",
        drop("fx:res-monday", "nk:resolves", RESOLVED),
    ),
    Case(
        "resolution-without-rule",
        "ResolutionShape",
        "needs one nk:rule",
        drop("fx:res-monday", "nk:rule", RESOLVED),
    ),
    Case(
        "resolution-basis-unknown",
        "ResolutionShape",
        "needs one nk:basis",
        put("fx:res-monday", "nk:basis", "nk:Guess", RESOLVED),
    ),
    Case(
        "resolution-without-inputs",
        "ResolutionShape",
        "needs prov:wasDerivedFrom",
        drop("fx:res-monday", "prov:wasDerivedFrom", RESOLVED),
    ),
    Case(
        "resolution-begin-inverted",
        "ResolutionShape",
        "earliest begin is on or before",
        add(
            'fx:res-monday sem:hasEarliestBeginTimeStamp "2023-09-26"^^xsd:date ; '
            'sem:hasLatestBeginTimeStamp "2023-09-24"^^xsd:date',
            RESOLVED,
        ),
    ),
    Case(
        "resolution-end-inverted",
        "ResolutionShape",
        "earliest end is on or before",
        add(
            'fx:res-monday sem:hasEarliestEndTimeStamp "2023-09-26"^^xsd:date ; '
            'sem:hasLatestEndTimeStamp "2023-09-24"^^xsd:date',
            RESOLVED,
        ),
    ),
    Case(
        "resolution-beside-statement",
        "ResolutionShape",
        "kept apart from what it resolves",
        add("fx:res-monday nk:resolves fx:time-monday"),
    ),
    Case(
        "gap-with-value",
        "NotStatedShape",
        "is not stated and gives it a value",
        add("fx:flight sem:hasPlace fx:officials"),
    ),
    # Entities
    Case(
        "entity-label-without-language",
        "MentionedEntityShape",
        "rdfs:label with a language tag",
        put("fx:flight", "rdfs:label", '"flight"'),
    ),
    Case("entity-without-type", "MentionedEntityShape", "needs a type", drop("fx:flight", "a")),
    Case(
        "mention-not-mention",
        "MentionedEntityShape",
        "nk:mention points at an nk:Mention",
        add("fx:flight nk:mention fx:s1"),
    ),
    Case(
        "person-without-name",
        "PersonShape",
        "A person needs a schema:name",
        drop("fx:minister", "schema:name"),
    ),
    Case(
        "post-without-label",
        "PostShape",
        "A post needs one skos:prefLabel",
        drop("fx:post-minister", "skos:prefLabel"),
    ),
    Case(
        "unnamed-group-linked",
        "UnnamedGroupShape",
        "An unnamed group has no identity",
        add("fx:officials skos:exactMatch <http://www.wikidata.org/entity/Q1>"),
    ),
    Case(
        "unnamed-person-linked",
        "UnnamedAgentShape",
        "A resource the text does not name",
        f"{drop('fx:minister', 'schema:name')} ;\n"
        + add(
            "fx:minister nk:notStated schema:name ; "
            "skos:exactMatch <http://www.wikidata.org/entity/Q1>"
        ),
    ),
    Case(
        "wikidata-link-malformed",
        "WikidataLinkShape",
        "must be an item IRI of the form",
        add("fx:minister skos:exactMatch <https://www.wikidata.org/wiki/Q42>"),
    ),
    Case(
        "statement-linked",
        "StatementNotLinkedShape",
        "The article's own statements have no",
        add("fx:st-fled skos:exactMatch <http://www.wikidata.org/entity/Q42>"),
    ),
    # Wikidata link records
    Case(
        "link-without-record",
        "WikidataLinkRecordedShape",
        "A Wikidata link needs a record of how it was established",
        add("fx:flight skos:exactMatch <http://www.wikidata.org/entity/Q7>", LINKS),
    ),
    Case(
        "record-without-subject",
        "WikidataLinkRecordShape",
        "needs exactly one rdf:subject",
        drop("fx:link-minister", "rdf:subject", LINKS),
    ),
    Case(
        "record-of-other-predicate",
        "WikidataLinkRecordShape",
        "describes a skos:exactMatch link",
        put("fx:link-minister", "rdf:predicate", "skos:closeMatch", LINKS),
    ),
    Case(
        "record-object-not-an-item",
        "WikidataLinkRecordShape",
        "needs exactly one rdf:object, an item IRI",
        put("fx:link-minister", "rdf:object", "<https://www.wikidata.org/wiki/Q42>", LINKS),
    ),
    Case(
        "record-without-label",
        "WikidataLinkRecordShape",
        "needs exactly one nk:wikidataLabel",
        put("fx:link-minister", "nk:wikidataLabel", '"Ana Example"', LINKS),
    ),
    Case(
        "record-with-two-descriptions",
        "WikidataLinkRecordShape",
        "at most one nk:wikidataDescription",
        add('fx:link-minister nk:wikidataDescription "another"@en', LINKS),
    ),
    Case(
        "record-with-unknown-method",
        "WikidataLinkRecordShape",
        "needs exactly one nk:linkMethod",
        put("fx:link-minister", "nk:linkMethod", "nk:Guess", LINKS),
    ),
    Case(
        "record-without-date",
        "WikidataLinkRecordShape",
        "needs the date it was checked",
        drop("fx:link-minister", "dcterms:date", LINKS),
    ),
    Case(
        "record-without-evidence",
        "WikidataLinkRecordShape",
        "needs its evidence",
        drop("fx:link-minister", "prov:wasDerivedFrom", LINKS),
    ),
    Case(
        "record-of-absent-link",
        "WikidataLinkRecordShape",
        "The link this record describes is not in the data",
        drop("fx:minister", "skos:exactMatch", LINKS),
    ),
    Case(
        "evidence-without-excerpt",
        "LinkEvidenceShape",
        "needs exactly one nk:evidenceExcerpt",
        drop("fx:evidence-minister", "nk:evidenceExcerpt", LINKS),
    ),
    Case(
        "evidence-without-source",
        "LinkEvidenceShape",
        "needs to say where it is",
        drop("fx:evidence-minister", "dcterms:source", LINKS),
    ),
    # Fact-check reviews
    Case(
        "review-as-a-blank-node",
        "ClaimReviewShape",
        "A review needs an IRI of its own",
        add("[] a schema:ClaimReview", REVIEWS),
    ),
    Case(
        "review-of-nothing",
        "ClaimReviewShape",
        "needs exactly one schema:itemReviewed",
        drop("fx:review-crisis", "schema:itemReviewed", REVIEWS),
    ),
    Case(
        "review-of-an-entity",
        "ClaimReviewShape",
        "needs exactly one schema:itemReviewed",
        put("fx:review-crisis", "schema:itemReviewed", "fx:minister", REVIEWS),
    ),
    Case(
        "review-of-two-items",
        "ClaimReviewShape",
        "needs exactly one schema:itemReviewed",
        add("fx:review-crisis schema:itemReviewed fx:st-fled", REVIEWS),
    ),
    Case(
        "review-without-rating",
        "ClaimReviewShape",
        "needs exactly one schema:reviewRating",
        drop("fx:review-crisis", "schema:reviewRating", REVIEWS),
    ),
    Case(
        "review-without-author",
        "ClaimReviewShape",
        "needs at least one schema:author",
        drop("fx:review-crisis", "schema:author", REVIEWS),
    ),
    Case(
        "review-by-an-untyped-author",
        "ClaimReviewShape",
        "needs at least one schema:author",
        drop("fx:desk", "rdf:type", REVIEWS),
    ),
    Case(
        "review-without-date",
        "ClaimReviewShape",
        "needs exactly one schema:datePublished",
        drop("fx:review-crisis", "schema:datePublished", REVIEWS),
    ),
    Case(
        "review-dated-with-a-string",
        "ClaimReviewShape",
        "needs exactly one schema:datePublished",
        put("fx:review-crisis", "schema:datePublished", '"2023-09-26"', REVIEWS),
    ),
    Case(
        "review-dated-in-the-future",
        "ClaimReviewShape",
        "is in the future",
        put("fx:review-crisis", "schema:datePublished", '"2999-01-01"^^xsd:date', REVIEWS),
    ),
    Case(
        "review-with-an-empty-body",
        "ClaimReviewShape",
        "schema:reviewBody is at most one non-empty text",
        put("fx:review-crisis", "schema:reviewBody", '""', REVIEWS),
    ),
    Case(
        "review-with-an-empty-claim",
        "ClaimReviewShape",
        "schema:claimReviewed is at most one non-empty text",
        put("fx:review-crisis", "schema:claimReviewed", '""', REVIEWS),
    ),
    Case(
        "review-url-as-a-string",
        "ClaimReviewShape",
        "schema:url is at most one IRI",
        put("fx:review-crisis", "schema:url", '"https://example.org/reviews/crisis"', REVIEWS),
    ),
    Case(
        "rating-above-best",
        "ReviewRatingShape",
        "no greater than its schema:bestRating",
        put("fx:rating-crisis", "schema:ratingValue", "6", REVIEWS),
    ),
    Case(
        "rating-as-a-string",
        "ReviewRatingShape",
        "needs exactly one schema:ratingValue",
        put("fx:rating-crisis", "schema:ratingValue", '"2"', REVIEWS),
    ),
    Case(
        "rating-below-worst",
        "ReviewRatingShape",
        "schema:worstRating, a number no greater than its schema:ratingValue",
        put("fx:rating-crisis", "schema:ratingValue", "0", REVIEWS),
    ),
    Case(
        "rating-scale-upside-down",
        "ReviewRatingShape",
        "schema:worstRating, a number no greater than its schema:ratingValue",
        put("fx:rating-crisis", "schema:worstRating", "5", REVIEWS),
    ),
    Case(
        "rating-without-best",
        "ReviewRatingShape",
        "needs exactly one schema:bestRating",
        drop("fx:rating-crisis", "schema:bestRating", REVIEWS),
    ),
    Case(
        "rating-without-verdict",
        "ReviewRatingShape",
        "needs its verdict in words",
        drop("fx:rating-crisis", "schema:alternateName", REVIEWS),
    ),
    Case(
        "author-without-name",
        "ReviewAuthorShape",
        "needs a non-empty schema:name",
        drop("fx:desk", "schema:name", REVIEWS),
    ),
    Case(
        "author-url-as-a-string",
        "ReviewAuthorShape",
        "An author's schema:url is an IRI",
        put("fx:desk", "schema:url", '"https://example.org/desk"', REVIEWS),
    ),
]


@pytest.fixture(scope="module")
def shapes():  # type: ignore[no-untyped-def]
    return load_shapes()


def broken(update: str) -> Dataset:
    dataset = load_dataset([FIXTURE])
    dataset.update(PREFIXES + update)
    return dataset


def test_fixture_conforms(shapes) -> None:  # type: ignore[no-untyped-def]
    report = validate(load_dataset([FIXTURE]), shapes=shapes)
    assert report.conforms, [result.message for result in report.results]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_shape_rejects(case: Case, shapes) -> None:  # type: ignore[no-untyped-def]
    report = validate(broken(case.update), shapes=shapes)
    assert not report.conforms
    found = [(str(result.named_shape), result.message) for result in report.results]
    assert any(shape == NKS + case.shape and case.message in message for shape, message in found), (
        found
    )


def test_every_shape_message_is_tested(shapes) -> None:  # type: ignore[no-untyped-def]
    messages = {str(m) for m in shapes.objects(None, SH.message) if isinstance(m, Literal)}
    untested = sorted(m for m in messages if not any(case.message in m for case in CASES))
    assert not untested


def test_every_named_shape_is_tested(shapes) -> None:  # type: ignore[no-untyped-def]
    named = {
        str(s)
        for s in shapes.subjects(RDF.type, SH.NodeShape)
        if isinstance(s, URIRef) and str(s).startswith(NKS)
    }
    tested = {NKS + case.shape for case in CASES}
    assert named - tested == set()
