"""What the graph's resources are called, and how values read for people.

A label is the best of a resource's naming predicates (``LABEL_PREDICATES``, English
first), "Sentence 3" for a text unit, "who: what: value" for a statement, and a prefixed
or local name when nothing names it. Literals read as people write them: 100000 as
"100,000", P14D as "14 days". Labels are fetched by SPARQL through
:class:`~nkgraph.pages.lookup.Lookup`, many at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import pyoxigraph as ox

from nkgraph.pages.lookup import Lookup, Term, values_clause
from nkgraph.vocab import NK, PREFIXES

__all__ = [
    "LABEL_PREDICATES",
    "NUMBERED",
    "Labels",
    "Link",
    "LiteralValue",
    "Value",
    "fallback_label",
    "fetch_labels",
    "format_value",
    "literal_value",
]

_P: Final = PREFIXES
_XSD: Final = _P["xsd"]
RDFS_LABEL: Final = _P["rdfs"] + "label"
SKOS_PREF: Final = _P["skos"] + "prefLabel"
SCHEMA_NAME: Final = _P["schema"] + "name"
DCT_TITLE: Final = _P["dcterms"] + "title"
OA_EXACT: Final = _P["oa"] + "exact"

#: Predicates whose values name a thing, best first.
LABEL_PREDICATES: Final = (
    RDFS_LABEL,
    SKOS_PREF,
    SCHEMA_NAME,
    _P["foaf"] + "name",
    DCT_TITLE,
    _P["schema"] + "headline",
    str(NK.surfaceForm),
    OA_EXACT,
)

#: Text units are called by their number: "Sentence 3", "Line 2".
NUMBERED: Final = {str(NK.sentenceNumber): "Sentence", str(NK.lineNumber): "Line"}


@dataclass(frozen=True)
class Link:
    """An IRI and what to call it."""

    iri: str
    label: str


@dataclass(frozen=True)
class LiteralValue:
    """A literal, ready to print: its text, datatype and language."""

    text: str
    datatype: str | None = None
    language: str | None = None


Value = Link | LiteralValue


class Labels:
    """Labels of IRIs, with a readable fallback (a prefixed or local name)."""

    def __init__(self, found: Mapping[str, str]) -> None:
        self._found = dict(found)

    def __call__(self, iri: str) -> str:
        return self._found.get(iri) or fallback_label(iri)

    def link(self, iri: str) -> Link:
        return Link(iri, self(iri))

    def value(self, term: Term) -> Value | None:
        if isinstance(term, ox.NamedNode):
            return self.link(term.value)
        if isinstance(term, ox.Literal):
            return literal_value(term)
        return None


def fallback_label(iri: str) -> str:
    """``schema:Country`` for outside terms, the local name for ours."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            local = iri[len(namespace) :]
            return local if prefix in ("id", "art", "nk", "graph") else f"{prefix}:{local}"
    return re.split(r"[/#]", iri.rstrip("/#"))[-1] or iri


def literal_value(term: ox.Literal) -> LiteralValue:
    datatype = term.datatype.value if term.language is None else None
    if datatype == _XSD + "string":
        datatype = None
    return LiteralValue(format_value(term), datatype, term.language)


def format_value(term: Term) -> str:
    """A literal for people: 100000 -> "100,000", P14D -> "14 days", 1.0 -> "1"."""
    if not isinstance(term, ox.Literal):
        return term.value
    kind = term.datatype.value[len(_XSD) :] if term.datatype.value.startswith(_XSD) else ""
    if kind in ("integer", "nonNegativeInteger", "positiveInteger", "int", "long"):
        try:
            return f"{int(term.value):,}"
        except ValueError:
            return term.value
    if kind in ("decimal", "double", "float"):
        try:
            number = float(term.value)
        except ValueError:
            return term.value
        return f"{number:,.0f}" if number.is_integer() else f"{number:,}"
    if kind == "duration":
        return _duration(term.value)
    return term.value


_DURATION: Final = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


def _duration(value: str) -> str:
    match = _DURATION.match(value)
    if match is None:
        return value
    words = []
    for number, unit in zip(match.groups(), ("year", "month", "week", "day"), strict=True):
        if number is not None:
            words.append(f"{int(number):,} {unit}{'' if number == '1' else 's'}")
    return ", ".join(words) or value


def fetch_labels(lookup: Lookup, iris: Iterable[str]) -> Labels:
    """The best label of each of ``iris`` (see ``LABEL_PREDICATES``), English first."""
    wanted = sorted({i for i in iris if i})
    found: dict[str, tuple[int, int, str]] = {}
    for start in range(0, len(wanted), 400):
        predicates = " ".join(f"<{p}>" for p in (*LABEL_PREDICATES, *NUMBERED))
        rows = lookup.select(
            f"SELECT ?s ?p ?l WHERE {{ {values_clause('s', wanted[start : start + 400])} "
            f"VALUES ?p {{ {predicates} }} ?s ?p ?l FILTER(isLiteral(?l)) }}"
        )
        for row in rows:
            label = row["l"]
            assert isinstance(label, ox.Literal)  # noqa: S101 (filtered above)
            predicate = row["p"].value
            text = f"{NUMBERED[predicate]} {label.value}" if predicate in NUMBERED else label.value
            rank = (
                list(NUMBERED).index(predicate)
                if predicate in NUMBERED
                else len(NUMBERED) + LABEL_PREDICATES.index(predicate),
                0 if label.language in (None, "en") else 1,
                text,
            )
            if row["s"].value not in found or rank < found[row["s"].value]:
                found[row["s"].value] = rank
    labels = {iri: rank[2] for iri, rank in found.items()}
    labels.update(_statement_labels(lookup, [i for i in wanted if i not in labels]))
    return Labels(labels)


# A statement has no label of its own: name it by who says what of what.
_STATEMENT_LABELS: Final = """SELECT ?s ?subject ?value ?source WHERE {{ {values}
  ?s a nk:Statement ; nk:subject/rdfs:label ?subject .
  OPTIONAL {{ ?s nk:object/(rdfs:label|skos:prefLabel) ?objectLabel }}
  OPTIONAL {{ ?s nk:value ?text }}
  OPTIONAL {{ ?s nk:figure/nk:surfaceForm ?figure }}
  OPTIONAL {{ ?s nk:attribution/nk:source/rdfs:label ?source }}
  BIND (COALESCE(?objectLabel, ?text, ?figure) AS ?value) }}"""


def _statement_labels(lookup: Lookup, iris: Sequence[str]) -> dict[str, str]:
    """Labels for the statements among ``iris``: "source: subject: value"."""
    if not iris:
        return {}
    labels: dict[str, str] = {}
    for row in lookup.select(_STATEMENT_LABELS.format(values=values_clause("s", iris))):
        parts = [row[name].value for name in ("source", "subject", "value") if name in row]
        labels.setdefault(row["s"].value, ": ".join(parts))
    return labels
