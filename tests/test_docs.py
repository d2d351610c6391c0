"""The SPARQL examples in the READMEs run on the shipped graph and answer something."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Dataset

from nkgraph.graph import load_dataset

CHECKOUT = Path(__file__).resolve().parents[1]


def readme_queries() -> list[tuple[str, str]]:
    found = []
    ontology = (CHECKOUT / "ontology" / "README.md").read_text(encoding="utf-8")
    found += [("ontology", q) for q in re.findall(r"```sparql\n(.*?)```", ontology, re.DOTALL)]
    readme = (CHECKOUT / "README.md").read_text(encoding="utf-8")
    found += [
        ("readme", q) for q in re.findall(r"--data-urlencode 'query=(.*?)'", readme, re.DOTALL)
    ]
    return found


QUERIES = readme_queries()


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset()


def test_readmes_have_examples() -> None:
    assert len([q for where, q in QUERIES if where == "ontology"]) >= 4
    assert len([q for where, q in QUERIES if where == "readme"]) >= 2


@pytest.mark.parametrize(
    ("where", "query"), QUERIES, ids=[f"{w}-{i}" for i, (w, _) in enumerate(QUERIES)]
)
def test_readme_query_answers(dataset: Dataset, where: str, query: str) -> None:
    assert len(list(dataset.query(query))) > 0
