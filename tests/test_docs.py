"""The SPARQL examples in the READMEs and docs/ run on the shipped graph and answer something."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Dataset

from nkgraph.model.loading import load_dataset

CHECKOUT = Path(__file__).resolve().parents[1]


def readme_queries() -> list[tuple[str, str]]:
    found = []
    ontology = (CHECKOUT / "ontology" / "README.md").read_text(encoding="utf-8")
    found += [("ontology", q) for q in re.findall(r"```sparql\n(.*?)```", ontology, re.DOTALL)]
    for page in [CHECKOUT / "README.md", *sorted((CHECKOUT / "docs").glob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        where = "readme" if page.name == "README.md" and page.parent == CHECKOUT else page.stem
        found += [
            (where, q) for q in re.findall(r"--data-urlencode 'query=(.*?)'", text, re.DOTALL)
        ]
    return found


QUERIES = readme_queries()


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset()


def test_readmes_have_examples() -> None:
    assert len([q for where, q in QUERIES if where == "ontology"]) >= 4
    assert len([q for where, q in QUERIES if where == "readme"]) >= 1
    assert len([q for where, q in QUERIES if where == "service"]) >= 2


@pytest.mark.parametrize(
    ("where", "query"), QUERIES, ids=[f"{w}-{i}" for i, (w, _) in enumerate(QUERIES)]
)
def test_readme_query_answers(dataset: Dataset, where: str, query: str) -> None:
    assert len(list(dataset.query(query))) > 0
