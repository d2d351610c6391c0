"""Example queries for the query page: the competency questions, or a built-in few.

The competency questions live in ``tests/competency/*.rq`` of a source checkout, and a
wheel carries a copy of them; each file's first comment line is its title. Where there
are none, the page falls back to :data:`BUILTIN`, which work on any dataset.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

from nkgraph.model.resources import shipped

__all__ = ["BUILTIN", "ExampleQuery", "example_queries"]


@dataclass(frozen=True)
class ExampleQuery:
    """A named query with a title for people."""

    name: str
    title: str
    text: str


BUILTIN: Final = (
    ExampleQuery(
        "classes",
        "Which classes have the most instances?",
        "SELECT ?class (COUNT(DISTINCT ?instance) AS ?instances)\n"
        "WHERE { ?instance a ?class }\n"
        "GROUP BY ?class\nORDER BY DESC(?instances)\nLIMIT 25\n",
    ),
    ExampleQuery(
        "graphs",
        "Which named graphs does the dataset hold, and how large are they?",
        "SELECT ?graph (COUNT(*) AS ?triples)\n"
        "WHERE { GRAPH ?graph { ?s ?p ?o } }\n"
        "GROUP BY ?graph\nORDER BY ?graph\n",
    ),
    ExampleQuery(
        "labels",
        "What is labelled, and how?",
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?resource ?label\n"
        "WHERE { ?resource rdfs:label ?label }\n"
        "ORDER BY ?label\nLIMIT 50\n",
    ),
    ExampleQuery(
        "text",
        "What does the article say, line by line?",
        "PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>\n"
        "PREFIX nk: <https://w3id.org/nkgraph/ontology#>\n"
        "SELECT ?line ?number ?text\n"
        "WHERE { ?line a nk:Line ; nk:lineNumber ?number ; nif:anchorOf ?text }\n"
        "ORDER BY ?number\n",
    ),
)


def example_queries(folder: Path | None = None) -> tuple[ExampleQuery, ...]:
    """The ``*.rq`` files of ``folder`` (default: the shipped competency questions),
    or :data:`BUILTIN` when there are none."""
    if folder is None:
        try:
            folder = shipped().competency_dir
        except FileNotFoundError:
            return BUILTIN
    # Federated examples (they call Wikidata, so they have no expected answer) sit apart.
    files = (
        sorted(folder.glob("*.rq")) + sorted(folder.glob("federated/*.rq"))
        if folder.is_dir()
        else []
    )
    return tuple(_read(path) for path in files) or BUILTIN


def _read(path: Path) -> ExampleQuery:
    text = path.read_text(encoding="utf-8")
    title = path.stem.replace("-", " ").replace("_", " ")
    for line in text.splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip() or title
            break
    return ExampleQuery(path.stem, title, text)
