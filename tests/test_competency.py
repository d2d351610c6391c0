"""The competency questions in tests/competency/ get their expected answers."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Dataset

from nkgraph.model.loading import load_dataset
from nkgraph.vocab import ART

QUESTIONS = Path(__file__).parent / "competency"
QUERIES = sorted(QUESTIONS.glob("*.rq"))


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset()


def answer(dataset: Dataset, query: Path) -> tuple[list[str], list[tuple[str, ...]]]:
    result = dataset.query(query.read_text(encoding="utf-8"))
    names = [str(var) for var in result.vars or []]
    rows = [tuple("" if value is None else str(value) for value in row) for row in result]  # type: ignore[union-attr]
    return names, rows


def expected(query: Path) -> tuple[list[str], list[tuple[str, ...]]]:
    with query.with_suffix(".csv").open(encoding="utf-8", newline="") as stream:
        header, *rows = list(csv.reader(stream))
    return header, [tuple(row) for row in rows]


def test_there_are_questions() -> None:
    assert len(QUERIES) >= 12


@pytest.mark.parametrize("query", QUERIES, ids=[q.stem for q in QUERIES])
def test_question_gets_its_expected_answer(dataset: Dataset, query: Path) -> None:
    names, rows = answer(dataset, query)
    expected_names, expected_rows = expected(query)
    assert names == expected_names
    assert rows, "the question has no answer"
    assert Counter(rows) == Counter(expected_rows), sorted(set(rows) ^ set(expected_rows))


def test_every_sentence_is_evidence_for_a_question(dataset: Dataset) -> None:
    evidence: set[str] = set()
    for query in QUERIES:
        names, rows = answer(dataset, query)
        if "evidence" in names:
            evidence.update(row[names.index("evidence")] for row in rows)
    units = {str(ART[f"s{n}"]) for n in range(1, 14)} | {str(ART["line-2"])}
    assert units - evidence == set()
